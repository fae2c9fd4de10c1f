// The Verifier through the built package in Node: the same behaviour as the Rust tests, with
// exact codes. Fixtures are signed with jose by a throwaway issuer (fixtures.mjs).

import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { before, describe, test } from 'node:test';

import {
  AUDIENCE, ISSUER, KID, NOW, NOW_S, algNoneToken, hs256Token, makeIssuer, tamperSignature,
  vneidClaims, withClaims,
} from './fixtures.mjs';
import { Verifier, errorCodes } from './pkg.mjs';

const VERDICT_KEYS = [
  'valid', 'format', 'code', 'message', 'messageVi', 'detail', 'issuer', 'kid', 'subject', 'level',
  'issuedAt', 'notBefore', 'expiresAt', 'claims', 'document', 'holder', 'holderBinding', 'warnings',
].sort();
const KNOWN_CODES = new Set(errorCodes().map((c) => c.code));

let issuer; // the trusted issuer
let stranger; // an issuer nobody trusts
let token; // a valid VNeID level-2 token from `issuer`
let verifier; // trusts `issuer`, expects AUDIENCE, verifies at NOW

before(async () => {
  issuer = await makeIssuer();
  stranger = await makeIssuer({ iss: 'https://not-trusted.example', kid: KID });
  token = await issuer.sign();
  verifier = new Verifier(issuer.trust, { audience: AUDIENCE, currentDate: NOW });
});

/** Asserts a rejection with exactly `code`, and that nothing from the payload is presented. */
function assertRejected(verdict, code) {
  assert.equal(verdict.valid, false, `expected ${code}, got a valid verdict`);
  assert.equal(verdict.code, code, verdict.message);
  assert.ok(KNOWN_CODES.has(verdict.code));
  assert.equal(verdict.issuer, null);
  assert.equal(verdict.subject, null);
  assert.equal(verdict.level, null);
  assert.equal(verdict.claims, null);
  assert.ok(verdict.message.length > 0 && verdict.messageVi.length > 0);
}

describe('a valid token', () => {
  test('is verified with its issuer, subject, level, key and claims', () => {
    const verdict = verifier.verify(token);
    assert.deepEqual(Object.keys(verdict).sort(), VERDICT_KEYS);
    assert.equal(verdict.valid, true);
    assert.equal(verdict.code, null);
    assert.equal(verdict.format, 'vneid_token');
    assert.equal(verdict.message, 'Verified');
    assert.equal(verdict.messageVi, 'Đã xác minh');
    assert.equal(verdict.issuer, ISSUER);
    assert.equal(verdict.kid, KID);
    assert.equal(verdict.subject, '001090001234');
    assert.equal(verdict.level, 2);
    assert.equal(verdict.issuedAt, NOW_S - 600);
    assert.equal(verdict.expiresAt, NOW_S + 3600);
    assert.equal(verdict.notBefore, null);
    assert.equal(verdict.claims.name, 'Nguyễn Văn An');
    assert.equal(verdict.document, null);
    assert.deepEqual(verdict.warnings, []);
  });

  test('without an expected audience, is verified with the warning audience_not_checked', () => {
    const lax = new Verifier(issuer.trust, { currentDate: NOW });
    const verdict = lax.verify(token);
    assert.equal(verdict.valid, true);
    assert.deepEqual(verdict.warnings.map((w) => w.code), ['audience_not_checked']);
    assert.ok(verdict.warnings[0].messageVi.length > 0);
  });

  test('without a VNeID level is a plain jwt', async () => {
    const { acr, name, birthdate, gender, ...plain } = vneidClaims();
    const verdict = verifier.verify(await issuer.sign({ ...plain, sub: 'user-42' }));
    assert.equal(verdict.valid, true, verdict.message);
    assert.equal(verdict.format, 'jwt');
    assert.equal(verdict.level, null);
    assert.equal(verdict.subject, 'user-42');
  });

  test('surrounded by a scanner\u2019s CR/LF is still verified', () => {
    assert.equal(verifier.verify(`\r\n${token}\r\n`).valid, true);
  });

  test('claims keep every number and an own "__proto__" member as plain data', async () => {
    const claims = JSON.parse(`{"big": 1152921504606846976, "__proto__": {"polluted": true}}`);
    const verdict = verifier.verify(await issuer.sign({ ...vneidClaims(), ...claims }));
    assert.equal(verdict.valid, true, verdict.message);
    assert.equal(verdict.claims.big, 2 ** 60);
    assert.ok(Object.hasOwn(verdict.claims, '__proto__'));
    assert.equal({}.polluted, undefined);
  });
});

describe('rejections carry exact codes', () => {
  const cases = [
    ['expired beyond the clock tolerance', 'expired', () => issuer.sign(vneidClaims({ exp: NOW_S - 61 }))],
    ['not valid yet', 'not_yet_valid', () => issuer.sign(vneidClaims({ nbf: NOW_S + 3600 }))],
    ['issued in the future', 'issued_in_future', () => issuer.sign(vneidClaims({ iat: NOW_S + 3600 }))],
    ['for another audience', 'audience_mismatch', () => issuer.sign(vneidClaims({ aud: 'https://other.example' }))],
    ['without an audience when one is expected', 'claim_missing', () => issuer.sign(vneidClaims({ aud: undefined }))],
    ['without exp', 'claim_missing', () => issuer.sign(vneidClaims({ exp: undefined }))],
    ['with a string exp', 'claim_invalid', () => issuer.sign(vneidClaims({ exp: String(NOW_S + 60) }))],
    ['with a malformed personal ID number', 'personal_id_invalid', () => issuer.sign(vneidClaims({ sub: '12345' }))],
    ['with a tampered signature', 'signature_invalid', async () => tamperSignature(await issuer.sign())],
    ['with tampered claims', 'signature_invalid', async () => withClaims(await issuer.sign(), vneidClaims({ sub: '079190001234' }))],
    ['signed by another key under the trusted kid', 'signature_invalid', () => stranger.sign(vneidClaims())],
    ['with alg none', 'alg_not_allowed', () => algNoneToken()],
    ['with HS256 keyed by the public key', 'alg_not_allowed', () => hs256Token(issuer.jwk)],
    ['with padding in base64url', 'base64_invalid', async () => (await issuer.sign()).replace('.', '=.')],
    ['with + in base64url', 'base64_invalid', async () => { const [h, p, s] = (await issuer.sign()).split('.'); return `${h}.${p}.+${s.slice(1)}`; }],
    ['with a space inside', 'base64_invalid', async () => { const t = await issuer.sign(); return `${t.slice(0, 30)} ${t.slice(30)}`; }],
    ['from an unknown issuer', 'unknown_issuer', () => stranger.sign(vneidClaims({ iss: 'https://not-trusted.example' }))],
    ['naming an unknown kid', 'unknown_key', () => issuer.sign(vneidClaims(), { kid: 'no-such-key' })],
    ['with crit', 'crit_unsupported', () => issuer.sign(vneidClaims(), { crit: ['urn:x'], 'urn:x': 1 }, { crit: { 'urn:x': true } })],
    ['with two segments', 'token_malformed', async () => (await issuer.sign()).split('.').slice(0, 2).join('.')],
    ['encrypted (five segments)', 'jwe_unsupported', () => 'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d'],
    ['larger than the payload limit', 'payload_too_large', () => `ey${'A'.repeat(20_000)}.e30.x`],
    ['that is not a token', 'unknown_format', () => 'hello, world'],
    ['that is empty', 'empty_payload', () => '   \n'],
  ];
  for (const [name, code, make] of cases) {
    test(`a token ${name}: ${code}`, async () => {
      assertRejected(verifier.verify(await make()), code);
    });
  }

  test('level 1 when level 2 is required: level_too_low', async () => {
    const strict = new Verifier(issuer.trust, { audience: AUDIENCE, minLevel: 2, currentDate: NOW });
    assertRejected(strict.verify(await issuer.sign(vneidClaims({ acr: 'urn:vneid:level:1' }))), 'level_too_low');
    assert.equal(strict.verify(token).valid, true);
  });

  test('a different iss than the expected issuer: issuer_mismatch', async () => {
    const strict = new Verifier(issuer.trust, { issuer: ISSUER, audience: AUDIENCE, currentDate: NOW });
    assert.equal(strict.verify(token).valid, true);
    assertRejected(strict.verify(await issuer.sign(vneidClaims({ iss: `${ISSUER}/` }))), 'issuer_mismatch');
  });

  test('an expected issuer that is not trusted: unknown_issuer', () => {
    const strict = new Verifier(issuer.trust, { issuer: 'https://someone-else.example', currentDate: NOW });
    assertRejected(strict.verify(token), 'unknown_issuer');
  });

  test('older than maxTokenAge: too_old', () => {
    const strict = new Verifier(issuer.trust, { audience: AUDIENCE, maxTokenAge: 300, clockTolerance: 0, currentDate: NOW });
    assertRejected(strict.verify(token), 'too_old');
  });

  test('a revoked jti: revoked', () => {
    const trust = { ...issuer.trust, revoked: [{ iss: ISSUER, id: 'jti-1' }] };
    assertRejected(new Verifier(trust, { audience: AUDIENCE, currentDate: NOW }).verify(token), 'revoked');
  });

  test('a key outside its validity: key_expired', () => {
    const trust = { issuers: [{ iss: ISSUER, keys: [{ ...issuer.jwk, exp: NOW_S - 1 }] }] };
    assertRejected(new Verifier(trust, { audience: AUDIENCE, currentDate: NOW }).verify(token), 'key_expired');
  });
});

describe('time', () => {
  test('clockTolerance: 60 s by default, configurable, 0 allowed', async () => {
    const late = await issuer.sign(vneidClaims({ exp: NOW_S - 30 }));
    assert.equal(verifier.verify(late).valid, true);
    const exact = new Verifier(issuer.trust, { audience: AUDIENCE, clockTolerance: 0, currentDate: NOW });
    assertRejected(exact.verify(late), 'expired');
  });

  test('verify(payload, date) overrides the currentDate option; undefined or null does not', () => {
    assertRejected(verifier.verify(token, new Date((NOW_S + 7200) * 1000)), 'expired');
    assert.equal(verifier.verify(token, NOW).valid, true);
    assert.equal(verifier.verify(token, undefined).valid, true);
    assert.equal(verifier.verify(token, null).valid, true);
  });

  test('without any date, the clock at the call is used', async () => {
    // Both tokens are dated from the clock, so the test means the same on any day: one valid
    // for ten more minutes, one that expired an hour ago.
    const now = Math.floor(Date.now() / 1000);
    const fresh = await issuer.sign(vneidClaims({ iat: now - 5, exp: now + 600 }));
    const stale = await issuer.sign(vneidClaims({ iat: now - 7200, exp: now - 3600 }));
    const clocked = new Verifier(issuer.trust, { audience: AUDIENCE });
    assert.equal(clocked.verify(fresh).valid, true);
    assertRejected(clocked.verify(stale), 'expired');
  });

  test('a bad date passed to verify throws invalid_option', () => {
    for (const bad of [new Date('nope'), 1_700_000_000, '2026-06-01', [], { currentDate: 5 }, { currentDate: new Date('nope') }]) {
      assert.throws(() => verifier.verify(token, bad), (e) => e instanceof Error && e.code === 'invalid_option' && /currentDate/.test(e.message));
    }
    // The options of one call: a Date inside them works as the Date itself.
    assert.equal(verifier.verify(token, { currentDate: NOW }).valid, true);
    assert.equal(verifier.verify(token, {}).valid, true);
  });
});

describe('options are validated strictly', () => {
  const bad = [
    [{ audiance: AUDIENCE }, 'audiance'],
    [{ algorithms: ['ES256'] }, 'algorithms'],
    [{ issuer: 42 }, 'issuer'],
    [{ issuer: '' }, 'issuer'],
    [{ issuer: null }, 'issuer'],
    [{ audience: [AUDIENCE] }, 'audience'],
    [{ minLevel: 3 }, 'minLevel'],
    [{ minLevel: '2' }, 'minLevel'],
    [{ minLevel: 1.5 }, 'minLevel'],
    [{ clockTolerance: -1 }, 'clockTolerance'],
    [{ clockTolerance: 1.5 }, 'clockTolerance'],
    [{ clockTolerance: '60' }, 'clockTolerance'],
    [{ clockTolerance: Number.NaN }, 'clockTolerance'],
    [{ clockTolerance: Number.POSITIVE_INFINITY }, 'clockTolerance'],
    [{ maxTokenAge: -5 }, 'maxTokenAge'],
    [{ maxTokenAge: 2 ** 60 }, 'maxTokenAge'],
    [{ currentDate: 1_700_000_000_000 }, 'currentDate'],
    [{ currentDate: new Date(Number.NaN) }, 'currentDate'],
    ['strict', 'options'],
    [['audience'], 'options'],
    [5, 'options'],
  ];
  for (const [options, name] of bad) {
    test(`${inspect(options, { breakLength: Infinity })} throws invalid_option naming ${name}`, () => {
      assert.throws(
        () => new Verifier(issuer.trust, options),
        (e) => {
          assert.ok(e instanceof Error);
          assert.equal(e.code, 'invalid_option');
          assert.match(e.message, new RegExp(`\\b${name}\\b`));
          assert.ok(e.messageVi.startsWith('Tùy chọn không hợp lệ'));
          // The option, as data: the error's path.
          assert.equal(e.path, name);
          return true;
        },
      );
    });
  }

  test('a verdict says what it is about as data: the claim, the limit', async () => {
    const noExp = await issuer.sign(vneidClaims({ exp: undefined }));
    const v = verifier.verify(noExp);
    assert.equal(v.code, 'claim_missing');
    assert.deepEqual(v.detail, { claim: 'exp' });
    const big = verifier.verify('x'.repeat(20_000));
    assert.equal(big.code, 'payload_too_large');
    assert.equal(big.detail.limit, 16 * 1024);
    assert.equal(verifier.verify(token).detail, null);
  });

  test('undefined members, no options, and null options are the defaults', () => {
    const a = new Verifier(issuer.trust, { issuer: undefined, audience: undefined, currentDate: NOW });
    const b = new Verifier(issuer.trust);
    const c = new Verifier(issuer.trust, null);
    assert.equal(a.verify(token).valid, true);
    assert.equal(b.verify(token, NOW).valid, true);
    assert.equal(c.verify(token, NOW).valid, true);
  });
});

describe('trust', () => {
  test('is accepted as JSON text, as an object, and as an array merging several bundles', async () => {
    const other = await makeIssuer({ iss: 'https://other-issuer.example', kid: 'o1' });
    const otherToken = await other.sign(vneidClaims({ iss: 'https://other-issuer.example' }));
    const merged = new Verifier([JSON.stringify(issuer.trust), other.trust], { audience: AUDIENCE, currentDate: NOW });
    assert.equal(merged.verify(token).valid, true);
    assert.equal(merged.verify(otherToken).valid, true);
    const keys = merged.trustedKeys();
    assert.deepEqual(keys.map((k) => [k.issuer, k.kid, k.source]), [
      [ISSUER, KID, 'trust[0]: issuers[0].keys[0]'],
      ['https://other-issuer.example', 'o1', 'trust[1]: issuers[0].keys[0]'],
    ]);
    assert.deepEqual(Object.keys(keys[0]).sort(), ['documentTypes', 'issuer', 'issuerName', 'keyType', 'kid', 'notAfter', 'notBefore', 'source']);
    assert.equal(keys[0].keyType, 'EC P-256');
    assert.equal(keys[0].issuerName, 'Test issuer');
  });

  test('a JWKS with a top-level iss is a one-issuer bundle', () => {
    const jwks = { iss: ISSUER, keys: [issuer.jwk] };
    assert.equal(new Verifier(jwks, { audience: AUDIENCE, currentDate: NOW }).verify(token).valid, true);
  });

  test('key validity and document types are listed', () => {
    const trust = { issuers: [{ iss: ISSUER, keys: [{ ...issuer.jwk, nbf: 100, exp: 200, document_types: ['cccd'] }] }] };
    const [key] = new Verifier(trust).trustedKeys();
    assert.equal(key.notBefore, 100);
    assert.equal(key.notAfter, 200);
    assert.deepEqual(key.documentTypes, ['cccd']);
    assert.equal(key.issuerName, null);
  });

  const bad = [
    ['not JSON', '{', 'trust[0]'],
    ['neither a bundle nor a JWKS', { hello: 1 }, 'trust[0]'],
    ['a JWKS without iss', { keys: [] }, 'trust[0]'],
    ['a private key', () => ({ issuers: [{ iss: ISSUER, keys: [{ ...issuer.jwk, d: 'AAAA' }] }] }), '"d"'],
    ['an HMAC key', { issuers: [{ iss: ISSUER, keys: [{ kty: 'oct', k: 'c2VjcmV0' }] }] }, '"k"'],
    ['a bad second bundle', () => [issuer.trust, '[]'], 'trust[1]'],
    ['a number', 42, 'number'],
    ['nothing', undefined, 'undefined'],
    ['null', null, 'null'],
  ];
  for (const [name, trust, mentions] of bad) {
    test(`${name} throws trust_invalid naming ${mentions}`, () => {
      const value = typeof trust === 'function' ? trust() : trust;
      assert.throws(
        () => new Verifier(value),
        (e) => e instanceof Error && e.code === 'trust_invalid' && e.message.includes(mentions),
      );
    });
  }
});

describe('payloads never throw', () => {
  const hostile = [
    '', ' ', '.', '..', '...', '....', 'ey.', 'eyJ.eyJ.', 'eyJhbGciOiJFUzI1NiJ9..', '\u0000', 'ey\u0000.a.b',
    '\ud800.\udfff', 'é'.repeat(100), 'ey'.padEnd(16 * 1024 + 1, 'A'), `eyJ${'W'.repeat(3000)}.e30.AA`,
    'eyJhbGciOiJFUzI1NiJ9.' + Buffer.from('['.repeat(5000)).toString('base64url') + '.AA',
    'eyJhbGciOiJFUzI1NiJ9.' + Buffer.from('{"exp":1e400}').toString('base64url') + '.' + 'A'.repeat(86),
    'HC1:NCFOXN%TS3DH3ZSUZK+.V0ETD%65NL-AH', 'shc:/5676290952432060346029243740446031222959532654603460292540772804336028702864716745222809286133314564376531415906402203064504590856435503414245413640370636654171372412363803043756220467374075323239254334433260573601064529315312707424283950386922127667',
    null, undefined, 42, true, {}, [], () => 1, Symbol('s'), 10n, new Uint8Array(8),
  ];
  test(`${hostile.length} hostile payloads each get a verdict with a known code`, () => {
    for (const payload of hostile) {
      let verdict;
      assert.doesNotThrow(() => { verdict = verifier.verify(payload); }, `threw on ${String(payload).slice(0, 40)}`);
      assertRejected(verdict, verdict.code);
    }
  });

  test('null and undefined are empty; other non-strings are not a supported format', () => {
    assertRejected(verifier.verify(null), 'empty_payload');
    assertRejected(verifier.verify(undefined), 'empty_payload');
    assertRejected(verifier.verify(42), 'unknown_format');
    assert.match(verifier.verify(42).message, /not number/);
  });
});

describe('a failing call does not poison the next one', () => {
  test('after bad payloads, thrown options, thrown trust and bad dates, verify still works', () => {
    assert.equal(verifier.verify(token).valid, true);
    verifier.verify('\ud800');
    verifier.verify(`ey${'A'.repeat(100_000)}`);
    assert.throws(() => new Verifier(issuer.trust, { clockTolerance: -1 }));
    assert.throws(() => new Verifier('{'));
    assert.throws(() => verifier.verify(token, 'yesterday'));
    assert.equal(verifier.verify(token).valid, true);
    assert.equal(new Verifier(issuer.trust, { currentDate: NOW }).verify(token).valid, true);
  });

  test('1000 alternating good and bad calls give the same answers', async () => {
    const forged = tamperSignature(token);
    for (let i = 0; i < 500; i += 1) {
      assert.equal(verifier.verify(token).valid, true);
      assert.equal(verifier.verify(forged).code, 'signature_invalid');
    }
  });

  test('a freed verifier throws on use; others are unaffected', () => {
    const doomed = new Verifier(issuer.trust, { currentDate: NOW });
    doomed.free();
    assert.throws(() => doomed.verify(token));
    assert.equal(verifier.verify(token).valid, true);
  });
});
