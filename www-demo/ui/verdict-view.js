// The verdict card: a large state (verified, not verified, unsigned), then the holder's fields
// laid out as on the document, the signature facts and the warnings. Text goes in with
// textContent only: nothing from a payload is ever parsed as HTML.

import { humanize, layoutOf, valueLabel } from '../lib/documents.js';
import { formatDate, formatDateTimeText, formatInstant, formatSeconds, lang, messageOf, nfc, pick, t } from '../lib/i18n.js';
import { h } from './dom.js';

const other = () => (lang() === 'vi' ? 'en' : 'vi');

/** A label in the page language with the other language beside it, as on bilingual documents. */
function bilingual(labels) {
  if (typeof labels === 'string') return [labels];
  const second = labels[other()];
  return [pick(labels), second && second !== pick(labels) ? h('span', { class: 'alt', lang: other() }, second) : null];
}

function sexText(value) {
  const v = String(value).toLowerCase();
  if (['male', 'm', 'nam'].includes(v)) return t('sex.male');
  if (['female', 'f', 'nữ', 'nu'].includes(v.normalize('NFC'))) return t('sex.female');
  return String(value);
}

function isEmpty(value) {
  if (value instanceof Node) return false;
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
    || (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
}

/** A scalar as text for its kind. */
function scalarText(value, kind) {
  if (kind === 'date') return formatDate(value);
  if (kind === 'datetime') return formatDateTimeText(String(value));
  if (kind === 'seconds') return formatSeconds(value) ?? String(value);
  if (kind === 'sex') return sexText(value);
  if (kind === 'bool' || typeof value === 'boolean') return value ? t('value.yes') : t('value.no');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return formatDateTimeText(value);
  return nfc(String(value));
}

/** A value of any shape: scalars as text, objects as nested fields, lists as tables. */
function valueNode(value, spec = {}) {
  const kind = spec.kind ?? 'text';
  const label = valueLabel(spec, value);
  if (label) return pick(label);
  if (kind === 'enum') return nfc(String(value));
  if (kind === 'coding' && value && typeof value === 'object' && typeof value.code === 'string') return nfc(value.code);
  if (kind === 'group' || (kind === 'text' && value && typeof value === 'object' && !Array.isArray(value))) {
    return fieldList(value, spec.rows ?? [], spec.omit ?? []);
  }
  if (kind === 'list') {
    return h('ol', { class: 'items' }, value.map((item) => h('li', {}, fieldList(item, spec.rows ?? []))));
  }
  if (kind === 'table' || Array.isArray(value)) {
    if (value.every((item) => item === null || typeof item !== 'object')) return value.map((v) => scalarText(v)).join(', ');
    return table(value, spec.columns);
  }
  if (kind === 'multiline') return h('span', { class: 'multiline' }, nfc(String(value)));
  return scalarText(value, kind);
}

function table(items, columns) {
  const cols = columns ?? [...new Set(items.flatMap((item) => Object.keys(item ?? {})))].map((key) => ({ key, label: humanize(key) }));
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, cols.map((c) => h('th', { scope: 'col' }, pick(c.label))))),
    h('tbody', {}, items.map((item) => h('tr', {}, cols.map((c) => {
      let v = item?.[c.key];
      if (isEmpty(v) && c.fallback) v = c.fallback(item);
      if (isEmpty(v)) return h('td', {}, c.empty ? t(c.empty) : t('value.none'));
      return h('td', {}, valueNode(v, c));
    })))),
  ));
}

/** Fields as a definition list: the layout's rows first, in order, then any other field. */
function fieldList(fields, rows, omit = []) {
  const named = new Set([...rows.map((r) => r.key), ...omit]);
  const extra = Object.keys(fields ?? {}).filter((k) => !named.has(k)).map((key) => ({ key, label: humanize(key) }));
  const items = [...rows, ...extra].filter((r) => !isEmpty(fields?.[r.key]));
  return h('dl', { class: 'fields' }, items.map((r) => h('div', { class: 'field', 'data-field': r.key },
    h('dt', {}, bilingual(r.label)),
    h('dd', {}, valueNode(fields[r.key], r)),
  )));
}

function documentSection(title, body, attrs = {}) {
  return h('section', { class: 'document', ...attrs }, h('h3', { class: 'doc-title' }, bilingual(title)), body);
}

/** The holder's document, for every format that has one, laid out by lib/documents.js. */
function documentOf(verdict) {
  const layout = layoutOf(verdict);
  if (!layout) return null;
  return documentSection(layout.title, [
    fieldList(layout.fields, layout.rows, layout.omit),
    layout.decoded ? h('div', { class: 'subsection' }, h('h4', {}, bilingual(layout.decoded.title)),
      fieldList(layout.decoded.fields, layout.decoded.rows, layout.decoded.omit)) : null,
    layout.extra?.length ? h('div', { class: 'subsection' }, h('h4', {}, t('section.extra')), h('p', {}, layout.extra.map(nfc).join(' | '))) : null,
  ], { 'data-testid': 'document', 'data-type': layout.type });
}

function fact(labelKey, value, attrs = {}) {
  if (isEmpty(value)) return null;
  return h('div', { class: 'field' }, h('dt', {}, t(labelKey)), h('dd', attrs, value));
}

/** Issuer, key, level, dates: what the signature vouches for, and when it was checked. */
function signatureFacts(verdict, ctx) {
  const issuerName = verdict.issuer ? ctx.issuerNames?.get(verdict.issuer) : null;
  const testOnly = verdict.issuer && ctx.testIssuers?.has(verdict.issuer);
  return h('section', { class: 'facts' }, h('h3', {}, t(verdict.valid ? 'section.signature' : 'section.check')), h('dl', { class: 'fields compact' },
    fact('fact.format', [t(`format.${verdict.format}`)], { 'data-testid': 'format', 'data-value': verdict.format }),
    verdict.issuer ? fact('fact.issuer', [
      issuerName ? h('span', { class: 'issuer-name' }, nfc(issuerName)) : null,
      h('span', { class: 'mono', 'data-testid': 'issuer' }, verdict.issuer),
      testOnly ? h('span', { class: 'badge-test' }, t('trust.testOnly')) : null,
    ]) : null,
    fact('fact.kid', verdict.kid ? h('span', { class: 'mono' }, verdict.kid) : null),
    fact('fact.subject', verdict.subject ? h('span', { class: 'mono', 'data-testid': 'subject' }, verdict.subject) : null),
    fact('fact.level', verdict.level ? t('fact.levelN', { n: verdict.level }) : null, { 'data-testid': 'level', 'data-value': String(verdict.level) }),
    fact('fact.holder', verdict.holderBinding ? t(`holder.${verdict.holderBinding}`) : null, { 'data-testid': 'holder-binding', 'data-value': verdict.holderBinding }),
    fact('fact.issuedAt', formatSeconds(verdict.issuedAt)),
    fact('fact.notBefore', verdict.notBefore !== verdict.issuedAt ? formatSeconds(verdict.notBefore) : null),
    fact('fact.expiresAt', formatSeconds(verdict.expiresAt) ?? (verdict.valid ? t('fact.noExpiry') : null)),
    fact('fact.asOf', formatInstant(ctx.asOf), { 'data-testid': 'as-of', 'data-value': ctx.asOf.toISOString() }),
    fact('fact.source', ctx.sourceLabel),
  ));
}

/** A sample is checked under its own policy: say so, with that policy, beside its verdict. */
function samplePolicyOf(policy) {
  if (!policy) return null;
  return h('section', { class: 'sample-policy', 'data-testid': 'sample-policy' },
    h('h3', {}, t('samplePolicy.title')),
    h('ul', {},
      h('li', { 'data-testid': 'sample-as-of' }, policy.fixedTime ? t('samplePolicy.asOf', { time: formatInstant(policy.asOf) }) : t('samplePolicy.now')),
      h('li', {}, t('samplePolicy.audience', { value: policy.audience ?? t('policy.audienceNone') })),
      h('li', {}, t('samplePolicy.level', { value: policy.minLevel ? t('fact.levelN', { n: policy.minLevel }) : t('policy.levelAny') }))),
    h('p', {}, t('samplePolicy.yours')));
}

function warningsOf(verdict) {
  if (!verdict.warnings?.length) return null;
  return h('section', { class: 'warnings' }, h('h3', {}, t('section.warnings')),
    h('ul', {}, verdict.warnings.map((w) => h('li', { 'data-code': w.code }, nfc(messageOf(w)), ' ', h('code', {}, w.code)))));
}

function technical(verdict) {
  return h('details', { class: 'technical' },
    h('summary', {}, t('section.details')),
    h('dl', { class: 'fields compact' },
      h('div', { class: 'field' }, h('dt', {}, 'message'), h('dd', { lang: 'en', 'data-testid': 'message-en' }, verdict.message)),
      h('div', { class: 'field' }, h('dt', {}, 'messageVi'), h('dd', { lang: 'vi', 'data-testid': 'message-vi' }, verdict.messageVi)),
    ),
    verdict.claims ? [h('h4', {}, t('section.claims')), h('pre', { 'data-testid': 'claims' }, JSON.stringify(verdict.claims, null, 2))] : null,
    h('h4', {}, t('section.json')),
    h('pre', { 'data-testid': 'verdict-json' }, JSON.stringify(verdict, null, 2)),
  );
}

function banner(state, subKey, icon) {
  return h('header', { class: 'banner' },
    h('span', { class: 'icon', 'aria-hidden': 'true' }, icon),
    h('div', {},
      h('p', { class: 'state', 'data-testid': 'badge' }, t(`state.${state}`)),
      subKey ? h('p', { class: 'sub' }, t(subKey)) : null,
    ),
  );
}

/** The state a verdict is shown in. */
export function stateOf(verdict) {
  if (verdict.valid) return 'valid';
  return verdict.code === 'unsigned' ? 'unsigned' : 'invalid';
}

/**
 * A verdict as the card's content. `ctx`: asOf (Date), sourceLabel, issuerNames, testIssuers,
 * and samplePolicy ({audience, minLevel, asOf, fixedTime}) when a sample's own policy was used.
 */
export function renderVerdict(verdict, ctx) {
  const state = stateOf(verdict);
  const icons = { valid: '✓', invalid: '✗', unsigned: '!' };
  const reason = state === 'invalid'
    ? h('div', { class: 'reason' },
      h('p', { class: 'message', 'data-testid': 'message' }, nfc(messageOf(verdict))),
      h('p', { class: 'code' }, `${t('fact.code')}: `, h('code', { 'data-testid': 'code' }, verdict.code)))
    : state === 'unsigned'
      ? h('p', { class: 'code visually-hidden' }, h('code', { 'data-testid': 'code' }, verdict.code))
      : null;
  return [
    banner(state, `state.${state}Sub`, icons[state]),
    reason,
    samplePolicyOf(ctx.samplePolicy),
    documentOf(verdict),
    warningsOf(verdict),
    signatureFacts(verdict, ctx),
    technical(verdict),
  ];
}

/** A thrown error (bad trust bundle, bad option): its code and message. */
export function renderError(error) {
  return [
    banner('error', 'state.errorSub', '✗'),
    h('div', { class: 'reason' },
      h('p', { class: 'message', 'data-testid': 'message' }, messageOf(error) || String(error)),
      h('p', { class: 'code' }, `${t('fact.code')}: `, h('code', { 'data-testid': 'code' }, error.code ?? 'error'))),
  ];
}

/** A multi-QR card being collected: "2 of 3", what is missing, and a way to start over. */
export function renderProgress(progress, { note, onCancel }) {
  return [
    banner('pending', null, '…'),
    h('div', { class: 'progress' },
      h('progress', { max: String(progress.total), value: String(progress.received), 'aria-labelledby': 'progress-text' }),
      h('p', { id: 'progress-text', class: 'count', 'data-testid': 'progress' }, t('progress.count', progress)),
      progress.missing.length ? h('p', {}, t('progress.missing', { list: progress.missing.join(', ') })) : null,
      note ? h('p', { class: 'note' }, note) : null,
      h('button', { type: 'button', onclick: onCancel, 'data-testid': 'progress-cancel' }, t('progress.cancel')),
    ),
  ];
}

/** Before anything was read, or while loading. */
export function renderIdle(key, vars) {
  return [h('p', { class: 'idle' }, t(key, vars))];
}
