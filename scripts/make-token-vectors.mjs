#!/usr/bin/env node
// Regenerates tests/vectors/vneid-token/ with the native reference issuer (`vneid-verify issue
// token`): VNeID identity tokens for the demo page's gallery and the tests — valid level 2,
// level 1 (rejected under a level-2 policy), expired, tampered, unknown issuer, and one whose
// name disagrees with the ID number.
//
// Deterministic: the TEST-ONLY keys are derived from public labels (the secret scalar is the
// SHA-256 of the label), the times are fixed and ES256 signing uses RFC 6979 nonces, so running
// this again reproduces the files byte for byte. No private key is ever written to the
// repository; the script hands each one to the CLI through a temporary file and deletes it.
//
//   node scripts/make-token-vectors.mjs          # builds the CLI (cargo, release) if needed
//   VNEID_CLI=target/debug/vneid-verify node scripts/make-token-vectors.mjs

import { spawnSync } from 'node:child_process';
import { createECDH, createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(root, 'tests', 'vectors', 'vneid-token');

export const ISSUER = 'https://id.vneid.test';
export const UNKNOWN_ISSUER = 'https://id.unknown-issuer.test';
export const AUDIENCE = 'https://bank.example';
/** Every token is issued at this time and verified two minutes later (10:02 in Hà Nội). */
const ISSUED_AT = Date.parse('2026-06-01T03:00:00Z') / 1000;
const VERIFY_AT = '2026-06-01T03:02:00Z';
const TTL = 600; // VNeID tokens are short-lived: ten minutes

const KEYS = {
  trusted: { label: 'vneid-verify TEST-ONLY token issuer key 1', kid: 'test-token-key-1' },
  unknown: { label: 'vneid-verify TEST-ONLY unknown token issuer key 1', kid: 'test-unknown-issuer-key-1' },
};

/** A P-256 private JWK whose secret scalar is SHA-256(label): reproducible, and public knowledge. */
function testKey({ label, kid }) {
  const d = createHash('sha256').update(label, 'ascii').digest();
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey(); // 04 || x || y
  const b64 = (bytes) => Buffer.from(bytes).toString('base64url');
  return {
    kty: 'EC', crv: 'P-256', kid, use: 'sig', alg: 'ES256',
    x: b64(point.subarray(1, 33)), y: b64(point.subarray(33, 65)), d: b64(d),
  };
}

function cli() {
  if (process.env.VNEID_CLI) return process.env.VNEID_CLI;
  const built = join(root, 'target', 'release', 'vneid-verify');
  const r = spawnSync('cargo', ['build', '--release', '--quiet', '--package', 'vneid-verify-cli'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(built)) throw new Error('cargo build --release failed');
  return built;
}

const person = { sub: '001099001234', name: 'Nguyễn Văn An', birthdate: '1999-03-15', gender: 'male' };

/** name, description, key, claims (without iss/iat/exp unless overridden), expected verdict. */
const CASES = [
  {
    name: 'token-valid-level2', key: 'trusted',
    description: 'Level 2 identity token for the bank, verified two minutes after issue',
    descriptionVi: 'Mã định danh mức 2 cho ngân hàng, xác minh hai phút sau khi phát hành',
    claims: { ...person, acr: 'urn:vneid:level:2', jti: 'test-token-0001' },
    expected: { valid: true, code: null, warnings: [] },
  },
  {
    name: 'token-level1-under-level2', key: 'trusted',
    description: 'A valid level 1 token, but the policy requires level 2',
    descriptionVi: 'Mã mức 1 hợp lệ, nhưng chính sách yêu cầu mức 2',
    claims: { sub: '079305004321', name: 'Trần Thị Bình', birthdate: '2005-02-01', gender: 'female', acr: 'urn:vneid:level:1', jti: 'test-token-0002' },
    expected: { valid: false, code: 'level_too_low', warnings: [] },
  },
  {
    name: 'token-expired', key: 'trusted',
    description: 'Issued an hour earlier with a ten-minute lifetime: expired',
    descriptionVi: 'Phát hành trước đó một giờ, hiệu lực mười phút: đã hết hạn',
    claims: { ...person, acr: 'urn:vneid:level:2', jti: 'test-token-0003' },
    issuedAt: ISSUED_AT - 3600,
    expected: { valid: false, code: 'expired', warnings: [] },
  },
  {
    name: 'token-tampered', key: 'trusted',
    description: 'The level-2 token with its subject changed after signing',
    descriptionVi: 'Mã mức 2 bị sửa số định danh sau khi ký',
    claims: { ...person, acr: 'urn:vneid:level:2', jti: 'test-token-0004' },
    tamper: { sub: '001099009999' },
    expected: { valid: false, code: 'signature_invalid', warnings: [] },
  },
  {
    name: 'token-unknown-issuer', key: 'unknown', iss: UNKNOWN_ISSUER,
    description: 'Signed by an issuer the trust store does not list',
    descriptionVi: 'Do một bên phát hành không có trong danh sách tin cậy ký',
    claims: { ...person, acr: 'urn:vneid:level:2', jti: 'test-token-0005' },
    expected: { valid: false, code: 'unknown_issuer', warnings: [] },
  },
  {
    name: 'token-gender-mismatch-warning', key: 'trusted',
    description: 'Valid, but gender disagrees with the sex encoded in the ID number: a warning',
    descriptionVi: 'Hợp lệ, nhưng giới tính khác với giới tính trong số định danh: có cảnh báo',
    claims: { sub: '079305004321', name: 'Trần Thị Bình', birthdate: '2005-02-01', gender: 'male', acr: 'urn:vneid:level:2', jti: 'test-token-0006' },
    expected: { valid: true, code: null, warnings: ['gender_mismatch'] },
  },
];

function main() {
  const binary = cli();
  const keys = Object.fromEntries(Object.entries(KEYS).map(([k, spec]) => [k, testKey(spec)]));
  const scratch = mkdtempSync(join(tmpdir(), 'vneid-token-keys-'));
  try {
    const keyFiles = {};
    for (const [k, jwk] of Object.entries(keys)) {
      keyFiles[k] = join(scratch, `${k}.json`);
      writeFileSync(keyFiles[k], JSON.stringify(jwk), { mode: 0o600 });
    }
    const vectors = CASES.map((c) => {
      const iat = c.issuedAt ?? ISSUED_AT;
      const claims = { iss: c.iss ?? ISSUER, aud: AUDIENCE, iat, exp: iat + TTL, ...c.claims };
      const r = spawnSync(binary, ['issue', 'token', '--key', keyFiles[c.key], '--claims', JSON.stringify(claims)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`issue token ${c.name}: ${r.stderr}`);
      let token = r.stdout.trim();
      if (c.tamper) {
        const [h, p, s] = token.split('.');
        const changed = { ...JSON.parse(Buffer.from(p, 'base64url').toString('utf8')), ...c.tamper };
        token = [h, Buffer.from(JSON.stringify(changed)).toString('base64url'), s].join('.');
      }
      return {
        name: c.name, description: c.description, descriptionVi: c.descriptionVi, token,
        at: VERIFY_AT, audience: AUDIENCE, minLevel: 2, expected: c.expected,
      };
    });
    const publicJwk = ({ d, ...pub }) => pub;
    const trust = {
      issuers: [{
        iss: ISSUER,
        name: 'VNeID test token issuer (TEST ONLY, not a real issuer)',
        keys: [{ ...publicJwk(keys.trusted), nbf: Date.parse('2026-01-01T00:00:00Z') / 1000, exp: Date.parse('2031-01-01T00:00:00Z') / 1000 }],
      }],
    };
    mkdirSync(OUT, { recursive: true });
    writeFileSync(join(OUT, 'test-issuer.trust.json'), `${JSON.stringify(trust, null, 2)}\n`);
    writeFileSync(join(OUT, 'vectors.json'), `${JSON.stringify({
      note: 'TEST vectors signed with TEST-ONLY keys (scripts/make-token-vectors.mjs); every person and number is invented.',
      profile: 'VNeID identity token (docs/profiles/vneid-token.md)',
      trust: 'test-issuer.trust.json',
      vectors,
    }, null, 2)}\n`);
    console.log(`make-token-vectors: wrote ${vectors.length} vectors to ${OUT}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main();
