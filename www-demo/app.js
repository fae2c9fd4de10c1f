// The demo page: read a code (camera, paste, image), verify it in WebAssembly, show the verdict.
// Plain ES modules over the built package (./pkg/, served from the repository's pkg/); the QR
// decoder is the browser's or the bundled zxing-wasm. Nothing leaves this origin.

import init, { ShcChunks, Verifier, version } from './pkg/vneid_verify.js';
import { formatInstant, lang, messageOf, nfc, pick, setLang, t } from './i18n.js';
import { Camera, createDecoder, decodeImageFile, decoderKind } from './scanner.js';
import { bundleFromImport, describeBundle, loadSettings, saveSettings } from './trust.js';
import { h, renderError, renderIdle, renderProgress, renderVerdict, stateOf } from './verdict-view.js';

const $ = (id) => document.getElementById(id);
const ui = {
  read: $('read'), video: $('camera-video'), videoBox: $('video-box'), cameraToggle: $('camera-toggle'),
  cameraStatus: $('camera-status'), pasteForm: $('paste-form'), payload: $('payload'), verify: $('verify'),
  clear: $('clear'), imageFile: $('image-file'), imageStatus: $('image-status'), decoderInfo: $('decoder-info'),
  verdict: $('verdict'), verdictBody: $('verdict-body'), announce: $('verdict-announce'),
  audience: $('audience'), minLevel: $('min-level'), tolerance: $('clock-tolerance'), verifyAt: $('verify-at'),
  verifyNow: $('verify-now'), policyForm: $('policy-form'),
  galleryList: $('gallery-list'), sampleTrust: $('sample-trust'), trustList: $('trust-list'),
  importForm: $('import-form'), importIssuer: $('import-issuer'), importRole: $('import-role'),
  importName: $('import-name'), importText: $('import-text'), importFile: $('import-file'),
  importStatus: $('import-status'), version: $('version'), offline: $('offline-status'),
};

const params = new URLSearchParams(location.search);
const settings = loadSettings();
const state = {
  ready: false,
  result: { kind: 'idle', key: 'verdict.loading' },
  gallery: null,
  sources: [], // {id, label, testOnly, bundle, info, error}
  verifiers: new Map(), // options key → Verifier: the user's policy and the last sample's
  chunks: null,
  cameraState: { name: 'off' },
  imageStatus: null, // {key, vars}
  decoderKind: null,
  decoderFailed: null,
  offline: 'pending',
};

// ---- Trust -------------------------------------------------------------------------------------

/** The sources in use: the samples' issuers (when trusted) and the user's imports. */
function activeSources() {
  return state.sources.filter((s) => !s.error && (!s.testOnly || settings.sampleTrust));
}

function rebuildSources() {
  const samples = (state.gallery?.trust ?? []).map((t) => ({ id: `sample:${t.id}`, label: t.label, testOnly: true, bundle: t.bundle, source: t.source }));
  const imported = settings.imported.map((i) => ({ id: i.id, label: i.label, testOnly: false, bundle: i.bundle, imported: true }));
  state.sources = [...samples, ...imported].map((s) => {
    try {
      return { ...s, info: describeBundle(s.bundle) };
    } catch (error) {
      return { ...s, error };
    }
  });
  dropVerifiers();
}

/** The options of the policy panel: the user's policy, for everything read or pasted. */
function policyOptions() {
  const options = {};
  const audience = ui.audience.value.trim();
  if (audience) options.audience = audience;
  if (ui.minLevel.value) options.minLevel = Number(ui.minLevel.value);
  const tolerance = ui.tolerance.value.trim();
  if (tolerance !== '') options.clockTolerance = Number(tolerance);
  return options;
}

/** The time to verify at: the "verify as of" field, or now. */
function verificationTime() {
  if (!ui.verifyAt.value) return new Date();
  const date = new Date(ui.verifyAt.value); // local time
  return Number.isNaN(date.getTime()) ? new Date() : date;
}

/**
 * A sample's own policy: its audience, level and time, the default clock tolerance. It is used
 * for that one verification only and never written to the policy panel, so that the next code a
 * user reads is checked under the user's policy, at the time the user chose.
 */
function samplePolicy(policy) {
  const options = {};
  if (policy.audience) options.audience = policy.audience;
  if (policy.minLevel) options.minLevel = Number(policy.minLevel);
  const asOf = policy.currentDate ? new Date(policy.currentDate) : new Date();
  return { options, asOf, fixedTime: Boolean(policy.currentDate) };
}

function dropVerifiers() {
  for (const verifier of state.verifiers.values()) verifier.free();
  state.verifiers.clear();
}

/**
 * A verifier for the trust in use and `options`, kept while they stay the same (at most two:
 * the user's policy and the last sample's). Throws coded errors.
 */
function verifierFor(options) {
  const sources = activeSources();
  const key = JSON.stringify([sources.map((s) => s.id), options]);
  let verifier = state.verifiers.get(key);
  if (!verifier) {
    const bundles = sources.map((s) => s.bundle);
    verifier = new Verifier(bundles.length ? bundles : { issuers: [] }, options);
    state.verifiers.set(key, verifier);
    for (const [old, v] of state.verifiers) {
      if (state.verifiers.size <= 2) break;
      v.free();
      state.verifiers.delete(old);
    }
  }
  return verifier;
}

function issuerNames() {
  const names = new Map();
  for (const s of activeSources()) for (const k of s.info.keys) if (k.issuerName) names.set(k.issuer, k.issuerName);
  return names;
}

function testIssuers() {
  return new Set(activeSources().filter((s) => s.testOnly).flatMap((s) => s.info.keys.map((k) => k.issuer)));
}

// ---- Reading and verifying --------------------------------------------------------------------

/** Any text read from the camera, an image, a paste or a sample. */
function handleText(text, origin) {
  if (!state.ready) return; // the verifier is still loading
  const trimmed = text.trim();
  if (trimmed.startsWith('shc:/') && !/\s/.test(trimmed)) {
    collectChunk(trimmed, origin);
    return;
  }
  state.chunks.clear();
  verifyAndShow(trimmed, origin);
}

/** A SMART Health Card QR: collected until every chunk of the card is in ("2 of 3"). */
function collectChunk(text, origin) {
  const collecting = state.chunks.progress().total > 0;
  let progress;
  let note = null;
  try {
    progress = state.chunks.add(text);
  } catch (error) {
    if (!collecting) {
      verifyAndShow(text, origin); // the verifier names what is wrong with this QR
      return;
    }
    // A QR of another card while collecting one: the person moved on to that card.
    state.chunks.clear();
    try {
      progress = state.chunks.add(text);
      note = 'progress.restart';
    } catch {
      verifyAndShow(text, origin);
      return;
    }
  }
  if (progress.complete) {
    const payload = state.chunks.payload();
    state.chunks.clear();
    verifyAndShow(payload, origin);
  } else {
    show({ kind: 'pending', progress, note });
  }
}

function verifyAndShow(payload, origin) {
  // A sample carries its own policy; everything else is checked under the user's.
  const sample = origin.policy ? samplePolicy(origin.policy) : null;
  let verifier;
  try {
    verifier = verifierFor(sample ? sample.options : policyOptions());
  } catch (error) {
    show({ kind: 'error', error });
    return;
  }
  if (origin.source !== 'paste') ui.payload.value = payload; // what was read, to see or copy
  const asOf = sample ? sample.asOf : verificationTime();
  const verdict = verifier.verify(payload, asOf);
  show({ kind: 'verdict', verdict, asOf, origin, sample });
}

function show(result) {
  state.result = result;
  renderResult();
  if (result.kind === 'verdict' || result.kind === 'error' || result.kind === 'pending') {
    const box = ui.verdict.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight - 80) ui.verdict.scrollIntoView({ block: 'start' });
  }
}

function renderResult() {
  const r = state.result;
  let nodes;
  let dataState = r.kind;
  let announcement = '';
  if (r.kind === 'verdict') {
    const sourceLabel = r.origin.source === 'sample'
      ? `${t('source.sample')}: ${pick(r.origin.label)}`
      : t(`source.${r.origin.source}`);
    nodes = renderVerdict(r.verdict, {
      asOf: r.asOf, sourceLabel, issuerNames: issuerNames(), testIssuers: testIssuers(),
      samplePolicy: r.sample ? { ...r.sample.options, asOf: r.asOf, fixedTime: r.sample.fixedTime } : null,
    });
    dataState = stateOf(r.verdict);
    announcement = `${t(`state.${dataState}`)}. ${dataState === 'valid' ? '' : nfc(messageOf(r.verdict))}`;
  } else if (r.kind === 'error') {
    nodes = renderError(r.error);
    announcement = `${t('state.error')}. ${messageOf(r.error)}`;
  } else if (r.kind === 'pending') {
    nodes = renderProgress(r.progress, {
      note: r.note ? t(r.note) : null,
      onCancel: () => { state.chunks.clear(); show({ kind: 'idle', key: 'verdict.idle' }); },
    });
    announcement = t('progress.count', r.progress);
  } else {
    nodes = renderIdle(r.key, r.vars);
  }
  ui.verdict.dataset.state = dataState;
  if (r.kind === 'verdict') ui.verdict.dataset.code = r.verdict.code ?? '';
  else delete ui.verdict.dataset.code;
  ui.verdictBody.replaceChildren(...nodes.flat(Infinity).filter(Boolean));
  ui.verdict.scrollTop = 0;
  ui.announce.textContent = announcement;
}

// ---- Camera and images -------------------------------------------------------------------------

let decoderPromise = null;
function getDecoder() {
  decoderPromise ??= createDecoder({ prefer: params.get('decoder') }).then((decoder) => {
    state.decoderKind = decoder.kind;
    renderDecoderInfo();
    return decoder;
  }, (error) => {
    decoderPromise = null;
    state.decoderFailed = error.message;
    renderDecoderInfo();
    throw error;
  });
  return decoderPromise;
}

function renderDecoderInfo() {
  ui.decoderInfo.dataset.decoder = state.decoderKind ?? '';
  ui.decoderInfo.textContent = state.decoderFailed
    ? t('decoder.failed', { reason: state.decoderFailed })
    : state.decoderKind ? t(`decoder.${state.decoderKind}`) : '';
}

const camera = new Camera(ui.video, {
  getDecoder,
  onText: (text) => {
    state.cameraState = { name: 'read' };
    renderCamera();
    handleText(text, { source: 'camera' });
  },
  onState: (name, error) => {
    state.cameraState = { name, reason: error ? (error.message || error.name) : null };
    renderCamera();
  },
});

function renderCamera() {
  const { name, reason } = state.cameraState;
  ui.videoBox.dataset.state = name;
  const running = camera.running || name === 'starting';
  ui.cameraToggle.textContent = t(running ? 'camera.stop' : 'camera.start');
  ui.cameraToggle.setAttribute('aria-pressed', String(running));
  const key = {
    off: 'camera.off', starting: 'camera.starting', scanning: 'camera.scanning', read: 'camera.read',
    paused: 'camera.paused', failed: 'camera.failed', unavailable: 'camera.unavailable',
  }[name];
  ui.cameraStatus.textContent = t(key, { reason: reason ?? '' });
  ui.cameraStatus.dataset.state = name;
}

async function readImage(file) {
  const name = file.name || 'image';
  state.imageStatus = { key: 'image.reading', vars: { name } };
  renderImageStatus();
  try {
    const decoder = await getDecoder();
    const texts = await decodeImageFile(file, decoder);
    if (texts.length === 0) {
      state.imageStatus = { key: 'image.none', vars: { name }, state: 'none' };
    } else {
      state.imageStatus = texts.length > 1 ? { key: 'image.found', vars: { name, count: texts.length }, state: 'read' } : null;
      const chunks = texts.every((x) => x.startsWith('shc:/'));
      for (const text of chunks ? texts : texts.slice(0, 1)) handleText(text, { source: 'image' });
    }
  } catch (error) {
    state.imageStatus = error.code === 'not_image'
      ? { key: 'image.notImage', vars: { name }, state: 'failed' }
      : { key: 'image.failed', vars: { name, reason: error.message }, state: 'failed' };
  }
  renderImageStatus();
}

function renderImageStatus() {
  const s = state.imageStatus;
  ui.imageStatus.textContent = s ? t(s.key, s.vars) : '';
  ui.imageStatus.dataset.state = s?.state ?? '';
}

// ---- Policy ------------------------------------------------------------------------------------

function savePolicy() {
  settings.policy = { audience: ui.audience.value, minLevel: ui.minLevel.value, clockTolerance: ui.tolerance.value };
  saveSettings(settings);
}

// ---- Gallery -----------------------------------------------------------------------------------

function expectedText(expected) {
  return t('gallery.expect', { state: t(`expect.${expected.state}`, { code: expected.code }) });
}

function runSample(sample, part) {
  const origin = { source: 'sample', label: sample.label, policy: sample.policy };
  handleText(sample.chunks ? sample.chunks[part] : sample.payload, origin);
}

function renderGallery() {
  const g = state.gallery;
  if (!g) return;
  const untrusted = !settings.sampleTrust ? h('p', { class: 'note warn', role: 'note' }, t('gallery.untrusted')) : null;
  ui.galleryList.replaceChildren(...[untrusted, ...g.groups.map((group) => h('section', { class: 'group', 'data-group': group.id },
    h('h3', {}, pick(group.label)),
    h('p', { class: 'hint' }, t('gallery.source', { source: group.source })),
    h('ul', { class: 'samples' }, g.samples.filter((s) => s.group === group.id).map((s) => {
      const attrs = { 'data-sample': s.id, 'data-expected-state': s.expected.state, 'data-expected-code': s.expected.code ?? '' };
      const caption = [h('span', { class: 'label' }, pick(s.label)), h('span', { class: `expect ${s.expected.state}` }, expectedText(s.expected))];
      if (!s.chunks) {
        return h('li', {}, h('button', { type: 'button', class: 'sample', ...attrs, onclick: () => runSample(s) },
          h('img', { src: s.images[0], alt: '', decoding: 'async' }), caption));
      }
      return h('li', { class: 'multi', ...attrs },
        h('div', { class: 'sample' }, caption),
        h('div', { class: 'parts' }, s.chunks.map((_, i) => h('button', {
          type: 'button', class: 'part', 'data-part': String(i + 1), onclick: () => runSample(s, i),
        }, h('img', { src: s.images[i], alt: '', decoding: 'async' }), t('gallery.part', { i: i + 1, n: s.chunks.length })))));
    })),
  ))].filter(Boolean));
}

// ---- Trust panel -------------------------------------------------------------------------------

function dateOnly(seconds) {
  return seconds === null || seconds === undefined ? null : formatInstant(new Date(seconds * 1000), { offset: false }).replace(/,? \d\d:\d\d:\d\d$/, '');
}

function validity(notBefore, notAfter, at) {
  const now = at.getTime() / 1000;
  const status = notBefore !== null && notBefore !== undefined && now < notBefore ? 'notYet'
    : notAfter !== null && notAfter !== undefined && now >= notAfter ? 'expired' : 'valid';
  const range = notBefore == null && notAfter == null ? t('trust.anyTime')
    : [notBefore != null ? t('trust.from', { date: dateOnly(notBefore) }) : null, notAfter != null ? t('trust.until', { date: dateOnly(notAfter) }) : null].filter(Boolean).join(' ');
  return { status, range };
}

let trustRendered = null;

/** Redraws the trust list when what it shows changed (so a click on it is never lost to a redraw). */
function renderTrust() {
  const at = verificationTime();
  const key = JSON.stringify([state.sources.map((s) => s.id), settings.sampleTrust, lang(), ui.verifyAt.value || Math.floor(at.getTime() / 60_000)]);
  if (key === trustRendered) return;
  trustRendered = key;
  const visible = state.sources.filter((s) => !s.testOnly || settings.sampleTrust);
  const rows = visible.map((s) => {
    const title = h('h3', {}, pick(s.label), ' ', s.testOnly ? h('span', { class: 'badge-test' }, t('trust.testOnly')) : null);
    const remove = s.imported ? h('button', {
      type: 'button', class: 'remove', 'aria-label': t('trust.removeLabel', { label: pick(s.label) }),
      onclick: () => removeImport(s.id),
    }, t('trust.remove')) : null;
    if (s.error) {
      return h('div', { class: 'source broken', 'data-source': s.id }, title,
        h('p', { class: 'error' }, t('trust.brokenStore', { message: messageOf(s.error) })), remove);
    }
    const keyRows = s.info.keys.map((k) => {
      const v = validity(k.notBefore, k.notAfter, at);
      return h('tr', { 'data-kid': k.kid ?? '' },
        h('td', {}, k.issuerName ? [h('span', {}, nfc(k.issuerName)), h('br'), h('span', { class: 'mono small' }, k.issuer)] : h('span', { class: 'mono' }, k.issuer)),
        h('td', { class: 'mono small' }, k.kid ?? '—'),
        h('td', {}, k.keyType),
        h('td', {}, v.range),
        h('td', {}, h('span', { class: `status ${v.status}` }, t(`trust.status.${v.status}`))),
        h('td', {}, k.documentTypes ? k.documentTypes.join(', ') : t('trust.anyDocument')));
    });
    const anchorRows = s.info.anchors.map((a) => {
      const v = validity(a.notBefore, a.notAfter, at);
      return h('tr', { 'data-anchor': a.sha256 },
        h('td', {}, h('span', {}, a.subject), h('br'), h('span', { class: 'small' }, t(a.isCa ? 'trust.anchor' : 'trust.pinned'))),
        h('td', { class: 'mono small', title: a.sha256 }, `SHA-256 ${a.sha256.slice(0, 16)}…`),
        h('td', {}, a.keyType),
        h('td', {}, v.range),
        h('td', {}, h('span', { class: `status ${v.status}` }, t(`trust.status.${v.status}`))),
        h('td', {}, '—'));
    });
    return h('div', { class: 'source', 'data-source': s.id }, title,
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['trust.col.issuer', 'trust.col.kid', 'trust.col.type', 'trust.col.validity', 'trust.col.status', 'trust.col.docs']
          .map((key) => h('th', { scope: 'col' }, t(key))))),
        h('tbody', {}, keyRows, anchorRows))),
      s.info.revoked ? h('p', { class: 'hint' }, t('trust.revoked', { count: s.info.revoked })) : null,
      remove);
  });
  if (activeSources().length === 0) rows.unshift(h('p', { class: 'note warn' }, t('trust.empty')));
  ui.trustList.replaceChildren(...rows);
}

function removeImport(id) {
  settings.imported = settings.imported.filter((i) => i.id !== id);
  saveSettings(settings);
  rebuildSources();
  renderTrust();
}

async function importTrust(event) {
  event.preventDefault();
  const kind = new FormData(ui.importForm).get('kind');
  const file = ui.importFile.files[0];
  let text = ui.importText.value;
  let bytes = null;
  if (!text.trim() && file) {
    bytes = new Uint8Array(await file.arrayBuffer());
    text = new TextDecoder().decode(bytes);
  }
  const status = (message, ok) => {
    ui.importStatus.textContent = message;
    ui.importStatus.dataset.state = ok ? 'ok' : 'error';
  };
  if (!text.trim() && !bytes?.length) return status(t('trust.needText'), false);
  let bundle;
  try {
    bundle = bundleFromImport({ kind, issuer: ui.importIssuer.value, role: ui.importRole.value, name: ui.importName.value, text, bytes });
  } catch (error) {
    if (error.code === 'issuer_required') return status(t('trust.needIssuer'), false);
    return status(t('trust.notJson', { reason: error.message }), false);
  }
  let info;
  try {
    info = describeBundle(bundle);
  } catch (error) {
    return status(t('trust.rejected', { code: error.code ?? 'error', message: messageOf(error) }), false);
  }
  // It must also load beside what is already trusted (e.g. no second key with the same kid).
  try {
    new Verifier([...activeSources().map((s) => s.bundle), bundle]).free();
  } catch (error) {
    return status(t('trust.rejected', { code: error.code ?? 'error', message: messageOf(error) }), false);
  }
  const label = ui.importName.value.trim() || ui.importIssuer.value.trim() || file?.name || t(`trust.kind${kind === 'jwks' ? 'Jwks' : kind === 'certificate' ? 'Cert' : 'Bundle'}`);
  settings.imported.push({ id: `import:${Date.now()}:${Math.random().toString(36).slice(2, 8)}`, label, bundle });
  saveSettings(settings);
  rebuildSources();
  renderTrust();
  ui.importText.value = '';
  ui.importFile.value = '';
  status(t('trust.importDone', { label, keys: info.keys.length, anchors: info.anchors.length }), true);
}

function renderImportFields() {
  const kind = new FormData(ui.importForm).get('kind');
  for (const el of ui.importForm.querySelectorAll('[data-needs]')) el.hidden = !el.dataset.needs.split(' ').includes(kind);
}

// ---- Language, offline, start-up ---------------------------------------------------------------

function renderAll() {
  setLang(lang());
  renderResult();
  renderCamera();
  renderImageStatus();
  renderDecoderInfo();
  renderGallery();
  renderTrust();
  ui.offline.textContent = t(`offline.${state.offline}`);
  ui.offline.dataset.state = state.offline;
}

async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) {
    state.offline = 'unsupported';
    renderAll();
    return;
  }
  try {
    const { version: build } = await (await fetch('./precache.json')).json();
    await navigator.serviceWorker.register(`./sw.js?v=${encodeURIComponent(build)}`);
    await navigator.serviceWorker.ready;
    state.offline = 'ready';
  } catch (error) {
    state.offline = 'unsupported';
    console.warn('offline use is not available:', error);
  }
  ui.offline.textContent = t(`offline.${state.offline}`);
  ui.offline.dataset.state = state.offline;
}

function wireEvents() {
  for (const button of document.querySelectorAll('[data-lang]')) {
    button.addEventListener('click', () => {
      setLang(button.dataset.lang);
      settings.lang = button.dataset.lang;
      saveSettings(settings);
      renderAll();
    });
  }
  ui.cameraToggle.addEventListener('click', () => (camera.running || state.cameraState.name === 'starting' ? camera.stop() : camera.start()));
  ui.pasteForm.addEventListener('submit', (event) => {
    event.preventDefault();
    handleText(ui.payload.value, { source: 'paste' });
  });
  ui.payload.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      handleText(ui.payload.value, { source: 'paste' });
    }
  });
  ui.clear.addEventListener('click', () => {
    ui.payload.value = '';
    state.chunks.clear();
    show({ kind: 'idle', key: 'verdict.idle' });
    ui.payload.focus();
  });
  ui.imageFile.addEventListener('change', () => {
    const file = ui.imageFile.files[0];
    if (file) readImage(file);
    ui.imageFile.value = '';
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
      handleText(ui.payload.value, { source: 'paste' });
    }
  });
  ui.read.addEventListener('paste', (event) => {
    const file = [...(event.clipboardData?.files ?? [])].find((f) => f.type.startsWith('image/'));
    if (file) {
      event.preventDefault();
      readImage(file);
    }
  });
  for (const input of [ui.audience, ui.minLevel, ui.tolerance, ui.verifyAt]) {
    input.addEventListener('change', () => {
      savePolicy();
      if (input === ui.verifyAt) renderTrust(); // key validity is shown at that time
    });
  }
  ui.policyForm.addEventListener('submit', (event) => event.preventDefault());
  ui.verifyNow.addEventListener('click', () => {
    ui.verifyAt.value = '';
    renderTrust();
  });
  ui.sampleTrust.addEventListener('change', () => {
    settings.sampleTrust = ui.sampleTrust.checked;
    saveSettings(settings);
    dropVerifiers();
    renderGallery();
    renderTrust();
  });
  ui.importForm.addEventListener('submit', importTrust);
  ui.importForm.addEventListener('change', renderImportFields);
}

async function loadGallery() {
  try {
    const response = await fetch('./gallery/gallery.json');
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    state.gallery = await response.json();
  } catch (error) {
    ui.galleryList.replaceChildren(h('p', { class: 'note warn' }, t('gallery.failed', { reason: error.message })));
  }
}

async function main() {
  const browserVi = (navigator.languages ?? []).some((l) => l.toLowerCase().startsWith('vi'));
  setLang(settings.lang ?? (browserVi ? 'vi' : 'en'));
  ui.audience.value = settings.policy.audience ?? '';
  ui.minLevel.value = settings.policy.minLevel ?? '';
  ui.tolerance.value = settings.policy.clockTolerance ?? '60';
  ui.sampleTrust.checked = settings.sampleTrust;
  wireEvents();
  renderImportFields();
  renderResult();
  if (!Camera.available()) state.cameraState = { name: 'unavailable' };
  renderCamera();
  try {
    await init();
  } catch (error) {
    show({ kind: 'idle', key: 'verdict.loadFailed', vars: { reason: error.message } });
    return;
  }
  state.chunks = new ShcChunks();
  ui.version.textContent = `vneid-verify ${version()}`;
  await loadGallery();
  rebuildSources();
  state.decoderKind = params.get('decoder') === 'zxing' ? 'zxing' : await decoderKind();
  state.result = { kind: 'idle', key: 'verdict.idle' };
  state.ready = true;
  ui.verify.disabled = false;
  ui.cameraToggle.disabled = state.cameraState.name === 'unavailable';
  renderAll();
  document.documentElement.dataset.ready = 'true';
  registerServiceWorker();
}

main();
