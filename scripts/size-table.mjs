#!/usr/bin/env node
// Weighs each payload format in the .wasm: builds the library for wasm32 with one combination of
// cargo features at a time (as scripts/build-wasm.mjs builds the package: wasm-pack, release,
// `--no-default-features`, then binaryen's wasm-opt -O3), and writes the table of sizes (raw and
// gzip -9) and of each format's contribution into BENCHMARKS.md, between the size-table markers.
//   npm run size-table            # build every combination (several minutes), update BENCHMARKS.md
//   node scripts/size-table.mjs --print   # the same, printing the table instead
// A format's contribution is the build with it minus the build without it (tokens only), so the
// code two formats share is counted in each; the rows of the two packages are what ships.
// Builds go to target/size-table (its own cargo target dir: the package build is left alone).

import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { wasmOpt } from './wasm-opt.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const work = join(root, 'target', 'size-table');
const NAME = 'vneid_verify';

// [row, cargo features, what it adds (for the table)]. `base` is what every row adds to.
const BASE = { name: 'tokens only (JWT, VNeID token)', features: [] };
const FORMATS = [
  ['sd-jwt', 'SD-JWT VC (disclosures, key binding)'],
  ['shc', 'SMART Health Card (numeric QR, inflate, FHIR)'],
  ['vneid-document', 'VNeID document QR (base45, zlib, COSE, CWT, schemas)'],
  ['vneid-presentation', 'VNeID presentation (SD-JWT + COSE holder proof)'],
  ['eu-dcc', 'EU DCC (COSE, X.509 signers, revocation lists)'],
  ['vds-nc', 'ICAO VDS-NC (X.509 signer)'],
  ['cccd-qr', 'chip ID card QR (unsigned)'],
  ['x509', 'X.509 certificates in trust input'],
  ['rsa', 'RSA (PS256, RSA-signed certificates), on top of every format'],
];
const PACKAGES = [
  { name: '`vneid-verify/tokens`', features: ['sd-jwt'] },
  { name: '`vneid-verify` (default)', features: ['all-formats', 'rsa'] },
];

const built = new Map(); // id → sizes: a combination is built once
function build(features) {
  const id = features.length ? features.join('+') : 'base';
  if (built.has(id)) return built.get(id);
  const out = join(work, 'pkg', id);
  mkdirSync(out, { recursive: true });
  const args = ['build', '--target', 'web', '--release', '--no-typescript', '--no-pack', '--out-dir', out,
    '--out-name', NAME, '.', '--', '--package', 'vneid-verify', '--no-default-features',
    ...(features.length ? ['--features', features.join(',')] : [])];
  console.error(`size-table: ${id}`);
  const r = spawnSync('wasm-pack', args, {
    cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, CARGO_TARGET_DIR: join(work, 'cargo') },
  });
  if (r.status !== 0) throw new Error(`wasm-pack ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`})`);
  const optimised = join(out, 'o3.wasm');
  wasmOpt('-O3', join(out, `${NAME}_bg.wasm`), optimised);
  const bytes = readFileSync(optimised);
  const size = { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  built.set(id, size);
  return size;
}

const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const delta = (n) => `${n >= 0 ? '+' : '−'}${kib(Math.abs(n))}`;

const base = build(BASE.features);
const rows = [`| ${BASE.name} | — | ${kib(base.raw)} | ${kib(base.gzip)} | — |`];
const all = build(['all-formats']);
for (const [feature, what] of FORMATS) {
  // RSA is weighed on top of every format (what it adds to the default package).
  const [size, from] = feature === 'rsa' ? [build(['all-formats', 'rsa']), all] : [build([feature]), base];
  rows.push(`| ${what} | \`${feature}\` | ${kib(size.raw)} | ${kib(size.gzip)} | ${delta(size.gzip - from.gzip)} |`);
}
rows.push(`| every format, no RSA | \`all-formats\` | ${kib(all.raw)} | ${kib(all.gzip)} | ${delta(all.gzip - base.gzip)} |`);
for (const p of PACKAGES) {
  const size = build(p.features);
  rows.push(`| **${p.name}** | \`${p.features.join(', ')}\` | ${kib(size.raw)} | **${kib(size.gzip)}** | ${delta(size.gzip - base.gzip)} |`);
}

const rustc = spawnSync('rustc', ['--version'], { encoding: 'utf8' }).stdout.trim();
const table = `<!-- size-table:start (written by scripts/size-table.mjs: npm run size-table) -->
The .wasm per cargo feature set (wasm32, release, wasm-opt -O3; gzip -9), ${new Date().toISOString().slice(0, 10)}, ${rustc}.
"Adds" is the build with the feature minus the tokens-only build (RSA: minus \`all-formats\`), in gzip -9 bytes;
shared code (CBOR and COSE, X.509, inflate) counts in every format that uses it.

| Build | Cargo features | .wasm | gzip -9 | Adds (gzip) |
|---|---|---:|---:|---:|
${rows.join('\n')}
<!-- size-table:end -->`;

if (process.argv.includes('--print')) {
  console.log(table);
} else {
  const file = join(root, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf('<!-- size-table:start');
  const end = text.indexOf('<!-- size-table:end -->');
  if (start < 0 || end < 0) throw new Error('BENCHMARKS.md has no <!-- size-table:start --> … <!-- size-table:end --> markers');
  writeFileSync(file, text.slice(0, start) + table + text.slice(end + '<!-- size-table:end -->'.length));
  console.log(table);
  console.error('size-table: BENCHMARKS.md updated');
}
