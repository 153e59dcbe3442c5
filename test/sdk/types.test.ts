import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const FILE = path.join(path.dirname(new URL(import.meta.url).pathname), 'client-types.ts');
const STRIPPED = FILE.replace(/\.ts$/, '.stripped.ts');
const OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  skipLibCheck: true,
  types: [],
};

/** The diagnostics of one file compiled alone, its text given (so the stripped copy need not be on disk). */
function diagnostics(file: string, text: string, old?: ts.Program): { program: ts.Program; lines: number[]; messages: string[] } {
  const host = ts.createCompilerHost(OPTIONS);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (path.resolve(f) === file ? text : read(f));
  host.fileExists = (
    (exists) => (f: string) =>
      path.resolve(f) === file || exists(f)
  )(host.fileExists.bind(host));
  const program = ts.createProgram({ rootNames: [file], options: OPTIONS, host, oldProgram: old });
  const found = ts.getPreEmitDiagnostics(program).filter((d) => d.file && path.resolve(d.file.fileName) === file);
  const all = ts.getPreEmitDiagnostics(program);
  assert.equal(
    all.length,
    found.length,
    `errors outside ${path.basename(file)}: ${all.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')).join(' | ')}`,
  );
  return {
    program,
    lines: found.map((d) => d.file!.getLineAndCharacterOfPosition(d.start ?? 0).line),
    messages: found.map((d) => ts.flattenDiagnosticMessageText(d.messageText, ' ')),
  };
}

describe('the SDK types', () => {
  it('refuse wrong field names: each @ts-expect-error line of client-types.ts fails once its directive is removed', () => {
    const text = fs.readFileSync(FILE, 'utf8');
    const clean = diagnostics(FILE, text);
    assert.deepEqual(clean.messages, [], 'client-types.ts compiles (every @ts-expect-error has its error)');

    // The copy: each directive line blanked (so line numbers stay), its next line now expected to fail.
    const lines = text.split('\n');
    const expected: number[] = [];
    const stripped = lines.map((line, i) => {
      if (!line.trim().startsWith('// @ts-expect-error')) return line;
      expected.push(i + 1);
      return '';
    });
    assert.ok(expected.length >= 10, `only ${expected.length} @ts-expect-error lines`);
    const broken = diagnostics(STRIPPED, stripped.join('\n'), clean.program);
    assert.deepEqual(
      [...new Set(broken.lines)].sort((a, b) => a - b),
      expected,
      broken.messages.join('\n'),
    );
    // The errors name what is wrong, e.g. the misspelt field.
    assert.ok(
      broken.messages.some((m) => /'project' does not exist/.test(m)),
      broken.messages.join('\n'),
    );
    assert.ok(
      broken.messages.some((m) => /'secrett' does not exist/.test(m)),
      broken.messages.join('\n'),
    );
  });
});
