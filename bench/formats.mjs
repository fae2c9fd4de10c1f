#!/usr/bin/env node
// Per-format cost of the document QR formats in WebAssembly (Node): the whole pipeline of
// Verifier.verify — detect, decode (numeric QR, chunks, base64url, base45, inflate, strict JSON,
// CBOR/COSE, JCS, X.509), key selection and the signature — against two floors: a minimal ES256 JWT through the
// same WASM Verifier (≈ the bare signature check inside WASM), and the bare ES256 verification of
// the same signature over the same bytes with @noble/curves in JavaScript.
//
// Reads the public vectors in ../shared/vectors (fails when one is missing) and the package built
// into pkg/ (`npm run build`). Run after bench/bench.mjs, or alone:
//
//   node bench/formats.mjs

import { X509Certificate, constants as cryptoConstants, verify as nodeVerify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';

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

// ---- COSE QR codes: the VNeID document QR (VN1:) and the EU DCC (HC1:) -------------------------
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
/** RFC 9285 base45 (the vectors are valid: no checks). */
function base45(text) {
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const g = text.slice(i, i + 3);
    let n = 0;
    for (let j = g.length - 1; j >= 0; j -= 1) n = n * 45 + B45.indexOf(g[j]);
    if (g.length === 3) out.push(n >> 8, n & 255); else out.push(n);
  }
  return Uint8Array.from(out);
}
/** The [protected, payload, signature] byte strings of a COSE_Sign1 (tags skipped). */
function coseParts(bytes) {
  let i = 0;
  const head = () => {
    const b = bytes[i++];
    const info = b & 31;
    let n = info;
    if (info >= 24 && info <= 27) {
      n = 0;
      for (let k = 0; k < 1 << (info - 24); k += 1) n = n * 256 + bytes[i++];
    }
    return [b >> 5, n];
  };
  const skip = () => {
    const [major, n] = head();
    if (major === 2 || major === 3) i += n;
    else if (major === 4) for (let k = 0; k < n; k += 1) skip();
    else if (major === 5) for (let k = 0; k < 2 * n; k += 1) skip();
    else if (major === 6) skip();
  };
  const bstr = () => { const [, n] = head(); i += n; return bytes.subarray(i - n, i); };
  let [major] = head();
  while (major === 6) [major] = head(); // tags 61 and 18, then the array head
  const protectedHeader = bstr();
  skip(); // the unprotected header
  return [protectedHeader, bstr(), bstr()];
}
/** `["Signature1", protected, h'', payload]` with definite lengths. */
function sigStructure(protectedHeader, payload) {
  const bstrHead = (n) => (n < 24 ? [0x40 | n] : n < 256 ? [0x58, n] : [0x59, n >> 8, n & 255]);
  return Uint8Array.from([
    0x84, 0x6a, ...new TextEncoder().encode('Signature1'),
    ...bstrHead(protectedHeader.length), ...protectedHeader, 0x40,
    ...bstrHead(payload.length), ...payload,
  ]);
}
/** Bare signature check of a COSE QR: base45, inflate, the parts, then the signature alone. */
function bareCose(text, verifySignature) {
  const [protectedHeader, payload, signature] = coseParts(inflateSync(base45(text.slice(4))));
  return verifySignature(signature, sigStructure(protectedHeader, payload));
}
const vn1 = JSON.parse(readFileSync(join(ROOT, 'tests/vectors/vneid-document/vectors.json'), 'utf8'));
const vn1Trust = JSON.parse(readFileSync(join(ROOT, 'tests/vectors/vneid-document/test-issuer.trust.json'), 'utf8'));
const vn1Verifier = new Verifier(vn1Trust, { currentDate: new Date('2026-06-01T00:00:00Z') });
const vn1Qr = (name) => vn1.vectors.find((v) => v.name === name).qr;
const vn1Key = (() => {
  const k = vn1Trust.issuers[0].keys[0];
  return new Uint8Array([4, ...b64url(k.x), ...b64url(k.y)]);
})();
const es256With = (key) => (sig, msg) => p256.verify(sig, msg, key, { prehash: true, lowS: false });
/** An EU DCC test file with its signing certificate as the only trusted key, at its clock. */
function dcc(relative) {
  const file = JSON.parse(vector(`eu-dcc/${relative}`));
  const der = Buffer.from(file.TESTCTX.CERTIFICATE, 'base64');
  const verifier = new Verifier(
    { issuers: [{ iss: 'DCC', certificates: [file.TESTCTX.CERTIFICATE] }] },
    { currentDate: new Date(file.TESTCTX.VALIDATIONCLOCK) },
  );
  return { qr: file.PREFIX, der, verifier };
}
const dccEs = dcc('AT/2DCode/raw/1.json');
const dccPs = dcc('common/2DCode/raw/CO1.json');
const dccPsKey = new X509Certificate(dccPs.der).publicKey;
/** RSASSA-PSS, SHA-256, salt 32 through Node's OpenSSL (native: @noble/curves has no RSA). */
const ps256 = (sig, msg) => nodeVerify('sha256', msg, { key: dccPsKey, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);

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
  { name: 'VNeID document QR (VN1:, cccd)', full: () => vn1Verifier.verify(vn1Qr('cccd-valid')).valid, bare: () => bareCose(vn1Qr('cccd-valid'), es256With(vn1Key)) },
  { name: 'VNeID document QR (VN1:, criminal record)', full: () => vn1Verifier.verify(vn1Qr('criminal-record-valid')).valid, bare: () => bareCose(vn1Qr('criminal-record-valid'), es256With(vn1Key)) },
  { name: 'EU DCC, ES256 (HC1:, AT/1)', full: () => dccEs.verifier.verify(dccEs.qr).valid, bare: () => bareCose(dccEs.qr, es256With(certificateKey(dccEs.der))) },
  {
    name: 'EU DCC, PS256 RSA-2048 (HC1:, common/CO1)',
    full: () => dccPs.verifier.verify(dccPs.qr).valid,
    // The bare row here is Node's native OpenSSL (no RSA in @noble/curves).
    bare: () => bareCose(dccPs.qr, ps256),
    unavailable: () => {
      const v = dccPs.verifier.verify(dccPs.qr);
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
