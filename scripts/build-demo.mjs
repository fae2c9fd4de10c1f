#!/usr/bin/env node
// Builds what the demo page serves beside its committed files (all git-ignored):
//
//   www-demo/vendor/zxing-wasm/   the QR decoder, copied from node_modules (no CDN: the page's
//                                 Content-Security-Policy is default-src 'self');
//   www-demo/gallery/             gallery.json (samples of every format, their trust bundles and
//                                 expected outcomes) and one QR image (PNG) per sample;
//   www-demo/precache.json        the files the service worker keeps for offline use, and a
//                                 version hash of their contents.
//
// Sample sources, none copied into the repository:
//   - VNeID tokens: tests/vectors/vneid-token/ (the native reference issuer, TEST-ONLY keys);
//   - VN1 document QRs: tests/vectors/vneid-document/ (the same issuer, TEST-ONLY keys);
//   - a plain JWT (an OpenID Connect ID token) and SMART Health Cards from issuers other than the
//     spec's: signed here with TEST-ONLY keys derived from public labels (as the token vectors'
//     keys are), with @noble/curves' deterministic ES256 (RFC 6979, as the reference issuer
//     signs), so every build writes the same samples;
//   - the unsigned ID card QR: the synthetic vectors of DOMAIN.md §1.6 (invented people);
//   - EU DCC, SMART Health Cards, ICAO VDS-NC: the public vectors in ../shared/vectors, read here
//     at build time, each verified at a pinned time the gallery sets. Without that folder the
//     gallery leaves them out with a warning, and fails when CI=true.
//
// QR images are drawn by zxing-wasm's writer (the decoder's sibling). The ID card QR is written
// as real cards are: UTF-8 bytes in byte mode with no ECI header.
//
//   node scripts/build-demo.mjs

import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, deflateSync, inflateSync } from 'node:zlib';

import { p256 } from '@noble/curves/nist.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = join(root, 'www-demo');
const PKG = join(root, 'pkg');
const VECTORS = join(root, '..', 'shared', 'vectors');
const ZXING = join(root, 'node_modules', 'zxing-wasm');
const GALLERY = join(DEMO, 'gallery');
const VENDOR = join(DEMO, 'vendor', 'zxing-wasm');

function fail(message) {
  console.error(`build-demo: FAILED: ${message}`);
  process.exit(1);
}
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const unix = (iso) => Date.parse(iso) / 1000;

// ---- 1. The QR decoder -------------------------------------------------------------------------
if (!existsSync(join(ZXING, 'package.json'))) fail('node_modules/zxing-wasm is missing: run npm ci');
rmSync(VENDOR, { recursive: true, force: true });
for (const [from, to] of [
  ['dist/es/reader/index.js', 'es/reader/index.js'],
  ['dist/es/share.js', 'es/share.js'],
  ['dist/reader/zxing_reader.wasm', 'reader/zxing_reader.wasm'],
  // The writer draws the bank counter's challenge and the wallet's presentation QRs (bank.html).
  ['dist/es/writer/index.js', 'es/writer/index.js'],
  ['dist/writer/zxing_writer.wasm', 'writer/zxing_writer.wasm'],
  ['LICENSE', 'LICENSE'],
]) {
  mkdirSync(dirname(join(VENDOR, to)), { recursive: true });
  copyFileSync(join(ZXING, from), join(VENDOR, to));
}
const zxingVersion = readJson(join(ZXING, 'package.json')).version;
writeFileSync(join(VENDOR, 'NOTICE.txt'), `zxing-wasm ${zxingVersion} (MIT, LICENSE here), copied from node_modules by scripts/build-demo.mjs.
Its WebAssembly is ZXing-C++ (Apache-2.0): https://github.com/zxing-cpp/zxing-cpp
`);

// ---- 2. Samples --------------------------------------------------------------------------------
const { prepareZXingModule, writeBarcode } = await import('zxing-wasm/writer');
prepareZXingModule({
  overrides: { wasmBinary: readFileSync(join(ZXING, 'dist', 'writer', 'zxing_writer.wasm')) },
});

/** The QR as a PNG (4 pixels a module, with its quiet zone). `bytes` writes raw bytes, no ECI. */
async function qrPng(text, { bytes = false } = {}) {
  const input = bytes ? new TextEncoder().encode(text) : text;
  const result = await writeBarcode(input, {
    format: 'QRCode', ecLevel: 'M', scale: 4, options: bytes ? 'eci=0' : '',
  });
  if (result.error || !result.image) throw new Error(`cannot draw a QR for ${text.slice(0, 20)}…: ${result.error}`);
  return Buffer.from(await result.image.arrayBuffer());
}

/**
 * A TEST-ONLY P-256 key whose secret scalar is SHA-256(label): reproducible and public knowledge,
 * like the keys of tests/vectors/vneid-token. Returns the public JWK and an ES256 JWS signer.
 */
function testKey(label, kid) {
  const secret = createHash('sha256').update(label, 'ascii').digest();
  const point = p256.getPublicKey(secret, false); // 04 || x || y
  const b64 = (bytes) => Buffer.from(bytes).toString('base64url');
  const jwk = { kty: 'EC', crv: 'P-256', x: b64(point.subarray(1, 33)), y: b64(point.subarray(33, 65)) };
  const thumbprint = b64(createHash('sha256').update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })).digest());
  const keyId = kid ?? thumbprint; // SMART Health Cards name a key by its RFC 7638 thumbprint
  return {
    kid: keyId,
    publicJwk: { ...jwk, kid: keyId, use: 'sig', alg: 'ES256' },
    /** A compact JWS of `payload` (bytes or text) under `header` (alg and kid added). */
    sign(header, payload) {
      const input = `${b64(JSON.stringify({ alg: 'ES256', kid: keyId, ...header }))}.${b64(payload)}`;
      return `${input}.${b64(p256.sign(new TextEncoder().encode(input), secret))}`;
    },
  };
}

const trust = [];
const groups = [];
const samples = [];
const skipped = [];

function group(id, en, vi, source) {
  groups.push({ id, label: { en, vi }, source });
}

/** A sample: `payload` (one QR) or `chunks` (a multi-QR card), the policy the gallery sets, and
 * the verdict it must give (checked by tests/js/samples.test.mjs and the browser test). */
function sample(s) {
  samples.push({ qr: true, ...s });
}

// VNeID identity tokens (reference issuer).
{
  const dir = join(root, 'tests', 'vectors', 'vneid-token');
  const file = readJson(join(dir, 'vectors.json'));
  trust.push({
    id: 'vneid-token-test',
    label: { en: 'VNeID test token issuer', vi: 'Bên phát hành mã thử nghiệm VNeID' },
    source: 'tests/vectors/vneid-token',
    bundle: readJson(join(dir, 'test-issuer.trust.json')),
  });
  group('vneid_token', 'VNeID identity tokens', 'Mã định danh VNeID', 'tests/vectors/vneid-token (reference issuer, TEST-ONLY keys)');
  for (const v of file.vectors) {
    sample({
      id: v.name, group: 'vneid_token',
      label: { en: v.description, vi: v.descriptionVi },
      payload: v.token,
      policy: { currentDate: v.at, audience: v.audience, minLevel: v.minLevel },
      expected: { state: v.expected.valid ? 'valid' : 'invalid', code: v.expected.code, warnings: v.expected.warnings },
    });
  }
}

// A plain JWT: an OpenID Connect ID token from a test sign-in provider (not a VNeID token: no
// VNeID `acr`, an account as subject). TEST-ONLY key, invented person.
{
  const ISS = 'https://login.oidc.test';
  const CLIENT = 'https://clinic.example';
  const key = testKey('vneid-verify TEST-ONLY OpenID Connect provider key 1', 'test-oidc-key-1');
  const issuedAt = unix('2026-06-01T03:00:00Z');
  const at = '2026-06-01T03:02:00Z';
  const idToken = (claims) => key.sign({ typ: 'JWT' }, JSON.stringify({
    iss: ISS, sub: 'test-user-4821', aud: CLIENT, iat: issuedAt, exp: issuedAt + 3600, auth_time: issuedAt - 30,
    nonce: 'test-nonce-7f3a', name: 'Lê Thị Hoa', email: 'le.thi.hoa@example.test', ...claims,
  }));
  trust.push({
    id: 'jwt-oidc-test',
    label: { en: 'OpenID Connect test provider', vi: 'Nhà cung cấp OpenID Connect thử nghiệm' },
    source: 'scripts/build-demo.mjs (TEST-ONLY key)',
    bundle: { issuers: [{ iss: ISS, name: 'OpenID Connect test provider (TEST ONLY, not a real issuer)', keys: [key.publicJwk] }] },
  });
  group('jwt', 'Other signed tokens (JWT)', 'Mã thông báo có chữ ký khác (JWT)', 'scripts/build-demo.mjs: an OpenID Connect ID token, TEST-ONLY key');
  const policy = { currentDate: at, audience: CLIENT };
  sample({ id: 'jwt-oidc-id-token', group: 'jwt', label: { en: 'OpenID Connect ID token for the clinic', vi: 'ID token OpenID Connect cho phòng khám' }, payload: idToken({}), policy, expected: { state: 'valid', code: null, warnings: [] } });
  sample({ id: 'jwt-oidc-other-audience', group: 'jwt', label: { en: 'ID token issued to another service', vi: 'ID token cấp cho một dịch vụ khác' }, payload: idToken({ aud: 'https://shop.example' }), policy, expected: { state: 'invalid', code: 'audience_mismatch', warnings: [] } });
  sample({ id: 'jwt-oidc-expired', group: 'jwt', label: { en: 'ID token issued the day before: expired', vi: 'ID token phát hành từ hôm trước: đã hết hạn' }, payload: idToken({ iat: issuedAt - 86_400, exp: issuedAt - 82_800, auth_time: issuedAt - 86_430 }), policy, expected: { state: 'invalid', code: 'expired', warnings: [] } });
}

// VNeID document QRs (reference issuer).
{
  const dir = join(root, 'tests', 'vectors', 'vneid-document');
  const file = readJson(join(dir, 'vectors.json'));
  trust.push({
    id: 'vn1-test',
    label: { en: 'VNeID test document issuer', vi: 'Bên phát hành giấy tờ thử nghiệm VNeID' },
    source: 'tests/vectors/vneid-document',
    bundle: readJson(join(dir, 'test-issuer.trust.json')),
  });
  group('vneid_document', 'VNeID document QR (VN1)', 'Mã QR giấy tờ VNeID (VN1)', 'tests/vectors/vneid-document (reference issuer, TEST-ONLY keys)');
  const chosen = {
    'cccd-valid': ['ID card (Căn cước)', 'Thẻ căn cước'],
    'driving-licence-valid': ['Driving licence, two classes', 'Giấy phép lái xe, hai hạng'],
    'vehicle-registration-valid': ['Car registration', 'Chứng nhận đăng ký ô tô'],
    'health-insurance-valid': ['Health insurance card', 'Thẻ bảo hiểm y tế'],
    'residence-valid': ['Confirmation of residence', 'Xác nhận thông tin cư trú'],
    'criminal-record-valid': ['Criminal record certificate no. 1', 'Phiếu lý lịch tư pháp số 1'],
    'cccd-birthdate-mismatch-warning': ['ID card: date of birth disagrees with the ID number (warning)', 'Thẻ căn cước: ngày sinh khác năm sinh trong số định danh (cảnh báo)'],
    'cccd-qr-expired': ['ID card QR, expired', 'Mã QR thẻ căn cước đã hết hạn'],
    'cccd-tampered-name': ['ID card, name changed after signing', 'Thẻ căn cước bị sửa tên sau khi ký'],
    'cccd-unknown-issuer': ['ID card from an unknown issuer', 'Thẻ căn cước của bên phát hành lạ'],
    'driving-licence-key-restricted': ['Driving licence signed with an ID-card-only key', 'Giấy phép lái xe ký bằng khóa chỉ dành cho thẻ căn cước'],
    'criminal-record-revoked': ['Criminal record certificate, revoked', 'Phiếu lý lịch tư pháp đã bị thu hồi'],
  };
  for (const [name, [en, vi]] of Object.entries(chosen)) {
    const v = file.vectors.find((x) => x.name === name);
    if (!v) fail(`tests/vectors/vneid-document/vectors.json has no vector ${name}`);
    sample({
      id: `vn1-${name}`, group: 'vneid_document', label: { en, vi }, payload: v.qr,
      policy: { currentDate: v.at },
      expected: { state: v.expected.valid ? 'valid' : 'invalid', code: v.expected.code, warnings: v.expected.warnings },
    });
  }
}

// The chip ID card QR: no signature. Synthetic vectors of DOMAIN.md §1.6 (not real people).
group('cccd_qr', 'Chip ID card QR (unsigned)', 'Mã QR trên thẻ căn cước (không có chữ ký)', 'DOMAIN.md §1.6, synthetic (invented people)');
for (const [id, en, vi, payload, warnings] of [
  ['cccd-qr-chip', 'Chip CCCD card, 7 fields', 'Thẻ CCCD gắn chip, 7 trường',
    '001099001234|012345678|Nguyễn Văn An|15031999|Nam|Số 1 Phố X, Phường Y, Quận Z, Hà Nội|10052021', []],
  ['cccd-qr-no-cmnd', 'Chip CCCD card, no old CMND number', 'Thẻ CCCD gắn chip, không có số CMND cũ',
    '079305004321||Trần Thị Bình|01022005|Nữ|12 Đường A, Phường B, Quận 1, TP. Hồ Chí Minh|20082022', []],
  ['cccd-qr-can-cuoc', 'Căn cước card (2024), 11 fields', 'Thẻ căn cước (2024), 11 trường',
    '001099001234|012345678|Nguyễn Văn An|15031999|Nam|Số 1 Phố X, Phường Y, Hà Nội|04102024||||', []],
  ['cccd-qr-inconsistent', 'Sex disagrees with the ID number', 'Giới tính khác với số định danh',
    '079305004321||Trần Thị Bình|01022005|Nam|12 Đường A, Phường B, Quận 1, TP. Hồ Chí Minh|20082022', ['inconsistent']],
]) {
  sample({
    id, group: 'cccd_qr', label: { en, vi }, payload, bytes: true,
    policy: { currentDate: null },
    expected: { state: 'unsigned', code: 'unsigned', warnings },
  });
}

// Public vectors (../shared/vectors): read now, never committed.
function vector(path) {
  const full = join(VECTORS, path);
  if (!existsSync(full)) throw new Error(`public vector ${full} is missing`);
  return readFileSync(full, 'utf8');
}

function publicVectors(name, build) {
  try {
    build();
  } catch (error) {
    if (process.env.CI === 'true') fail(`${name}: ${error.message}`);
    skipped.push(`${name} (${error.message})`);
  }
}

// EU DCC (dgc-testdata): ES256 signing certificates of the test set.
const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
function base45Decode(text) {
  const out = [];
  for (let i = 0; i < text.length; i += 3) {
    const c = [...text.slice(i, i + 3)].map((ch) => BASE45.indexOf(ch));
    if (c.includes(-1)) throw new Error('not base45');
    const n = c[0] + c[1] * 45 + (c.length === 3 ? c[2] * 2025 : 0);
    if (c.length === 3) out.push(n >> 8, n & 0xff);
    else out.push(n);
  }
  return Buffer.from(out);
}
function base45Encode(bytes) {
  let out = '';
  for (let i = 0; i < bytes.length; i += 2) {
    if (i + 1 < bytes.length) {
      let n = bytes[i] * 256 + bytes[i + 1];
      out += BASE45[n % 45]; n = Math.floor(n / 45);
      out += BASE45[n % 45]; out += BASE45[Math.floor(n / 45)];
    } else {
      out += BASE45[bytes[i] % 45] + BASE45[Math.floor(bytes[i] / 45)];
    }
  }
  return out;
}

publicVectors('EU DCC', () => {
  const de = JSON.parse(vector('eu-dcc/DE/2DCode/raw/1.json'));
  const deTest = JSON.parse(vector('eu-dcc/DE/2DCode/raw/2.json'));
  const at = JSON.parse(vector('eu-dcc/AT/2DCode/raw/1.json'));
  if (de.TESTCTX.CERTIFICATE !== deTest.TESTCTX.CERTIFICATE) throw new Error('DE/1 and DE/2 have different signers');
  // One name changed inside the signed payload, same length: only the signature can tell.
  const cose = inflateSync(base45Decode(de.PREFIX.slice(4)));
  const at1 = cose.indexOf('Mustermann');
  if (at1 < 0) throw new Error('DE/1 has no "Mustermann"');
  const forged = Buffer.from(cose);
  forged.write('Musterfrau', at1, 'utf8');
  const tampered = `HC1:${base45Encode(deflateSync(forged, { level: 9 }))}`;

  trust.push({
    id: 'eu-dcc-test',
    label: { en: 'EU DCC test signer, Germany (dgc-testdata)', vi: 'Chứng thư ký thử nghiệm EU DCC, Đức (dgc-testdata)' },
    source: '../shared/vectors/eu-dcc/DE/2DCode/raw/1.json',
    bundle: { issuers: [{ iss: 'DE', name: 'EU DCC test signing certificate, DE (dgc-testdata; TEST ONLY)', certificates: [de.TESTCTX.CERTIFICATE] }] },
  });
  group('eu_dcc', 'EU Digital COVID Certificate', 'Chứng nhận COVID kỹ thuật số EU', 'public vectors: eu-digital-green-certificates/dgc-testdata');
  const clock = de.TESTCTX.VALIDATIONCLOCK;
  sample({ id: 'dcc-de-vaccination', group: 'eu_dcc', label: { en: 'Vaccination, Germany', vi: 'Tiêm chủng, Đức' }, payload: de.PREFIX, policy: { currentDate: clock }, expected: { state: 'valid', code: null, warnings: [] } });
  sample({ id: 'dcc-de-test', group: 'eu_dcc', label: { en: 'Test result, Germany', vi: 'Kết quả xét nghiệm, Đức' }, payload: deTest.PREFIX, policy: { currentDate: deTest.TESTCTX.VALIDATIONCLOCK }, expected: { state: 'valid', code: null, warnings: [] } });
  sample({ id: 'dcc-de-tampered', group: 'eu_dcc', label: { en: 'Vaccination, name changed after signing', vi: 'Tiêm chủng, bị sửa tên sau khi ký' }, payload: tampered, policy: { currentDate: clock }, expected: { state: 'invalid', code: 'signature_invalid', warnings: [] } });
  sample({ id: 'dcc-de-expired', group: 'eu_dcc', label: { en: 'Vaccination, verified in March 2022: expired', vi: 'Tiêm chủng, xác minh vào tháng 3/2022: đã hết hạn' }, payload: de.PREFIX, policy: { currentDate: '2022-03-01T09:00:00Z' }, expected: { state: 'invalid', code: 'expired', warnings: [] } });
  sample({ id: 'dcc-at-unknown', group: 'eu_dcc', label: { en: 'Vaccination, Austria: signer not trusted', vi: 'Tiêm chủng, Áo: chứng thư ký không được tin cậy' }, payload: at.PREFIX, policy: { currentDate: at.TESTCTX.VALIDATIONCLOCK }, expected: { state: 'invalid', code: 'unknown_key', warnings: [] } });
});

// SMART Health Cards (spec examples), at a pinned time inside every example's validity.
publicVectors('SMART Health Cards', () => {
  const ISS = 'https://spec.smarthealth.cards/examples/issuer';
  const KID = '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s';
  const jwks = JSON.parse(vector('shc/examples/issuer/.well-known/jwks.json'));
  const crl = JSON.parse(vector(`shc/examples/issuer/.well-known/crl/${KID}.json`));
  const qr = (n, k = 0) => vector(`shc/examples/example-${n}-f-qr-code-numeric-value-${k}.txt`).trim();
  const jws = vector('shc/examples/example-00-d-jws.txt').trim();
  // One character of the signature changed, then written as numeric QR text.
  const [h, p, s] = jws.split('.');
  const i = Math.floor(s.length / 2);
  const forgedSig = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  const numeric = (text) => [...text].map((c) => String(c.charCodeAt(0) - 45).padStart(2, '0')).join('');
  const tampered = `shc:/${numeric(`${h}.${p}.${forgedSig}`)}`;
  // The first example's card, reissued by issuers of our own with TEST-ONLY keys: one the demo
  // trusts (a card with an expiry, valid then expired) and one it does not know.
  const example = JSON.parse(vector('shc/examples/example-00-c-jws-payload-minified.json'));
  const card = (signer, iss, times) => `shc:/${numeric(signer.sign({ zip: 'DEF' }, deflateRawSync(JSON.stringify({ ...example, iss, ...times }))))}`;
  const TEST_ISS = 'https://shc-issuer.test';
  const testIssuer = testKey('vneid-verify TEST-ONLY SMART Health Cards issuer key 1');
  const unknownIssuer = testKey('vneid-verify TEST-ONLY unknown SMART Health Cards issuer key 1');
  const withExpiry = (exp) => ({ nbf: unix('2023-06-01T00:00:00Z'), exp: unix(exp) });

  trust.push({
    id: 'shc-examples',
    label: { en: 'SMART Health Cards example issuer (spec examples)', vi: 'Bên phát hành mẫu SMART Health Cards (ví dụ của đặc tả)' },
    source: '../shared/vectors/shc/examples/issuer/.well-known',
    bundle: { issuers: [{ iss: ISS, name: 'SMART Health Cards example issuer (public test vector; TEST ONLY)', keys: jwks.keys, crls: [crl] }] },
  });
  trust.push({
    id: 'shc-test',
    label: { en: 'SMART Health Cards test issuer', vi: 'Bên phát hành SMART Health Cards thử nghiệm' },
    source: 'scripts/build-demo.mjs (TEST-ONLY key)',
    bundle: { issuers: [{ iss: TEST_ISS, name: 'SMART Health Cards test issuer (TEST ONLY, not a real issuer)', keys: [testIssuer.publicJwk] }] },
  });
  group('shc', 'SMART Health Cards', 'SMART Health Cards', 'public vectors: smart-on-fhir/health-cards examples');
  const at = new Date(1_700_000_000 * 1000).toISOString();
  sample({ id: 'shc-00', group: 'shc', label: { en: 'Immunizations, one QR', vi: 'Tiêm chủng, một mã QR' }, payload: qr('00'), policy: { currentDate: at }, expected: { state: 'valid', code: null, warnings: [] } });
  sample({ id: 'shc-02-chunks', group: 'shc', label: { en: 'Large card in three QR codes: read each one', vi: 'Thẻ lớn gồm ba mã QR: đọc lần lượt từng mã' }, chunks: [qr('02', 0), qr('02', 1), qr('02', 2)], policy: { currentDate: at }, expected: { state: 'valid', code: null, warnings: [] } });
  sample({ id: 'shc-03-revoked', group: 'shc', label: { en: 'Revoked by its issuer', vi: 'Đã bị bên phát hành thu hồi' }, payload: qr('03'), policy: { currentDate: at }, expected: { state: 'invalid', code: 'revoked', warnings: [] } });
  sample({ id: 'shc-00-tampered', group: 'shc', label: { en: 'Signature changed', vi: 'Chữ ký bị sửa' }, payload: tampered, policy: { currentDate: at }, expected: { state: 'invalid', code: 'signature_invalid', warnings: [] } });
  sample({ id: 'shc-test-issuer-valid', group: 'shc', label: { en: 'From the test issuer, valid until June 2024', vi: 'Của bên phát hành thử nghiệm, hiệu lực đến tháng 6/2024' }, payload: card(testIssuer, TEST_ISS, withExpiry('2024-06-01T00:00:00Z')), policy: { currentDate: at }, expected: { state: 'valid', code: null, warnings: [] } });
  sample({ id: 'shc-test-issuer-expired', group: 'shc', label: { en: 'From the test issuer, expired in September 2023', vi: 'Của bên phát hành thử nghiệm, hết hạn tháng 9/2023' }, payload: card(testIssuer, TEST_ISS, withExpiry('2023-09-01T00:00:00Z')), policy: { currentDate: at }, expected: { state: 'invalid', code: 'expired', warnings: [] } });
  sample({ id: 'shc-unknown-issuer', group: 'shc', label: { en: 'From an issuer not in the trust list', vi: 'Của một bên phát hành không có trong danh sách tin cậy' }, payload: card(unknownIssuer, 'https://shc.unknown-issuer.test', {}), policy: { currentDate: at }, expected: { state: 'invalid', code: 'unknown_issuer', warnings: [] } });
});

// ICAO VDS-NC: the UTO example seal, its signer certificate pinned (its CSCA is not published).
publicVectors('ICAO VDS-NC', () => {
  const [uto] = JSON.parse(vector('vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json'));
  const der = Buffer.from(uto.sig.cer.replace(/=+$/, ''), 'base64url').toString('base64');
  const changed = structuredClone(uto);
  changed.data.msg.pid.dob = '1991-01-02';
  trust.push({
    id: 'vds-nc-test',
    label: { en: 'VDS-NC example signer, “Utopia” (pinned certificate)', vi: 'Chứng thư ký mẫu VDS-NC, “Utopia” (ghim chứng thư)' },
    source: '../shared/vectors/vds-nc',
    bundle: { anchors: [der] },
  });
  group('vds_nc', 'ICAO VDS-NC (visible digital seal)', 'ICAO VDS-NC (con dấu số)', 'public vectors: andypandy47/VDS-NC-Dotnet');
  const at = new Date(1_700_000_000 * 1000).toISOString();
  sample({ id: 'vds-nc-uto', group: 'vds_nc', label: { en: 'Proof of vaccination', vi: 'Chứng nhận tiêm chủng' }, payload: JSON.stringify(uto), policy: { currentDate: at }, expected: { state: 'valid', code: null, warnings: [] } });
  sample({ id: 'vds-nc-uto-tampered', group: 'vds_nc', label: { en: 'Date of birth changed after signing', vi: 'Ngày sinh bị sửa sau khi ký' }, payload: JSON.stringify(changed), policy: { currentDate: at }, expected: { state: 'invalid', code: 'signature_invalid', warnings: [] } });
});

// Revoked by a status list (draft-ietf-oauth-status-list): an ID token of the test provider
// naming entry 7 of the provider's status list, and the list (1 bit an entry, entry 7 set),
// signed by the same TEST-ONLY key and carried in the signed trust bundle below.
const statusLists = [];
{
  const ISS = 'https://login.oidc.test';
  const LIST = 'https://login.oidc.test/statuslists/1';
  const key = testKey('vneid-verify TEST-ONLY OpenID Connect provider key 1', 'test-oidc-key-1');
  const entries = new Uint8Array(128); // 1,024 entries of 1 bit, the first at the low bit
  const REVOKED = 7;
  entries[REVOKED >> 3] |= 1 << (REVOKED & 7);
  statusLists.push(key.sign({ typ: 'statuslist+jwt' }, JSON.stringify({
    sub: LIST, iss: ISS, iat: unix('2026-06-01T00:00:00Z'), exp: unix('2036-01-01T00:00:00Z'),
    status_list: { bits: 1, lst: deflateSync(entries, { level: 9 }).toString('base64url') },
  })));
  const issuedAt = unix('2026-06-01T03:00:00Z');
  const idToken = (idx) => key.sign({ typ: 'JWT' }, JSON.stringify({
    iss: ISS, sub: 'test-user-4821', aud: 'https://clinic.example', iat: issuedAt, exp: issuedAt + 3600,
    auth_time: issuedAt - 30, name: 'Lê Thị Hoa', status: { status_list: { idx, uri: LIST } },
  }));
  const policy = { currentDate: '2026-06-01T03:02:00Z', audience: 'https://clinic.example' };
  sample({ id: 'jwt-oidc-status-valid', group: 'jwt', label: { en: 'ID token with a status-list entry, not revoked', vi: 'ID token có mục trong danh sách trạng thái, chưa bị thu hồi' }, payload: idToken(REVOKED - 1), policy, expected: { state: 'valid', code: null, warnings: [] } });
  sample({ id: 'jwt-oidc-status-revoked', group: 'jwt', label: { en: 'ID token revoked by the provider’s status list', vi: 'ID token bị thu hồi theo danh sách trạng thái của nhà cung cấp' }, payload: idToken(REVOKED), policy, expected: { state: 'invalid', code: 'revoked', warnings: [] } });
}

// The samples' trust ships as one signed trust bundle (docs/trust.md), version 1, signed by the
// demo's TEST-ONLY root; the page is pinned to that root and keeps the highest version it
// accepted in the browser's storage. The root's secret is SHA-256 of a public label like every
// sample key's, and its private JWK is published on purpose (trust-root.private.json, not
// served to the page's code): it lets anyone try a newer bundle, and proves nothing.
const TRUST_ROOT_LABEL = 'vneid-verify demo: the sample trust root 1 (TEST ONLY)';
const trustRoot = testKey(TRUST_ROOT_LABEL, 'demo-test-root-1');
const trustRoots = { keys: [(({ kty, crv, x, y, kid }) => ({ kty, crv, x, y, kid }))(trustRoot.publicJwk)], threshold: 1 };
/** The samples' bundles as one: issuers and anchors side by side, the status lists added. */
function sampleBundle() {
  const merged = { issuers: [], anchors: [], status_lists: statusLists };
  for (const t of trust) {
    merged.issuers.push(...(t.bundle.issuers ?? []));
    merged.anchors.push(...(t.bundle.anchors ?? []));
    if (t.bundle.revoked) (merged.revoked ??= []).push(...t.bundle.revoked);
  }
  return merged;
}
/** A signed trust bundle (the JWS general JSON serialization of docs/trust.md) by `signer`. */
function signTrustBundle(signer, payload) {
  const [protectedHeader, body, signature] = signer.sign({ typ: 'vneid-trust+json' }, JSON.stringify(payload)).split('.');
  return JSON.stringify({ payload: body, signatures: [{ protected: protectedHeader, signature }] });
}
const signedTrust = {
  label: { en: 'Sample issuers, signed trust bundle', vi: 'Bên phát hành mẫu, gói tin cậy có chữ ký' },
  source: 'scripts/build-demo.mjs: every sample issuer above, signed by the TEST-ONLY demo root',
  roots: trustRoots,
  // Issued before the demo's "now" and after none of its samples matter: a bundle's dates bound
  // the verifying time, not the samples' own times. Valid until 2036.
  bundle: signTrustBundle(trustRoot, {
    version: 1, issued: unix('2026-01-01T00:00:00Z'), expires: unix('2036-01-01T00:00:00Z'), ...sampleBundle(),
  }),
};

rmSync(GALLERY, { recursive: true, force: true });
mkdirSync(GALLERY, { recursive: true });
for (const s of samples) {
  const texts = s.chunks ?? [s.payload];
  s.images = [];
  for (const [k, text] of texts.entries()) {
    const name = texts.length > 1 ? `${s.id}-${k + 1}.png` : `${s.id}.png`;
    writeFileSync(join(GALLERY, name), await qrPng(text, { bytes: s.bytes === true }));
    s.images.push(`gallery/${name}`);
  }
  delete s.qr;
  delete s.bytes;
}
writeFileSync(join(GALLERY, 'gallery.json'), `${JSON.stringify({
  note: 'Built by scripts/build-demo.mjs. TEST samples: test keys and public test vectors only; every person is invented or a test persona.',
  groups: groups.filter((g) => samples.some((s) => s.group === g.id)),
  trust,
  signedTrust,
  samples,
}, null, 1)}\n`);
writeFileSync(join(GALLERY, 'trust-root.private.json'), `${JSON.stringify({
  testOnly: 'TEST ONLY: the demo page’s sample trust root, a public test key; sign newer sample bundles with it',
  label: TRUST_ROOT_LABEL,
  privateJwk: { ...trustRoots.keys[0], d: createHash('sha256').update(TRUST_ROOT_LABEL, 'ascii').digest().toString('base64url') },
  roots: trustRoots,
}, null, 1)}\n`);

// ---- The bank counter's issuer ----------------------------------------------------------------
// The demo wallet (bank.html) has its credential issued in the browser by this TEST-ONLY key,
// whose secret is SHA-256 of a public label like every sample key's; the bank counter trusts it,
// nothing else does. Its private JWK is published on purpose: it proves nothing.
{
  const label = 'vneid-verify demo: the bank counter wallet issuer (TEST ONLY)';
  const key = testKey(label, 'vn-demo1');
  const secret = createHash('sha256').update(label, 'ascii').digest();
  const { kty, crv, x, y } = key.publicJwk;
  const iss = 'https://id.vneid.test';
  writeFileSync(join(GALLERY, 'wallet-issuer.json'), `${JSON.stringify({
    testOnly: 'TEST ONLY: a public test key, never to be trusted outside this demo',
    iss,
    kid: key.kid,
    privateJwk: { kty, crv, x, y, d: Buffer.from(secret).toString('base64url') },
    trust: { issuers: [{ iss, name: 'VNeID demo wallet issuer (TEST ONLY)', keys: [key.publicJwk] }] },
  }, null, 1)}\n`);
}

// ---- 3. The offline cache ------------------------------------------------------------------------
/** Every file under `dir` (relative paths with /), skipping names that start with a dot. */
function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    if (name.startsWith('.')) return [];
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}
if (!existsSync(join(PKG, 'vneid_verify_bg.wasm'))) fail('pkg/ is not built: run npm run build first');
const served = [
  ...walk(DEMO).filter((f) => !f.endsWith(`${sep}precache.json`) && !f.endsWith(`${sep}LICENSE`) && !f.endsWith('.txt'))
    .map((f) => [f, relative(DEMO, f).split(sep).join('/')]),
  ...['vneid_verify.js', 'vneid_verify_glue.js', 'vneid_verify_bg.wasm'].map((f) => [join(PKG, f), `pkg/${f}`]),
];
const hash = createHash('sha256');
for (const [file, url] of served.sort((a, b) => a[1].localeCompare(b[1]))) {
  hash.update(url).update('\0').update(readFileSync(file)).update('\0');
}
const files = ['./', ...served.map(([, url]) => `./${url}`).filter((u) => u !== './index.html' && u !== './sw.js')];
writeFileSync(join(DEMO, 'precache.json'), `${JSON.stringify({ version: hash.digest('hex').slice(0, 16), files }, null, 1)}\n`);

const bytes = (f) => statSync(f).size;
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;
console.log(`build-demo: ${samples.length} samples in ${groups.length} groups, ${samples.reduce((n, s) => n + s.images.length, 0)} QR images; ` +
  `decoder zxing-wasm ${zxingVersion} (${kib(bytes(join(VENDOR, 'reader', 'zxing_reader.wasm')) + bytes(join(VENDOR, 'es', 'reader', 'index.js')) + bytes(join(VENDOR, 'es', 'share.js')))}); ` +
  `${files.length} files precached`);
for (const s of skipped) console.warn(`build-demo: WARNING: left out ${s}`);
