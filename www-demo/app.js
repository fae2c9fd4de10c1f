// The demo page: read a code (camera, paste, image), verify it in WebAssembly, show the verdict.
// This file only composes: the state is one store (lib/store.js), the logic DOM-free modules
// (lib/: the session with its reader and verifier cache, trust, policy, gallery, labels), and
// each panel of the page a module of ui/ mounted here. A new panel is one more mount.
// Plain ES modules over the built package (./pkg/, served from the repository's pkg/); nothing
// leaves this origin.

import init, { ShcChunks, Verifier, version } from './pkg/vneid_verify.js';
import { loadGallery } from './lib/gallery.js';
import { setLang, t } from './lib/i18n.js';
import { createSession } from './lib/session.js';
import { loadSettings, persist } from './lib/settings.js';
import { createStore } from './lib/store.js';
import { applyLang, byIds } from './ui/dom.js';
import { mountGalleryPanel } from './ui/gallery-panel.js';
import { mountPolicyPanel } from './ui/policy-panel.js';
import { mountReadPanel } from './ui/read-panel.js';
import { decoderKind } from './ui/scanner.js';
import { mountTrustPanel } from './ui/trust-panel.js';
import { mountVerdictPanel } from './ui/verdict-panel.js';

const ui = byIds('version', 'offline-status');
const params = new URLSearchParams(location.search);
const settings = loadSettings();
const browserVi = (navigator.languages ?? []).some((l) => l.toLowerCase().startsWith('vi'));

const store = createStore({
  // Saved in this browser (lib/settings.js).
  lang: settings.lang ?? (browserVi ? 'vi' : 'en'),
  sampleTrust: settings.sampleTrust,
  imported: settings.imported,
  signedImport: settings.signedImport,
  trustState: settings.trustState,
  policy: { audience: '', minLevel: '', clockTolerance: '60', ...settings.policy },
  // This visit only.
  verifyAt: '',
  ready: false,
  gallery: null,
  galleryError: null,
  sources: [],
  result: { kind: 'idle', key: 'verdict.loading' },
  camera: { name: 'off' },
  image: null,
  decoder: null,
  offline: 'pending',
});
persist(store);

// The language first: every panel renders after it switched.
setLang(store.get().lang);
store.watch(['lang'], ({ lang }) => {
  setLang(lang);
  applyLang(document);
});
applyLang(document);

/** What the panels share; `session` and `sdk` are set once the verifier is loaded. */
const ctx = { store, params, session: null, sdk: null };
const panels = [mountReadPanel, mountPolicyPanel, mountVerdictPanel, mountGalleryPanel, mountTrustPanel].map((mount) => mount(ctx));

function renderFooter({ offline }) {
  ui['offline-status'].textContent = t(`offline.${offline}`);
  ui['offline-status'].dataset.state = offline;
}
store.watch(['offline', 'lang'], renderFooter);

for (const button of document.querySelectorAll('[data-lang]')) {
  button.addEventListener('click', () => store.set({ lang: button.dataset.lang }));
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) {
    store.set({ offline: 'unsupported' });
    return;
  }
  try {
    const { version: build } = await (await fetch('./precache.json')).json();
    await navigator.serviceWorker.register(`./sw.js?v=${encodeURIComponent(build)}`);
    await navigator.serviceWorker.ready;
    store.set({ offline: 'ready' });
  } catch (error) {
    store.set({ offline: 'unsupported' });
    console.warn('offline use is not available:', error);
  }
}

async function main() {
  for (const panel of panels) panel.render();
  renderFooter(store.get());
  try {
    await init();
  } catch (error) {
    store.set({ result: { kind: 'idle', key: 'verdict.loadFailed', vars: { reason: error.message } } });
    return;
  }
  ctx.sdk = { Verifier, ShcChunks };
  ctx.session = createSession({ Verifier, ShcChunks, store });
  ui.version.textContent = `vneid-verify ${version()}`;
  try {
    store.set({ gallery: await loadGallery() });
  } catch (error) {
    store.set({ galleryError: error.message });
  }
  store.set({
    decoder: { kind: params.get('decoder') === 'zxing' ? 'zxing' : await decoderKind(), failed: null },
    result: { kind: 'idle', key: 'verdict.idle' },
    ready: true,
  });
  document.documentElement.dataset.ready = 'true';
  registerServiceWorker();
}

main();
