// Type-checked (never run) by tests/consumers/types.test.mjs with lib webworker: the README's
// service worker, typed.

import init, { Verifier, type Verdict } from 'vneid-verify';

declare const self: ServiceWorkerGlobalScope;

const ready = init();
self.addEventListener('message', (event: ExtendableMessageEvent) => {
  event.waitUntil((async () => {
    await ready;
    const { trust, token } = event.data as { trust: string; token: string };
    const verdict: Verdict = new Verifier(trust).verify(token);
    event.source?.postMessage(verdict);
  })());
});
