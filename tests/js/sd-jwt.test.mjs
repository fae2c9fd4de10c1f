// SD-JWT presentations through the built package (pkg/) in Node: the RFC 9901 examples from
// ../shared/vectors/sd-jwt, the holder-binding options per Verifier and per call, and each rule
// with its exact code on credentials made by the demo's wallet (www-demo/lib/wallet.js, WebCrypto).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { ROOT, Verifier } from './pkg.mjs';
import {
  b64url, generateHolderKey, issueSdJwt, openWallet, plainClaimsOf as plainClaims, present, presentSdJwt, resetWallet,
  sha256B64url, signJws,
} from '../../www-demo/lib/wallet.js';

const VECTORS = `${ROOT}../shared/vectors/sd-jwt/`;
if (!existsSync(`${VECTORS}settings.yml`)) {
  throw new Error(`${VECTORS} is missing: the conformance vectors live beside the project (README, Tests)`);
}
const read = (path) => readFileSync(`${VECTORS}${path}`, 'utf8');
const json = (path) => JSON.parse(read(path));

/** The issuer key of settings.yml (x, y under issuer_key). */
function rfcIssuerJwk() {
  const text = read('settings.yml');
  const block = text.slice(text.indexOf('issuer_key:'));
  const field = (name) => block.match(new RegExp(`\\n\\s+${name}: (\\S+)`))[1];
  return { kty: 'EC', crv: 'P-256', x: field('x'), y: field('y') };
}
const rfcTrust = (iss) => ({ issuers: [{ iss, keys: [rfcIssuerJwk()] }] });

const EXAMPLES = [
  'address_only_flat', 'address_only_recursive', 'address_only_structured',
  'address_only_structured_one_open', 'arf-pid', 'complex_eidas', 'complex_eidas_proposal',
  'complex_ekyc', 'simple', 'simple_structured', 'w3c-vc', 'w3c-vc_for_slide_deck',
];
const WITH_KB = new Set(['arf-pid', 'simple', 'w3c-vc']);
const KB_TIME = new Date((1_796_412_073 + 10) * 1000);
const RFC_AUDIENCE = 'https://verifier.example.org';
const RFC_NONCE = '1234567890';

describe('the RFC 9901 examples', () => {
  test('verify to exactly their verified contents, with the nonce given per call', () => {
    for (const folder of EXAMPLES) {
      const iss = json(`${folder}/sd_jwt_payload.json`).iss;
      const withKb = WITH_KB.has(folder);
      const verifier = new Verifier(rfcTrust(iss), {
        audience: withKb ? RFC_AUDIENCE : undefined,
        holderBinding: withKb ? 'required' : 'optional',
        currentDate: KB_TIME,
      });
      const presentation = read(`${folder}/sd_jwt_presentation.txt`);
      const verdict = verifier.verify(presentation, withKb ? { nonce: RFC_NONCE } : undefined);
      assert.equal(verdict.valid, true, `${folder}: ${verdict.code} ${verdict.message}`);
      assert.equal(verdict.format, 'sd_jwt_vc');
      assert.deepEqual(verdict.claims, json(`${folder}/verified_contents.json`), folder);
      assert.equal(verdict.holderBinding, withKb ? 'key' : 'none', folder);
      if (withKb) {
        const again = verifier.verify(presentation, { nonce: RFC_NONCE });
        assert.equal(again.code, 'replayed', folder);
        assert.equal(again.holderBinding, null);
        // Another transaction's nonce.
        assert.equal(new Verifier(rfcTrust(iss), { currentDate: KB_TIME }).verify(presentation, { nonce: 'other' }).code, 'nonce_mismatch');
      }
    }
  });

  test('the jsonld example names no iss and is refused with claim_missing', () => {
    const verifier = new Verifier(rfcTrust('https://example.com/issuer'), { currentDate: KB_TIME });
    assert.equal(verifier.verify(read('jsonld/sd_jwt_presentation.txt')).code, 'claim_missing');
  });

  test('a per-call option overrides the verifier only for that call', () => {
    const presentation = read('simple/sd_jwt_presentation.txt');
    const bearer = `${presentation.slice(0, presentation.lastIndexOf('~'))}~`;
    const verifier = new Verifier(rfcTrust('https://issuer.example.com'), { currentDate: KB_TIME });
    assert.equal(verifier.verify(bearer).holderBinding, 'none');
    assert.equal(verifier.verify(bearer, { holderBinding: 'required' }).code, 'holder_binding_missing');
    assert.equal(verifier.verify(bearer).valid, true);
    // A one-minute proof age: the KB-JWT is 10 s old at KB_TIME, and 2 minutes old later.
    const later = new Date(KB_TIME.getTime() + 120_000);
    assert.equal(verifier.verify(presentation, { maxProofAge: 60, currentDate: later }).code, 'too_old');
  });
});

describe('options', () => {
  test('are validated strictly, per verifier and per call', () => {
    const trust = rfcTrust('https://issuer.example.com');
    for (const [options, name] of [
      [{ holderBinding: 'maybe' }, 'holderBinding'],
      [{ holderBinding: true }, 'holderBinding'],
      [{ nonce: '' }, 'nonce'],
      [{ nonce: 5 }, 'nonce'],
      [{ maxProofAge: -1 }, 'maxProofAge'],
      [{ maxProofAge: 1.5 }, 'maxProofAge'],
    ]) {
      assert.throws(() => new Verifier(trust, options), (e) => e.code === 'invalid_option' && e.message.includes(name), name);
      const verifier = new Verifier(trust);
      assert.throws(() => verifier.verify('x', options), (e) => e.code === 'invalid_option' && e.message.includes(name), name);
    }
    // Policy options that are not per transaction stay on the Verifier.
    assert.throws(() => new Verifier(trust).verify('x', { audience: 'a' }), (e) => e.code === 'invalid_option' && e.message.includes('audience'));
  });
});

// ---- Our own credentials, made by the demo's wallet -----------------------------------------

const ISS = 'https://id.vneid.test';
const BANK = 'https://bank.example.vn';
const NOW_S = 1_795_000_000;
const NOW = new Date(NOW_S * 1000);

async function setup() {
  const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
  const issuerJwk = { ...(await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey)), kid: 'issuer-1' };
  const { kty, crv, x, y, kid } = issuerJwk;
  const trust = { issuers: [{ iss: ISS, keys: [{ kty, crv, x, y, kid }] }] };
  const holder = await generateHolderKey();
  const sdJwt = await issueSdJwt({
    issuerJwk,
    claims: {
      iss: ISS, iat: NOW_S - 86_400, exp: NOW_S + 86_400 * 365, vct: 'urn:vneid:identity:1',
      acr: 'urn:vneid:level:2', sub: '001099001234', name: 'Nguyễn Văn An', birthdate: '1999-03-15',
      gender: 'male',
    },
    disclosable: ['sub', 'name', 'birthdate', 'gender'],
    holderJwk: holder.publicJwk,
  });
  const bank = (options = {}) => new Verifier(trust, {
    audience: BANK, holderBinding: 'required', currentDate: NOW, ...options,
  });
  const present = (o = {}) => presentSdJwt(sdJwt, {
    disclose: ['name', 'birthdate'], holderJwk: holder.privateJwk, nonce: 'n-1', audience: BANK, iat: NOW_S, ...o,
  });
  return { issuerJwk, trust, holder, sdJwt, bank, present };
}

describe('a presentation made by the wallet', () => {
  test('shows only what the holder chose, bound by key', async () => {
    const { bank, present } = await setup();
    const verdict = bank().verify(await present(), { nonce: 'n-1' });
    assert.equal(verdict.valid, true, verdict.message);
    assert.equal(verdict.holderBinding, 'key');
    assert.equal(verdict.level, 2);
    assert.equal(verdict.claims.name, 'Nguyễn Văn An');
    assert.equal(verdict.claims.birthdate, '1999-03-15');
    for (const hidden of ['sub', 'gender', '_sd', '_sd_alg']) assert.equal(hidden in verdict.claims, false, hidden);
  });

  // Every rule of RFC 9901 §7.1/§7.3 and of holder binding, each its own case with its exact code.
  const code = async (ctx, presentation, nonce = 'n-1') => ctx.bank().verify(await presentation, { nonce }).code;
  /** A KB-JWT with the given header and claims (good ones by default), on the presented SD-JWT. */
  async function withKb(ctx, header, claims = {}, signer = ctx.holder.privateJwk) {
    const presented = (await ctx.present()).replace(/[^~]*$/, '');
    const kb = await signJws(signer, header, {
      iat: NOW_S, aud: BANK, nonce: 'n-1', sd_hash: await sha256B64url(presented), ...claims,
    });
    return presented + kb;
  }
  const KB = { alg: 'ES256', typ: 'kb+jwt' };

  test('a forged disclosure (never hashed by the issuer): disclosure_unreferenced', async () => {
    const ctx = await setup();
    const parts = (await ctx.present()).split('~');
    const forged = b64url(new TextEncoder().encode(JSON.stringify(['c2FsdA', 'name', 'Trần Thị Bình'])));
    assert.equal(await code(ctx, [parts[0], forged, ...parts.slice(2)].join('~')), 'disclosure_unreferenced');
  });

  test('a real disclosure of another credential: disclosure_unreferenced', async () => {
    const ctx = await setup();
    const other = await setup();
    const theirs = (await other.present({ disclose: ['gender'] })).split('~')[1];
    const parts = (await ctx.present()).split('~');
    assert.equal(await code(ctx, [parts[0], theirs, ...parts.slice(1)].join('~')), 'disclosure_unreferenced');
  });

  test('a duplicated disclosure: disclosure_duplicated', async () => {
    const ctx = await setup();
    const parts = (await ctx.present()).split('~');
    assert.equal(await code(ctx, [parts[0], parts[1], ...parts.slice(1)].join('~')), 'disclosure_duplicated');
  });

  test('a disclosure dropped after the proof was made: sd_hash_mismatch', async () => {
    const ctx = await setup();
    const parts = (await ctx.present()).split('~');
    assert.equal(await code(ctx, [parts[0], ...parts.slice(2)].join('~')), 'sd_hash_mismatch');
  });

  test('a cnf the issuer made selectively disclosable: disclosure_invalid', async () => {
    const ctx = await setup();
    const claims = { ...plainClaims(ctx.sdJwt), cnf: { jwk: ctx.holder.publicJwk } };
    delete claims._sd;
    delete claims._sd_alg;
    const sdJwt = await issueSdJwt({ issuerJwk: ctx.issuerJwk, claims, disclosable: ['cnf'], decoys: 0 });
    const verdict = new Verifier(ctx.trust, { currentDate: NOW }).verify(sdJwt);
    assert.equal(verdict.code, 'disclosure_invalid');
    assert.match(verdict.message, /cnf/);
  });

  test('the wrong nonce (another transaction): nonce_mismatch', async () => {
    const ctx = await setup();
    assert.equal(await code(ctx, ctx.present(), 'n-2'), 'nonce_mismatch');
  });

  test('the wrong audience (forwarded to another verifier): audience_mismatch', async () => {
    const ctx = await setup();
    assert.equal(await code(ctx, ctx.present({ audience: 'https://shop.example' })), 'audience_mismatch');
  });

  test('a KB-JWT not typed kb+jwt: typ_invalid', async () => {
    const ctx = await setup();
    assert.equal(await code(ctx, withKb(ctx, { alg: 'ES256', typ: 'JWT' })), 'typ_invalid');
    assert.equal(await code(ctx, withKb(ctx, { alg: 'ES256' })), 'typ_invalid');
  });

  test('a KB-JWT with another alg than ES256: alg_not_allowed', async () => {
    const ctx = await setup();
    assert.equal(await code(ctx, withKb(ctx, { alg: 'HS256', typ: 'kb+jwt' })), 'alg_not_allowed');
    assert.equal(await code(ctx, withKb(ctx, { alg: 'none', typ: 'kb+jwt' })), 'alg_not_allowed');
  });

  test('a KB-JWT signed by another key than the credential\'s cnf: signature_invalid', async () => {
    const ctx = await setup();
    const thief = await generateHolderKey();
    assert.equal(await code(ctx, ctx.present({ holderJwk: thief.privateJwk })), 'signature_invalid');
    // ... even when its header names the thief's key: keys never come from a header.
    assert.equal(await code(ctx, withKb(ctx, { ...KB, jwk: thief.publicJwk }, {}, thief.privateJwk)), 'signature_invalid');
  });

  test('a stale KB-JWT (iat older than 300 s plus the tolerance): too_old', async () => {
    const ctx = await setup();
    assert.equal((ctx.bank().verify(await ctx.present({ iat: NOW_S - 360 }), { nonce: 'n-1' })).valid, true);
    assert.equal(await code(ctx, ctx.present({ iat: NOW_S - 361 })), 'too_old');
  });

  test('a KB-JWT from the future (beyond the tolerance): issued_in_future', async () => {
    const ctx = await setup();
    assert.equal(await code(ctx, ctx.present({ iat: NOW_S + 61 })), 'issued_in_future');
  });

  test('no KB-JWT when holder binding is required: holder_binding_missing', async () => {
    const ctx = await setup();
    assert.equal(await code(ctx, ctx.present({ holderJwk: undefined })), 'holder_binding_missing');
  });

  test('the same proof twice at one verifier: replayed', async () => {
    const ctx = await setup();
    const p = await ctx.present();
    const verifier = ctx.bank();
    assert.equal(verifier.verify(p, { nonce: 'n-1' }).valid, true);
    assert.equal(verifier.verify(p, { nonce: 'n-1' }).code, 'replayed');
    // Another verifier has its own cache.
    assert.equal(ctx.bank().verify(p, { nonce: 'n-1' }).valid, true);
  });

  test('a bearer payload is refused when binding is required, and says none otherwise', async () => {
    const { trust, sdJwt } = await setup();
    const lax = new Verifier(trust, { currentDate: NOW });
    assert.equal(lax.verify(sdJwt).holderBinding, 'none');
    assert.equal(lax.verify(sdJwt, { holderBinding: 'required' }).code, 'holder_binding_missing');
  });
});

describe('the compact form (VNP1:) made by the wallet', () => {
  test('verifies to the same verdict as the SD-JWT form', async () => {
    const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
    const privateJwk = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey);
    const { kty, crv, x, y } = privateJwk;
    const issuer = { iss: ISS, kid: 'vn-demo1', privateJwk };
    const trust = { issuers: [{ iss: ISS, keys: [{ kty, crv, x, y, kid: 'vn-demo1' }] }] };
    const saved = new Map();
    const storage = { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => saved.set(k, v), removeItem: (k) => saved.delete(k) };
    const person = { sub: '001199001234', name: 'Nguyễn Thị Minh Khai', birthdate: '1999-03-15', gender: 'female' };
    const wallet = await openWallet({ storage, issuer, person, now: () => NOW });
    // The second opening finds the same holder key and credential in storage.
    const again = await openWallet({ storage, issuer, person, now: () => NOW });
    assert.deepEqual(again.holder, wallet.holder);
    assert.equal(again.sdJwt, wallet.sdJwt);
    const options = { disclose: ['name', 'birthdate', 'sub'], audience: BANK, nonce: 'n-1', iat: NOW_S };
    const long = await present(wallet, { ...options, form: 'sd-jwt' });
    const short = await present(again, options);
    assert.match(short, /^VNP1:[0-9A-Z $%*+\-./:]+$/);
    assert.ok(short.length <= 970, `${short.length} characters: more than a version 20-M QR holds`);
    const verifier = () => new Verifier(trust, { audience: BANK, holderBinding: 'required', currentDate: NOW });
    const a = verifier().verify(long, { nonce: 'n-1' });
    const b = verifier().verify(short, { nonce: 'n-1' });
    assert.equal(a.valid, true, a.message);
    assert.equal(b.valid, true, b.message);
    assert.deepEqual({ ...b, format: 'sd_jwt_vc' }, a);
    assert.equal(b.format, 'vneid_presentation');
    assert.equal(b.subject, '001199001234');
    // The same compact proof twice at one verifier, and for another verifier.
    const bank = verifier();
    assert.equal(bank.verify(short, { nonce: 'n-1' }).valid, true);
    assert.equal(bank.verify(short, { nonce: 'n-1' }).code, 'replayed');
    const forwarded = await present(wallet, { ...options, audience: 'https://shop.example' });
    assert.equal(verifier().verify(forwarded, { nonce: 'n-1' }).code, 'audience_mismatch');
    resetWallet(storage);
    const fresh = await openWallet({ storage, issuer, person, now: () => NOW });
    assert.notDeepEqual(fresh.holder, wallet.holder);
  });
});
