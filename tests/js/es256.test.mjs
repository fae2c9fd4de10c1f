// ES256 on wasm32, in Node: the package's own P-256 arithmetic (nine 29-bit limbs, tables built
// on a key's second use) against WebCrypto (OpenSSL) as the oracle, over 10,120 seeded cases.
// Keys come from a seeded generator (and six edge keys: Q = G, 2G, 3G, −G, −2G, 2^128·G), the
// signatures from @noble/curves (RFC 6979, high S kept), then mutated: a bit flipped, r or s
// zero, n or all ones, r + n, s negated (the other half), r and s swapped, or the payload changed
// under the same signature. The Rust side of the same test is tests/es256_diff.rs.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { webcrypto } from 'node:crypto';

import { p256 } from '@noble/curves/nist.js';

import { AUDIENCE, ISSUER, NOW, NOW_S, vneidClaims } from './fixtures.mjs';
import { Verifier } from './pkg.mjs';

const N = p256.Point.Fn.ORDER;
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');
const toBytes = (v) => Uint8Array.from(Buffer.from(v.toString(16).padStart(64, '0'), 'hex'));
const toBig = (bytes) => BigInt(`0x${Buffer.from(bytes).toString('hex')}`);

/** splitmix64: deterministic bytes from a seed. */
function rng(seed) {
  let s = BigInt(seed);
  const mask = (1n << 64n) - 1n;
  const next = () => {
    s = (s + 0x9e3779b97f4a7c15n) & mask;
    let z = s;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & mask;
    return z ^ (z >> 31n);
  };
  return { next, bytes32: () => toBytes((next() << 192n) | (next() << 128n) | (next() << 64n) | next()) };
}

function mutations(r, s, random) {
  const flip = [...toBytes(r), ...toBytes(s)];
  const bit = Number(random.next() % 512n);
  flip[bit >> 3] ^= 1 << (bit & 7);
  const two256 = 1n << 256n;
  const sig = (a, b) => Uint8Array.from([...toBytes(a % two256), ...toBytes(b % two256)]);
  return [Uint8Array.from(flip), sig(0n, s), sig(r, 0n), sig(N, s), sig(r, N), sig(two256 - 1n, s),
    sig(r + N, s), sig(r, N - s), sig(s, r)];
}

test('10,120 seeded ES256 cases: the wasm32 verifier agrees with WebCrypto, with and without key tables', async () => {
  const random = rng(0x5eed3000);
  const edge = [1n, 2n, 3n, N - 1n, N - 2n, 1n << 128n];
  const keys = [];
  for (let i = 0; i < 40; i += 1) {
    let d = edge[i];
    while (d === undefined) {
      const c = toBig(random.bytes32());
      if (c > 0n && c < N) d = c;
    }
    const secret = toBytes(d);
    const point = p256.getPublicKey(secret, false);
    const jwk = { kty: 'EC', crv: 'P-256', x: b64url(point.slice(1, 33)), y: b64url(point.slice(33)), kid: `k${i}` };
    const publicKey = await webcrypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    keys.push({ secret, jwk, publicKey });
  }
  const verifier = new Verifier(
    { issuers: [{ iss: ISSUER, keys: keys.map((k) => k.jwk) }] },
    { audience: AUDIENCE, currentDate: NOW },
  );
  const encoder = new TextEncoder();
  let [cases, accepted, refused] = [0, 0, 0];
  for (const [i, key] of keys.entries()) {
    const header = b64url(JSON.stringify({ alg: 'ES256', kid: key.jwk.kid, typ: 'JWT' }));
    for (let m = 0; m < 23; m += 1) {
      const claims = vneidClaims({ jti: `jti-${i}-${m}`, sub: `0010900${String(Number(random.next() % 100000n)).padStart(5, '0')}` });
      const signingInput = `${header}.${b64url(JSON.stringify(claims))}`;
      const signature = p256.sign(encoder.encode(signingInput), key.secret, { lowS: false });
      const [r, s] = [toBig(signature.slice(0, 32)), toBig(signature.slice(32))];
      const changed = `${header}.${b64url(JSON.stringify({ ...claims, iat: NOW_S - 601 }))}`;
      const variants = [[signingInput, signature], ...mutations(r, s, random).map((sig) => [signingInput, sig]), [changed, signature]];
      for (const [input, sig] of variants) {
        const expected = await webcrypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key.publicKey, sig, encoder.encode(input));
        const verdict = verifier.verify(`${input}.${b64url(sig)}`);
        assert.equal(verdict.valid, expected, `key ${i} message ${m}: ${b64url(sig)} (${verdict.code})`);
        if (!expected) assert.equal(verdict.code, 'signature_invalid');
        cases += 1;
        if (expected) accepted += 1; else refused += 1;
      }
    }
  }
  // Per message: the genuine signature and its negated-s twin verify, nothing else.
  assert.deepEqual([cases, accepted, refused], [10_120, 1_840, 8_280]);
  verifier.free();
});
