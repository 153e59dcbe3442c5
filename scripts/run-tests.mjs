#!/usr/bin/env node
// Runs every test/**/*.test.ts with node's test runner. Node 20 runs nothing when given a directory,
// so the files are listed explicitly. Extra arguments (file paths or substrings) narrow the run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : walk(p);
    return e.name.endsWith('.test.ts') ? [p] : [];
  });
}
const filters = process.argv.slice(2);
let files = walk(path.join(root, 'test')).sort();
// test/package installs the packed tarball (minutes: npm compiles better-sqlite3): only when asked for by name.
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
else files = files.filter((f) => !f.startsWith(path.join(root, 'test', 'package') + path.sep));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const db = process.env.KEYHOLD_TEST_DATABASE_URL ? 'postgresql' : 'sqlite';
console.log(`running ${files.length} test files against ${db}`);
// Node 20 counts a whole file as one test under --test-timeout: files that spawn many CLI processes
// need minutes on a loaded 2-core machine. --test-force-exit: a file whose tests are done exits even if
// a failed test left something running (a timed-out test's loop, a child's pipe), instead of hanging CI.
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-timeout=600000', '--test-force-exit', ...files.map((f) => path.relative(root, f))], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
