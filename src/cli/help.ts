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

/** `keyhold --help` lists commands under these headings, in this order; a command not named here goes last. */
const GROUPS: Array<[heading: string, commands: string[]]> = [
  ['Keys:', ['api-keys', 'ssh-keys']],
  ['Teams and access:', ['teams', 'tokens']],
  ['Projects and regions:', ['projects', 'regions']],
  ['Webhooks and audit:', ['webhooks', 'audit']],
  ['SSH certificates and agent (remote):', ['ssh', 'agent']],
  ['Operators (on the host: database and master key):', ['serve', 'migrate', 'backup', 'restore', 'master-key']],
];

/** Groups the top-level commands by resource in `keyhold --help`, and orders them so. */
export function groupCommands(program: Command): void {
  const order = GROUPS.flatMap(([, names]) => names);
  for (const [heading, names] of GROUPS) {
    for (const c of program.commands) if (names.includes(c.name())) c.helpGroup(heading);
  }
  const rank = (c: Command) => (order.includes(c.name()) ? order.indexOf(c.name()) : order.length);
  // commander lists commands in the order they were added: reorder its own array.
  (program.commands as Command[]).sort((a, b) => rank(a) - rank(b));
}

/** Settings people try as flags: the environment variable that sets each (keyhold's configuration is the environment). */
const SETTING_FLAGS: Record<string, string> = {
  '--port': 'KEYHOLD_PORT',
  '--host': 'KEYHOLD_HOST',
  '--data-dir': 'KEYHOLD_DATA_DIR',
  '--database-url': 'KEYHOLD_DATABASE_URL',
  '--master-key-file': 'KEYHOLD_MASTER_KEY_FILE',
  '--log-level': 'KEYHOLD_LOG_LEVEL',
};

/** commander's "unknown option" for a setting tried as a flag, with the variable to set instead. */
export function withSettingHint(message: string): string {
  const flag = /unknown option '(--[a-z-]+)(?:=[^']*)?'/.exec(message)?.[1];
  const setting = flag === undefined ? undefined : SETTING_FLAGS[flag];
  if (setting === undefined) return message;
  return `${message.trimEnd()}\nkeyhold takes its settings from the environment: ${setting}=… keyhold …, e.g. ${setting === 'KEYHOLD_PORT' ? 'KEYHOLD_PORT=8080 keyhold serve' : `${setting}=… keyhold serve`} (see \`keyhold serve --help\`)\n`;
}
