// vneid-verify/tokens, the tokens-only build (pkg/tokens/, cargo features `sd-jwt` only): the same
// API, verifying JWTs, VNeID tokens and SD-JWT VCs exactly as the full package does, and refusing
// every other format as `format_not_allowed` (it links no CBOR, COSE, X.509, FHIR or RSA).
// The packed package's `vneid-verify/tokens` subpath is tested in package.test.mjs and
// tests/consumers; its size budget in size.test.mjs.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { PKG, ROOT, Verifier as FullVerifier } from './pkg.mjs';
import { AUDIENCE, NOW, makeIssuer, tamperSignature, vneidClaims } from './fixtures.mjs';

if (!existsSync(`${PKG}tokens/node.js`)) {
  throw new Error(`${PKG}tokens/ is missing: run "npm run build"`);
}
const { Verifier, formats } = await import('../../pkg/tokens/node.js');

const issuer = await makeIssuer();
const token = await issuer.sign(vneidClaims());
const options = { audience: AUDIENCE, currentDate: NOW };

describe('vneid-verify/tokens', () => {
  test('verifies a VNeID token to the same verdict as the full package', () => {
    const verdict = new Verifier(issuer.trust, options).verify(token);
    assert.equal(verdict.valid, true, `${verdict.code} ${verdict.message}`);
    assert.equal(verdict.format, 'vneid_token');
    assert.equal(verdict.level, 2);
    assert.deepEqual(verdict, new FullVerifier(issuer.trust, options).verify(token));
  });

  test('refuses a forged signature and alg none', async () => {
    const verifier = new Verifier(issuer.trust, options);
    assert.equal(verifier.verify(tamperSignature(token)).code, 'signature_invalid');
    const [, payload] = token.split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    assert.notEqual(verifier.verify(none).valid, true);
  });

  test('verifies an SD-JWT VC (the RFC 9901 example without key binding)', () => {
    const vectors = `${ROOT}../shared/vectors/sd-jwt/`;
    const settings = readFileSync(`${vectors}settings.yml`, 'utf8');
    const block = settings.slice(settings.indexOf('issuer_key:'));
    const field = (name) => block.match(new RegExp(`\\n\\s+${name}: (\\S+)`))[1];
    const folder = `${vectors}address_only_flat/`;
    const { iss } = JSON.parse(readFileSync(`${folder}sd_jwt_payload.json`, 'utf8'));
    const trust = { issuers: [{ iss, keys: [{ kty: 'EC', crv: 'P-256', x: field('x'), y: field('y') }] }] };
    const verifier = new Verifier(trust, { holderBinding: 'optional', currentDate: new Date(1_796_412_083_000) });
    const verdict = verifier.verify(readFileSync(`${folder}sd_jwt_presentation.txt`, 'utf8'));
    assert.equal(verdict.valid, true, `${verdict.code} ${verdict.message}`);
    assert.equal(verdict.format, 'sd_jwt_vc');
    assert.deepEqual(verdict.claims, JSON.parse(readFileSync(`${folder}verified_contents.json`, 'utf8')));
  });

  test('refuses every other format as format_not_allowed, and the next call still works', () => {
    const verifier = new Verifier(issuer.trust, options);
    const others = {
      eu_dcc: 'HC1:NCFOXN%TS3DH3ZSUZK',
      vneid_document: 'VN1:6BFOXN*TS0BI$ZD4N9',
      vneid_presentation: 'VNP1:6BFOXN*TS0BI$ZD4N9',
      shc: 'shc:/567629095243206034602924374044603122295953265460',
      vds_nc: '{"data":{"hdr":{"is":"UTO"},"msg":{}},"sig":{"alg":"ES256","cer":"","sigvl":""}}',
      cccd_qr: '079305004321||Trần Thị Bình|01022005|Nữ|12 Đường A|20082022',
    };
    for (const [format, payload] of Object.entries(others)) {
      const verdict = verifier.verify(payload);
      assert.equal(verdict.valid, false, format);
      assert.equal(verdict.format, format, format);
      assert.equal(verdict.code, 'format_not_allowed', `${format}: ${verdict.message}`);
      assert.match(verdict.message ?? '', new RegExp(`does not verify ${format}`), format);
    }
    assert.equal(verifier.verify(token).valid, true);
    assert.ok(formats().includes('eu_dcc'), 'formats() lists every format a verdict can report');
  });

  test('refuses X.509 certificates in trust input (it reads JWKs only)', () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.alloc(64, 1).toString('base64')}\n-----END CERTIFICATE-----`;
    assert.throws(() => new Verifier({ anchors: [pem] }), /does not read X\.509 certificates/);
  });

  test('is smaller than the full package', () => {
    const tokens = readFileSync(`${PKG}tokens/vneid_verify_bg.wasm`).length;
    const full = readFileSync(`${PKG}vneid_verify_bg.wasm`).length;
    assert.ok(tokens < full * 0.8, `tokens ${tokens} bytes, full ${full} bytes`);
  });
});
