#!/usr/bin/env node
// Every check of `npm test`, in order, one small step each; stops at the first failure.
//   node scripts/test-all.mjs              # all steps
//   node scripts/test-all.mjs node browser # only the named steps
// Tools are installed by scripts/ensure-tools.mjs (npm test runs it first).

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The cargo feature sets of the library checked on their own (clippy-features).
const FEATURE_SETS = ['', 'sd-jwt', 'shc', 'vneid-document', 'vneid-presentation', 'eu-dcc', 'vds-nc', 'cccd-qr', 'x509', 'rsa'];

const STEPS = [
  ['fmt', 'cargo', ['fmt', '--all', '--check']],
  ['clippy', 'cargo', ['clippy', '--workspace', '--all-targets', '--all-features', '--', '-D', 'warnings']],
  // The library as the WASM packages build it: `vneid-verify/tokens` (tokens and SD-JWT only),
  // and `vneid-verify` (every format and RSA). scripts/build-wasm.mjs lists both.
  ['clippy-wasm', 'cargo', ['clippy', '--package', 'vneid-verify', '--lib', '--target', 'wasm32-unknown-unknown', '--no-default-features', '--features', 'sd-jwt', '--', '-D', 'warnings']],
  ['clippy-wasm-rsa', 'cargo', ['clippy', '--package', 'vneid-verify', '--lib', '--target', 'wasm32-unknown-unknown', '--no-default-features', '--features', 'all-formats,rsa', '--', '-D', 'warnings']],
  // Every format feature alone, and none (JWT and VNeID token only): each combination the size
  // table (scripts/size-table.mjs) builds compiles, lint-free.
  ['clippy-features', process.execPath, ['-e', `
    const { spawnSync } = require('node:child_process');
    for (const f of ${JSON.stringify(FEATURE_SETS)}) {
      const args = ['clippy', '--package', 'vneid-verify', '--lib', '--no-default-features', ...(f ? ['--features', f] : []), '--', '-D', 'warnings'];
      console.log('clippy-features: ' + (f || '(none)'));
      const r = spawnSync('cargo', args, { stdio: 'inherit' });
      if (r.status !== 0) process.exit(r.status ?? 1);
    }`]],
  // The workspace (library and CLI) with every feature; then the library's own tests as the
  // default package builds it (every format; no signing, no RSA).
  ['rust', 'cargo', ['test', '--workspace', '--all-features']],
  ['rust-core', 'cargo', ['test', '--package', 'vneid-verify', '--no-default-features', '--features', 'all-formats', '--lib']],
  ['build', process.execPath, [join('scripts', 'build-wasm.mjs')]],
  ['demo', process.execPath, [join('scripts', 'build-demo.mjs')]],
  // The package in Node (tests/js) and the demo's DOM-free modules (tests/demo).
  ['node', process.execPath, ['--test', join('tests', 'js'), join('tests', 'demo')]],
  ['browser', process.execPath, ['--test', join('tests', 'browser')]],
  // The packed package built with every bundler and run in every runtime (tests/consumers).
  ['consumers', process.execPath, ['--test', join('tests', 'consumers')]],
  // The scanner build: the CLI for wasm32-wasip1, compared byte for byte with the native CLI.
  ['clippy-wasi', 'cargo', ['clippy', '--package', 'vneid-verify-cli', '--target', 'wasm32-wasip1', '--no-default-features', '--features', 'rsa', '--', '-D', 'warnings']],
  ['build-wasi', process.execPath, [join('scripts', 'build-wasi.mjs')]],
  ['wasi', process.execPath, ['--test', join('tests', 'wasi')]],
  // Every fuzz target over its committed corpus, then a fixed number of new inputs (FUZZING.md).
  ['fuzz', process.execPath, [join('scripts', 'fuzz.mjs'), '--ci']],
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !STEPS.some(([n]) => n === name));
if (unknown.length > 0) {
  console.error(`test-all: unknown step ${unknown.join(', ')}; steps: ${STEPS.map(([n]) => n).join(', ')}`);
  process.exit(2);
}

const started = Date.now();
for (const [name, cmd, args] of STEPS) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  console.log(`\n=== test-all: ${name}: ${cmd === process.execPath ? 'node' : cmd} ${args.join(' ')}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n=== test-all: FAILED at step "${name}" after ${secs}s (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
    process.exit(1);
  }
  console.log(`=== test-all: ${name} passed in ${secs}s`);
}
console.log(`\n=== test-all: all steps passed in ${((Date.now() - started) / 1000).toFixed(0)}s`);
