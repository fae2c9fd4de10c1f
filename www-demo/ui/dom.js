// The few DOM helpers the panels share. Text goes in with text nodes only: nothing from a
// payload is ever parsed as HTML.

import { LANGUAGES, lang, t } from '../lib/i18n.js';

/** Creates an element with optional attributes and children (strings become text). */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') el.className = value;
    else if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
  return el;
}

/** The elements with these ids, by id: `byIds('a', 'b')` → `{a, b}`. Throws when one is missing. */
export function byIds(...ids) {
  return Object.fromEntries(ids.map((id) => {
    const el = document.getElementById(id);
    if (!el) throw new Error(`the page has no #${id}`);
    return [id, el];
  }));
}

/** Writes the current language into the page: `lang`, every `data-i18n*` text, the language buttons. */
export function applyLang(root = document) {
  const current = lang();
  root.documentElement.lang = LANGUAGES.includes(current) ? current : 'en';
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const button of root.querySelectorAll('[data-lang]')) {
    button.setAttribute('aria-pressed', String(button.dataset.lang === current));
  }
}
