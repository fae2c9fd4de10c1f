// "Read a code": the camera, pasted text, and image files (chosen, dropped or pasted). Every
// text read goes to the session; this panel only shows how reading goes.

import { t } from '../lib/i18n.js';
import { byIds } from './dom.js';
import { Camera, createDecoder, decodeImageFile, showCameraState } from './scanner.js';

/**
 * Mounts the read panel. `ctx`: {store, session (set once the verifier is loaded), params (the
 * page's URLSearchParams: `decoder=zxing` forces the bundled decoder)}. Store keys: camera,
 * image, decoder, ready, result.
 */
export function mountReadPanel(ctx) {
  const { store } = ctx;
  const ui = byIds('read', 'camera-video', 'video-box', 'camera-toggle', 'camera-status', 'paste-form', 'payload',
    'verify', 'clear', 'image-file', 'image-status', 'decoder-info');

  const read = (text, origin) => {
    if (store.get().ready) ctx.session.read(text, origin); // nothing until the verifier is loaded
  };

  let decoderPromise = null;
  function getDecoder() {
    decoderPromise ??= createDecoder({ prefer: ctx.params?.get('decoder') }).then((decoder) => {
      store.set({ decoder: { kind: decoder.kind, failed: null } });
      return decoder;
    }, (error) => {
      decoderPromise = null;
      store.set({ decoder: { ...store.get().decoder, failed: error.message } });
      throw error;
    });
    return decoderPromise;
  }

  const camera = new Camera(ui['camera-video'], {
    getDecoder,
    onText: (text) => {
      store.set({ camera: { name: 'read' } });
      read(text, { source: 'camera' });
    },
    onState: (name, error) => store.set({ camera: { name, reason: error ? (error.message || error.name) : null } }),
  });

  async function readImage(file) {
    const name = file.name || 'image';
    store.set({ image: { key: 'image.reading', vars: { name } } });
    try {
      const texts = await decodeImageFile(file, await getDecoder());
      if (texts.length === 0) {
        store.set({ image: { key: 'image.none', vars: { name }, state: 'none' } });
        return;
      }
      store.set({ image: texts.length > 1 ? { key: 'image.found', vars: { name, count: texts.length }, state: 'read' } : null });
      if (store.get().ready) ctx.session.readAll(texts, { source: 'image' });
    } catch (error) {
      store.set({
        image: error.code === 'not_image'
          ? { key: 'image.notImage', vars: { name }, state: 'failed' }
          : { key: 'image.failed', vars: { name, reason: error.message }, state: 'failed' },
      });
    }
  }

  function renderCamera({ camera: state }) {
    showCameraState({ box: ui['video-box'], toggle: ui['camera-toggle'], status: ui['camera-status'] }, camera, state, t);
  }

  function renderImage({ image }) {
    ui['image-status'].textContent = image ? t(image.key, image.vars) : '';
    ui['image-status'].dataset.state = image?.state ?? '';
  }

  function renderDecoder({ decoder }) {
    ui['decoder-info'].dataset.decoder = decoder?.kind ?? '';
    ui['decoder-info'].textContent = decoder?.failed
      ? t('decoder.failed', { reason: decoder.failed })
      : decoder?.kind ? t(`decoder.${decoder.kind}`) : '';
  }

  function renderReady({ ready, camera: { name } }) {
    ui.verify.disabled = !ready;
    ui['camera-toggle'].disabled = !ready || name === 'unavailable';
  }

  const render = () => {
    const s = store.get();
    renderCamera(s);
    renderImage(s);
    renderDecoder(s);
    renderReady(s);
  };

  store.watch(['camera', 'lang'], renderCamera);
  store.watch(['image', 'lang'], renderImage);
  store.watch(['decoder', 'lang'], renderDecoder);
  store.watch(['ready'], renderReady);
  // What was read, to see or copy (a paste is already there).
  store.watch(['result'], ({ result }) => {
    if (result.kind === 'verdict' && result.origin.source !== 'paste') ui.payload.value = result.payload;
  });

  ui['camera-toggle'].addEventListener('click', () => (
    camera.running || store.get().camera.name === 'starting' ? camera.stop() : camera.start()));
  ui['paste-form'].addEventListener('submit', (event) => {
    event.preventDefault();
    read(ui.payload.value, { source: 'paste' });
  });
  ui.payload.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      read(ui.payload.value, { source: 'paste' });
    }
  });
  ui.clear.addEventListener('click', () => {
    ui.payload.value = '';
    ctx.session?.startOver();
    ui.payload.focus();
  });
  ui['image-file'].addEventListener('change', () => {
    const file = ui['image-file'].files[0];
    if (file) readImage(file);
    ui['image-file'].value = '';
  });
  ui.read.addEventListener('dragover', (event) => {
    event.preventDefault();
    ui.read.classList.add('dragging');
  });
  ui.read.addEventListener('dragleave', () => ui.read.classList.remove('dragging'));
  ui.read.addEventListener('drop', (event) => {
    event.preventDefault();
    ui.read.classList.remove('dragging');
    const file = [...(event.dataTransfer?.files ?? [])].find((f) => f.type.startsWith('image/'));
    if (file) readImage(file);
    else if (event.dataTransfer?.getData('text')) {
      ui.payload.value = event.dataTransfer.getData('text');
      read(ui.payload.value, { source: 'paste' });
    }
  });
  ui.read.addEventListener('paste', (event) => {
    const file = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
    if (file) {
      event.preventDefault();
      readImage(file);
    }
  });

  if (!Camera.available()) store.set({ camera: { name: 'unavailable' } });
  return { render, camera };
}
