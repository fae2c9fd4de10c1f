// Offline: after a first load, the service worker holds the page, the verifier's .wasm, the QR
// decoder and the samples. With the browser context offline and the server shut down, a reload
// still verifies a pasted token and decodes an uploaded QR image.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ROOT, localAt, nextVerdict, openDemo, resetVerdict, sample, setPolicy, shot, waitReady } from './harness.mjs';

let demo;
let page;

before(async () => {
  demo = await openDemo();
  page = demo.page;
});

after(async () => {
  await demo?.close();
});

describe('offline use (service worker)', () => {
  test('the first load makes the page ready for offline use', async () => {
    await page.locator('#offline-status[data-state="ready"]').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('#offline-status').innerText(), 'Works offline on this device');
    // The worker controls the page once it has activated (it claims its clients).
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 10_000 });
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const cache = await caches.open(names.find((n) => n.startsWith('vneid-verify-demo-')));
      return (await cache.keys()).map((r) => new URL(r.url).pathname);
    });
    for (const path of ['/', '/app.js', '/pkg/vneid_verify_bg.wasm', '/vendor/zxing-wasm/reader/zxing_reader.wasm', '/gallery/gallery.json']) {
      assert.ok(cached.includes(path), `${path} is cached`);
    }
  });

  test('with the network cut and the server gone, a reload still verifies', async () => {
    await demo.context.setOffline(true);
    demo.server.closeAllConnections();
    await new Promise((resolve) => { demo.server.close(resolve); });

    await page.reload();
    await waitReady(page);
    const token = sample('token-valid-level2');
    await setPolicy(page, { audience: token.policy.audience, minLevel: '2', at: localAt(token.policy.currentDate) });
    await resetVerdict(page);
    await page.fill('#payload', token.payload);
    await page.click('#verify');
    let verdict = await nextVerdict(page);
    assert.equal(await verdict.getAttribute('data-state'), 'valid');

    // The QR decoder loads from the cache too.
    const card = sample('vn1-health-insurance-valid');
    await setPolicy(page, { at: localAt(card.policy.currentDate) });
    await resetVerdict(page);
    await page.setInputFiles('#image-file', join(ROOT, 'www-demo', card.images[0]));
    verdict = await nextVerdict(page);
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    assert.equal(await verdict.locator('[data-field="fullName"] dd').innerText(), 'Lê Minh Châu');
    await shot(page, 'demo-offline.png');
  });

  test('made no request to another origin and logged no console error', () => {
    assert.deepEqual(demo.foreignRequests, []);
    assert.deepEqual(demo.consoleErrors, []);
  });
});
