#!/usr/bin/env node
// git's gpg.ssh.program for keys held in keyhold (docs/ssh-agent.md): runs the compiled dist/cli/ssh-sign-entry.js.
import fs from 'node:fs';

const entry = new URL('../dist/cli/ssh-sign-entry.js', import.meta.url);
if (!fs.existsSync(entry)) {
  process.stderr.write(`keyhold-ssh-sign: ${entry.pathname} is missing: run \`npm run build\` in ${new URL('..', import.meta.url).pathname}\n`);
  process.exit(1);
}
await import(entry.href);
