// The bank-counter page: a counter that verifies and a wallet that presents, side by side, to
// show holder binding and selective disclosure end to end (docs/profiles/vneid-presentation.md).
// This file only composes: the logic is DOM-free (lib/counter.js, lib/wallet.js), each side a
// panel of ui/. The wallet's credential is issued here by the TEST-ONLY issuer of
// gallery/wallet-issuer.json, which the counter trusts; nothing leaves this page.

import init, { Verifier, version } from './pkg/vneid_verify.js';
import { createCounter } from './lib/counter.js';
import { setLang } from './lib/i18n.js';
import { loadSettings, saveSettings } from './lib/settings.js';
import { createStore } from './lib/store.js';
import { mountCounterPanel } from './ui/counter-panel.js';
import { applyLang, byIds } from './ui/dom.js';
import { mountWalletPanel } from './ui/wallet-panel.js';

/** The invented citizen of the demo wallet (TEST ONLY). */
const PERSON = { sub: '001199001234', name: 'Nguyễn Thị Minh Khai', birthdate: '1999-03-15', gender: 'female' };

const ui = byIds('version');
const settings = loadSettings();
const browserVi = (navigator.languages ?? []).some((l) => l.toLowerCase().startsWith('vi'));
const store = createStore({
  lang: settings.lang ?? (browserVi ? 'vi' : 'en'),
  ready: false,
  mode: 'two-way',
  challenge: null,
  counterResult: null,
  counterCamera: { name: 'off' },
  counterImage: null,
  wallet: null,
  walletKey: null,
  walletRequest: null,
  walletQr: null,
  walletError: null,
});

setLang(store.get().lang);
store.watch(['lang'], (state) => {
  setLang(state.lang);
  applyLang(document);
  saveSettings({ ...loadSettings(), lang: state.lang });
});
applyLang(document);
for (const button of document.querySelectorAll('[data-lang]')) {
  button.addEventListener('click', () => store.set({ lang: button.dataset.lang }));
}

const ctx = { store, params: new URLSearchParams(location.search), counter: null, issuer: null, person: PERSON };
const counterPanel = mountCounterPanel(ctx);
const walletPanel = mountWalletPanel(ctx);

async function main() {
  counterPanel.render();
  walletPanel.render();
  await init();
  const issuer = await (await fetch('./gallery/wallet-issuer.json')).json();
  ctx.issuer = { iss: issuer.iss, kid: issuer.kid, privateJwk: issuer.privateJwk };
  ctx.counter = createCounter({ Verifier, trust: issuer.trust });
  ui.version.textContent = `vneid-verify ${version()}`;
  await walletPanel.open();
  store.set({ ready: true });
  counterPanel.newCustomer();
  document.documentElement.dataset.ready = 'true';
}

main().catch((error) => {
  store.set({ walletError: error.message });
  console.error(error);
});
