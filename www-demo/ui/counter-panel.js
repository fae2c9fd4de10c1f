// The bank counter: its challenge QR, reading the customer's QR (camera, image, paste, or the
// wallet held to its scanner), the verdict, and the account-opening form filled with what the
// presentation verified. The logic is lib/counter.js; this panel only shows it.

import { FORM_FIELDS, challengeText, claimText } from '../lib/counter.js';
import { messageOf, t } from '../lib/i18n.js';
import { byIds, h } from './dom.js';
import { qrImageUrl } from './qr-image.js';
import { Camera, createDecoder, decodeImageFile, showCameraState } from './scanner.js';

/**
 * Mounts the counter panel. `ctx`: {store, counter (lib/counter.js, set once the verifier is
 * loaded), params}. Store keys: ready, mode, challenge, counterResult, counterCamera,
 * counterImage. Sets `ctx.readAtCounter(text, source)` for the wallet to hold its QR to.
 */
export function mountCounterPanel(ctx) {
  const { store } = ctx;
  const ui = byIds('challenge-box', 'challenge-qr', 'challenge-nonce', 'challenge-text', 'new-customer', 'one-way-box',
    'counter-video', 'counter-video-box', 'counter-camera', 'counter-camera-status', 'counter-image',
    'counter-image-status', 'counter-paste-form', 'counter-payload', 'counter-verify', 'counter-replay',
    'counter-result', 'account-fields');

  let decoderPromise = null;
  const getDecoder = () => {
    decoderPromise ??= createDecoder({ prefer: ctx.params?.get('decoder') }).catch((error) => {
      decoderPromise = null;
      throw error;
    });
    return decoderPromise;
  };

  function read(text, source) {
    if (!ctx.counter) return;
    const { verdict, form } = ctx.counter.verify(text);
    store.set({ counterResult: { verdict, form, source } });
    if (verdict.valid && camera.running) camera.stop();
  }
  ctx.readAtCounter = read;

  const camera = new Camera(ui['counter-video'], {
    getDecoder,
    onText: (text) => {
      store.set({ counterCamera: { name: 'read' } });
      read(text, 'camera');
    },
    onState: (name, error) => store.set({ counterCamera: { name, reason: error ? (error.message || error.name) : null } }),
  });

  function newCustomer() {
    store.set({ challenge: ctx.counter.start(store.get().mode), counterResult: null });
  }

  let qrUrl = null;
  async function renderChallenge({ mode, challenge }) {
    ui['challenge-box'].hidden = mode !== 'two-way';
    ui['one-way-box'].hidden = mode !== 'one-way';
    const text = challenge ? challengeText(challenge) : '';
    ui['challenge-text'].textContent = text;
    ui['challenge-nonce'].textContent = challenge?.nonce ?? '';
    ui['challenge-qr'].alt = challenge ? t('counter.challengeAlt') : '';
    if (qrUrl) URL.revokeObjectURL(qrUrl);
    qrUrl = null;
    ui['challenge-qr'].removeAttribute('src');
    if (!challenge) return;
    try {
      const url = await qrImageUrl(text);
      if (store.get().challenge !== challenge) return URL.revokeObjectURL(url);
      qrUrl = url;
      ui['challenge-qr'].src = url;
    } catch (error) {
      ui['challenge-qr'].alt = error.message;
    }
  }

  function renderResult({ counterResult }) {
    const box = ui['counter-result'];
    box.replaceChildren();
    const verdict = counterResult?.verdict;
    box.dataset.state = verdict ? (verdict.valid ? 'valid' : 'invalid') : 'idle';
    box.dataset.code = verdict?.code ?? '';
    ui['counter-replay'].disabled = !ctx.counter?.last;
    if (!verdict) return;
    const title = verdict.valid ? t('counter.verified') : t('counter.refused');
    box.append(
      h('p', { class: 'result-title' }, title),
      verdict.valid
        ? h('p', { 'data-testid': 'binding' }, t(`counter.binding.${verdict.holderBinding}`))
        : h('p', {}, h('code', {}, verdict.code), ' ', messageOf(verdict)),
      h('p', { class: 'hint' }, t('counter.readFrom', { source: t(`counter.source.${counterResult.source}`) })),
    );
  }

  function renderForm({ counterResult }) {
    const form = counterResult?.form ?? FORM_FIELDS.map((f) => ({ ...f, value: null, verified: false }));
    const fields = form.map((f) => h('label', { for: `form-${f.field}`, class: 'account-field', 'data-verified': String(f.verified) },
      h('span', {}, t(`counter.field.${f.field}`)),
      h('input', {
        id: `form-${f.field}`, type: 'text', value: claimText(f.claim, f.value), readonly: f.verified,
        'data-value': f.value ?? '',
      }),
      f.verified ? h('span', { class: 'verified-badge' }, t('counter.fieldVerified')) : null));
    const typed = ['phone', 'email'].map((field) => h('label', { for: `form-${field}`, class: 'account-field', 'data-verified': 'false' },
      h('span', {}, t(`counter.field.${field}`)),
      h('input', { id: `form-${field}`, type: 'text' })));
    ui['account-fields'].replaceChildren(...fields, ...typed);
  }

  function renderCamera({ counterCamera }) {
    showCameraState({ box: ui['counter-video-box'], toggle: ui['counter-camera'], status: ui['counter-camera-status'] }, camera, counterCamera, t);
  }

  function renderImage({ counterImage }) {
    ui['counter-image-status'].textContent = counterImage ? t(counterImage.key, counterImage.vars) : '';
  }

  function renderReady({ ready }) {
    for (const id of ['new-customer', 'counter-verify', 'counter-camera']) ui[id].disabled = !ready;
  }

  const render = () => {
    const s = store.get();
    renderChallenge(s);
    renderResult(s);
    renderForm(s);
    renderCamera(s);
    renderImage(s);
    renderReady(s);
  };
  store.watch(['mode', 'challenge', 'lang'], renderChallenge);
  store.watch(['counterResult', 'lang'], (s) => {
    renderResult(s);
    renderForm(s);
  });
  store.watch(['counterCamera', 'lang'], renderCamera);
  store.watch(['counterImage', 'lang'], renderImage);
  store.watch(['ready'], renderReady);

  for (const radio of document.querySelectorAll('input[name="counter-mode"]')) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      store.set({ mode: radio.value });
      if (ctx.counter) newCustomer();
    });
  }
  ui['new-customer'].addEventListener('click', newCustomer);
  ui['counter-camera'].addEventListener('click', () => (
    camera.running || store.get().counterCamera.name === 'starting' ? camera.stop() : camera.start()));
  ui['counter-paste-form'].addEventListener('submit', (event) => {
    event.preventDefault();
    read(ui['counter-payload'].value, 'paste');
  });
  ui['counter-replay'].addEventListener('click', () => {
    if (ctx.counter?.last) read(ctx.counter.last, 'replay');
  });
  ui['counter-image'].addEventListener('change', async () => {
    const file = ui['counter-image'].files[0];
    ui['counter-image'].value = '';
    if (!file) return;
    const name = file.name || 'image';
    store.set({ counterImage: { key: 'image.reading', vars: { name } } });
    try {
      const texts = await decodeImageFile(file, await getDecoder());
      store.set({ counterImage: texts.length ? null : { key: 'image.none', vars: { name } } });
      if (texts.length) read(texts[0], 'image');
    } catch (error) {
      store.set({ counterImage: { key: 'image.failed', vars: { name, reason: error.message } } });
    }
  });

  return { render, newCustomer };
}
