// The bank counter (bank.html) in a real Chromium: the counter's challenge, the simulated wallet
// (its holder key in the browser's storage) answering it with only what the person chose, the
// counter reading the presentation by paste, by image and by its fake camera, the form filled and
// marked verified, and a replayed or forwarded presentation refused with its reason.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ROOT, SHOTS, assertClean, openDemo, shot } from './harness.mjs';
import { writeQrY4m } from './y4m.mjs';
import { KIOSK_AUDIENCE } from '../../www-demo/lib/counter.js';
import { generateHolderKey, issueCompact, presentCompact } from '../../www-demo/lib/wallet.js';

const issuer = JSON.parse(readFileSync(join(ROOT, 'www-demo', 'gallery', 'wallet-issuer.json'), 'utf8'));

async function counterResult(page) {
  await page.locator('#counter-result[data-state="valid"], #counter-result[data-state="invalid"]').waitFor({ timeout: 15_000 });
  return {
    state: await page.getAttribute('#counter-result', 'data-state'),
    code: await page.getAttribute('#counter-result', 'data-code'),
    text: await page.innerText('#counter-result'),
  };
}

async function resetResult(page) {
  await page.evaluate(() => { document.getElementById('counter-result').dataset.state = 'waiting'; });
}

/** The wallet answers the counter's challenge; returns the presentation text. */
async function answer(page, { form = 'compact', to = 'challenge', uncheck = [] } = {}) {
  await page.click('#wallet-scan');
  await page.locator('#wallet-request:not(:empty)').waitFor();
  for (const claim of uncheck) await page.uncheck(`#share-${claim}`);
  await page.selectOption('#wallet-form', form);
  await page.selectOption('#wallet-to', to);
  const before = await page.inputValue('#wallet-output');
  await page.click('#wallet-present');
  await page.waitForFunction((old) => {
    const v = document.getElementById('wallet-output').value;
    return v && v !== old;
  }, before);
  await page.locator('#wallet-qr[src^="blob:"]').waitFor();
  return page.inputValue('#wallet-output');
}

async function pasteAtCounter(page, text) {
  await resetResult(page);
  await page.fill('#counter-payload', text);
  await page.click('#counter-verify');
  return counterResult(page);
}

describe('the bank counter, two-way (challenge QR)', () => {
  let demo;
  let page;
  before(async () => {
    demo = await openDemo({ path: '/bank.html' });
    page = demo.page;
  });
  after(async () => {
    await demo?.close();
  });

  test('the wallet answers the challenge with what the person chose, and the form is filled, verified', async () => {
    await page.locator('#challenge-qr[src^="blob:"]').waitFor();
    const nonce = await page.innerText('#challenge-nonce');
    assert.match(nonce, /^[A-Za-z0-9_-]{22}$/);
    const keyBefore = await page.innerText('#wallet-key');
    assert.match(keyBefore, /^[A-Za-z0-9_-]{43}$/);
    const qr = await answer(page, { uncheck: ['gender'] });
    assert.match(qr, /^VNP1:/);
    assert.ok(qr.length <= 970, `${qr.length} characters: a version 20-M QR holds 970`);
    const result = await pasteAtCounter(page, qr);
    assert.equal(result.state, 'valid', result.text);
    assert.match(await page.innerText('[data-testid="binding"]'), /Holder binding: key/);
    assert.equal(await page.inputValue('#form-fullName'), 'Nguyễn Thị Minh Khai');
    assert.equal(await page.getAttribute('#form-idNumber', 'data-value'), '001199001234');
    assert.equal(await page.getAttribute('#form-dateOfBirth', 'data-value'), '1999-03-15');
    for (const field of ['fullName', 'dateOfBirth', 'idNumber']) {
      assert.equal(await page.getAttribute(`label[for="form-${field}"]`, 'data-verified'), 'true', field);
    }
    // Not shared: not filled, not marked.
    assert.equal(await page.inputValue('#form-sex'), '');
    assert.equal(await page.getAttribute('label[for="form-sex"]', 'data-verified'), 'false');
    await shot(page, 'bank-counter-verified.png', { fullPage: true });

    // The holder key stays in this browser's storage across a reload.
    await page.reload();
    await page.locator('html[data-ready="true"]').waitFor();
    assert.equal(await page.innerText('#wallet-key'), keyBefore);
  });

  test('the same QR shown again is refused as replayed', async () => {
    const qr = await answer(page);
    assert.equal((await pasteAtCounter(page, qr)).state, 'valid');
    await resetResult(page);
    await page.click('#counter-replay');
    const again = await counterResult(page);
    assert.equal(again.state, 'invalid');
    assert.equal(again.code, 'replayed');
    assert.match(again.text, /already used/);
  });

  test('a presentation made for another verifier, or an earlier customer, is refused', async () => {
    const forwarded = await answer(page, { to: 'other' });
    const result = await pasteAtCounter(page, forwarded);
    assert.equal(result.code, 'audience_mismatch', result.text);
    // An SD-JWT answer to this challenge, then the next customer: the old answer no longer fits.
    const sdJwt = await answer(page, { form: 'sd-jwt' });
    assert.match(sdJwt, /^eyJ[^~]+~/);
    await page.click('#new-customer');
    const stale = await pasteAtCounter(page, sdJwt);
    assert.equal(stale.code, 'nonce_mismatch', stale.text);
    await shot(page, 'bank-counter-refused.png', { fullPage: true });
  });

  test('the presentation QR read from an image, and the Vietnamese page', async () => {
    await page.click('[data-lang="vi"]');
    await answer(page);
    // A picture of the wallet's screen, as a customer would send one.
    const png = await page.locator('#wallet-qr').screenshot();
    await resetResult(page);
    await page.setInputFiles('#counter-image', { name: 'presentation.png', mimeType: 'image/png', buffer: png });
    const result = await counterResult(page);
    assert.equal(result.state, 'valid', result.text);
    assert.match(result.text, /Đã xác minh/);
    assert.equal(await page.getAttribute('label[for="form-idNumber"]', 'data-verified'), 'true');
    await page.click('[data-lang="en"]');
  });

  test('makes no request to another origin and logs no error', () => {
    assertClean(demo);
  });
});

describe('the bank counter, one-way (a 60-second QR read by its fake camera)', () => {
  let demo;
  let page;
  const VIDEO = join(SHOTS, 'camera-one-way-presentation.y4m');
  before(async () => {
    // A wallet outside the browser makes a one-way QR now: its own nonce, the counter's class.
    const holder = await generateHolderKey();
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      iss: issuer.iss, iat: now - 3600, exp: now + 86_400, vct: 'urn:vneid:identity:1', acr: 'urn:vneid:level:2',
      sub: '079305004321', name: 'Trần Thị Bình', birthdate: '2005-02-01', gender: 'female',
    };
    const compact = await issueCompact({
      issuerJwk: { ...issuer.privateJwk, kid: issuer.kid }, claims, disclosable: ['sub', 'name', 'birthdate', 'gender'], holderJwk: holder.publicJwk,
    });
    const qr = await presentCompact(compact, {
      disclose: ['name', 'birthdate', 'sub'], holderJwk: holder.privateJwk, audience: KIOSK_AUDIENCE, nonce: 'wallet-own-nonce-1', iat: now,
    });
    await writeQrY4m(VIDEO, qr);
    demo = await openDemo({
      path: '/bank.html',
      args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${VIDEO}`],
    });
    page = demo.page;
  });
  after(async () => {
    await demo?.close();
  });

  test('the counter reads the customer\'s QR with its camera and fills the form', async () => {
    await page.check('input[name="counter-mode"][value="one-way"]');
    assert.equal(await page.isVisible('#challenge-box'), false);
    await resetResult(page);
    await page.click('#counter-camera');
    const result = await counterResult(page);
    assert.equal(result.state, 'valid', result.text);
    assert.match(result.text, /the camera/);
    assert.equal(await page.inputValue('#form-fullName'), 'Trần Thị Bình');
    // Verified: the camera stops; the same QR again is a replay.
    await page.locator('#counter-camera-status[data-state="off"]').waitFor();
    await resetResult(page);
    await page.click('#counter-replay');
    assert.equal((await counterResult(page)).code, 'replayed');
    await shot(page, 'bank-counter-camera.png', { fullPage: true });
  });

  test('makes no request to another origin and logs no error', () => {
    assertClean(demo);
  });
});
