#!/usr/bin/env node
// Per-format cost of the document QR formats in WebAssembly (Node): the whole pipeline of
// Verifier.verify — detect, decode (numeric QR, chunks, base64url, inflate, strict JSON, JCS,
// X.509), key selection and the signature — against two floors: a minimal ES256 JWT through the
// same WASM Verifier (≈ the bare signature check inside WASM), and the bare ES256 verification of
// the same signature over the same bytes with @noble/curves in JavaScript.
//
// Reads the public vectors in ../shared/vectors (fails when one is missing) and the package built
// into pkg/ (`npm run build`). Run after bench/bench.mjs, or alone:
//
//   node bench/formats.mjs

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { p256 } from '@noble/curves/nist.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const VECTORS = join(ROOT, '..', 'shared', 'vectors');
const PKG = join(ROOT, 'pkg', 'node.js');
if (!existsSync(PKG)) {
  console.error('bench/formats: pkg/node.js is missing: run "npm run build" first');
  process.exit(1);
}
const { Verifier } = await import(PKG);

function vector(relative) {
  const path = join(VECTORS, relative);
  if (!existsSync(path)) {
    console.error(`bench/formats: conformance vector ${path} is missing`);
    process.exit(1);
  }
  return readFileSync(path, 'utf8');
}

const ROUNDS = 7;
const MIN_ROUND_MS = 250;
// Inside every vector's validity: the SHC examples (2023-06-22…, 03 to 2024-06-21) and the UTO
// and AU signer certificates.
const currentDate = new Date(1_700_000_000 * 1000);
const b64url = (s) => Buffer.from(s, 'base64url');

// ---- SMART Health Cards -----------------------------------------------------------------------
const SHC_ISS = 'https://spec.smarthealth.cards/examples/issuer';
const jwks = JSON.parse(vector('shc/examples/issuer/.well-known/jwks.json'));
const shcVerifier = new Verifier({ iss: SHC_ISS, keys: jwks.keys }, { currentDate });
const shcKeys = Object.fromEntries(jwks.keys.map((k) => [k.kid, new Uint8Array([4, ...b64url(k.x), ...b64url(k.y)])]));
const shc = (n) => ({
  jws: vector(`shc/examples/example-${n}-d-jws.txt`).trim(),
  qr: [0, 1, 2]
    .filter((k) => k === 0 || n === '02')
    .map((k) => vector(`shc/examples/example-${n}-f-qr-code-numeric-value-${k}.txt`).trim())
    .join('\n'),
  file: vector(`shc/examples/example-${n}-e-file.smart-health-card`),
});
/** The bare check of a compact JWS: split, base64url, header JSON for the kid, p256.verify. */
function bareJws(jws) {
  const [h, p, s] = jws.split('.');
  const { kid } = JSON.parse(b64url(h).toString('utf8'));
  return p256.verify(b64url(s), new TextEncoder().encode(`${h}.${p}`), shcKeys[kid], { prehash: true, lowS: false });
}

// ---- VDS-NC -----------------------------------------------------------------------------------
const seals = JSON.parse(vector('vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json'));
const [uto, aus] = seals;
const toBase64 = (b64urlText) => b64url(b64urlText.replace(/=+$/, '')).toString('base64');
// The UTO signer's own CA is not published: pin its certificate (P-256, no chain to check).
const utoVerifier = new Verifier({ anchors: [toBase64(uto.sig.cer)] }, { currentDate });
const auVerifier = new Verifier({ anchors: [vector('vds-nc/au-root/csca_au_rs4096.cer')] }, { currentDate });
/** RFC 8785 for the seal's data (objects, arrays, strings, small integers): ECMAScript's own
 * JSON.stringify gives the number and string forms; members sorted by UTF-16 code units. */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const names = Object.keys(value).sort();
    return `{${names.map((n) => `${JSON.stringify(n)}:${canonical(value[n])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
/** The x/y of the P-256 key in a DER certificate: the 65 bytes after the SPKI's BIT STRING. */
function certificateKey(der) {
  const prefix = Buffer.from('3059301306072a8648ce3d020106082a8648ce3d030107034200', 'hex');
  const at = der.indexOf(prefix);
  if (at < 0) throw new Error('no P-256 SPKI in the certificate');
  return new Uint8Array(der.subarray(at + prefix.length, at + prefix.length + 65));
}
/** The bare check of a seal: canonical data, base64url signature and key, p256.verify. */
function bareSeal(seal) {
  const key = certificateKey(b64url(seal.sig.cer.replace(/=+$/, '')));
  return p256.verify(b64url(seal.sig.sigvl.replace(/=+$/, '')), new TextEncoder().encode(canonical(seal.data)), key, { prehash: true, lowS: false });
}

// ---- The in-WASM floor: a minimal ES256 JWT through the same Verifier -------------------------
// Signed here with WebCrypto (whose ECDSA signatures are r‖s, as JWS wants): its verification is
// the WASM's bare signature check plus the least parsing any JWS needs.
const FLOOR_ISS = 'https://floor.bench.example';
const floorKey = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
const floorJwk = { ...(await crypto.subtle.exportKey('jwk', floorKey.publicKey)), kid: 'floor' };
delete floorJwk.key_ops;
delete floorJwk.ext;
const floorToken = await (async () => {
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${enc({ alg: 'ES256', kid: 'floor' })}.${enc({ iss: FLOOR_ISS, exp: 2_000_000_000 })}`;
  const sig = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, floorKey.privateKey, new TextEncoder().encode(input));
  return `${input}.${Buffer.from(sig).toString('base64url')}`;
})();
const floorVerifier = new Verifier({ iss: FLOOR_ISS, keys: [floorJwk] }, { currentDate });
const floorRun = () => floorVerifier.verify(floorToken).valid;

// ---- The cases --------------------------------------------------------------------------------
const CARD_QR = '001099001234|012345678|Nguyễn Văn An|15031999|Nam|Số 1 Phố X, Phường Y, Quận Z, Hà Nội|10052021';
const cardVerifier = new Verifier({ issuers: [] }, { currentDate });
const s00 = shc('00');
const s02 = shc('02');
const cases = [
  { name: 'SHC, one QR (shc:/…, example 00)', full: () => shcVerifier.verify(s00.qr).valid, bare: () => bareJws(s00.jws) },
  { name: 'SHC, compact JWS (example 00)', full: () => shcVerifier.verify(s00.jws).valid, bare: () => bareJws(s00.jws) },
  { name: 'SHC, .smart-health-card file (example 00)', full: () => shcVerifier.verify(s00.file).valid, bare: () => bareJws(s00.jws) },
  { name: 'SHC, three chunks, 30 KB inflated (example 02)', full: () => shcVerifier.verify(s02.qr).valid, bare: () => bareJws(s02.jws) },
  { name: 'VDS-NC, pinned P-256 signer (UTO)', full: () => utoVerifier.verify(JSON.stringify(uto)).valid, bare: () => bareSeal(uto) },
  {
    name: 'VDS-NC, RSA-4096 CSCA chain (AUS)',
    full: () => auVerifier.verify(JSON.stringify(aus)).valid,
    bare: () => bareSeal(aus),
    // The WASM package is built without the `rsa` feature by default: then say so instead of
    // timing a rejection.
    unavailable: () => {
      const v = auVerifier.verify(JSON.stringify(aus));
      return v.code === 'unsupported_key' ? `not verifiable in this build (${v.code}: no rsa feature)` : null;
    },
  },
  // Unsigned: never valid; the cost is reading and checking the fields.
  { name: 'ID card QR (unsigned, parse + checks)', full: () => cardVerifier.verify(CARD_QR).code === 'unsigned', bare: null },
];

/** Warms `run` up and sizes a round of at least MIN_ROUND_MS from a short probe. */
function calibrate(run) {
  for (let i = 0; i < 50; i += 1) if (!run()) throw new Error('the check failed');
  let n = 0;
  const probe = performance.now();
  while (performance.now() - probe < 50) { run(); n += 1; }
  return Math.max(20, Math.ceil((n * MIN_ROUND_MS) / 50));
}

/** µs/op of one round. */
function round(run, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) run();
  return ((performance.now() - t0) * 1000) / n;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Median µs/op of each function over ROUNDS rounds, their rounds interleaved so that a busy
 * machine slows all alike and the ratios stay meaningful. A null function is skipped. */
function measure(fns) {
  const sizes = fns.map((f) => (f ? calibrate(f) : 0));
  const times = fns.map(() => []);
  for (let r = 0; r < ROUNDS; r += 1) {
    fns.forEach((f, i) => { if (f) times[i].push(round(f, sizes[i])); });
  }
  return times.map((t, i) => (fns[i] ? median(t) : null));
}

console.log(`bench/formats: ${cases.length} cases, ${ROUNDS} interleaved rounds of ≥${MIN_ROUND_MS} ms each…`);
const rows = [];
for (const c of cases) {
  const note = c.unavailable?.() ?? null;
  const [full, floor, bare] = measure([note ? null : c.full, floorRun, c.bare]);
  rows.push({ name: c.name, note, full, floor, bare });
  const r = rows[rows.length - 1];
  console.log(`  ${r.name.padEnd(48)} ${r.full === null ? r.note : `${r.full.toFixed(1).padStart(8)} µs`}   floor ${r.floor.toFixed(1)} µs   noble ${r.bare === null ? '—' : `${r.bare.toFixed(1)} µs`}`);
}

const ratio = (a, b) => (a !== null && b !== null ? `${(a / b).toFixed(2)}×` : '—');
const us = (x) => (x === null ? '—' : x.toFixed(1));
const table = [
  '| format, input | full pipeline, WASM (µs/op) | WASM floor: minimal ES256 JWT (µs/op) | full / floor | bare ES256 in JS, @noble/curves (µs/op) | full / noble |',
  '| --- | ---: | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.name} | ${r.full === null ? r.note : us(r.full)} | ${us(r.floor)} | ${ratio(r.full, r.floor)} | ${us(r.bare)} | ${ratio(r.full, r.bare)} |`),
].join('\n');
console.log(`\n${table}\n`);
