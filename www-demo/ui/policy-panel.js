// The user's policy: audience, minimum level, clock tolerance (store `policy`, saved), and the
// time to verify at (store `verifyAt`, this visit only: empty is now). Samples never change it.

import { byIds } from './dom.js';

/** Mounts the policy panel on #policy-form. `ctx`: {store}. */
export function mountPolicyPanel(ctx) {
  const { store } = ctx;
  const ui = byIds('policy-form', 'audience', 'min-level', 'clock-tolerance', 'verify-at', 'verify-now');

  const { policy, verifyAt } = store.get();
  ui.audience.value = policy.audience ?? '';
  ui['min-level'].value = policy.minLevel ?? '';
  ui['clock-tolerance'].value = policy.clockTolerance ?? '60';
  ui['verify-at'].value = verifyAt ?? '';

  // Every keystroke: what is verified next uses what the panel shows.
  const update = () => store.set({
    policy: { audience: ui.audience.value, minLevel: ui['min-level'].value, clockTolerance: ui['clock-tolerance'].value },
    verifyAt: ui['verify-at'].value,
  });
  for (const input of [ui.audience, ui['min-level'], ui['clock-tolerance'], ui['verify-at']]) {
    input.addEventListener('input', update);
    input.addEventListener('change', update);
  }
  ui['policy-form'].addEventListener('submit', (event) => event.preventDefault());
  ui['verify-now'].addEventListener('click', () => {
    ui['verify-at'].value = '';
    update();
  });
  return { render() {} };
}
