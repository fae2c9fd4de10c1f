// The document QR formats through the WebAssembly package in Node, on the public vectors in
// ../shared/vectors (a missing file fails the test): SMART Health Cards in every form, chunks,
// revocation, the VDS-NC seals, and the unsigned ID card QR. The same outcomes as the Rust
// tests, proven again through the package users install.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ROOT, Verifier } from './pkg.mjs';

const VECTORS = join(ROOT, '..', 'shared', 'vectors');
function vector(relative) {
  const path = join(VECTORS, relative);
  assert.ok(existsSync(path), `conformance vector ${path} is missing`);
  return readFileSync(path, 'utf8');
}

const currentDate = new Date(1_700_000_000 * 1000); // inside every vector's validity
const SHC_ISS = 'https://spec.smarthealth.cards/examples/issuer';
const KID = '3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s';
const jwks = JSON.parse(vector('shc/examples/issuer/.well-known/jwks.json'));
const crl = JSON.parse(vector(`shc/examples/issuer/.well-known/crl/${KID}.json`));
const shc = new Verifier({ iss: SHC_ISS, keys: jwks.keys }, { currentDate });
const shcWithCrl = new Verifier({ iss: SHC_ISS, keys: jwks.keys, crls: [crl] }, { currentDate });
const jws = (n) => vector(`shc/examples/example-${n}-d-jws.txt`).trim();
const qr = (n, k = 0) => vector(`shc/examples/example-${n}-f-qr-code-numeric-value-${k}.txt`).trim();
const file = (n) => vector(`shc/examples/example-${n}-e-file.smart-health-card`);

describe('SMART Health Cards', () => {
  test('the four examples verify as JWS, file and QR', () => {
    for (const n of ['00', '01', '02', '03']) {
      const chunks = n === '02' ? [qr(n, 0), qr(n, 1), qr(n, 2)].join('\n') : qr(n);
      for (const payload of [jws(n), file(n), chunks]) {
        const v = shc.verify(payload);
        assert.equal(v.valid, true, `${n}: ${v.code} ${v.message}`);
        assert.equal(v.format, 'shc');
        assert.equal(v.issuer, SHC_ISS);
      }
    }
  });

  test('the document reads like the card', () => {
    const v = shc.verify(qr('00'));
    assert.equal(v.document.type, 'shc');
    assert.deepEqual(v.document.fields.patient, { name: 'John B. Anyperson', birthDate: '1951-01-20' });
    assert.deepEqual(v.document.fields.immunizations.map((i) => i.date), ['2021-01-01', '2021-01-29', '2022-09-05']);
    assert.equal(v.notBefore, 1687450764.656);
  });

  test('chunks in any order; missing and repeated chunks have their own codes', () => {
    const [c1, c2, c3] = [0, 1, 2].map((k) => qr('02', k));
    assert.equal(shc.verify(`${c3}\n${c1}\n${c2}`).valid, true);
    const missing = shc.verify(`${c1}\n${c3}`);
    assert.equal(missing.code, 'chunks_incomplete');
    assert.match(missing.message, /missing 2/);
    assert.equal(shc.verify(`${c1}\n${c2}\n${c2}\n${c3}`).code, 'chunk_invalid');
  });

  test('example 03 is revoked by its issuer\'s list', () => {
    assert.equal(shc.verify(jws('03')).valid, true);
    const v = shcWithCrl.verify(jws('03'));
    assert.equal(v.code, 'revoked');
    assert.equal(v.claims, null);
  });

  test('negatives: DER signature, tampered signature, bad numeric text, too long for one QR', () => {
    const [h, p, s] = jws('00').split('.');
    const raw = Buffer.from(s, 'base64url');
    const int = (x) => {
      let v = [...x];
      while (v.length > 1 && v[0] === 0) v.shift();
      if (v[0] & 0x80) v = [0, ...v];
      return [0x02, v.length, ...v];
    };
    const body = [...int(raw.subarray(0, 32)), ...int(raw.subarray(32))];
    const der = Buffer.from([0x30, body.length, ...body]).toString('base64url');
    assert.equal(shc.verify(`${h}.${p}.${der}`).code, 'signature_malformed');
    const flipped = Buffer.from(raw);
    flipped[10] ^= 1;
    assert.equal(shc.verify(`${h}.${p}.${flipped.toString('base64url')}`).code, 'signature_invalid');
    assert.equal(shc.verify(qr('00').slice(0, -1)).code, 'numeric_invalid');
    const digits = [...jws('02')].map((c) => String(c.charCodeAt(0) - 45).padStart(2, '0')).join('');
    assert.equal(shc.verify(`shc:/${digits}`).code, 'chunk_invalid');
  });
});

describe('ICAO VDS-NC', () => {
  const [uto, aus] = JSON.parse(vector('vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json'));
  const csca = vector('vds-nc/au-root/csca_au_rs4096.cer');

  test('a seal without its country signing CA does not chain', () => {
    const v = new Verifier({ anchors: [csca] }, { currentDate }).verify(JSON.stringify(uto));
    assert.equal(v.format, 'vds_nc');
    assert.equal(v.code, 'chain_invalid');
  });

  test('a pinned signer certificate verifies, and changed data does not', () => {
    const der = Buffer.from(uto.sig.cer.replace(/=+$/, ''), 'base64url').toString('base64');
    const pinned = new Verifier({ anchors: [der] }, { currentDate });
    const v = pinned.verify(JSON.stringify(uto));
    assert.equal(v.valid, true, `${v.code} ${v.message}`);
    assert.equal(v.document.fields.issuingState, 'UTO');
    assert.deepEqual(v.claims, uto.data);
    const changed = structuredClone(uto);
    changed.data.msg.pid.dob = '1991-01-02';
    assert.equal(pinned.verify(JSON.stringify(changed)).code, 'signature_invalid');
  });

  test('the Australian seal verifies with its RSA CSCA (the package has RSA)', () => {
    const v = new Verifier({ anchors: [csca] }, { currentDate }).verify(JSON.stringify(aus));
    assert.equal(v.valid, true, `${v.code} ${v.message}`);
    // The issuer identity is the issuing state; the authority it chained to is the signer's.
    assert.equal(v.issuer, 'AUS');
    assert.equal(v.document.fields.signer.trustedAuthority, 'CN=Passport Country Signing Authority, O=GOV, C=AU');
  });
});

describe('ID card QR', () => {
  const verifier = new Verifier({ issuers: [] }, { currentDate });

  test('read, never valid, with typed fields and no display text (labels are the caller’s)', () => {
    const v = verifier.verify('079305004321||Trần Thị Bình|01022005|Nữ|12 Đường A, Phường B, Quận 1, TP. Hồ Chí Minh|20082022');
    assert.equal(v.valid, false);
    assert.equal(v.format, 'cccd_qr');
    assert.equal(v.code, 'unsigned');
    assert.equal(v.document.fields.fullName, 'Trần Thị Bình');
    assert.equal(v.document.fields.sex, 'female');
    assert.equal(v.document.fields.dateOfBirth, '2005-02-01');
    assert.equal(v.document.fields.cardType, 'cccd');
    assert.equal(v.document.fields.display, undefined);
    assert.equal(v.document.fields.cardTypeLabel, undefined);
    assert.deepEqual(v.warnings, []);
  });

  test('inconsistencies are warnings', () => {
    const v = verifier.verify('001099001234|012345678|Nguyễn Thị An|15031999|Nữ|Hà Nội|10052021');
    assert.equal(v.code, 'unsigned');
    assert.deepEqual(v.warnings.map((w) => w.code), ['inconsistent']);
  });
});

describe('the trust files users already have', () => {
  const dcc = JSON.parse(vector('eu-dcc/AT/2DCode/raw/1.json'));
  const dccDate = new Date(dcc.TESTCTX.VALIDATIONCLOCK);
  const der = Buffer.from(dcc.TESTCTX.CERTIFICATE, 'base64');
  const pem = `-----BEGIN CERTIFICATE-----\n${dcc.TESTCTX.CERTIFICATE.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;

  test('a published JWKS (no iss) loads for the issuer option, as jose\'s local key sets do', () => {
    const published = vector('shc/examples/issuer/.well-known/jwks.json');
    for (const trust of [published, JSON.parse(published)]) {
      const verdict = new Verifier(trust, { issuer: SHC_ISS, currentDate }).verify(jws('00'));
      assert.equal(verdict.valid, true, verdict.message);
      assert.equal(verdict.issuer, SHC_ISS);
    }
    // Without an issuer the keys bind to nothing: refused, never trusted for any issuer.
    assert.throws(() => new Verifier(published, { currentDate }), (e) => {
      assert.equal(e.code, 'trust_invalid');
      assert.match(e.message, /issuer/);
      return true;
    });
  });

  test('a PS256 EU DCC (RSA-2048, common/CO1) verifies out of the box', () => {
    const ps = JSON.parse(vector('eu-dcc/common/2DCode/raw/CO1.json'));
    const verifier = new Verifier(Buffer.from(ps.TESTCTX.CERTIFICATE, 'base64'), { currentDate: new Date(ps.TESTCTX.VALIDATIONCLOCK) });
    const verdict = verifier.verify(ps.PREFIX);
    assert.equal(verdict.valid, true, `${verdict.code} ${verdict.message}`);
    assert.equal(verdict.format, 'eu_dcc');
    assert.deepEqual(verdict.claims.hcert['1'], ps.JSON);
  });

  test('an EU DCC signing certificate loads as PEM text or DER bytes, bound to its country', () => {
    for (const trust of [pem, new Uint8Array(der)]) {
      const verifier = new Verifier(trust, { currentDate: dccDate });
      assert.deepEqual(verifier.trustedKeys().map((k) => k.issuer), ['AT']);
      const verdict = verifier.verify(dcc.PREFIX);
      assert.equal(verdict.valid, true, verdict.message);
    }
    const named = new Verifier(pem, { issuer: 'AT', currentDate: dccDate });
    assert.equal(named.verify(dcc.PREFIX).valid, true);
  });
});
