// Test fixtures made with jose: a throwaway ES256 issuer, its trust bundle, and tokens signed by
// it (or forged the way an attacker would). Times are fixed so every test is deterministic.

import { SignJWT, exportJWK, generateKeyPair } from 'jose';

export const ISSUER = 'https://id.test.vneid.example';
export const KID = 'test-key-1';
export const AUDIENCE = 'https://bank.example';
/** The verification time of the tests: 2026-06-01T00:00:00Z. */
export const NOW = new Date('2026-06-01T00:00:00Z');
export const NOW_S = Math.floor(NOW.getTime() / 1000);

const b64url = (value) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A VNeID level-2 citizen's claims, issued 10 minutes before NOW, valid 1 hour. */
export function vneidClaims(overrides = {}) {
  return {
    iss: ISSUER,
    sub: '001090001234',
    aud: AUDIENCE,
    acr: 'urn:vneid:level:2',
    name: 'Nguyễn Văn An',
    birthdate: '1990-05-17',
    gender: 'male',
    iat: NOW_S - 600,
    exp: NOW_S + 3600,
    jti: 'jti-1',
    ...overrides,
  };
}

/** A fresh issuer: its key pair, public JWK, trust bundle and a `sign(claims, header)` helper. */
export async function makeIssuer({ iss = ISSUER, kid = KID } = {}) {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = { ...(await exportJWK(publicKey)), kid };
  const trust = { issuers: [{ iss, name: 'Test issuer', keys: [jwk] }] };
  const sign = (claims = vneidClaims(), header = {}, options = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid, ...header }).sign(privateKey, options);
  return { privateKey, publicKey, jwk, trust, sign };
}

/** Replaces the claims of a signed token, keeping its header and signature. */
export function withClaims(token, claims) {
  const [header, , signature] = token.split('.');
  return [header, b64url(claims), signature].join('.');
}

/** Changes one character in the middle of the signature (still strict base64url, 64 bytes). */
export function tamperSignature(token) {
  const [header, payload, signature] = token.split('.');
  const i = Math.floor(signature.length / 2);
  const swapped = signature[i] === 'A' ? 'B' : 'A';
  return [header, payload, signature.slice(0, i) + swapped + signature.slice(i + 1)].join('.');
}

/** An unsigned token (`alg: none`), as in the classic attack. */
export function algNoneToken(claims = vneidClaims()) {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims)}.`;
}

/** An HS256 token "signed" with the issuer's public key as the HMAC secret (algorithm confusion). */
export async function hs256Token(jwk, claims = vneidClaims()) {
  const secret = new TextEncoder().encode(JSON.stringify(jwk));
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: jwk.kid }).sign(secret);
}
