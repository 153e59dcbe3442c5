#!/usr/bin/env node
// Writes src/version.ts from package.json's version, so that the X-Keyhold-SDK header carries it in
// Node and in the browser alike (no JSON import, nothing Node-only in the SDK). Run by the package's
// build; with --check, fails when the checked-in file is stale (`npm run sdk:check`, CI).
// Plain JavaScript: it runs before anything is compiled.
import fs from 'node:fs';
import path from 'node:path';

const pkgDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const target = path.join(pkgDir, 'src', 'version.ts');
const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
const text = `// Generated from package.json by scripts/version.mjs (the package's build). Do not edit.\n\n/** This SDK's version, sent as X-Keyhold-SDK on every request. */\nexport const SDK_VERSION = '${version}';\n`;

const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
if (process.argv.includes('--check')) {
  if (current !== text) {
    process.stderr.write(`packages/sdk/src/version.ts does not say ${version} (packages/sdk/package.json): run \`npm run sdk\` and commit the result.\n`);
    process.exit(1);
  }
} else if (current !== text) {
  fs.writeFileSync(target, text);
}
