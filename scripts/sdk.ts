// Regenerates the SDK's types from openapi.json (`npm run sdk`), or with --check fails when the
// checked-in packages/sdk/src/schema.ts is stale, or src/version.ts no longer says the package's
// version (`npm run sdk:check`, run by CI).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SOURCE = path.join(ROOT, 'openapi.json');
const TARGET = path.join(ROOT, 'packages', 'sdk', 'src', 'schema.ts');
const VERSION_SCRIPT = path.join(ROOT, 'packages', 'sdk', 'scripts', 'version.mjs');
const HEADER = '// Generated from openapi.json by `npm run sdk` (openapi-typescript). Do not edit.\n\n';

/** The SDK's types for the checked-in document. */
export async function generateSdkTypes(): Promise<string> {
  // A field with a default is optional to send (the server fills it in), so defaults do not make fields required.
  const ast = await openapiTS(new URL(`file://${SOURCE}`), { defaultNonNullable: false });
  return HEADER + astToString(ast);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const types = await generateSdkTypes();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(TARGET) ? fs.readFileSync(TARGET, 'utf8') : '';
    if (current !== types) {
      process.stderr.write('packages/sdk/src/schema.ts is stale: openapi.json changed. Run `npm run sdk` and commit the result.\n');
      process.exit(1);
    }
    const version = spawnSync(process.execPath, [VERSION_SCRIPT, '--check'], { stdio: 'inherit' });
    if (version.status !== 0) process.exit(1);
    process.stdout.write('the SDK types and version are up to date\n');
  } else {
    fs.writeFileSync(TARGET, types);
    process.stdout.write(`wrote ${path.relative(process.cwd(), TARGET)}\n`);
  }
}
