// Renders a verdict (or a thrown verifier error) as DOM nodes. Text goes in with textContent
// only: nothing from a payload is ever parsed as HTML.

/** Creates an element with optional class, attributes and children (strings become text). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null) continue;
    if (name === 'class') el.className = value;
    else el.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return el;
}

/** A Unix time as an ISO date-time in UTC, or null. */
export function formatTime(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null;
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().replace('.000Z', 'Z');
}

function row(label, labelVi, value, attrs = {}) {
  if (value === null || value === undefined || value === '') return null;
  return [
    h('dt', {}, label, ' ', h('span', { lang: 'vi' }, labelVi)),
    h('dd', attrs, String(value)),
  ];
}

/** The verdict as a section body: status badge, facts, claims, warnings. */
export function renderVerdict(verdict) {
  const ok = verdict.valid === true;
  const badge = h(
    'p',
    { class: `badge ${ok ? 'ok' : 'bad'}`, 'data-testid': 'badge' },
    ok ? '✓ Verified ' : '✗ Not verified ',
    h('span', { lang: 'vi' }, ok ? 'Đã xác minh' : 'Không xác minh được'),
  );
  const facts = h(
    'dl',
    { class: 'facts' },
    row('Code', 'Mã lỗi', verdict.code, { 'data-testid': 'code' }),
    row('Message', 'Thông báo', verdict.message, { 'data-testid': 'message' }),
    row('Vietnamese', 'Tiếng Việt', verdict.messageVi, { lang: 'vi', 'data-testid': 'message-vi' }),
    row('Format', 'Định dạng', verdict.format),
    row('Issuer', 'Bên phát hành', verdict.issuer, { 'data-testid': 'issuer' }),
    row('Key id', 'Mã khóa', verdict.kid),
    row('Subject', 'Chủ thể', verdict.subject, { 'data-testid': 'subject' }),
    row('Level', 'Mức định danh', verdict.level, { 'data-testid': 'level' }),
    row('Issued at', 'Phát hành lúc', formatTime(verdict.issuedAt)),
    row('Not before', 'Hiệu lực từ', formatTime(verdict.notBefore)),
    row('Expires at', 'Hết hạn lúc', formatTime(verdict.expiresAt)),
  );
  const warnings = (verdict.warnings ?? []).map((w) =>
    h('li', { 'data-code': w.code }, h('code', {}, w.code), ' ', w.message, ' — ', h('span', { lang: 'vi' }, w.messageVi)),
  );
  return [
    badge,
    facts,
    warnings.length > 0 ? [h('h2', {}, 'Warnings ', h('span', { lang: 'vi' }, 'Cảnh báo')), h('ul', { class: 'warnings' }, warnings)] : null,
    verdict.claims ? [h('h2', {}, 'Claims ', h('span', { lang: 'vi' }, 'Thông tin')), h('pre', { class: 'claims', 'data-testid': 'claims' }, JSON.stringify(verdict.claims, null, 2))] : null,
    verdict.document ? [h('h2', {}, 'Document ', h('span', { lang: 'vi' }, 'Giấy tờ')), h('pre', { class: 'claims' }, JSON.stringify(verdict.document, null, 2))] : null,
  ];
}

/** A thrown verifier error (bad trust bundle, bad option): code and both messages. */
export function renderError(error) {
  return [
    h('p', { class: 'badge bad', 'data-testid': 'badge' }, '✗ Cannot verify ', h('span', { lang: 'vi' }, 'Không thể xác minh')),
    h(
      'dl',
      { class: 'facts' },
      row('Code', 'Mã lỗi', error.code ?? 'error', { 'data-testid': 'code' }),
      row('Message', 'Thông báo', error.message, { 'data-testid': 'message' }),
      row('Vietnamese', 'Tiếng Việt', error.messageVi, { lang: 'vi' }),
    ),
  ];
}
