// The trust sources the page verifies with, and what it keeps in this browser: the sample
// issuers (TEST ONLY, from the gallery) and the keys, certificates and bundles the user imports.
// Saved in localStorage only; nothing is sent anywhere.

import { Verifier } from './pkg/vneid_verify.js';

const STORAGE_KEY = 'vneid-verify-demo/v1';

/** The saved settings, with defaults. */
export function loadSettings() {
  const defaults = { lang: null, sampleTrust: true, imported: [], policy: {} };
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (!saved || typeof saved !== 'object') return defaults;
    return {
      lang: typeof saved.lang === 'string' ? saved.lang : null,
      sampleTrust: saved.sampleTrust !== false,
      imported: Array.isArray(saved.imported) ? saved.imported.filter((i) => i && i.id && i.bundle) : [],
      policy: saved.policy && typeof saved.policy === 'object' ? saved.policy : {},
    };
  } catch {
    return defaults; // storage blocked or corrupt: start fresh
  }
}

export function saveSettings(settings) {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(settings));
  } catch {
    // storage full or blocked: the page still works, it just forgets
  }
}

/**
 * What a trust source holds, read by the verifier itself: its keys and certificate authorities.
 * Throws the verifier's coded error (`trust_invalid`) when the bundle does not load.
 */
export function describeBundle(bundle) {
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

function base64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A coded error for the import form (same shape as the verifier's). */
function importError(code, message) {
  return Object.assign(new Error(message), { code, messageVi: message });
}

/**
 * A trust bundle from the import form: a bundle as it is; a JWKS (or one JWK) bound to the
 * issuer the user names; a certificate (PEM text, or DER bytes from a file) as the issuer's
 * signing certificate or as a certificate authority.
 */
export function bundleFromImport({ kind, issuer, role, name, text, bytes }) {
  const iss = issuer.trim();
  const display = name.trim() || undefined;
  if (kind === 'certificate') {
    let certificate;
    if (text.includes('-----BEGIN')) certificate = text.trim();
    else if (bytes && bytes.length > 0) certificate = base64(bytes);
    else certificate = text.replace(/\s+/g, ''); // pasted base64 DER
    if (role === 'anchor') return { anchors: [certificate] };
    if (!iss) throw importError('issuer_required', 'issuer');
    return { issuers: [{ iss, ...(display ? { name: display } : {}), certificates: [certificate] }] };
  }
  let json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw importError('not_json', error.message);
  }
  if (kind === 'jwks') {
    const keys = Array.isArray(json?.keys) ? json.keys : json?.kty ? [json] : null;
    if (!keys) throw importError('not_json', 'expected {"keys": [...]} or one JWK');
    const boundTo = iss || (typeof json.iss === 'string' ? json.iss : '');
    if (!boundTo) throw importError('issuer_required', 'issuer');
    return { issuers: [{ iss: boundTo, ...(display ? { name: display } : {}), keys }] };
  }
  return json;
}
