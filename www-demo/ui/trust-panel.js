// "Trusted issuers": every trusted key and certificate authority with its validity at the
// verification time, the switch for the TEST ONLY sample issuers, and the import form. The
// conversions and checks are lib/trust.js; this panel only shows them.

import { formatInstant, lang, messageOf, nfc, pick, t } from '../lib/i18n.js';
import { verificationTime } from '../lib/policy.js';
import { activeSources, checkImport, checkSignedImport, newImport, validityAt } from '../lib/trust.js';
import { byIds, h } from './dom.js';

const COLUMNS = ['trust.col.issuer', 'trust.col.kid', 'trust.col.type', 'trust.col.validity', 'trust.col.status', 'trust.col.docs'];
const KIND_LABELS = { bundle: 'trust.kindBundle', jwks: 'trust.kindJwks', certificate: 'trust.kindCert', signed: 'trust.kindSigned' };

function dateOnly(seconds) {
  return formatInstant(new Date(seconds * 1000), { offset: false }).replace(/,? \d\d:\d\d:\d\d$/, '');
}

/** "from … until …" for a key's validity (`null` bounds are open). */
function rangeText(notBefore, notAfter) {
  if (notBefore == null && notAfter == null) return t('trust.anyTime');
  return [notBefore != null ? t('trust.from', { date: dateOnly(notBefore) }) : null,
    notAfter != null ? t('trust.until', { date: dateOnly(notAfter) }) : null].filter(Boolean).join(' ');
}

function statusCell(notBefore, notAfter, at) {
  const status = validityAt(notBefore, notAfter, at);
  return h('td', {}, h('span', { class: `status ${status}` }, t(`trust.status.${status}`)));
}

/** A signed source's version, signers, dates and status lists. */
function signedInfo(info) {
  const { version, signers, issued, expires } = info.bundle;
  return [
    h('p', { class: 'signed-info', 'data-testid': 'signed-info', 'data-version': String(version) }, t('trust.signedInfo', {
      version, signers: signers.join(', '), issued: dateOnly(issued), expires: formatInstant(new Date(expires * 1000)),
    })),
    info.statusLists.length ? h('p', { class: 'hint' }, t('trust.statusLists', { count: info.statusLists.length })) : null,
  ];
}

/**
 * Mounts the trust panel on #trust. `ctx`: {store, sdk: {Verifier} (set once the verifier is
 * loaded)}. Store keys: ready, sources, sampleTrust, imported, signedImport, trustState,
 * gallery (its signedTrust: the pinned TEST root), verifyAt.
 */
export function mountTrustPanel(ctx) {
  const { store } = ctx;
  const ui = byIds('sample-trust', 'trust-list', 'import-form', 'import-issuer', 'import-role', 'import-name',
    'import-text', 'import-file', 'import-status');
  let rendered = null;

  function source(s, at) {
    const title = h('h3', {}, pick(s.label), ' ', s.testOnly ? h('span', { class: 'badge-test' }, t('trust.testOnly')) : null);
    const remove = s.imported ? h('button', {
      type: 'button', class: 'remove', 'aria-label': t('trust.removeLabel', { label: pick(s.label) }),
      onclick: () => store.set({ imported: store.get().imported.filter((i) => i.id !== s.id) }),
    }, t('trust.remove')) : null;
    if (s.error) {
      const message = s.signed
        ? t('trust.signedRefused', { code: s.error.code ?? 'error', message: messageOf(s.error) })
        : t('trust.brokenStore', { message: messageOf(s.error) });
      return h('div', { class: 'source broken', 'data-source': s.id }, title, h('p', { class: 'error' }, message), remove);
    }
    const keyRows = s.info.keys.map((k) => h('tr', { 'data-kid': k.kid ?? '' },
      h('td', {}, k.issuerName ? [h('span', {}, nfc(k.issuerName)), h('br'), h('span', { class: 'mono small' }, k.issuer)] : h('span', { class: 'mono' }, k.issuer)),
      h('td', { class: 'mono small' }, k.kid ?? '—'),
      h('td', {}, k.keyType),
      h('td', {}, rangeText(k.notBefore, k.notAfter)),
      statusCell(k.notBefore, k.notAfter, at),
      h('td', {}, k.documentTypes ? k.documentTypes.join(', ') : t('trust.anyDocument'))));
    const anchorRows = s.info.anchors.map((a) => h('tr', { 'data-anchor': a.sha256 },
      h('td', {}, h('span', {}, a.subject), h('br'), h('span', { class: 'small' }, t(a.isCa ? 'trust.anchor' : 'trust.pinned'))),
      h('td', { class: 'mono small', title: a.sha256 }, `SHA-256 ${a.sha256.slice(0, 16)}…`),
      h('td', {}, a.keyType),
      h('td', {}, rangeText(a.notBefore, a.notAfter)),
      statusCell(a.notBefore, a.notAfter, at),
      h('td', {}, '—')));
    return h('div', { class: 'source', 'data-source': s.id }, title,
      s.signed ? signedInfo(s.info) : null,
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, COLUMNS.map((key) => h('th', { scope: 'col' }, t(key))))),
        h('tbody', {}, keyRows, anchorRows))),
      s.info.revoked ? h('p', { class: 'hint' }, t('trust.revoked', { count: s.info.revoked })) : null,
      remove);
  }

  /** Redraws the list when what it shows changed (so that a click on it is never lost to a redraw). */
  function render({ ready, sources, sampleTrust, verifyAt }) {
    ui['sample-trust'].checked = sampleTrust;
    if (!ready) return; // the sources are read by the verifier once it is loaded
    const at = verificationTime(verifyAt);
    const key = JSON.stringify([sources.map((s) => [s.id, s.error?.code]), sampleTrust, lang(), verifyAt || Math.floor(at.getTime() / 60_000)]);
    if (key === rendered) return;
    rendered = key;
    const rows = sources.filter((s) => !s.testOnly || sampleTrust).map((s) => source(s, at));
    if (activeSources(sources, sampleTrust).length === 0) rows.unshift(h('p', { class: 'note warn' }, t('trust.empty')));
    ui['trust-list'].replaceChildren(...rows);
  }

  const status = (message, ok) => {
    ui['import-status'].textContent = message;
    ui['import-status'].dataset.state = ok ? 'ok' : 'error';
  };

  async function importTrust(event) {
    event.preventDefault();
    const { Verifier } = ctx.sdk ?? {};
    if (!Verifier) return; // the verifier is still loading
    const kind = new FormData(ui['import-form']).get('kind');
    const file = ui['import-file'].files[0];
    let text = ui['import-text'].value;
    let bytes = null;
    if (!text.trim() && file) {
      bytes = new Uint8Array(await file.arrayBuffer());
      text = new TextDecoder().decode(bytes);
    }
    if (!text.trim() && !bytes?.length) return status(t('trust.needText'), false);
    const s = store.get();
    if (kind === 'signed') return importSigned(Verifier, text, s);
    let imported;
    try {
      imported = checkImport(Verifier, {
        kind, issuer: ui['import-issuer'].value, role: ui['import-role'].value, name: ui['import-name'].value, text, bytes,
      }, activeSources(s.sources, s.sampleTrust));
    } catch (error) {
      if (error.code === 'issuer_required') return status(t('trust.needIssuer'), false);
      if (error.code === 'not_json') return status(t('trust.notJson', { reason: error.message }), false);
      return status(t('trust.rejected', { code: error.code ?? 'error', message: messageOf(error) }), false);
    }
    const label = ui['import-name'].value.trim() || ui['import-issuer'].value.trim() || file?.name || t(KIND_LABELS[kind]);
    store.set({ imported: [...s.imported, newImport(label, imported.bundle)] });
    ui['import-text'].value = '';
    ui['import-file'].value = '';
    return status(t('trust.importDone', { label, keys: imported.info.keys.length, anchors: imported.info.anchors.length }), true);
  }

  /** A signed bundle: checked against the pinned TEST root and the version this browser kept. */
  function importSigned(Verifier, text, s) {
    const shipped = s.gallery?.signedTrust;
    if (!shipped) return status(t('trust.noRoot'), false);
    let accepted;
    try {
      accepted = checkSignedImport(Verifier, text, { roots: shipped.roots, state: s.trustState ?? null });
    } catch (error) {
      if (error.code === 'not_json') return status(t('trust.notJson', { reason: error.message }), false);
      return status(t('trust.rejected', { code: error.code ?? 'error', message: messageOf(error) }), false);
    }
    store.set({ signedImport: accepted.text });
    ui['import-text'].value = '';
    ui['import-file'].value = '';
    const { version, signers } = accepted.info.bundle;
    return status(t('trust.signedDone', { version, signers: signers.join(', ') }), true);
  }

  function renderImportFields() {
    const kind = new FormData(ui['import-form']).get('kind');
    for (const el of ui['import-form'].querySelectorAll('[data-needs]')) el.hidden = !el.dataset.needs.split(' ').includes(kind);
  }

  ui['sample-trust'].addEventListener('change', () => store.set({ sampleTrust: ui['sample-trust'].checked }));
  ui['import-form'].addEventListener('submit', importTrust);
  ui['import-form'].addEventListener('change', renderImportFields);
  renderImportFields();
  store.watch(['ready', 'sources', 'sampleTrust', 'verifyAt', 'lang'], render);
  return { render: () => render(store.get()) };
}
