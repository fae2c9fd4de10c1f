// The camera path in a real Chromium: its fake capture device plays a .y4m video of a sample QR
// (made here, under test-output/), the page decodes the frames with its bundled decoder and shows
// the verdict. Then the page is hidden: the camera must stop (the track ends), and start again
// when the page is shown.
//
// Headless Chromium never hides a page (switching or minimising does not change
// document.visibilityState), so hiding is simulated the way Playwright's maintainers suggest:
// the document's visibility getters are overridden and a visibilitychange event is dispatched.
// The page's own handler then runs against the real camera track.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { SHOTS, assertClean, localAt, nextVerdict, openDemo, sample, setPolicy, shot } from './harness.mjs';
import { writeQrY4m } from './y4m.mjs';

const card = sample('vn1-cccd-valid');
const VIDEO = join(SHOTS, 'camera-vn1-cccd.y4m');
let demo;
let page;

before(async () => {
  const { modules, moduleSize } = await writeQrY4m(VIDEO, card.payload);
  assert.ok(modules >= 21 && moduleSize >= 2, `a ${modules}-module QR at ${moduleSize} px a module`);
  demo = await openDemo({
    args: [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${VIDEO}`,
    ],
  });
  page = demo.page;
});

after(async () => {
  await demo?.close();
});

async function setHidden(hidden) {
  await page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

describe('scanning with the camera (Chromium fake camera playing a QR video)', () => {
  test('the camera reads the QR and the verdict is shown', async () => {
    await setPolicy(page, { at: localAt(card.policy.currentDate) });
    assert.equal(await page.getAttribute('#video-box', 'data-state'), 'off');
    await page.click('#camera-toggle');
    const verdict = await nextVerdict(page);
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    assert.equal(await verdict.locator('[data-testid="format"]').getAttribute('data-value'), 'vneid_document');
    assert.equal(await verdict.locator('[data-field="fullName"] dd').innerText(), 'Nguyễn Văn An');
    assert.match(await verdict.innerText(), /Read from\s+camera/);
    assert.equal(await page.getAttribute('#camera-toggle', 'aria-pressed'), 'true');
    assert.equal(await page.getAttribute('#decoder-info', 'data-decoder'), 'zxing');
    const live = await page.evaluate(() => {
      const video = document.getElementById('camera-video');
      return { track: video.srcObject?.getVideoTracks()[0]?.readyState, width: video.videoWidth, playing: !video.paused };
    });
    assert.deepEqual(live, { track: 'live', width: 640, playing: true });
    await shot(page, 'demo-camera.png');
  });

  test('the camera stops while the page is hidden and starts again when it is shown', async () => {
    await page.evaluate(() => { window.trackBeforeHiding = document.getElementById('camera-video').srcObject.getVideoTracks()[0]; });
    await setHidden(true);
    assert.equal(await page.evaluate(() => window.trackBeforeHiding.readyState), 'ended');
    assert.equal(await page.evaluate(() => document.getElementById('camera-video').srcObject), null);
    assert.equal(await page.getAttribute('#camera-status', 'data-state'), 'paused');

    await setHidden(false);
    await page.locator('#camera-status[data-state="scanning"], #camera-status[data-state="read"]').waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate(() => document.getElementById('camera-video').srcObject.getVideoTracks()[0].readyState), 'live');

    await page.click('#camera-toggle');
    assert.equal(await page.getAttribute('#camera-status', 'data-state'), 'off');
    assert.equal(await page.evaluate(() => document.getElementById('camera-video').srcObject), null);
    await setHidden(true);
    await setHidden(false);
    assert.equal(await page.getAttribute('#camera-status', 'data-state'), 'off', 'a stopped camera stays stopped');
  });

  test('made no request to another origin and logged no console error', () => {
    assertClean(demo);
  });
});
