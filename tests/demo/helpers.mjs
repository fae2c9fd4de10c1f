// Shared by the tests of the demo's DOM-free modules (www-demo/lib/): the built package, the
// built gallery, and a store as the page sets it up.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from '../js/pkg.mjs';
import { createStore } from '../../www-demo/lib/store.js';

export { ShcChunks, Verifier } from '../js/pkg.mjs';

const GALLERY = join(ROOT, 'www-demo', 'gallery', 'gallery.json');
assert.ok(existsSync(GALLERY), `${GALLERY} is missing: run "node scripts/build-demo.mjs"`);
export const gallery = JSON.parse(readFileSync(GALLERY, 'utf8'));

export function sample(id) {
  const found = gallery.samples.find((s) => s.id === id);
  assert.ok(found, `no gallery sample ${id}`);
  return found;
}

/** The state the page starts with once the gallery is loaded. */
export function pageStore(overrides = {}) {
  return createStore({
    lang: 'en', sampleTrust: true, imported: [], policy: { audience: '', minLevel: '', clockTolerance: '60' },
    verifyAt: '', ready: true, gallery, galleryError: null, sources: [],
    result: { kind: 'idle', key: 'verdict.idle' }, ...overrides,
  });
}
