// The shipped TypeScript types, checked as users compile against them: the packed package in a
// fresh project, `tsc` with every module resolution (nodenext, bundler, the old node10), a
// browser lib without esnext.disposable, a service worker's lib, and Node's types with no DOM.
// Every subpath resolves (no TS2307), and each @ts-expect-error in the consumer files must be
// needed.

import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { ROOT, TOOLS, cleanUp, project } from './harness.mjs';

after(cleanUp);

// The compiler of the consumer tools, through its API: one process for every case, and each
// file (lib.dom.d.ts above all) parsed once.
const { default: ts } = await import(pathToFileURL(join(TOOLS, 'node_modules', 'typescript', 'lib', 'typescript.js')));
const parsed = new Map();

/** `tsc` with `options` over `files` in `dir`: the diagnostics, formatted as tsc prints them. */
function typeCheck(dir, options, files) {
  const { options: compilerOptions, errors } = ts.convertCompilerOptionsFromJson(options, dir);
  assert.deepEqual(errors, []);
  const host = ts.createCompilerHost(compilerOptions);
  host.getCurrentDirectory = () => dir;
  const read = host.getSourceFile;
  host.getSourceFile = (name, language, ...rest) => {
    const key = `${name}\0${JSON.stringify(language)}`;
    if (!parsed.has(key)) parsed.set(key, read.call(host, name, language, ...rest));
    return parsed.get(key);
  };
  const program = ts.createProgram(files.map((f) => join(dir, f)), compilerOptions, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.formatDiagnostic(d, { ...host, getNewLine: () => '\n', getCanonicalFileName: (f) => f }).trim());
}

const CONSUMER = join(ROOT, 'tests', 'js', 'consumer');
const base = { target: 'es2022', strict: true, noEmit: true, skipLibCheck: false, noUnusedLocals: true, types: [] };

const CASES = [
  ['nodenext, a browser lib without esnext.disposable', { module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022', 'dom'] }, ['usage.ts', 'entries.ts']],
  ['bundler, with esnext.disposable and `using`', { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'dom', 'esnext.disposable'] }, ['usage.ts', 'entries.ts', 'dispose.ts']],
  ['node10 (no exports map)', { module: 'esnext', moduleResolution: 'node10', lib: ['es2022', 'dom'] }, ['usage.ts', 'entries.ts']],
  ['a service worker (lib webworker)', { module: 'esnext', moduleResolution: 'bundler', lib: ['es2022', 'webworker'] }, ['service-worker.ts', 'entries.ts']],
  ['Node: @types/node, no DOM', { module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022'], types: ['node'] }, ['node.ts', 'entries.ts']],
];

describe('TypeScript against the packed package', () => {
  let dir;
  test('installs', () => {
    dir = project('typescript');
    cpSync(CONSUMER, dir, { recursive: true });
  });

  for (const [name, options, files] of CASES) {
    test(name, () => {
      assert.deepEqual(typeCheck(dir, { ...base, ...options }, files), []);
    });
  }
});
