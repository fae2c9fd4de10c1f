// The customer's wallet, a simulated phone: it reads the counter's challenge, lets the person
// choose what to share, and shows the presentation QR, signed with the holder key this browser
// keeps. The signing is lib/wallet.js (WebCrypto); this panel only shows it.

import { KIOSK_AUDIENCE, challengeText, claimText, parseChallenge } from '../lib/counter.js';
import { t } from '../lib/i18n.js';
import { DISCLOSABLE, freshNonce, holderThumbprint, openWallet, present, resetWallet } from '../lib/wallet.js';
import { byIds, h } from './dom.js';
import { qrImageUrl } from './qr-image.js';

/** Another verifier's audience, to show what forwarding a presentation does. */
const OTHER_AUDIENCE = 'https://other-verifier.example.vn';

/**
 * Mounts the wallet panel. `ctx`: {store, issuer (gallery/wallet-issuer.json), person,
 * readAtCounter (set by the counter panel)}. Store keys: ready, wallet, walletRequest, walletQr,
 * walletError, challenge.
 */
export function mountWalletPanel(ctx) {
  const { store } = ctx;
  const ui = byIds('wallet-status', 'wallet-key', 'wallet-reset', 'wallet-scan', 'wallet-challenge', 'wallet-request',
    'wallet-share', 'wallet-form', 'wallet-to', 'wallet-present', 'wallet-qr', 'wallet-qr-info', 'wallet-output',
    'wallet-hand', 'wallet-download');

  async function open({ fresh = false } = {}) {
    if (fresh) resetWallet();
    try {
      const wallet = await openWallet({ issuer: ctx.issuer, person: ctx.person });
      store.set({ wallet, walletKey: await holderThumbprint(wallet), walletError: null });
    } catch (error) {
      store.set({ walletError: error.message });
    }
  }

  function readChallenge(text) {
    try {
      store.set({ walletRequest: parseChallenge(text.trim()), walletError: null });
    } catch {
      store.set({ walletRequest: null, walletError: t('wallet.notChallenge') });
    }
  }

  async function show() {
    const s = store.get();
    if (!s.wallet) return;
    const to = ui['wallet-to'].value;
    const request = s.walletRequest;
    if (to !== 'one-way' && !request) {
      store.set({ walletError: t('wallet.needChallenge') });
      return;
    }
    const disclose = [...ui['wallet-share'].querySelectorAll('input:checked')].map((box) => box.value);
    const audience = to === 'one-way' ? KIOSK_AUDIENCE : to === 'other' ? OTHER_AUDIENCE : request.aud;
    const nonce = to === 'one-way' ? freshNonce() : request.nonce;
    try {
      const text = await present(s.wallet, { form: ui['wallet-form'].value, disclose, audience, nonce });
      const url = await qrImageUrl(text);
      if (s.walletQr?.url) URL.revokeObjectURL(s.walletQr.url);
      store.set({ walletQr: { text, url, audience }, walletError: null });
    } catch (error) {
      store.set({ walletError: error.message });
    }
  }

  function renderWallet({ wallet, walletKey, walletError }) {
    ui['wallet-key'].textContent = walletKey ?? '';
    ui['wallet-status'].dataset.state = walletError ? 'error' : wallet ? 'ready' : 'loading';
    ui['wallet-status'].textContent = walletError
      ?? (wallet ? t('wallet.ready', { name: wallet.claims.name, level: wallet.claims.acr.slice(-1) }) : t('wallet.loading'));
  }

  function renderShare({ wallet, walletRequest }) {
    const asked = walletRequest?.claims ?? DISCLOSABLE;
    const boxes = DISCLOSABLE.map((claim) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', value: claim, id: `share-${claim}`, checked: asked.includes(claim) }),
      h('span', {}, t(`wallet.claim.${claim}`), wallet ? h('span', { class: 'hint' }, ` — ${claimText(claim, wallet.claims[claim])}`) : null)));
    ui['wallet-share'].replaceChildren(h('legend', {}, t('wallet.share')), ...boxes);
  }

  function renderRequest({ walletRequest }) {
    ui['wallet-request'].textContent = walletRequest
      ? t('wallet.request', { aud: walletRequest.aud, claims: walletRequest.claims.map((c) => t(`wallet.claim.${c}`)).join(', ') })
      : '';
  }

  function renderQr({ walletQr }) {
    ui['wallet-output'].value = walletQr?.text ?? '';
    ui['wallet-hand'].disabled = !walletQr;
    ui['wallet-download'].hidden = !walletQr;
    if (walletQr) {
      ui['wallet-qr'].src = walletQr.url;
      ui['wallet-qr'].alt = t('wallet.qrAlt');
      ui['wallet-download'].href = walletQr.url;
      ui['wallet-qr-info'].textContent = t('wallet.qrInfo', { chars: walletQr.text.length, aud: walletQr.audience });
    } else {
      ui['wallet-qr'].removeAttribute('src');
      ui['wallet-qr'].alt = '';
      ui['wallet-qr-info'].textContent = '';
    }
  }

  function renderReady({ ready, wallet }) {
    ui['wallet-scan'].disabled = !ready;
    ui['wallet-present'].disabled = !ready || !wallet;
  }

  const render = () => {
    const s = store.get();
    renderWallet(s);
    renderShare(s);
    renderRequest(s);
    renderQr(s);
    renderReady(s);
  };
  store.watch(['wallet', 'walletKey', 'walletError', 'lang'], renderWallet);
  store.watch(['wallet', 'walletRequest', 'lang'], renderShare);
  store.watch(['walletRequest', 'lang'], renderRequest);
  store.watch(['walletQr', 'lang'], renderQr);
  store.watch(['ready', 'wallet'], renderReady);

  ui['wallet-scan'].addEventListener('click', () => {
    const { challenge } = store.get();
    if (!challenge) {
      store.set({ walletError: t('wallet.noChallengeShown') });
      return;
    }
    ui['wallet-challenge'].value = challengeText(challenge);
    readChallenge(ui['wallet-challenge'].value);
  });
  ui['wallet-challenge'].addEventListener('change', () => readChallenge(ui['wallet-challenge'].value));
  ui['wallet-present'].addEventListener('click', show);
  ui['wallet-hand'].addEventListener('click', () => {
    const qr = store.get().walletQr;
    if (qr) ctx.readAtCounter?.(qr.text, 'scanner');
  });
  ui['wallet-reset'].addEventListener('click', () => {
    store.set({ wallet: null, walletKey: null, walletQr: null });
    open({ fresh: true });
  });

  return { render, open };
}
