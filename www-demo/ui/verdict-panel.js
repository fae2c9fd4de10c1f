// The verdict card: shows the store's `result` (idle, a card being collected, a verdict, an
// error) and announces it to screen readers.

import { messageOf, nfc, pick, t } from '../lib/i18n.js';
import { activeSources, issuerNames, testIssuers } from '../lib/trust.js';
import { byIds } from './dom.js';
import { renderError, renderIdle, renderProgress, renderVerdict, stateOf } from './verdict-view.js';

/** Mounts the verdict card on #verdict. `ctx`: {store, session (set once the verifier is loaded)}. */
export function mountVerdictPanel(ctx) {
  const { store } = ctx;
  const ui = byIds('verdict', 'verdict-body', 'verdict-announce');

  function render(s) {
    const r = s.result;
    let nodes;
    let dataState = r.kind;
    let announcement = '';
    if (r.kind === 'verdict') {
      const active = activeSources(s.sources, s.sampleTrust);
      const sourceLabel = r.origin.source === 'sample'
        ? `${t('source.sample')}: ${pick(r.origin.label)}`
        : t(`source.${r.origin.source}`);
      nodes = renderVerdict(r.verdict, {
        asOf: r.asOf, sourceLabel, issuerNames: issuerNames(active), testIssuers: testIssuers(active),
        samplePolicy: r.sample ? { ...r.sample.options, asOf: r.asOf, fixedTime: r.sample.fixedTime } : null,
      });
      dataState = stateOf(r.verdict);
      announcement = `${t(`state.${dataState}`)}. ${dataState === 'valid' ? '' : nfc(messageOf(r.verdict))}`;
    } else if (r.kind === 'error') {
      nodes = renderError(r.error);
      announcement = `${t('state.error')}. ${messageOf(r.error)}`;
    } else if (r.kind === 'pending') {
      nodes = renderProgress(r.progress, {
        note: r.abandoned ? t('progress.restart') : null,
        onCancel: () => ctx.session?.startOver(),
      });
      announcement = t('progress.count', r.progress);
    } else {
      nodes = renderIdle(r.key, r.vars);
    }
    ui.verdict.dataset.state = dataState;
    if (r.kind === 'verdict') ui.verdict.dataset.code = r.verdict.code ?? '';
    else delete ui.verdict.dataset.code;
    ui['verdict-body'].replaceChildren(...nodes.flat(Infinity).filter(Boolean));
    ui.verdict.scrollTop = 0;
    ui['verdict-announce'].textContent = announcement;
  }

  store.watch(['result'], (s) => {
    render(s);
    if (['verdict', 'error', 'pending'].includes(s.result.kind)) {
      const box = ui.verdict.getBoundingClientRect();
      if (box.top < 0 || box.top > window.innerHeight - 80) ui.verdict.scrollIntoView({ block: 'start' });
    }
  });
  store.watch(['lang', 'sources', 'sampleTrust'], render);
  return { render: () => render(store.get()) };
}
