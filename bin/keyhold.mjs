#!/usr/bin/env node
// Runs the compiled CLI from dist/ (`npm run build`; `npm ci` and `npm start` build it in a clone).
import fs from 'node:fs';

const entry = new URL('../dist/cli/entry.js', import.meta.url);
if (!fs.existsSync(entry)) {
  process.stderr.write(`keyhold: ${entry.pathname} is missing: run \`npm run build\` in ${new URL('..', import.meta.url).pathname}\n`);
  process.exit(1);
}
await import(entry.href);
