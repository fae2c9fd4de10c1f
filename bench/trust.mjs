#!/usr/bin/env node
// Signed trust bundles in WebAssembly (Node): the time to build a Verifier from a signed bundle of
// 100 issuers, and from one carrying a 1,000,000-entry status list (root signatures, JSON, keys,
// the list's signature, inflate). Memory is measured natively (the example counts allocations). The bundles are the ones the native benchmark
// writes (`cargo run --release --example bench_trust --features issuer` writes target/bench-trust/);
// run that first.
//
//   node bench/trust.mjs

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIR = join(ROOT, 'target', 'bench-trust');
const PKG = join(ROOT, 'pkg', 'node.js');
for (const needed of [PKG, join(DIR, 'roots.json')]) {
  if (!existsSync(needed)) {
    console.error(`bench/trust: ${needed} is missing: run "npm run build" and the bench_trust example first`);
    process.exit(1);
  }
}
const { Verifier } = await import(PKG);
const trustRoots = readFileSync(join(DIR, 'roots.json'), 'utf8');
// Inside the bundles' validity (issued 1 789 913 600, expires 30 days later).
const currentDate = new Date(1_790_000_000 * 1000);

function time(f, minMs = 1500) {
  f();
  const rounds = [];
  for (let r = 0; r < 5; r += 1) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < minMs / 5) {
      f();
      n += 1;
    }
    rounds.push(((performance.now() - start) * 1000) / n);
  }
  return rounds.sort((a, b) => a - b)[2];
}

for (const [name, file] of [
  ['100 issuers (200 keys)', 'bundle-100-issuers.json'],
  ['a 1,000,000-entry status list', 'bundle-status-list-1m.json'],
]) {
  const bundle = readFileSync(join(DIR, file), 'utf8');
  const us = time(() => new Verifier(bundle, { trustRoots, currentDate }).free());
  const kept = new Verifier(bundle, { trustRoots, currentDate });
  const info = kept.trustBundle();
  console.log(
    `signed bundle with ${name}: ${(bundle.length / 1024).toFixed(1)} KiB, ` +
      `gzipped ${(gzipSync(bundle, { level: 9 }).length / 1024).toFixed(1)} KiB, ` +
      `new Verifier ${(us / 1000).toFixed(2)} ms (version ${info.version})`,
  );
  kept.free();
}
