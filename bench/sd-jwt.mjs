#!/usr/bin/env node
// SD-JWT + key binding, side by side: microseconds per presentation verified (issuer signature,
// disclosures, the key-binding JWT with its holder key, its nonce and sd_hash) by
//   - vneid-verify in WebAssembly (pkg/, in Node), a per-call nonce as a two-way counter gives it;
//   - the native CLI, every presentation on one standard input (process start included);
//   - OpenWallet's @sd-jwt/sd-jwt-vc (0.19) in Node, its signatures checked by
//     @sd-jwt/crypto-nodejs (node:crypto), the nonce given per call;
// and the compact VNP1: form of a VNeID presentation in WebAssembly (no peer has it); interleaved
// rounds, wall-clock and CPU time per presentation (CPU is what to compare on a shared machine).
//
// The presentation is RFC 9901's `arf-pid` example (an SD-JWT VC, `dc+sd-jwt`, 4 disclosures)
// from ../shared/vectors/sd-jwt, with a fresh KB-JWT for every call (a verifier remembers each
// proof it accepts, so a repeated one would be a replay): the holder key of settings.yml signs
// N of them beforehand, each with its own nonce.
//
//   node bench/sd-jwt.mjs           (after npm run build and cargo build --release; npm run bench runs it)
//   node bench/sd-jwt.mjs --write   # also record the table in BENCHMARKS.md

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ES256, digest } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';

import { recordSection } from './record.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const VECTORS = join(ROOT, '..', 'shared', 'vectors', 'sd-jwt');
const PKG = join(ROOT, 'pkg', 'node.js');
const CLI = join(ROOT, 'target', 'release', 'vneid-verify');
for (const needed of [PKG, CLI, join(VECTORS, 'settings.yml')]) {
  if (!existsSync(needed)) {
    console.error(`bench/sd-jwt: ${needed} is missing (npm run build; cargo build --release; ../shared/vectors)`);
    process.exit(1);
  }
}
const { Verifier } = await import(PKG);
const { issueCompact, presentCompact } = await import(join(ROOT, 'www-demo', 'lib', 'wallet.js'));

const N = Number(process.env.SD_JWT_N ?? 1000);
const ROUNDS = 5;
const AUDIENCE = 'https://verifier.example.org';
const KB_IAT = 1_796_412_073;
const NOW = KB_IAT + 10;

const settings = readFileSync(join(VECTORS, 'settings.yml'), 'utf8');
const keyOf = (block) => {
  const text = settings.slice(settings.indexOf(`${block}:`));
  const field = (name) => text.match(new RegExp(`\\n\\s+${name}: (\\S+)`))[1];
  return { kty: 'EC', crv: 'P-256', x: field('x'), y: field('y'), d: field('d') };
};
const issuerJwk = keyOf('issuer_key');
const holderJwk = keyOf('holder_key');
const publicOf = ({ kty, crv, x, y }) => ({ kty, crv, x, y });
const b64 = (bytes) => Buffer.from(bytes).toString('base64url');
const ISS = JSON.parse(readFileSync(join(VECTORS, 'arf-pid', 'sd_jwt_payload.json'), 'utf8')).iss;
const trust = { issuers: [{ iss: ISS, keys: [publicOf(issuerJwk)] }] };

// The example's SD-JWT part, and a KB-JWT per nonce, signed with node:crypto.
const example = readFileSync(join(VECTORS, 'arf-pid', 'sd_jwt_presentation.txt'), 'utf8').trim();
const sdJwt = example.slice(0, example.lastIndexOf('~') + 1);
const es256 = (key, input) => b64(sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }));
const issuerKey = createPrivateKey({ key: issuerJwk, format: 'jwk' });
const rfcHolderKey = createPrivateKey({ key: holderJwk, format: 'jwk' });
const nonces = Array.from({ length: N }, (_, i) => `nonce-${i}`);
function withKb(presented, holderKey, nonce) {
  const sdHash = b64(createHash('sha256').update(presented, 'ascii').digest());
  const input = `${b64(JSON.stringify({ alg: 'ES256', typ: 'kb+jwt' }))}.${b64(JSON.stringify({ iat: KB_IAT, aud: AUDIENCE, nonce, sd_hash: sdHash }))}`;
  return `${presented}${input}.${es256(holderKey, input)}`;
}
// (a) The RFC example as published: one holder key (its cnf) for every presentation.
const oneHolder = nonces.map((nonce) => withKb(sdJwt, rfcHolderKey, nonce));
// (b) What a bank counter sees: each presentation from another holder. The example's issuer JWT
// is re-signed (the issuer key of settings.yml) with a fresh holder key in its cnf, the same
// disclosures; so the issuer key repeats and the holder key never does.
const [issuerJwt, ...disclosures] = sdJwt.split('~');
const [head, body] = issuerJwt.split('.');
const examplePayload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
const holders = nonces.map(() => generateKeyPairSync('ec', { namedCurve: 'P-256' }));
const presentations = nonces.map((nonce, i) => {
  const payload = { ...examplePayload, cnf: { jwk: holders[i].publicKey.export({ format: 'jwk' }) } };
  const input = `${head}.${b64(JSON.stringify(payload))}`;
  return withKb(`${input}.${es256(issuerKey, input)}~${disclosures.join('~')}`, holders[i].privateKey, nonce);
});

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

/** One JS contender: `setup()` before each round, then `body(ctx, i)` for i in 0..N. */
function contender(name, setup, body) {
  return { name, setup, body, wall: [], cpu: [] };
}
/** One round of a JS contender: wall-clock and process CPU µs per call. */
async function round(c) {
  const ctx = c.setup();
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i += 1) await c.body(ctx, i);
  const wall = Number(process.hrtime.bigint() - t0) / 1000 / N;
  const cpu = process.cpuUsage(c0);
  c.wall.push(wall);
  c.cpu.push((cpu.user + cpu.system) / N);
}

// 1. WebAssembly, a per-call nonce as a two-way counter gives it. A new Verifier each round:
// its replay cache would refuse the previous round's proofs.
const currentDate = new Date(NOW * 1000);
const check = new Verifier(trust, { audience: AUDIENCE, holderBinding: 'required', currentDate })
  .verify(presentations[0], { nonce: nonces[0] });
if (!check.valid) throw new Error(`vneid-verify refused the presentation: ${check.code} ${check.message}`);
const wasmOn = (list, name) => contender(name,
  () => new Verifier(trust, { audience: AUDIENCE, holderBinding: 'required', currentDate }),
  (verifier, i) => {
    const verdict = verifier.verify(list[i], { nonce: nonces[i] });
    if (!verdict.valid) throw new Error(`refused: ${verdict.code} ${verdict.message}`);
  });
const wasm = wasmOn(presentations, 'vneid-verify, WASM (Node), SD-JWT+KB, a new holder each');
const wasmOne = wasmOn(oneHolder, 'vneid-verify, WASM (Node), SD-JWT+KB, one holder (the RFC example)');

// 2. @sd-jwt/sd-jwt-vc, given the issuer's public key directly (no trust lookup by iss and kid);
// the holder's key from the credential's cnf, imported per presentation by the library's own
// ES256.getVerifier (or, for the RFC example's one holder, imported once).
const peerOf = async (kbVerifier) => new SDJwtVcInstance({
  hasher: digest, verifier: await ES256.getVerifier(publicOf(issuerJwk)), kbVerifier,
});
const peerEach = await peerOf(async (data, sig, payload) => (await ES256.getVerifier(payload.cnf.jwk))(data, sig));
const peerOneInstance = await peerOf(await ES256.getVerifier(publicOf(holderJwk)));
for (const [instance, list] of [[peerEach, presentations], [peerOneInstance, oneHolder]]) {
  await instance.verify(list[0], { keyBindingNonce: nonces[0], currentDate: NOW });
  await assert.rejects(instance.verify(list[0], { keyBindingNonce: 'other', currentDate: NOW }));
}
await assert.rejects(peerEach.verify(withKb(presentations[0].replace(/[^~]*$/, ''), holders[1].privateKey, nonces[0]), { keyBindingNonce: nonces[0], currentDate: NOW }));
const peerOn = (instance, list, name) => contender(name,
  () => instance,
  (peer, i) => peer.verify(list[i], { keyBindingNonce: nonces[i], currentDate: NOW }));
const peer = peerOn(peerEach, presentations, '@sd-jwt/sd-jwt-vc 0.19 (Node, node:crypto), SD-JWT+KB, a new holder each');
const peerOne = peerOn(peerOneInstance, oneHolder, '@sd-jwt/sd-jwt-vc 0.19 (Node, node:crypto), SD-JWT+KB, one holder (the RFC example)');

// 3. The compact form of a typical VNeID presentation (name, birth date, ID number), WASM, each
// from another holder.
const compactTrust = { issuers: [{ iss: ISS, keys: [{ ...publicOf(issuerJwk), kid: 'vn-2026a' }] }] };
const qrs = [];
for (const [i, nonce] of nonces.entries()) {
  const holder = holders[i].privateKey.export({ format: 'jwk' });
  const compact = await issueCompact({
    issuerJwk: { ...issuerJwk, kid: 'vn-2026a' },
    claims: { iss: ISS, iat: NOW - 3600, exp: NOW + 86_400, vct: 'urn:vneid:identity:1', acr: 'urn:vneid:level:2', sub: '001199001234', name: 'Nguyễn Thị Minh Khai', birthdate: '1999-03-15', gender: 'female' },
    disclosable: ['sub', 'name', 'birthdate', 'gender'],
    holderJwk: publicOf(holder),
  });
  qrs.push(await presentCompact(compact, { disclose: ['name', 'birthdate', 'sub'], holderJwk: holder, audience: AUDIENCE, nonce, iat: NOW }));
}
const vnp1 = contender('vneid-verify, WASM (Node), a VNeID presentation as VNP1: (compact), a new holder each',
  () => new Verifier(compactTrust, { audience: AUDIENCE, holderBinding: 'required', currentDate }),
  (verifier, i) => {
    if (!verifier.verify(qrs[i], { nonce: nonces[i] }).valid) throw new Error('refused');
  });

// 4. Native CLI: all N on standard input, one process (no per-call nonce on the command line:
// each proof's own nonce is accepted once, as a one-way counter does); bash's `times` gives the
// child's CPU time.
const dir = mkdtempSync(join(tmpdir(), 'vneid-sdjwt-bench-'));
writeFileSync(join(dir, 'trust.json'), JSON.stringify(trust));
writeFileSync(join(dir, 'in.txt'), `${presentations.join('\n')}\n`);
const native = { name: `vneid-verify, native CLI, ${N} SD-JWT+KB on stdin (process start included), a new holder each`, wall: [], cpu: [] };
function cliRound() {
  const script = `"${CLI}" verify --trust trust.json --audience ${AUDIENCE} --holder-binding required --at ${NOW} < in.txt > out.txt; s=$?; times; exit $s`;
  const t0 = process.hrtime.bigint();
  const out = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - t0) / 1000 / N;
  const lines = readFileSync(join(dir, 'out.txt'), 'utf8').split('\n').filter(Boolean);
  if (out.status !== 0 || lines.length !== N || !lines.every((l) => l.startsWith('{"valid":true'))) {
    throw new Error(`the CLI refused a presentation: status ${out.status}, ${lines.find((l) => !l.startsWith('{"valid":true'))} ${out.stderr}`);
  }
  const [, children] = out.stdout.trim().split('\n');
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, [, m, sec]) => sum + Number(m) * 60 + Number(sec), 0);
  native.wall.push(wall);
  native.cpu.push((secs * 1e6) / N);
}

console.log(`bench/sd-jwt: ${N} presentations per round, ${ROUNDS} interleaved rounds (load average ${load()})…`);
const js = [wasm, wasmOne, peer, peerOne, vnp1];
for (const c of js) await round(c); // warm-up, not counted
for (const c of js) { c.wall.length = 0; c.cpu.length = 0; }
for (let r = 0; r < ROUNDS; r += 1) {
  for (const c of js) await round(c);
  cliRound();
}
rmSync(dir, { recursive: true, force: true });

const rows = [wasm, native, peer, vnp1, wasmOne, peerOne].map((c) => ({ name: c.name, wall: median(c.wall), cpu: median(c.cpu) }));
const peerCpu = median(peer.cpu);
const peerOneCpu = median(peerOne.cpu);
const cpuModel = cpus()[0]?.model ?? 'unknown CPU';
const report = [
  `Measured ${new Date().toISOString().slice(0, 10)} on: ${cpuModel}, ${cpus().length} cores; Node ${process.version}; RFC 9901 \`arf-pid\` with a KB-JWT (${presentations[0].length} characters), ${N} presentations per round, median of ${ROUNDS} interleaved rounds; load average ${load()} at the end.`,
  '',
  '| verifier | µs per presentation (wall) | µs per presentation (CPU) | CPU vs @sd-jwt/sd-jwt-vc (same holders) |',
  '| --- | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.name} | ${r.wall.toFixed(1)} | ${r.cpu.toFixed(1)} | ${(r.cpu / (r.name.includes('one holder') ? peerOneCpu : peerCpu)).toFixed(2)}× |`),
].join('\n');
console.log(`\n${report}\n`);

if (process.argv.includes('--write')) {
  recordSection('sd-jwt', report);
  console.log('bench/sd-jwt: results written to BENCHMARKS.md');
}
