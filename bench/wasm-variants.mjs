#!/usr/bin/env node
// Size and speed of the .wasm under different optimisation settings: rustc opt-level (2, 3, s,
// z) × binaryen wasm-opt (none, -O3, -Oz). Speed is the best process-CPU µs per
// Verifier.verify of one ES256 VNeID token, over interleaved rounds. Slow (a release build per
// opt-level, in target/variants/); not part of npm test or npm run bench.
//
//   node bench/wasm-variants.mjs

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { SignJWT, exportJWK, generateKeyPair } from 'jose';

import { wasmOpt } from '../scripts/wasm-opt.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'vneid-variants-'));

function run(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed`);
}

const variants = [];
for (const level of ['3', '2', 's', 'z']) {
  const out = join(work, `pkg-${level}`);
  console.log(`wasm-variants: building opt-level ${level}…`);
  run('wasm-pack', ['build', '--target', 'web', '--release', '--out-dir', out, '--out-name', 'vneid_verify', '.', '--', '--no-default-features'], {
    CARGO_PROFILE_RELEASE_OPT_LEVEL: level,
    CARGO_TARGET_DIR: join(ROOT, 'target', 'variants'),
  });
  const raw = join(out, 'vneid_verify_bg.wasm');
  const plain = join(work, `o${level}-none.wasm`);
  copyFileSync(raw, plain);
  variants.push({ name: `opt-level ${level}, no wasm-opt`, file: plain, glue: join(out, 'vneid_verify.js') });
  for (const opt of ['-O3', '-Oz']) {
    const file = join(work, `o${level}${opt}.wasm`);
    wasmOpt(opt, raw, file);
    variants.push({ name: `opt-level ${level}, wasm-opt ${opt}`, file, glue: join(out, 'vneid_verify.js') });
  }
}

const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: 'k' };
const now = Math.floor(Date.now() / 1000);
const token = await new SignJWT({ iss: 'https://i', sub: '001090001234', aud: 'a', acr: 'urn:vneid:level:2', iat: now, exp: now + 3600 })
  .setProtectedHeader({ alg: 'ES256', kid: 'k' }).sign(privateKey);

for (const [i, v] of variants.entries()) {
  const glue = await import(`${v.glue}?variant=${i}`);
  glue.initSync({ module: readFileSync(v.file) });
  v.verifier = new glue.Verifier({ issuers: [{ iss: 'https://i', keys: [jwk] }] }, { audience: 'a' });
  if (!v.verifier.verify(token).valid) throw new Error(`${v.name}: does not verify`);
  const bytes = readFileSync(v.file);
  v.raw = bytes.length;
  v.gzip = gzipSync(bytes, { level: 9 }).length;
  v.best = Infinity;
}
for (let round = 0; round < 15; round += 1) {
  for (const v of variants) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < 100; i += 1) v.verifier.verify(token);
    const c = process.cpuUsage(c0);
    v.best = Math.min(v.best, (c.user + c.system) / 100);
  }
}
console.log('\n| build | raw bytes | gzip -9 bytes | µs/verify (best CPU) |\n| --- | ---: | ---: | ---: |');
for (const v of variants) console.log(`| ${v.name} | ${v.raw} | ${v.gzip} | ${v.best.toFixed(0)} |`);
rmSync(work, { recursive: true, force: true });
