// The demo's simulated holder wallet and its TEST-ONLY issuer: an SD-JWT VC (RFC 9901,
// draft-ietf-oauth-sd-jwt-vc) issued with selectively disclosable claims and a holder key, and
// presented with the disclosures the person chose and a key-binding JWT (KB-JWT) answering a
// verifier's challenge. ES256 through WebCrypto (browsers, and Node 20's globalThis.crypto).
//
// DOM-free: the page and the Node tests use the same code. Signing is here, in plain JS, and never
// in the WASM package, which only verifies. The reference implementation of the same steps is
// the native CLI (`vneid-verify issue sd-jwt`, `vneid-verify present`).

const subtle = globalThis.crypto.subtle;
const utf8 = new TextEncoder();

/** base64url of bytes (Uint8Array or ArrayBuffer), unpadded. */
export function b64url(bytes) {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = '';
  for (const b of view) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes of base64url text. */
export function fromB64url(text) {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const b64urlJson = (value) => b64url(utf8.encode(JSON.stringify(value)));

/** base64url(SHA-256(ASCII text)): a disclosure's digest, and `sd_hash`. */
export async function sha256B64url(text) {
  return b64url(await subtle.digest('SHA-256', utf8.encode(text)));
}

/** `n` random bytes as base64url. */
function randomB64url(n) {
  return b64url(globalThis.crypto.getRandomValues(new Uint8Array(n)));
}

const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' };

/** A fresh P-256 holder key: the private JWK (kept by the wallet) and the bare public JWK
 * (`{kty, crv, x, y}`, what the issuer writes into `cnf`). */
export async function generateHolderKey() {
  const pair = await subtle.generateKey(ECDSA, true, ['sign', 'verify']);
  const privateJwk = await subtle.exportKey('jwk', pair.privateKey);
  return { privateJwk: bareJwk(privateJwk, true), publicJwk: bareJwk(privateJwk, false) };
}

/** `{kty, crv, x, y}` (and `d` when `withD`), nothing else: no `key_ops`/`ext` from WebCrypto. */
export function bareJwk(jwk, withD = false) {
  const bare = { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
  if (withD) bare.d = jwk.d;
  return bare;
}

/** Signs `header.payload` (both JSON values) with a private P-256 JWK: a compact JWS, r‖s. */
export async function signJws(privateJwk, header, payload) {
  const key = await subtle.importKey('jwk', { ...bareJwk(privateJwk, true) }, ECDSA, false, ['sign']);
  const input = `${b64urlJson(header)}.${b64urlJson(payload)}`;
  const signature = await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, utf8.encode(input));
  return `${input}.${b64url(signature)}`;
}

/**
 * Issues an SD-JWT VC: `<issuer JWT>~<D1>~…~<Dn>~`, with every disclosure, for the holder.
 * @param {object} o
 * @param {object} o.issuerJwk the issuer's private JWK (with `kid`) — a TEST-ONLY key
 * @param {object} o.claims every claim, plain and disclosable (`iss`, `iat`, `exp`, `vct`…)
 * @param {string[]} o.disclosable top-level claims made selectively disclosable
 * @param {object} [o.holderJwk] the holder's public JWK, written as `cnf: {jwk}`
 * @param {number} [o.decoys] decoy digests added to `_sd`
 * @param {string} [o.typ] default `dc+sd-jwt`
 */
export async function issueSdJwt({ issuerJwk, claims, disclosable, holderJwk, decoys = 2, typ = 'dc+sd-jwt' }) {
  const payload = { ...claims };
  if (holderJwk) payload.cnf = { jwk: bareJwk(holderJwk) };
  const disclosures = [];
  const digests = [];
  for (const name of disclosable) {
    if (!(name in payload)) throw new Error(`no claim "${name}" to make disclosable`);
    const text = b64urlJson([randomB64url(16), name, payload[name]]);
    delete payload[name];
    disclosures.push(text);
    digests.push(await sha256B64url(text));
  }
  for (let i = 0; i < decoys; i += 1) digests.push(await sha256B64url(randomB64url(32)));
  digests.sort();
  if (digests.length > 0) payload._sd = digests;
  payload._sd_alg = 'sha-256';
  const header = { alg: 'ES256', typ, ...(issuerJwk.kid ? { kid: issuerJwk.kid } : {}) };
  const jwt = await signJws(issuerJwk, header, payload);
  return `${jwt}~${disclosures.map((d) => `${d}~`).join('')}`;
}

/** The disclosures of an SD-JWT as the wallet shows them: `{text, name, value}` (top level). */
export function disclosuresOf(sdJwt) {
  const [, ...rest] = sdJwt.trim().split('~');
  return rest.filter((d) => d.length > 0 && !d.includes('.')).map((text) => {
    const array = JSON.parse(new TextDecoder().decode(fromB64url(text)));
    return array.length === 3 ? { text, name: array[1], value: array[2] } : { text, name: null, value: array[1] };
  });
}

/** The issuer-signed claims of an SD-JWT, unverified: the wallet's own credential, for display. */
export function plainClaimsOf(sdJwt) {
  const payload = sdJwt.split('~')[0].split('.')[1];
  return JSON.parse(new TextDecoder().decode(fromB64url(payload)));
}

/**
 * Presents an issued SD-JWT: the disclosures of the claims named in `disclose`, then a KB-JWT
 * signed with the holder's private JWK over exactly what is presented (`sd_hash`).
 * @param {string} sdJwt as `issueSdJwt` returns it
 * @param {object} o
 * @param {string[]} o.disclose claim names to show
 * @param {object} [o.holderJwk] the holder's private JWK; without it, a bearer presentation
 * @param {string} o.nonce the verifier's challenge, or the wallet's own in a one-way QR
 * @param {string} o.audience the verifier (`aud`)
 * @param {number} [o.iat] Unix seconds; default now
 */
export async function presentSdJwt(sdJwt, { disclose, holderJwk, nonce, audience, iat }) {
  const [jwt] = sdJwt.trim().split('~');
  const chosen = disclosuresOf(sdJwt).filter((d) => disclose.includes(d.name));
  const presented = `${jwt}~${chosen.map((d) => `${d.text}~`).join('')}`;
  if (!holderJwk) return presented;
  const kb = await signJws(holderJwk, { alg: 'ES256', typ: 'kb+jwt' }, {
    iat: iat ?? Math.floor(Date.now() / 1000),
    aud: audience,
    nonce,
    sd_hash: await sha256B64url(presented),
  });
  return presented + kb;
}

/** A fresh challenge nonce: 128 random bits, base64url. */
export function freshNonce() {
  return randomB64url(16);
}
