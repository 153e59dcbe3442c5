import fs from 'node:fs';
import type { Command } from 'commander';

/** The version in package.json, which sits two levels above this file both in src/cli and in dist/cli. */
export function packageVersion(): string {
  const pkg = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Commander lists required options like optional ones; this says "(required)" in every command's help. */
export function markRequiredOptions(command: Command): void {
  for (const option of command.options) {
    if (option.mandatory && !option.description.endsWith('(required)')) option.description = `${option.description} (required)`;
  }
  for (const sub of command.commands) markRequiredOptions(sub);
}
