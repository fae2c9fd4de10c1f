// Shared by the tests of the demo's DOM-free modules (www-demo/lib/): the built package, the
// built gallery, and a store as the page sets it up.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { p256 } from '@noble/curves/nist.js';

import { ROOT } from '../js/pkg.mjs';
import { createStore } from '../../www-demo/lib/store.js';

export { ShcChunks, Verifier } from '../js/pkg.mjs';

const GALLERY = join(ROOT, 'www-demo', 'gallery', 'gallery.json');
assert.ok(existsSync(GALLERY), `${GALLERY} is missing: run "node scripts/build-demo.mjs"`);
export const gallery = JSON.parse(readFileSync(GALLERY, 'utf8'));

/** The demo's TEST-ONLY trust root (its private JWK is published on purpose by build-demo). */
export const trustRoot = JSON.parse(readFileSync(join(ROOT, 'www-demo', 'gallery', 'trust-root.private.json'), 'utf8'));

/** The payload of a signed bundle. */
export function payloadOf(signedText) {
  return JSON.parse(Buffer.from(JSON.parse(signedText).payload, 'base64url').toString('utf8'));
}

/**
 * A signed trust bundle (docs/trust.md) of `payload`, signed by the private JWK `key` (default:
 * the demo's TEST root), the way build-demo signs the samples' bundle.
 */
export function signBundle(payload, key = trustRoot.privateJwk) {
  const b64 = (x) => Buffer.from(x).toString('base64url');
  const protectedHeader = b64(JSON.stringify({ alg: 'ES256', kid: key.kid, typ: 'vneid-trust+json' }));
  const body = b64(JSON.stringify(payload));
  const signature = p256.sign(new TextEncoder().encode(`${protectedHeader}.${body}`), Buffer.from(key.d, 'base64url'));
  return JSON.stringify({ payload: body, signatures: [{ protected: protectedHeader, signature: b64(signature) }] });
}

/** The samples' signed bundle again with `changes` over its payload (a newer version, say). */
export function resignedSamples(changes, key) {
  return signBundle({ ...payloadOf(gallery.signedTrust.bundle), ...changes }, key);
}

export function sample(id) {
  const found = gallery.samples.find((s) => s.id === id);
  assert.ok(found, `no gallery sample ${id}`);
  return found;
}

/** The state the page starts with once the gallery is loaded. */
export function pageStore(overrides = {}) {
  return createStore({
    lang: 'en', sampleTrust: true, imported: [], signedImport: null, trustState: null, policy: { audience: '', minLevel: '', clockTolerance: '60' },
    verifyAt: '', ready: true, gallery, galleryError: null, sources: [],
    result: { kind: 'idle', key: 'verdict.idle' }, ...overrides,
  });
}
