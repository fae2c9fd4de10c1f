// The sample gallery: one button per sample QR (one per part for a card printed as several), its
// expected verdict beside it. A click reads the sample's text with the sample's own policy.

import { groupsOf, sampleOrigin, sampleText } from '../lib/gallery.js';
import { pick, t } from '../lib/i18n.js';
import { byIds, h } from './dom.js';

function expectedText(expected) {
  return t('gallery.expect', { state: t(`expect.${expected.state}`, { code: expected.code }) });
}

/** Mounts the gallery on #gallery-list. `ctx`: {store, session}. Store keys: gallery, galleryError, sampleTrust. */
export function mountGalleryPanel(ctx) {
  const { store } = ctx;
  const ui = byIds('gallery-list');

  const run = (sample, part) => {
    if (store.get().ready) ctx.session.read(sampleText(sample, part), sampleOrigin(sample));
  };

  function sampleItem(s) {
    const attrs = { 'data-sample': s.id, 'data-expected-state': s.expected.state, 'data-expected-code': s.expected.code ?? '' };
    const caption = [h('span', { class: 'label' }, pick(s.label)), h('span', { class: `expect ${s.expected.state}` }, expectedText(s.expected))];
    if (!s.chunks) {
      return h('li', {}, h('button', { type: 'button', class: 'sample', ...attrs, onclick: () => run(s) },
        h('img', { src: s.images[0], alt: '', decoding: 'async' }), caption));
    }
    return h('li', { class: 'multi', ...attrs },
      h('div', { class: 'sample' }, caption),
      h('div', { class: 'parts' }, s.chunks.map((_, i) => h('button', {
        type: 'button', class: 'part', 'data-part': String(i + 1), onclick: () => run(s, i),
      }, h('img', { src: s.images[i], alt: '', decoding: 'async' }), t('gallery.part', { i: i + 1, n: s.chunks.length })))));
  }

  function render({ gallery, galleryError, sampleTrust }) {
    if (galleryError) {
      ui['gallery-list'].replaceChildren(h('p', { class: 'note warn' }, t('gallery.failed', { reason: galleryError })));
      return;
    }
    if (!gallery) return;
    const untrusted = sampleTrust ? null : h('p', { class: 'note warn', role: 'note' }, t('gallery.untrusted'));
    ui['gallery-list'].replaceChildren(...[untrusted, ...groupsOf(gallery).map((group) => h('section', { class: 'group', 'data-group': group.id },
      h('h3', {}, pick(group.label)),
      h('p', { class: 'hint' }, t('gallery.source', { source: group.source })),
      h('ul', { class: 'samples' }, group.samples.map(sampleItem)),
    ))].filter(Boolean));
  }

  store.watch(['gallery', 'galleryError', 'sampleTrust', 'lang'], render);
  return { render: () => render(store.get()) };
}
