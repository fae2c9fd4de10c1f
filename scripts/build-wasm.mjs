#!/usr/bin/env node
// Builds the npm package `vneid-verify` into pkg/:
//   1. wasm-pack (target web, release, the library with --no-default-features: no signing code; with
//      --rsa, the rsa feature too);
//   2. binaryen's wasm-opt -O3 from the npm package (wasm-pack's own download fails offline);
//   3. a Node entry (node.js) that instantiates the .wasm from disk, so Node users need no init;
//   4. package.json with conditional exports: browsers and bundlers get the web glue, Node the
//      Node entry, TypeScript the generated .d.ts.
// Prints the .wasm size, raw and gzipped.

import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { wasmOpt } from './wasm-opt.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(root, 'pkg');
const NAME = 'vneid_verify';
const wasmFile = join(pkgDir, `${NAME}_bg.wasm`);


function step(what, cmd, args) {
  console.log(`build-wasm: ${what}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    console.error(`build-wasm: FAILED: ${cmd} ${args.join(' ')} (${r.error?.message ?? `exit ${r.status}`})`);
    process.exit(1);
  }
}

// `--rsa`: also PS256 and RSA-signed certificates (Vietnam's own EU DCC signing certificates,
// Australia's VDS-NC chain), for 95 KB more .wasm (37 KB gzipped; see BENCHMARKS.md).
const features = process.argv.includes('--rsa') ? ['--features', 'rsa'] : [];
step(`wasm-pack build${features.length ? ' (with rsa)' : ''}`, 'wasm-pack', [
  'build', '--target', 'web', '--release', '--out-dir', 'pkg', '--out-name', NAME, '.',
  '--', '--no-default-features', ...features,
]);

const before = statSync(wasmFile).size;
console.log('build-wasm: wasm-opt -O3');
try {
  wasmOpt('-O3', wasmFile, wasmFile);
} catch (e) {
  console.error(`build-wasm: FAILED: ${e.message}`);
  process.exit(1);
}

// Node: read the .wasm beside this file and instantiate it synchronously, once, at import.
// `init()` and `initSync()` then return at once, so code written for the browser runs unchanged.
writeFileSync(
  join(pkgDir, 'node.js'),
  `// Node entry: instantiates the WebAssembly module from disk at import; no init() needed.
import { readFileSync } from 'node:fs';
import init, { initSync } from './${NAME}.js';

initSync({ module: readFileSync(new URL('./${NAME}_bg.wasm', import.meta.url)) });

export * from './${NAME}.js';
export default init;
`,
);

const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, 'm'))?.[1];
const manifest = {
  name: 'vneid-verify',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  keywords: ['vneid', 'jwt', 'es256', 'qr', 'verify', 'offline', 'wasm'],
  type: 'module',
  files: [`${NAME}_bg.wasm`, `${NAME}.js`, `${NAME}.d.ts`, `${NAME}_bg.wasm.d.ts`, 'node.js'],
  main: `./${NAME}.js`,
  module: `./${NAME}.js`,
  types: `./${NAME}.d.ts`,
  exports: {
    '.': {
      types: `./${NAME}.d.ts`,
      node: './node.js',
      default: `./${NAME}.js`,
    },
    [`./${NAME}_bg.wasm`]: `./${NAME}_bg.wasm`,
    './package.json': './package.json',
  },
  sideEffects: ['./node.js'],
  engines: { node: '>=20' },
};
writeFileSync(join(pkgDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(join(root, 'README.md'), join(pkgDir, 'README.md'));

const wasm = readFileSync(wasmFile);
const gz = gzipSync(wasm, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `build-wasm: pkg/${NAME}_bg.wasm ${wasm.length} bytes (${kib(wasm.length)}), ` +
    `gzip -9 ${gz} bytes (${kib(gz)}); before wasm-opt ${before} bytes`,
);
