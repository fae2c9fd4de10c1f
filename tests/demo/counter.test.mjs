// The bank counter of the presentation demo without a page: lib/counter.js (challenges, the
// verifiers that keep the replay cache, the form) and lib/wallet.js (the holder's side), over the
// built package.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import {
  BANK_AUDIENCE, KIOSK_AUDIENCE, REQUESTED, challengeText, createCounter, formFrom, parseChallenge,
} from '../../www-demo/lib/counter.js';
import { openWallet, present } from '../../www-demo/lib/wallet.js';
import { Verifier } from './helpers.mjs';

const ISS = 'https://id.vneid.test';
const NOW = new Date('2026-12-01T03:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const PERSON = { sub: '001199001234', name: 'Nguyễn Thị Minh Khai', birthdate: '1999-03-15', gender: 'female' };

async function setup() {
  const pair = await globalThis.crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign']);
  const privateJwk = await globalThis.crypto.subtle.exportKey('jwk', pair.privateKey);
  const { kty, crv, x, y } = privateJwk;
  const issuer = { iss: ISS, kid: 'vn-demo1', privateJwk };
  const trust = { issuers: [{ iss: ISS, keys: [{ kty, crv, x, y, kid: 'vn-demo1' }] }] };
  const saved = new Map();
  const storage = { getItem: (k) => saved.get(k) ?? null, setItem: (k, v) => saved.set(k, v), removeItem: (k) => saved.delete(k) };
  const wallet = await openWallet({ storage, issuer, person: PERSON, now: () => NOW });
  let n = 0;
  const counter = createCounter({ Verifier, trust, now: () => NOW, nonce: () => `nonce-${(n += 1)}` });
  return { wallet, counter };
}

describe('the bank counter', () => {
  test('a challenge QR says who asks, with what nonce, for what', () => {
    const text = challengeText({ aud: BANK_AUDIENCE, nonce: 'abc', claims: REQUESTED });
    assert.deepEqual(parseChallenge(text), { aud: BANK_AUDIENCE, nonce: 'abc', claims: REQUESTED });
    for (const bad of ['', 'x', '{}', '{"vneid_request":2,"aud":"a","nonce":"n","claims":[]}', '{"vneid_request":1,"aud":"a","nonce":"","claims":[]}']) {
      assert.throws(() => parseChallenge(bad), (e) => e.code === 'challenge_invalid', bad);
    }
  });

  test('a two-way presentation fills the form, once; another challenge or verifier is refused', async () => {
    const { wallet, counter } = await setup();
    const challenge = counter.start('two-way');
    assert.equal(challenge.aud, BANK_AUDIENCE);
    const qr = await present(wallet, { disclose: REQUESTED, audience: challenge.aud, nonce: challenge.nonce, iat: NOW_S });
    const { verdict, form } = counter.verify(qr);
    assert.equal(verdict.valid, true, verdict.message);
    assert.equal(verdict.holderBinding, 'key');
    assert.deepEqual(form.map((f) => [f.field, f.value, f.verified]), [
      ['fullName', 'Nguyễn Thị Minh Khai', true],
      ['dateOfBirth', '1999-03-15', true],
      ['idNumber', '001199001234', true],
      ['sex', 'female', true],
    ]);
    // Shown again: replayed.
    assert.equal(counter.verify(counter.last).verdict.code, 'replayed');
    // The holder shared less: the form says what was not verified.
    const less = await present(wallet, { disclose: ['name'], audience: challenge.aud, nonce: challenge.nonce, iat: NOW_S });
    assert.deepEqual(counter.verify(less).form.map((f) => f.verified), [true, false, false, false]);
    // Forwarded: made for another verifier.
    const forwarded = await present(wallet, { disclose: REQUESTED, audience: 'https://other-bank.example.vn', nonce: challenge.nonce, iat: NOW_S });
    assert.equal(counter.verify(forwarded).verdict.code, 'audience_mismatch');
    // The next customer's challenge: the old answer is refused.
    counter.start();
    const old = await present(wallet, { disclose: REQUESTED, audience: challenge.aud, nonce: challenge.nonce, iat: NOW_S, form: 'sd-jwt' });
    assert.equal(counter.verify(old).verdict.code, 'nonce_mismatch');
    // A bearer payload is not enough at this counter.
    assert.equal(counter.verify(wallet.sdJwt).verdict.code, 'holder_binding_missing');
    assert.deepEqual(formFrom(counter.verify('nonsense').verdict).map((f) => f.value), [null, null, null, null]);
    counter.free();
  });

  test('a one-way QR is good for 60 seconds, once', async () => {
    const { wallet, counter } = await setup();
    assert.equal(counter.start('one-way'), null);
    const qr = await present(wallet, { disclose: REQUESTED, audience: KIOSK_AUDIENCE, nonce: 'wallet-chosen', iat: NOW_S });
    assert.equal(counter.verify(qr).verdict.valid, true);
    assert.equal(counter.verify(qr).verdict.code, 'replayed');
    const stale = await present(wallet, { disclose: REQUESTED, audience: KIOSK_AUDIENCE, nonce: 'w2', iat: NOW_S - 121 });
    assert.equal(counter.verify(stale).verdict.code, 'too_old');
    counter.free();
  });
});
