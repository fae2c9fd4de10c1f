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

// ---- The compact form (VNP1:, docs/profiles/vneid-presentation.md §7) ---------------------------

/** A CBOR tag around a value, for `cbor`. */
export class Tagged {
  constructor(tag, value) {
    this.tag = tag;
    this.value = value;
  }
}

function head(major, n, out) {
  const m = major << 5;
  if (n < 24) out.push(m | n);
  else if (n < 0x100) out.push(m | 24, n);
  else if (n < 0x10000) out.push(m | 25, n >> 8, n & 0xff);
  else if (n < 0x100000000) out.push(m | 26, (n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
  else {
    const big = BigInt(n);
    out.push(m | 27);
    for (let shift = 56n; shift >= 0n; shift -= 8n) out.push(Number((big >> shift) & 0xffn));
  }
}

/**
 * CBOR (RFC 8949) with definite lengths and shortest heads: integers (safe range), floats as
 * doubles, text, `Uint8Array` as byte strings, arrays, `Map` (any keys) and plain objects (text
 * keys), booleans, null, `Tagged`.
 */
export function cbor(value, out = []) {
  if (value instanceof Uint8Array) {
    head(2, value.length, out);
    for (const b of value) out.push(b);
  } else if (typeof value === 'string') {
    const bytes = utf8.encode(value);
    head(3, bytes.length, out);
    for (const b of bytes) out.push(b);
  } else if (typeof value === 'number' && Number.isSafeInteger(value)) {
    if (value >= 0) head(0, value, out);
    else head(1, -1 - value, out);
  } else if (typeof value === 'number') {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value);
    out.push(0xfb, ...new Uint8Array(view.buffer));
  } else if (typeof value === 'boolean') {
    out.push(value ? 0xf5 : 0xf4);
  } else if (value === null || value === undefined) {
    out.push(0xf6);
  } else if (Array.isArray(value)) {
    head(4, value.length, out);
    for (const item of value) cbor(item, out);
  } else if (value instanceof Map) {
    head(5, value.size, out);
    for (const [k, v] of value) {
      cbor(k, out);
      cbor(v, out);
    }
  } else if (value instanceof Tagged) {
    head(6, value.tag, out);
    cbor(value.value, out);
  } else if (typeof value === 'object') {
    const entries = Object.entries(value);
    head(5, entries.length, out);
    for (const [k, v] of entries) {
      cbor(k, out);
      cbor(v, out);
    }
  } else {
    throw new Error(`cannot encode a ${typeof value} as CBOR`);
  }
  return out;
}

const cborBytes = (value) => Uint8Array.from(cbor(value));

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** Base45 (RFC 9285): the QR alphanumeric text of bytes. */
export function base45(bytes) {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    let n = bytes[i] * 256 + bytes[i + 1];
    for (let k = 0; k < 3; k += 1) {
      out += BASE45[n % 45];
      n = Math.floor(n / 45);
    }
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1];
    out += BASE45[n % 45] + BASE45[Math.floor(n / 45)];
  }
  return out;
}

async function sha256(bytes) {
  return new Uint8Array(await subtle.digest('SHA-256', bytes));
}

/** `["Signature1", protected, external_aad, payload]` (RFC 9052 §4.4). */
const sigStructure = (protectedBytes, aad, payload) => cborBytes(['Signature1', protectedBytes, aad, payload]);

async function signBytes(privateJwk, bytes) {
  const key = await subtle.importKey('jwk', { ...bareJwk(privateJwk, true) }, ECDSA, false, ['sign']);
  return new Uint8Array(await subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, bytes));
}

/** A tagged COSE_Sign1 with the protected header `protectedMap`, signed with `aad`. */
async function coseSign1(privateJwk, protectedMap, payload, aad = new Uint8Array()) {
  const protectedBytes = cborBytes(protectedMap);
  const signature = await signBytes(privateJwk, sigStructure(protectedBytes, aad, payload));
  return cborBytes(new Tagged(18, [protectedBytes, new Map(), payload, signature]));
}

/** The bare public JWK as an EC2 P-256 COSE_Key with a compressed point (y's sign bit). */
function coseKey(jwk) {
  const y = fromB64url(jwk.y);
  return new Map([[1, 2], [-1, 1], [-2, fromB64url(jwk.x)], [-3, (y[y.length - 1] & 1) === 1]]);
}

const REGISTERED = { iss: 1, exp: 4, nbf: 5, iat: 6 };

/**
 * Issues the same credential in the compact form: `{credential, disclosures: [{name, value,
 * bytes}]}` (the wallet keeps it; `VNC1:` is its text form in the CLI). No decoys: the claim set
 * is fixed by `vct`.
 */
export async function issueCompact({ issuerJwk, claims, disclosable, holderJwk }) {
  const entries = new Map();
  for (const [name, key] of Object.entries(REGISTERED)) {
    if (name in claims) entries.set(key, claims[name]);
  }
  if (claims.jti !== undefined) entries.set(7, utf8.encode(claims.jti));
  if (holderJwk) entries.set(8, new Map([[1, coseKey(holderJwk)]]));
  const disclosures = [];
  const digests = [];
  for (const name of disclosable) {
    if (!(name in claims)) throw new Error(`no claim "${name}" to make disclosable`);
    const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
    const bytes = cborBytes([salt, claims[name], name]);
    disclosures.push({ name, value: claims[name], bytes });
    digests.push(await sha256(bytes));
  }
  for (const [name, value] of Object.entries(claims)) {
    if (name in REGISTERED || name === 'jti' || disclosable.includes(name)) continue;
    entries.set(name, value);
  }
  if (digests.length > 0) entries.set('_sd', digests);
  const payload = cborBytes(entries);
  const credential = await coseSign1(issuerJwk, new Map([[1, -7], [4, utf8.encode(issuerJwk.kid)]]), payload);
  return { credential, disclosures };
}

/**
 * Presents a compact credential (as `issueCompact` returns it): `VNP1:` base45 of
 * `[credential, [disclosures], proof]`, the holder proof signed over exactly what is shown.
 */
export async function presentCompact(compact, { disclose, holderJwk, nonce, audience, iat }) {
  const chosen = compact.disclosures.filter((d) => disclose.includes(d.name)).map((d) => d.bytes);
  const parts = [compact.credential, chosen];
  if (holderJwk) {
    const aad = cborBytes([compact.credential, chosen]);
    const claims = new Map([[3, audience], [6, iat ?? Math.floor(Date.now() / 1000)], [10, nonce]]);
    parts.push(await coseSign1(holderJwk, new Map([[1, -7]]), cborBytes(claims), aad));
  }
  return `VNP1:${base45(cborBytes(parts))}`;
}

/** A compact credential as JSON (for the browser's storage), and back. */
export function compactToJson(compact) {
  return {
    credential: b64url(compact.credential),
    disclosures: compact.disclosures.map((d) => ({ name: d.name, value: d.value, bytes: b64url(d.bytes) })),
  };
}

export function compactFromJson(json) {
  return {
    credential: fromB64url(json.credential),
    disclosures: json.disclosures.map((d) => ({ name: d.name, value: d.value, bytes: fromB64url(d.bytes) })),
  };
}

// ---- The demo wallet's storage ----------------------------------------------------------------

/** Where the demo wallet keeps its holder key and credential in this browser. */
export const WALLET_KEY = 'vneid-verify-demo/wallet/v1';
/** The `vct` of the VNeID identity credential. */
export const VNEID_VCT = 'urn:vneid:identity:1';
/** The claims a wallet lets its holder disclose one by one (docs/profiles/vneid-presentation.md §1). */
export const DISCLOSABLE = ['sub', 'name', 'birthdate', 'gender'];

function storageOf(storage) {
  try {
    return storage ?? globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/**
 * The wallet in `storage`: its holder key and its credential, in both forms. The first time (or
 * when the issuer changed) a holder key is generated and the TEST-ONLY `issuer` issues a
 * credential for `person` bound to it. `issuer`: `{iss, kid, privateJwk}`.
 */
export async function openWallet({ storage, issuer, person, now = () => new Date() }) {
  const store = storageOf(storage);
  try {
    const saved = JSON.parse(store?.getItem(WALLET_KEY) ?? 'null');
    if (saved?.issuer === `${issuer.iss} ${issuer.kid}` && saved.holder?.d && saved.sdJwt && saved.compact) {
      return { ...saved, compact: compactFromJson(saved.compact) };
    }
  } catch {
    // corrupt or blocked: issue a new one
  }
  const holder = await generateHolderKey();
  const iat = Math.floor(now().getTime() / 1000);
  const claims = {
    iss: issuer.iss, iat, exp: iat + 365 * 24 * 3600, vct: VNEID_VCT, acr: 'urn:vneid:level:2', ...person,
  };
  const issuerJwk = { ...issuer.privateJwk, kid: issuer.kid };
  const sdJwt = await issueSdJwt({ issuerJwk, claims, disclosable: DISCLOSABLE, holderJwk: holder.publicJwk, decoys: 0 });
  const compact = await issueCompact({ issuerJwk, claims, disclosable: DISCLOSABLE, holderJwk: holder.publicJwk });
  const wallet = { issuer: `${issuer.iss} ${issuer.kid}`, holder: holder.privateJwk, claims, sdJwt, compact };
  try {
    store?.setItem(WALLET_KEY, JSON.stringify({ ...wallet, compact: compactToJson(compact) }));
  } catch {
    // storage blocked: the wallet lives for this visit only
  }
  return wallet;
}

/** Forgets the wallet (a new holder key and credential next time). */
export function resetWallet(storage) {
  try {
    storageOf(storage)?.removeItem(WALLET_KEY);
  } catch {
    // nothing to forget
  }
}

/** The wallet's presentation of `disclose` for `audience` and `nonce`, in the `form` asked for. */
export function present(wallet, { form = 'compact', disclose, audience, nonce, iat }) {
  const options = { disclose, holderJwk: wallet.holder, audience, nonce, iat };
  return form === 'sd-jwt' ? presentSdJwt(wallet.sdJwt, options) : presentCompact(wallet.compact, options);
}

/** The RFC 7638 thumbprint of the wallet's holder key: how the page names the key. */
export function holderThumbprint(wallet) {
  const { crv, kty, x, y } = wallet.holder;
  return sha256B64url(JSON.stringify({ crv, kty, x, y }));
}
