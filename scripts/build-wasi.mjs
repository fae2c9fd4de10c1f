#!/usr/bin/env node
// Builds the command-line tool for WASI (wasm32-wasip1) into dist-wasi/vneid-verify.wasm: the
// scanner build. Same core and same code paths as the native CLI (verify, scan), without the
// signing code (the `vneid-verify-cli` crate with `--no-default-features --features rsa`: no
// `issuer`).
//   1. cargo build --release --target wasm32-wasip1 (adds the Rust target first when missing);
//   2. binaryen's wasm-opt -O3 from the npm package (installed by npm ci; missing is an error).
// Prints the size, raw and gzipped. Run it under Node (tests/wasi), wasmtime or WAMR: see the
// README, "Scanners".

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { wasmOpt } from './wasm-opt.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET = 'wasm32-wasip1';
const FEATURES = 'rsa';
const outDir = join(root, 'dist-wasi');
const outFile = join(outDir, 'vneid-verify.wasm');
const built = join(root, 'target', TARGET, 'release', 'vneid-verify.wasm');


function run(what, cmd, args, { capture = false } = {}) {
  if (!capture) console.log(`build-wasi: ${what}`);
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    console.error(`build-wasi: FAILED: ${cmd} ${args.join(' ')} (${r.error?.message ?? `exit ${r.status}`})`);
    process.exit(1);
  }
  return r.stdout;
}

const targets = run('', 'rustup', ['target', 'list', '--installed'], { capture: true });
if (!targets.split('\n').includes(TARGET)) {
  run(`adding the Rust target ${TARGET}`, 'rustup', ['target', 'add', TARGET]);
}

run(`cargo build (${TARGET}, features ${FEATURES})`, 'cargo', [
  'build', '--release', '--quiet', '--target', TARGET, '--package', 'vneid-verify-cli',
  '--no-default-features', '--features', FEATURES, '--bin', 'vneid-verify',
]);
mkdirSync(outDir, { recursive: true });
const before = statSync(built).size;
console.log('build-wasi: wasm-opt -O3');
try {
  wasmOpt('-O3', built, outFile);
} catch (e) {
  console.error(`build-wasi: FAILED: ${e.message}`);
  process.exit(1);
}

const wasm = readFileSync(outFile);
const gz = gzipSync(wasm, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `build-wasi: dist-wasi/vneid-verify.wasm ${wasm.length} bytes (${kib(wasm.length)}), ` +
    `gzip -9 ${gz} bytes (${kib(gz)}); before wasm-opt ${before} bytes`,
);
