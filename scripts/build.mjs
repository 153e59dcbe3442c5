#!/usr/bin/env node
// `npm run build`: compiles src/ to dist/ with tsc, then copies the files tsc does not emit (plain
// .mjs run as they are, such as the SQLite checkpoint worker). `tsc -b` checks its outputs, so a
// second build with nothing changed takes a moment, and a deleted dist/ is rebuilt in full.
// Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const src = path.join(root, 'src');
const dist = path.join(root, 'dist');

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
// The CLI's remote mode imports @keyhold/sdk (a workspace package): its dist/ comes first.
const sdk = spawnSync('npm', ['run', '-s', 'build', '-w', '@keyhold/sdk'], { cwd: root, stdio: 'inherit' });
if (sdk.status !== 0) process.exit(sdk.status ?? 1);
const r = spawnSync(process.execPath, [tsc, '-b', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
if (r.status !== 0) process.exit(r.status ?? 1);

function copyAssets(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const from = path.join(dir, e.name);
    if (e.isDirectory()) copyAssets(from);
    else if (!e.name.endsWith('.ts')) {
      const to = path.join(dist, path.relative(src, from));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
    }
  }
}
copyAssets(src);
// …and its compiled JavaScript ships in dist/sdk, where package.json's "#sdk" import points (types: packages/sdk/dist).
const sdkDist = path.join(root, 'packages', 'sdk', 'dist');
fs.mkdirSync(path.join(dist, 'sdk'), { recursive: true });
for (const f of fs.readdirSync(sdkDist)) if (f.endsWith('.js')) fs.copyFileSync(path.join(sdkDist, f), path.join(dist, 'sdk', f));
