// Writes the README's settings table from the configuration schema (`npm run docs`), or, with
// --check, fails if the README's table differs from what the schema says (`npm run docs:check`, run by CI).
import fs from 'node:fs';
import path from 'node:path';
import { type SettingSchema, settingEntries } from '../src/config-schema.js';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
/** `--file=<path>` checks or rewrites another copy (the test uses one). */
const README = process.argv.find((a) => a.startsWith('--file='))?.slice(7) ?? path.join(ROOT, 'README.md');
const START = '<!-- settings:start (npm run docs writes this table from src/config-schema.ts) -->';
const END = '<!-- settings:end -->';

function defaultText(schema: SettingSchema): string {
  if (schema['x-default-text']) return `\`${schema['x-default-text']}\``;
  return schema.default === undefined ? '' : `\`${JSON.stringify(schema.default).replace(/^"|"$/g, '')}\``;
}

function typeText(schema: SettingSchema): string {
  if (schema.enum) return `one of ${schema.enum.map((v) => `\`${v}\``).join(', ')}`;
  if (schema.type === 'integer') return `integer, ${schema.minimum} to ${schema.maximum}`;
  return schema.type ?? '';
}

/** The table, one row per setting, in the schema's order. */
export function settingsTable(): string {
  const rows = settingEntries().map(([name, schema]) => `| \`${name}\` | ${typeText(schema)} | ${defaultText(schema)} | ${(schema.description ?? '').replaceAll('|', '\\|')} |`);
  return ['| variable | type | default | meaning |', '|---|---|---|---|', ...rows].join('\n');
}

/** The README with its settings table replaced; throws if the markers are missing. */
export function rewriteReadme(readme: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md must contain the lines\n${START}\n${END}\naround the settings table`);
  return `${readme.slice(0, start)}${START}\n${settingsTable()}\n${readme.slice(end)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const current = fs.readFileSync(README, 'utf8');
  const wanted = rewriteReadme(current);
  if (process.argv.includes('--check')) {
    if (current !== wanted) {
      console.error(`${README}: the settings table differs from src/config-schema.ts; run 'npm run docs' and commit the result`);
      process.exit(1);
    }
    console.log('README.md settings table matches the configuration schema');
  } else if (current !== wanted) {
    fs.writeFileSync(README, wanted);
    console.log('README.md settings table rewritten');
  } else {
    console.log('README.md settings table already up to date');
  }
}
