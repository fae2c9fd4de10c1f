#!/usr/bin/env node
// The cost of hostile input, through the WebAssembly package in Node: for every format, the
// worst of a set of inputs built to make the stages before the signature work hardest (the
// most values, keys and nesting the limits allow, keys that sort alike, inflate bombs, long
// escaped strings, 32 chunks), each against a valid verification of the same format; and the
// time to load trust lists of 10,000 certificates (a bundle, and one PEM file). The promise
// measured: every stage before the signature costs time linear in the input, so the worst input
// costs a small multiple of a valid verification (whose ES256 check dominates).
//
// Reads the vectors (ours in tests/vectors, public ones in ../shared/vectors) and pkg/ (`npm
// run build`). Part of `npm run bench`, or alone:
//
//   node bench/hostile.mjs           # print the results
//   node bench/hostile.mjs --write   # also record them in BENCHMARKS.md

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, deflateSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const VECTORS = join(ROOT, '..', 'shared', 'vectors');
const PKG = join(ROOT, 'pkg', 'node.js');
if (!existsSync(PKG)) {
  console.error('bench/hostile: pkg/node.js is missing: run "npm run build" first');
  process.exit(1);
}
const { Verifier } = await import(PKG);

function read(path) {
  if (!existsSync(path)) {
    console.error(`bench/hostile: ${path} is missing`);
    process.exit(1);
  }
  return readFileSync(path, 'utf8');
}
const vector = (relative) => read(join(VECTORS, relative));
const own = (relative) => read(join(ROOT, 'tests', 'vectors', relative));

const ROUNDS = 5;
const MIN_ROUND_MS = 200;

// ---- Encoders: base64url, base45, CBOR --------------------------------------------------------
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const B45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
function base45(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      let n = bytes[i] * 256 + bytes[i + 1];
      for (let k = 0; k < 3; k += 1) { out += B45[n % 45]; n = Math.floor(n / 45); }
    } else {
      let n = bytes[i];
      for (let k = 0; k < 2; k += 1) { out += B45[n % 45]; n = Math.floor(n / 45); }
    }
  }
  return out;
}
/** CBOR of JS values: integers, strings (text), Uint8Array (bytes), arrays, Maps (any keys),
 * `{ tag, value }`, `{ float }` (a half-precision NaN when NaN), null. */
function cbor(value, out = []) {
  const head = (major, n) => {
    if (n < 24) out.push((major << 5) | n);
    else if (n < 256) out.push((major << 5) | 24, n);
    else if (n < 65536) out.push((major << 5) | 25, n >> 8, n & 255);
    else out.push((major << 5) | 26, (n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255);
  };
  if (value === null) out.push(0xf6);
  else if (typeof value === 'number') value >= 0 ? head(0, value) : head(1, -1 - value);
  else if (typeof value === 'string') { const b = Buffer.from(value); head(3, b.length); out.push(...b); }
  else if (value instanceof Uint8Array) { head(2, value.length); for (const b of value) out.push(b); }
  else if (Array.isArray(value)) { head(4, value.length); for (const v of value) cbor(v, out); }
  else if (value instanceof Map) { head(5, value.size); for (const [k, v] of value) { cbor(k, out); cbor(v, out); } }
  else if ('tag' in value) { head(6, value.tag); cbor(value.value, out); }
  else if ('float' in value) out.push(0xf9, 0x7e, 0x00);
  return out;
}
/** An unsigned COSE_Sign1 QR around `claims` (CBOR bytes): ES256, `kid`, 64 zero bytes. */
function coseQr(prefix, kid, claims) {
  const protectedHeader = Uint8Array.from(cbor(new Map([[1, -7], [4, Uint8Array.from(Buffer.from(kid))]])));
  const cose = cbor({ tag: 18, value: [protectedHeader, new Map(), Uint8Array.from(claims), new Uint8Array(64)] });
  return `${prefix}${base45(deflateSync(Uint8Array.from(cose), { level: 9 }))}`;
}
const fits = (qr) => qr.length - 4 <= 4296;

// ---- Hostile bodies, JSON and CBOR ------------------------------------------------------------
/** JSON texts that fill `size` bytes in the costliest shapes the limits allow. */
function hostileJson(size, extra = {}) {
  const base = JSON.stringify(extra).slice(1, -1);
  const sep = base ? ',' : '';
  const values = Math.min(9_000, Math.floor((size - base.length - 16) / 2));
  const keyCount = Math.min(4_000, Math.floor((size - base.length) / 48));
  const prefix = 'k'.repeat(36);
  return {
    'most values (an array of 0s)': `{${base}${sep}"a":[${Array(values).fill(0).join(',')}]}`,
    'most members, keys alike but the last characters': `{${base}${sep}${Array.from({ length: keyCount }, (_, i) => `"${prefix}${String(i).padStart(5, '0')}":0`).join(',')}}`,
    'deepest nesting, repeatedly': `{${base}${sep}"a":[${Array(Math.floor((size - base.length) / 70)).fill(`${'['.repeat(30)}${']'.repeat(30)}`).join(',')}]}`,
    'a long string of escapes': `{${base}${sep}"a":"${'\\u00e9'.repeat(Math.floor((size - base.length - 16) / 6))}"}`,
  };
}
/** CBOR claims in the costliest shapes, each as large as still fits one QR code (4 296
 * characters) and reaches the stage it attacks (64 KiB inflated, 10 000 items, depth 32): `n`
 * grows each; the code is the verdict it must still get. */
const hostileCbor = {
  'the most map keys (integers)': (n) => cbor(new Map(Array.from({ length: n }, (_, i) => [i, null]))),
  'keys alike but the last characters (90-byte prefix)': (n) => cbor(new Map(Array.from({ length: n }, (_, i) => [`${'k'.repeat(90)}${String(i).padStart(4, '0')}`, 0]))),
  'a claim key of maps nested 30 deep, n entries each': (n) => {
    let key = new Map(Array.from({ length: n }, (_, i) => [i, 0]));
    for (let level = 0; level < 30; level += 1) key = new Map([[key, 0], ...Array.from({ length: n }, (_, i) => [i + 1, 0])]);
    return cbor(new Map([[key, 1]]));
  },
  'array keys nested 30 deep': (n) => cbor(new Map(Array.from({ length: n }, (_, i) => {
    let key = i;
    for (let d = 0; d < 30; d += 1) key = [key];
    return [key, null];
  }))),
  'a NaN key repeated after n others': (n) => cbor(new Map([...Array.from({ length: n }, (_, i) => [i, null]), [{ float: NaN }, 0], [{ float: NaN }, 1]])),
  'an inflate bomb (zeros past 64 KiB)': (n) => [...new Uint8Array(n * 1024)],
};
/** What each shape must still get: not a limit's refusal (except the bomb, which is one). */
const cborCode = (name) => (name.startsWith('a NaN') ? 'cbor_invalid' : name.startsWith('an inflate') ? 'decompressed_too_large' : 'claim_invalid');
/** The largest `n` (up to 10 000) whose QR fits and still gets `code`, and that QR. */
function largestFitting(verifier, prefix, kid, build, code) {
  const ok = (n) => {
    const qr = coseQr(prefix, kid, build(n));
    return fits(qr) && verifier.verify(qr).code === code;
  };
  let [lo, hi] = [1, 10_000];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok(mid)) lo = mid; else hi = mid - 1;
  }
  return { n: lo, qr: coseQr(prefix, kid, build(lo)) };
}

// ---- Valid payloads and their verifiers --------------------------------------------------------
const tokenVectors = JSON.parse(own('vneid-token/vectors.json'));
const tokenVector = tokenVectors.vectors.find((v) => v.expected.valid);
const tokenVerifier = new Verifier(JSON.parse(own('vneid-token/test-issuer.trust.json')), { currentDate: new Date(tokenVector.at) });
const docVectors = JSON.parse(own('vneid-document/vectors.json'));
const docVector = docVectors.vectors.find((v) => v.name === 'cccd-valid');
const docVerifier = new Verifier(JSON.parse(own('vneid-document/test-issuer.trust.json')), { currentDate: new Date(docVector.at) });
const dccFile = JSON.parse(vector('eu-dcc/AT/2DCode/raw/1.json'));
const dccVerifier = new Verifier(`-----BEGIN CERTIFICATE-----\n${dccFile.TESTCTX.CERTIFICATE}\n-----END CERTIFICATE-----\n`, { currentDate: new Date(dccFile.TESTCTX.VALIDATIONCLOCK) });
const SHC_ISS = 'https://spec.smarthealth.cards/examples/issuer';
const shcDate = new Date(1_700_000_000 * 1000);
const shcVerifier = new Verifier(vector('shc/examples/issuer/.well-known/jwks.json'), { issuer: SHC_ISS, currentDate: shcDate });
const shcJws = vector('shc/examples/example-00-d-jws.txt').trim();
const shcQr = vector('shc/examples/example-00-f-qr-code-numeric-value-0.txt').trim();
const [uto] = JSON.parse(vector('vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json'));
const pinned = Buffer.from(uto.sig.cer.replace(/=+$/, ''), 'base64url').toString('base64');
const sealVerifier = new Verifier({ anchors: [pinned] }, { currentDate: shcDate });
const cardVerifier = new Verifier({ issuers: [] }, { currentDate: shcDate });
const CARD = '001099001234|012345678|Nguyễn Văn An|15031999|Nam|Số 1 Phố X, Phường Y, Quận Z, Hà Nội|10052021';

const digits = (jws) => [...jws].map((c) => String(c.charCodeAt(0) - 45).padStart(2, '0')).join('');
const shcHeader = b64url(JSON.stringify({ zip: 'DEF', alg: 'ES256', kid: JSON.parse(Buffer.from(shcJws.split('.')[0], 'base64url')).kid }));
/** A SMART Health Card whose compressed claims are `json`, with a zero signature. */
const shcOf = (json) => `${shcHeader}.${b64url(deflateRawSync(Buffer.from(json), { level: 9 }))}.${'A'.repeat(86)}`;
const tokenHeader = tokenVector.token.split('.')[0];
const tokenClaims = JSON.parse(Buffer.from(tokenVector.token.split('.')[1], 'base64url'));

// ---- The cases: per format, the valid payload and the hostile ones ------------------------------
const formats = [];
{
  const hostile = {};
  for (const [name, json] of Object.entries(hostileJson(11_500, { iss: tokenClaims.iss }))) {
    hostile[`claims: ${name}`] = `${tokenHeader}.${b64url(json)}.${'A'.repeat(86)}`;
  }
  hostile['a 2 KiB header of 300 members'] = `${b64url(`{"alg":"ES256",${Array.from({ length: 150 }, (_, i) => `"h${i}":0`).join(',')}}`.slice(0, 1500) + '}')}.${tokenVector.token.split('.')[1]}.${'A'.repeat(86)}`;
  formats.push({ format: 'VNeID token (JWS)', verifier: tokenVerifier, valid: tokenVector.token, hostile });
}
for (const [format, prefix, kid, verifier, valid] of [
  ['VNeID document QR (VN1:)', 'VN1:', 'test-doc-key-1', docVerifier, docVector.qr],
  ['EU DCC (HC1:)', 'HC1:', 'x', dccVerifier, dccFile.PREFIX],
]) {
  const hostile = {};
  for (const [name, build] of Object.entries(hostileCbor)) {
    const { n, qr } = largestFitting(verifier, prefix, kid, build, cborCode(name));
    hostile[`${name} (n = ${n})`] = qr;
  }
  formats.push({ format, verifier, valid, hostile });
}
{
  const hostile = {};
  for (const [name, json] of Object.entries(hostileJson(60_000, { iss: SHC_ISS }))) hostile[`claims: ${name}`] = shcOf(json);
  const big = shcOf(hostileJson(60_000, { iss: SHC_ISS })['most members, keys alike but the last characters']);
  hostile['32 chunks (shc:/i/32/…), in reverse order'] = (() => {
    const size = Math.ceil(big.length / 32);
    return Array.from({ length: 32 }, (_, i) => `shc:/${32 - i}/32/${digits(big.slice((31 - i) * size, (32 - i) * size))}`).join('\n');
  })();
  // A file holds up to 16 cards, each verified: as many valid ones as fit the payload limit,
  // then a bad one, costs that many signatures (bounded by the 16).
  const fitting = Math.min(15, Math.floor((16_384 - 600) / (shcJws.length + 3)));
  hostile[`a .smart-health-card file: ${fitting} valid cards, then a bad one`] = JSON.stringify({
    verifiableCredential: [...Array(fitting).fill(shcJws), shcOf(hostileJson(600, { iss: SHC_ISS })['most values (an array of 0s)'])],
  });
  formats.push({ format: 'SMART Health Card (JWS)', verifier: shcVerifier, valid: shcJws, hostile });
  formats.push({ format: 'SMART Health Card (one QR)', verifier: shcVerifier, valid: shcQr, hostile: { 'one full QR of 1 195 characters': `shc:/${digits(big.slice(0, 1195))}` } });
}
{
  const hostile = {};
  for (const [name, json] of Object.entries(hostileJson(15_000))) {
    const data = { ...uto.data, msg: { ...uto.data.msg, x: JSON.parse(json).a ?? JSON.parse(json) } };
    hostile[`data: ${name}`] = JSON.stringify({ data, sig: uto.sig });
  }
  formats.push({ format: 'VDS-NC seal (JSON)', verifier: sealVerifier, valid: JSON.stringify(uto), hostile });
}
{
  // SD-JWT VC: an RFC 9901 example (no key binding) and its issuer key from settings.yml.
  const settings = vector('sd-jwt/settings.yml');
  const block = settings.slice(settings.indexOf('issuer_key:'));
  const coordinate = (name) => block.match(new RegExp(`\\n\\s*${name}: (\\S+)`))[1];
  const jwk = { kty: 'EC', crv: 'P-256', x: coordinate('x'), y: coordinate('y') };
  const presentation = vector('sd-jwt/address_only_flat/sd_jwt_presentation.txt').trim();
  const sdJwtVerifier = new Verifier({ iss: 'https://issuer.example.com', keys: [jwk] }, { currentDate: new Date(1_796_412_083_000) });
  const junk = (i) => b64url(JSON.stringify([`salt-${i}`, `claim${i}`, 'x'.repeat(20)]));
  const jwt = presentation.split('~')[0];
  const hostile = {
    // The issuer's signature stays valid: every appended disclosure is hashed and refused.
    'the signed example and 200 disclosures it does not reference': `${jwt}~${Array.from({ length: 200 }, (_, i) => junk(i)).join('~')}~`,
    'issuer claims: most members, keys alike': `${jwt.split('.')[0]}.${b64url(hostileJson(11_500, { iss: 'https://issuer.example.com' })['most members, keys alike but the last characters'])}.${'A'.repeat(86)}~`,
  };
  formats.push({ format: 'SD-JWT VC presentation', verifier: sdJwtVerifier, valid: presentation, hostile });
}
{
  const hostile = { 'a 16 KiB card line': `${CARD}|${'Hà Nội '.repeat(1800)}`.slice(0, 16_000) };
  formats.push({ format: 'ID card QR (unsigned)', verifier: cardVerifier, valid: CARD, validCode: 'unsigned', hostile });
}

// ---- Timing -----------------------------------------------------------------------------------
function calibrate(run) {
  for (let i = 0; i < 5; i += 1) run();
  let n = 0;
  const probe = performance.now();
  while (performance.now() - probe < 40) { run(); n += 1; }
  return Math.max(5, Math.ceil((n * MIN_ROUND_MS) / 40));
}
function measure(fns) {
  const sizes = fns.map(calibrate);
  const times = fns.map(() => []);
  for (let r = 0; r < ROUNDS; r += 1) {
    fns.forEach((f, i) => {
      const t0 = performance.now();
      for (let k = 0; k < sizes[i]; k += 1) f();
      times[i].push(((performance.now() - t0) * 1000) / sizes[i]);
    });
  }
  return times.map((t) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]);
}

console.log(`bench/hostile: ${formats.length} formats, ${ROUNDS} interleaved rounds of ≥${MIN_ROUND_MS} ms…`);
const rows = [];
for (const f of formats) {
  const first = f.verifier.verify(f.valid);
  const expected = f.validCode ?? null;
  if (first.code !== expected) throw new Error(`${f.format}: the valid payload gives ${first.code}: ${first.message}`);
  const names = Object.keys(f.hostile);
  const verdicts = names.map((n) => f.verifier.verify(f.hostile[n]));
  const [valid, ...costs] = measure([() => f.verifier.verify(f.valid), ...names.map((n) => () => f.verifier.verify(f.hostile[n]))]);
  const worst = costs.indexOf(Math.max(...costs));
  const bytes = (s) => Buffer.byteLength(s);
  rows.push({
    format: f.format, valid, worst: costs[worst], name: names[worst], code: verdicts[worst].code,
    size: bytes(f.hostile[names[worst]]), verdictBytes: Math.max(...verdicts.map((v) => JSON.stringify(v).length)),
  });
  console.log(`  ${f.format}: valid ${valid.toFixed(1)} µs`);
  names.forEach((n, i) => console.log(`    ${costs[i].toFixed(1).padStart(9)} µs  ${(costs[i] / valid).toFixed(2).padStart(6)}×  ${verdicts[i].code}  ${n} (${bytes(f.hostile[n])} bytes)`));
}

// ---- Trust loading: 10 000 certificates -------------------------------------------------------
const der = Buffer.from(dccFile.TESTCTX.CERTIFICATE, 'base64');
const certificates = Array.from({ length: 10_000 }, (_, i) => {
  const copy = Buffer.from(der);
  copy.writeUInt16BE(i, copy.length - 2); // inside the signature value, which loading does not check
  return copy.toString('base64');
});
const bundle = JSON.stringify({ issuers: [{ iss: 'AT', certificates }] });
const pemFile = certificates.map((c) => `-----BEGIN CERTIFICATE-----\n${c.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`).join('');
const loads = {};
const bundleOf = (n) => JSON.stringify({ issuers: [{ iss: 'AT', certificates: certificates.slice(0, n) }] });
for (const [name, trust, count] of [
  ['a trust bundle of 1 000 certificates', bundleOf(1_000), 1_000],
  ['a trust bundle of 10 000 certificates', bundle, 10_000],
  ['one PEM file of 10 000 certificates', pemFile, 10_000],
]) {
  const times = [];
  for (let r = 0; r < 3; r += 1) {
    const t0 = performance.now();
    const v = new Verifier(trust);
    times.push(performance.now() - t0);
    if (v.trustedKeys().length !== count) throw new Error(`${name}: ${v.trustedKeys().length} keys`);
  }
  loads[name] = { ms: times.sort((a, b) => a - b)[1], bytes: trust.length };
  console.log(`  trust: ${name} (${(trust.length / 1e6).toFixed(1)} MB): ${loads[name].ms.toFixed(0)} ms`);
}
// After loading 10 000, a verification still costs what it did with one.
const many = new Verifier([bundle], { currentDate: new Date(dccFile.TESTCTX.VALIDATIONCLOCK) });
const [withOne, withMany] = measure([() => dccVerifier.verify(dccFile.PREFIX), () => many.verify(dccFile.PREFIX)]);
console.log(`  EU DCC verified against 1 certificate: ${withOne.toFixed(1)} µs; against 10 000: ${withMany.toFixed(1)} µs`);

const table = [
  '| format | valid verification (µs) | worst hostile input | its size (bytes) | its code | its cost (µs) | worst / valid | largest hostile verdict (bytes of JSON) |',
  '| --- | ---: | --- | ---: | --- | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.format} | ${r.valid.toFixed(1)} | ${r.name} | ${r.size} | \`${r.code}\` | ${r.worst.toFixed(1)} | ${(r.worst / r.valid).toFixed(2)}× | ${r.verdictBytes} |`),
].join('\n');
const trustTable = [
  '| trust file | size | load time (ms) |',
  '| --- | ---: | ---: |',
  ...Object.entries(loads).map(([name, l]) => `| ${name} | ${(l.bytes / 1e6).toFixed(1)} MB | ${l.ms.toFixed(0)} |`),
  `| an EU DCC verified with 1 certificate trusted / with 10 000 | | ${withOne.toFixed(1)} µs / ${withMany.toFixed(1)} µs |`,
].join('\n');
console.log(`\n${table}\n\n${trustTable}\n`);

if (process.argv.includes('--write')) {
  const path = join(ROOT, 'BENCHMARKS.md');
  const text = readFileSync(path, 'utf8');
  const start = '<!-- hostile:start -->';
  const end = '<!-- hostile:end -->';
  const block = `${start}\nMeasured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0].model} (${cpus().length} cores), Node ${process.version}, the WASM package (\`node bench/hostile.mjs --write\`).\n\n${table}\n\n${trustTable}\n${end}`;
  const at = text.indexOf(start);
  const updated = at >= 0 ? `${text.slice(0, at)}${block}${text.slice(text.indexOf(end) + end.length)}` : `${text.trimEnd()}\n\n## Hostile input\n\n${block}\n`;
  writeFileSync(path, updated);
  console.log('bench/hostile: BENCHMARKS.md updated');
}
