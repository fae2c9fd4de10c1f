// Trust sources, DOM-free: the sample issuers (TEST ONLY, from the gallery) and what the user
// imports (a trust bundle, a JWKS bound to an issuer, a certificate), converted to trust bundles
// the package loads, described by the verifier itself, and the key validity a trust panel shows.
// The package's `Verifier` class is passed in; nothing here imports WebAssembly.
//
// A source is `{id, label, testOnly, bundle, imported?, info | error}`: `id` names its content
// (a new import gets a new id), `info` is `{keys, anchors, revoked}` from the verifier, `error`
// the verifier's coded error when the bundle does not load.
//
// The sample issuers ship as one signed trust bundle (docs/trust.md), checked against the
// demo's pinned TEST root set: that source is `{id, label, testOnly, signed: {text, roots,
// state}, info | error}`, its `info` also `{statusLists, bundle}` (the verifier's
// `trustBundle()`: version, dates, signers, and the state this browser keeps, so that an older
// bundle is refused as a rollback).

/**
 * What a trust bundle holds, read by the verifier: its keys and certificate authorities.
 * Throws the verifier's coded error (`trust_invalid`) when the bundle does not load.
 */
export function describeBundle(Verifier, bundle) {
  const verifier = new Verifier(bundle);
  try {
    return {
      keys: verifier.trustedKeys(),
      anchors: verifier.trustedAnchors(),
      revoked: Array.isArray(bundle.revoked) ? bundle.revoked.length : 0,
    };
  } finally {
    verifier.free();
  }
}

/**
 * What a signed trust bundle holds, verified by the verifier against the pinned `roots` and this
 * browser's `state` (the highest version accepted, the roots after a rotation; `null` on a
 * fresh browser). Throws the verifier's coded error: `trust_rollback`, `trust_unknown_signer`,
 * `trust_signature_invalid`, `trust_unsigned`…
 */
export function describeSigned(Verifier, { text, roots, state = null }) {
  const verifier = new Verifier(text, { trustRoots: roots, trustState: state });
  try {
    return {
      keys: verifier.trustedKeys(),
      anchors: verifier.trustedAnchors(),
      revoked: 0,
      statusLists: verifier.statusLists(),
      bundle: verifier.trustBundle(),
    };
  } finally {
    verifier.free();
  }
}

/** A short hash naming a text's content (FNV-1a, 32 bits): not for security, for ids. */
function contentId(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return `${text.length.toString(36)}-${hash.toString(36)}`;
}

/** A coded error (the same shape as the verifier's). */
export function trustError(code, message) {
  return Object.assign(new Error(message), { code, messageVi: message });
}

function base64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw trustError('not_json', error.message);
  }
}

/**
 * The kinds of trust the user can import, each a conversion to a trust bundle. `input` is
 * `{issuer, role, name, text, bytes}` (a file's bytes when nothing was pasted). A new kind
 * (a signed bundle, say) is one more entry.
 */
export const IMPORT_KINDS = {
  /** A trust bundle as it is. */
  bundle({ text }) {
    return parseJson(text);
  },
  /** A JWKS (or one JWK) bound to the issuer the user names, or to the set's own `iss`. */
  jwks({ issuer, name, text }) {
    const json = parseJson(text);
    const keys = Array.isArray(json?.keys) ? json.keys : json?.kty ? [json] : null;
    if (!keys) throw trustError('not_json', 'expected {"keys": [...]} or one JWK');
    const iss = issuer.trim() || (typeof json.iss === 'string' ? json.iss : '');
    if (!iss) throw trustError('issuer_required', 'issuer');
    return { issuers: [{ iss, ...displayName(name), keys }] };
  },
  /** A certificate (PEM text, DER bytes, or pasted base64 DER): an issuer's signer, or an authority. */
  certificate({ issuer, role, name, text, bytes }) {
    let certificate;
    if (text.includes('-----BEGIN')) certificate = text.trim();
    else if (bytes && bytes.length > 0) certificate = base64(bytes);
    else certificate = text.replace(/\s+/g, '');
    if (role === 'anchor') return { anchors: [certificate] };
    const iss = issuer.trim();
    if (!iss) throw trustError('issuer_required', 'issuer');
    return { issuers: [{ iss, ...displayName(name), certificates: [certificate] }] };
  },
};

function displayName(name) {
  const display = name?.trim();
  return display ? { name: display } : {};
}

/** A trust bundle from the import form. Throws `issuer_required`, `not_json` or `unknown_kind`. */
export function bundleFromImport({ kind, issuer = '', role = 'signer', name = '', text = '', bytes = null }) {
  const convert = Object.hasOwn(IMPORT_KINDS, kind) ? IMPORT_KINDS[kind] : null;
  if (!convert) throw trustError('unknown_kind', `unknown import kind ${kind}`);
  return convert({ issuer, role, name, text, bytes });
}

/**
 * An import the verifier accepts: the bundle loads on its own and beside the sources already
 * active (no second key with the same kid…). Returns `{bundle, info}`; throws the conversion's
 * or the verifier's coded error.
 */
export function checkImport(Verifier, input, active) {
  const bundle = bundleFromImport(input);
  const info = describeBundle(Verifier, bundle);
  // Beside the unsigned sources; a signed bundle is its own verifier (lib/verifiers.js).
  new Verifier([...active.filter((s) => !s.signed).map((s) => s.bundle), bundle]).free();
  return { bundle, info };
}

/**
 * A signed trust bundle the user imports, checked against the pinned `roots` and the `state`
 * kept in this browser: a bundle older than the one accepted is refused (`trust_rollback`), as
 * is one not signed by the roots. Returns `{text, info}`; throws the verifier's coded error
 * (`not_json` when the text is not even JSON).
 */
export function checkSignedImport(Verifier, text, { roots, state = null }) {
  parseJson(text);
  const trimmed = text.trim();
  return { text: trimmed, info: describeSigned(Verifier, { text: trimmed, roots, state }) };
}

/**
 * The signed source: of the bundle the demo ships (`shipped`: `{label, bundle, roots, source}`
 * from the gallery) and the one the user imported last (`imported`, its text), the one with
 * the highest version that verifies against the roots and `state`; when neither does, the
 * shipped one with its error (a rollback, say: this browser accepted a newer one before).
 */
export function signedSource(Verifier, shipped, imported, state) {
  const texts = [...new Set([imported, shipped.bundle].filter((t) => typeof t === 'string' && t))];
  const candidates = texts.map((text) => {
    const source = {
      id: `signed:${contentId(text)}`, label: shipped.label, testOnly: true, source: shipped.source,
      signed: { text, roots: shipped.roots, state }, fromImport: text !== shipped.bundle,
    };
    try {
      return { ...source, info: describeSigned(Verifier, source.signed) };
    } catch (error) {
      return { ...source, error };
    }
  });
  const accepted = candidates.filter((c) => c.info).sort((a, b) => b.info.bundle.version - a.info.bundle.version);
  return accepted[0] ?? candidates.find((c) => !c.fromImport) ?? candidates[0];
}

/** A saved import: `{id, label, bundle}`, its id new. */
export function newImport(label, bundle, now = Date.now()) {
  return { id: `import:${now}:${Math.random().toString(36).slice(2, 8)}`, label, bundle };
}

/**
 * Every source: the sample issuers first (TEST ONLY: the signed bundle `signedTrust` of the
 * gallery, or the newer one the user imported, `signedImport`; else the gallery's unsigned
 * `sampleTrust`), then the user's imports.
 */
export function trustSources(Verifier, { sampleTrust = [], signedTrust = null, signedImport = null, trustState = null, imported = [] }) {
  const imports = imported.map((i) => ({ id: i.id, label: i.label, testOnly: false, bundle: i.bundle, imported: true }));
  const plain = (s) => {
    try {
      return { ...s, info: describeBundle(Verifier, s.bundle) };
    } catch (error) {
      return { ...s, error };
    }
  };
  if (signedTrust) return [signedSource(Verifier, signedTrust, signedImport, trustState), ...imports.map(plain)];
  const samples = sampleTrust.map((t) => ({ id: `sample:${t.id}`, label: t.label, testOnly: true, bundle: t.bundle, source: t.source }));
  return [...samples, ...imports].map(plain);
}

/** The state to keep after `sources` loaded: the signed source's, when it was accepted. */
export function acceptedState(sources) {
  return sources.find((s) => s.signed && s.info)?.info.bundle.state ?? null;
}

/** The sources verified with: those that load, the sample issuers only when trusted. */
export function activeSources(sources, sampleTrust) {
  return sources.filter((s) => !s.error && (!s.testOnly || sampleTrust));
}

/** Issuer → display name, from the sources' keys. */
export function issuerNames(sources) {
  const names = new Map();
  for (const s of sources) for (const k of s.info?.keys ?? []) if (k.issuerName) names.set(k.issuer, k.issuerName);
  return names;
}

/** The issuers of TEST ONLY sources. */
export function testIssuers(sources) {
  return new Set(sources.filter((s) => s.testOnly).flatMap((s) => (s.info?.keys ?? []).map((k) => k.issuer)));
}

/** A key's or certificate's status at `at` (a Date): `notYet`, `expired` or `valid`. */
export function validityAt(notBefore, notAfter, at) {
  const now = at.getTime() / 1000;
  if (notBefore !== null && notBefore !== undefined && now < notBefore) return 'notYet';
  if (notAfter !== null && notAfter !== undefined && now >= notAfter) return 'expired';
  return 'valid';
}
