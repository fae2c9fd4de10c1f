// The demo page in headless Debian Chromium, over our static server: it loads with no console
// error and no request to another origin; pasted tokens, uploaded QR images and every gallery
// sample give the verdict they must; the trust and policy panels work; Vietnamese renders with
// its diacritics and dates as dd/mm/yyyy; the page works by keyboard and at phone width.
// Screenshots of the main states go to test-output/.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { resignedSamples } from '../demo/helpers.mjs';
import { AUDIENCE, NOW, makeIssuer, tamperSignature, vneidClaims } from '../js/fixtures.mjs';
import {
  ROOT, assertClean, gallery, localAt, nextVerdict, openDemo, resetVerdict, sample, setPolicy, shot, shownAt, waitReady,
} from './harness.mjs';

let demo;
let page;

before(async () => {
  demo = await openDemo();
  page = demo.page;
});

after(async () => {
  await demo?.close();
});

async function openImport() {
  if ((await page.getAttribute('#import', 'open')) === null) await page.locator('#import summary').click();
}

/** Imports a trust bundle through the trust panel, as a user would. */
async function importBundle(bundle, name) {
  await openImport();
  await page.check('input[name="kind"][value="bundle"]');
  await page.fill('#import-name', name);
  await page.fill('#import-text', typeof bundle === 'string' ? bundle : JSON.stringify(bundle));
  await page.click('#import-submit');
  return (await page.locator('#import-status').innerText()).trim();
}

/** Removes every imported trust source (also a clean slate when an earlier test failed). */
async function removeImported() {
  const buttons = page.locator('#trust-list button.remove');
  for (let n = await buttons.count(); n > 0; n -= 1) await buttons.first().click();
  assert.equal(await buttons.count(), 0);
  if (!(await page.isChecked('#sample-trust'))) await page.check('#sample-trust');
}

async function paste(payload) {
  await resetVerdict(page);
  await page.fill('#payload', payload);
  await page.click('#verify');
  return nextVerdict(page);
}

async function clickSample(id) {
  await resetVerdict(page);
  await page.click(`button.sample[data-sample="${id}"]`);
  return nextVerdict(page);
}

const field = (verdict, name) => verdict.locator(`[data-testid="document"] [data-field="${name}"] dd`).first();

/** A Content-Security-Policy as directive → sources. */
function parseCsp(text) {
  return new Map(text.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/);
    return [name.toLowerCase(), sources];
  }));
}

/**
 * Strict: everything from this origin only ('self'), WebAssembly compilation the one exception to
 * "no eval", data:/blob: only for images (decoded uploads), no plugins, no <base>, no form posts.
 */
function assertStrictCsp(text, where) {
  const csp = parseCsp(text);
  assert.deepEqual(csp.get('default-src'), ["'self'"], `${where}: default-src`);
  assert.deepEqual(csp.get('script-src'), ["'self'", "'wasm-unsafe-eval'"], `${where}: script-src`);
  assert.deepEqual(csp.get('style-src'), ["'self'"], `${where}: style-src`);
  assert.deepEqual(csp.get('connect-src'), ["'self'"], `${where}: connect-src`);
  assert.deepEqual(csp.get('img-src'), ["'self'", 'data:', 'blob:'], `${where}: img-src`);
  assert.deepEqual(csp.get('object-src'), ["'none'"], `${where}: object-src`);
  assert.deepEqual(csp.get('base-uri'), ["'none'"], `${where}: base-uri`);
  assert.deepEqual(csp.get('form-action'), ["'none'"], `${where}: form-action`);
  const allowed = new Set(["'self'", "'none'", "'wasm-unsafe-eval'", 'data:', 'blob:']);
  for (const [name, sources] of csp) {
    for (const source of sources) assert.ok(allowed.has(source), `${where}: ${name} allows ${source}`);
  }
  assert.doesNotMatch(text, /unsafe-inline|'unsafe-eval'|unsafe-hashes|\*|https?:/, where);
}

/** What the policy panel holds now. */
async function policyPanel() {
  return {
    audience: await page.inputValue('#audience'),
    minLevel: await page.inputValue('#min-level'),
    tolerance: await page.inputValue('#clock-tolerance'),
    at: await page.inputValue('#verify-at'),
  };
}

describe('the demo page in headless Chromium', () => {
  test('loads the WebAssembly verifier, the samples and the trust list from this origin', async () => {
    assert.equal(await page.title(), 'vneid-verify — offline verification');
    assert.equal(await page.locator('#verify').isEnabled(), true);
    const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
    assert.ok(loaded.includes('/pkg/vneid_verify_bg.wasm'), 'the .wasm was fetched');
    assert.ok(loaded.includes('/gallery/gallery.json'));
    assert.equal(await page.locator('button.sample, li.multi').count(), gallery.samples.length);
    assert.match(await page.locator('#trust-list').innerText(), /TEST ONLY — not a real issuer/);
    assert.equal(await page.locator('#trust-list tr[data-kid="test-token-key-1"]').count(), 1);
    assert.match(await page.locator('#decoder-info').innerText(), /ZXing-C\+\+/, 'Debian Chromium has no BarcodeDetector: the bundled decoder is used');
    await shot(page, 'demo-ready.png', { fullPage: true });
    await page.locator('#trust').screenshot({ path: join(ROOT, 'test-output', 'demo-trust.png') });
  });

  test('a strict Content-Security-Policy, as a header and in the page, and enforced', async () => {
    const served = await fetch(`${demo.origin}/`);
    assert.equal(served.status, 200);
    const header = served.headers.get('content-security-policy');
    assert.ok(header, 'the server sends a Content-Security-Policy');
    assertStrictCsp(header, 'header');
    assert.deepEqual(parseCsp(header).get('frame-ancestors'), ["'none'"], 'the page cannot be framed');
    const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.ok(meta, 'index.html carries the policy too (for any static host)');
    assertStrictCsp(meta, 'meta');
    const withoutFrame = new Map([...parseCsp(header)].filter(([name]) => name !== 'frame-ancestors'));
    assert.deepEqual(parseCsp(meta), withoutFrame, 'the meta tag and the header say the same');

    // Enforced: an injected inline script does not run, a request to another origin is refused.
    const errorsBefore = demo.consoleErrors.length;
    const result = await page.evaluate(async () => {
      const violated = [];
      const listen = (e) => violated.push(e.effectiveDirective);
      document.addEventListener('securitypolicyviolation', listen);
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true;';
      document.body.append(script);
      script.remove();
      let fetched;
      try {
        await fetch('https://other-origin.example/');
        fetched = 'fetched';
      } catch (error) {
        fetched = error.name;
      }
      await new Promise((resolve) => { setTimeout(resolve, 100); });
      document.removeEventListener('securitypolicyviolation', listen);
      return { ran: window.__inlineRan === true, fetched, violated };
    });
    assert.equal(result.ran, false, 'an inline script ran');
    assert.equal(result.fetched, 'TypeError', 'a request to another origin was made');
    // Each refusal is reported once per policy in force: the header's and the meta tag's.
    assert.deepEqual(result.violated.sort(), ['connect-src', 'connect-src', 'script-src-elem', 'script-src-elem']);
    // The browser logs those refusals on the console: expected here, and only those.
    const reported = demo.consoleErrors.splice(errorsBefore);
    assert.ok(reported.length >= 2, reported.join('\n'));
    for (const line of reported) assert.match(line, /Content Security Policy/);
  });

  test('paste: a valid token is verified, with issuer, subject, level and the holder', async () => {
    await removeImported();
    const issuer = await makeIssuer();
    assert.match(await importBundle(issuer.trust, 'Test bank issuer'), /Imported “Test bank issuer”: keys 1,/);
    await setPolicy(page, { audience: AUDIENCE, minLevel: '2', at: localAt(NOW.toISOString()) });
    const verdict = await paste(await issuer.sign(vneidClaims()));
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    assert.equal(await verdict.locator('[data-testid="badge"]').innerText(), 'Verified');
    assert.equal(await verdict.locator('[data-testid="issuer"]').innerText(), issuer.trust.issuers[0].iss);
    assert.equal(await verdict.locator('[data-testid="subject"]').innerText(), '001090001234');
    assert.equal(await verdict.locator('[data-testid="level"]').getAttribute('data-value'), '2');
    assert.equal(await field(verdict, 'name').innerText(), 'Nguyễn Văn An');
    assert.equal(await field(verdict, 'birthdate').innerText(), '17 May 1990');
    assert.match(await verdict.locator('[data-testid="claims"]').textContent(), /Nguyễn Văn An/);
    assert.equal(await verdict.locator('[data-testid="as-of"]').innerText(), '1 Jun 2026, 07:00:00 (UTC+7)');
    assert.equal(await verdict.locator('.warnings').count(), 0, 'the audience was checked');
    await shot(page, 'demo-valid.png', { fullPage: true });
    await removeImported();
  });

  test('paste: a tampered token is not verified, with its code, in both languages, and nothing of it shown', async () => {
    await removeImported();
    const issuer = await makeIssuer();
    await importBundle(issuer.trust, 'Test bank issuer');
    await setPolicy(page, { audience: AUDIENCE, at: localAt(NOW.toISOString()) });
    const verdict = await paste(tamperSignature(await issuer.sign(vneidClaims())));
    assert.equal(await verdict.getAttribute('data-state'), 'invalid');
    assert.equal(await verdict.locator('[data-testid="badge"]').innerText(), 'Not verified');
    assert.equal(await verdict.locator('[data-testid="code"]').innerText(), 'signature_invalid');
    assert.equal(await verdict.locator('[data-testid="message"]').innerText(), 'The signature is invalid');
    assert.equal(await verdict.locator('[data-testid="message-vi"]').textContent(), 'Chữ ký không hợp lệ');
    for (const id of ['issuer', 'subject', 'claims', 'document']) {
      assert.equal(await verdict.locator(`[data-testid="${id}"]`).count(), 0, `${id} shown for a rejected token`);
    }
    await shot(page, 'demo-tampered.png');
    await removeImported();
  });

  test('trust import: a bad bundle is refused with trust_invalid, a JWKS needs its issuer', async () => {
    await removeImported();
    const refused = await importBundle('{"issuers": [{"iss": "x", "keys": [{"kty": "oct", "k": "AAAA"}]}]}', 'Bad');
    assert.match(refused, /^Not imported: trust_invalid: /);
    assert.equal(await page.locator('#trust-list button.remove').count(), 0);

    const issuer = await makeIssuer({ iss: 'https://jwks.example', kid: 'jwks-key-1' });
    await page.check('input[name="kind"][value="jwks"]');
    assert.equal(await page.locator('#import-issuer').isVisible(), true);
    await page.fill('#import-issuer', '');
    await page.fill('#import-name', '');
    await page.fill('#import-text', JSON.stringify({ keys: [issuer.jwk] }));
    await page.click('#import-submit');
    assert.equal(await page.locator('#import-status').innerText(), 'Enter the issuer these keys belong to.');
    await page.fill('#import-issuer', 'https://jwks.example');
    await page.click('#import-submit');
    assert.match(await page.locator('#import-status').innerText(), /Imported “https:\/\/jwks.example”: keys 1,/);
    assert.equal(await page.locator('#trust-list tr[data-kid="jwks-key-1"]').count(), 1);

    await setPolicy(page, { at: localAt(NOW.toISOString()) });
    const verdict = await paste(await issuer.sign(vneidClaims({ iss: 'https://jwks.example' })));
    assert.equal(await verdict.getAttribute('data-state'), 'valid');

    // Kept in this browser: still there after a reload.
    await page.reload();
    await waitReady(page);
    assert.equal(await page.locator('#trust-list tr[data-kid="jwks-key-1"]').count(), 1);
    await removeImported();
    await page.reload();
    await waitReady(page);
    assert.equal(await page.locator('#trust-list tr[data-kid="jwks-key-1"]').count(), 0);
  });

  test('trust import: a certificate (PEM) becomes the issuer’s key; a bad policy option shows invalid_option', async () => {
    await removeImported();
    const dcc = sample('dcc-de-vaccination');
    const der = gallery.trust.find((t) => t.id === 'eu-dcc-test').bundle.issuers[0].certificates[0];
    const pem = `-----BEGIN CERTIFICATE-----\n${der.match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
    await page.uncheck('#sample-trust');
    await setPolicy(page, { at: localAt(dcc.policy.currentDate) });
    assert.equal(await (await paste(dcc.payload)).getAttribute('data-code'), 'unknown_key', 'not trusted without the samples');
    await openImport();
    await page.check('input[name="kind"][value="certificate"]');
    await page.fill('#import-issuer', 'DE');
    await page.selectOption('#import-role', 'signer');
    await page.fill('#import-name', 'DE test signer');
    await page.fill('#import-text', pem);
    await page.click('#import-submit');
    assert.match(await page.locator('#import-status').innerText(), /Imported “DE test signer”: keys 1,/);
    const verdict = await paste(dcc.payload);
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    assert.equal(await field(verdict, 'familyName').innerText(), 'Mustermann');
    // The verdict carries the codes (840539006, EU/1/20/1507); the page names them.
    assert.equal(await field(verdict, 'disease').innerText(), 'COVID-19');
    assert.equal(await field(verdict, 'product').innerText(), 'Spikevax');

    await page.fill('#clock-tolerance', '1.5');
    await page.locator('#clock-tolerance').dispatchEvent('change');
    const error = await paste(dcc.payload);
    assert.equal(await error.getAttribute('data-state'), 'error');
    assert.equal(await error.locator('[data-testid="code"]').innerText(), 'invalid_option');
    assert.match(await error.locator('[data-testid="message"]').innerText(), /clockTolerance/);
    await page.fill('#clock-tolerance', '60');
    await removeImported();
    await page.check('#sample-trust');
  });

  test('policy: audience and level apply to every format, so a document is refused under a token policy', async () => {
    const doc = sample('vn1-cccd-valid');
    await setPolicy(page, { audience: AUDIENCE, at: localAt(doc.policy.currentDate) });
    assert.equal(await (await paste(doc.payload)).getAttribute('data-code'), 'claim_missing');
    await setPolicy(page, { minLevel: '2', at: localAt(doc.policy.currentDate) });
    assert.equal(await (await paste(doc.payload)).getAttribute('data-code'), 'level_too_low');
    await setPolicy(page, { at: localAt(doc.policy.currentDate) });
    assert.equal(await (await paste(doc.payload)).getAttribute('data-state'), 'valid');
    assert.match(await page.locator('#policy').innerText(), /apply to every format/);
  });

  test('every gallery sample gives the verdict it promises, under its own policy, leaving the user’s alone', async () => {
    await removeImported();
    // A user policy no sample is made for: an audience, level 1, a tolerance, a fixed time.
    const mine = { audience: 'https://teller.example', minLevel: '1', tolerance: '30', at: '2030-01-02T03:04:05' };
    await setPolicy(page, mine);
    let checked = 0;
    for (const s of gallery.samples) {
      if (s.chunks) continue;
      const verdict = await clickSample(s.id);
      assert.equal(await verdict.getAttribute('data-state'), s.expected.state, s.id);
      assert.equal(await verdict.getAttribute('data-code'), s.expected.code ?? '', s.id);
      const warnings = await verdict.locator('.warnings li').evaluateAll((items) => items.map((li) => li.dataset.code));
      assert.deepEqual(warnings, s.expected.warnings, s.id);
      const used = verdict.locator('[data-testid="sample-policy"]');
      assert.equal(await used.count(), 1, `${s.id}: the card says the sample's policy was used`);
      assert.equal(await used.locator('[data-testid="sample-as-of"]').innerText(),
        s.policy.currentDate ? `As of ${shownAt(s.policy.currentDate)} (the sample’s time)` : 'As of now', s.id);
      assert.match(await used.innerText(), new RegExp(`Audience: ${s.policy.audience ?? 'not checked'}`), s.id);
      assert.match(await used.innerText(), new RegExp(`Minimum level: ${s.policy.minLevel ? `Level ${s.policy.minLevel}` : 'Any'}`), s.id);
      if (s.policy.currentDate) assert.equal(await verdict.locator('[data-testid="as-of"]').innerText(), shownAt(s.policy.currentDate), s.id);
      assert.deepEqual(await policyPanel(), mine, `${s.id}: the user's policy panel is unchanged`);
      checked += 1;
    }
    assert.ok(checked >= 30, `${checked} samples checked`);
    await setPolicy(page, {});
  });

  test('after a sample, a code read next is verified as of now with the user’s policy, not the sample’s', async () => {
    await removeImported();
    const issuer = await makeIssuer();
    await importBundle(issuer.trust, 'Test bank issuer');
    await setPolicy(page, { audience: AUDIENCE, minLevel: '1' }); // "verify as of" empty: now
    const mine = await policyPanel();

    // A 2021 EU DCC (no audience, no level, its own time), then "level 1 where level 2 is required".
    const dcc = sample('dcc-de-vaccination');
    let verdict = await clickSample(dcc.id);
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    assert.equal(await verdict.locator('[data-testid="as-of"]').innerText(), shownAt(dcc.policy.currentDate));
    assert.match(await verdict.locator('[data-testid="sample-policy"]').innerText(), /Your policy panel is unchanged/);
    assert.deepEqual(await policyPanel(), mine, 'the DCC sample left the policy panel alone');
    verdict = await clickSample('token-level1-under-level2');
    assert.equal(await verdict.getAttribute('data-code'), 'level_too_low');
    assert.deepEqual(await policyPanel(), mine, 'the level sample left the policy panel alone');
    await shot(page, 'demo-sample-policy.png');

    // A real level-1 token for this service, issued a minute ago: verified now, at level 1.
    const now = Math.floor(Date.now() / 1000);
    const claims = vneidClaims({ acr: 'urn:vneid:level:1', iat: now - 60, exp: now + 600 });
    verdict = await paste(await issuer.sign(claims));
    assert.equal(await verdict.getAttribute('data-state'), 'valid', await verdict.innerText());
    assert.equal(await verdict.locator('[data-testid="level"]').getAttribute('data-value'), '1');
    assert.equal(await verdict.locator('[data-testid="sample-policy"]').count(), 0, 'no sample policy for a pasted code');
    const asOf = Date.parse(await verdict.locator('[data-testid="as-of"]').getAttribute('data-value'));
    assert.ok(Math.abs(asOf - Date.now()) < 60_000, `verified as of ${new Date(asOf).toISOString()}, not now`);
    // The user's audience is checked again (the DCC sample had none).
    const elsewhere = await paste(await issuer.sign({ ...claims, aud: 'https://elsewhere.example' }));
    assert.equal(await elsewhere.getAttribute('data-code'), 'audience_mismatch');
    await setPolicy(page, {});
    await removeImported();
  });

  test('a plain JWT (an OpenID Connect ID token) is shown as a signed token, not a VNeID identity', async () => {
    const verdict = await clickSample('jwt-oidc-id-token');
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    assert.equal(await verdict.locator('[data-testid="format"]').getAttribute('data-value'), 'jwt');
    assert.equal(await verdict.locator('[data-testid="format"]').innerText(), 'JSON Web Token');
    assert.match(await verdict.locator('.doc-title').innerText(), /^SIGNED TOKEN \(JWT\)/);
    assert.equal(await field(verdict, 'sub').innerText(), 'test-user-4821');
    assert.equal(await field(verdict, 'name').innerText(), 'Lê Thị Hoa');
    assert.equal(await field(verdict, 'auth_time').innerText(), '1 Jun 2026, 09:59:30 (UTC+7)');
    assert.match(await verdict.locator('[data-testid="issuer"]').innerText(), /^https:\/\/login\.oidc\.test$/);
    assert.doesNotMatch(await verdict.innerText(), /VNeID/, 'nothing calls it a VNeID token');
    await shot(page, 'demo-jwt.png');
  });

  test('a card in three QR codes: "1 of 3", "2 of 3", then the verdict; a repeat is harmless', async () => {
    const s = sample('shc-02-chunks');
    const card = page.locator(`li.multi[data-sample="${s.id}"]`);
    await resetVerdict(page);
    await card.locator('[data-part="3"]').click();
    let verdict = await nextVerdict(page, ['pending']);
    assert.equal(await verdict.locator('[data-testid="progress"]').innerText(), '1 of 3 QR codes read');
    assert.match(await verdict.innerText(), /Parts still to read: 1, 2\./);
    await card.locator('[data-part="3"]').click();
    await card.locator('[data-part="1"]').click();
    assert.equal(await verdict.locator('[data-testid="progress"]').innerText(), '2 of 3 QR codes read');
    assert.equal(await verdict.locator('progress').getAttribute('value'), '2');
    await shot(page, 'demo-chunks-2-of-3.png');
    await card.locator('[data-part="2"]').click();
    verdict = await nextVerdict(page);
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    assert.equal(await verdict.locator('[data-testid="format"]').getAttribute('data-value'), 'shc');
  });

  test('upload: PNGs of sample QRs are decoded in the page and verified, Vietnamese intact', async () => {
    const token = sample('token-valid-level2');
    await setPolicy(page, { audience: token.policy.audience, minLevel: '2', at: localAt(token.policy.currentDate) });
    await resetVerdict(page);
    await page.setInputFiles('#image-file', join(ROOT, 'www-demo', token.images[0]));
    let verdict = await nextVerdict(page);
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    assert.equal(await field(verdict, 'name').innerText(), 'Nguyễn Văn An');
    assert.match(await verdict.innerText(), /Read from\s+image/);

    // The ID card QR: UTF-8 with no ECI header, as on real cards.
    await resetVerdict(page);
    await page.setInputFiles('#image-file', join(ROOT, 'www-demo', sample('cccd-qr-no-cmnd').images[0]));
    verdict = await nextVerdict(page);
    assert.equal(await verdict.getAttribute('data-state'), 'unsigned');
    assert.equal(await verdict.locator('[data-testid="badge"]').innerText(), 'Unsigned — check it against the card');
    assert.equal(await field(verdict, 'fullName').innerText(), 'Trần Thị Bình');
    assert.equal(await field(verdict, 'address').innerText(), '12 Đường A, Phường B, Quận 1, TP. Hồ Chí Minh');
    await shot(page, 'demo-unsigned.png');

    await resetVerdict(page);
    await page.setInputFiles('#image-file', join(ROOT, 'www-demo', 'index.html'));
    await page.locator('#image-status[data-state="failed"], #image-status[data-state="none"]').waitFor();
    assert.equal(await page.getAttribute('#verdict', 'data-state'), 'waiting', 'no verdict for a file without a QR');
  });

  test('Vietnamese: labels, states and dd/mm/yyyy dates; diacritics render in NFC', async () => {
    await page.click('[data-lang="vi"]');
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    assert.equal(await page.locator('#read-h').innerText(), 'Đọc mã');
    let verdict = await clickSample('vn1-cccd-valid');
    assert.equal(await verdict.locator('[data-testid="badge"]').innerText(), 'Đã xác minh');
    assert.match(await verdict.locator('.doc-title').innerText(), /^CĂN CƯỚC/);
    assert.match(await verdict.locator('[data-field="dateOfBirth"] dt').innerText(), /^Ngày, tháng, năm sinh/);
    assert.equal(await field(verdict, 'dateOfBirth').innerText(), '15/03/1999');
    assert.equal(await field(verdict, 'sex').innerText(), 'Nam');
    const name = await field(verdict, 'fullName').innerText();
    assert.equal(name, 'Nguyễn Văn An');
    assert.equal(name, name.normalize('NFC'));
    await shot(page, 'demo-vi-verified.png');
    // Coded values in Vietnamese: an EU DCC test result, a SMART Health Card's CVX vaccine codes
    // (207 named, 229 not in the demo's table: shown as the code).
    verdict = await clickSample('dcc-de-test');
    assert.equal(await field(verdict, 'result').innerText(), 'Không phát hiện');
    verdict = await clickSample('shc-00');
    const vaccines = await field(verdict, 'immunizations').locator('tbody tr td:nth-child(2)').allInnerTexts();
    assert.deepEqual(vaccines, ['Vắc-xin COVID-19, mRNA (Moderna)', 'Vắc-xin COVID-19, mRNA (Moderna)', '229']);
    verdict = await clickSample('token-level1-under-level2');
    assert.equal(await verdict.locator('[data-testid="badge"]').innerText(), 'Không xác minh được');
    assert.match(await verdict.locator('[data-testid="message"]').innerText(), /^Mức độ định danh điện tử không đủ/);
    await shot(page, 'demo-vi-level-too-low.png');
    await page.click('[data-lang="en"]');
    assert.equal(await verdict.locator('[data-testid="badge"]').innerText(), 'Not verified', 'the verdict is redrawn in English');
  });

  test('keyboard: skip link, language, samples and verify work without a mouse; focus is visible', async () => {
    await page.focus('a.skip');
    assert.ok((await page.locator('a.skip').boundingBox()).y >= 0, 'the skip link shows when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'read');
    await page.focus('[data-lang="vi"]');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.focus('button.sample[data-sample="vds-nc-uto"]');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'focus is visible');
    await resetVerdict(page);
    await page.keyboard.press('Enter');
    const verdict = await nextVerdict(page);
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    assert.match(await page.locator('#verdict-announce').textContent(), /^Verified/);
    await page.focus('#payload');
    await page.fill('#payload', 'not a token');
    await resetVerdict(page);
    await page.keyboard.press('Control+Enter');
    assert.equal(await (await nextVerdict(page)).getAttribute('data-code'), 'unknown_format');
    assert.match(await page.locator('#verdict-announce').textContent(), /^Not verified\. /);
  });

  test('every control has a label of its own, including those in closed <details>', async () => {
    const result = await page.evaluate(() => {
      const closed = [...document.querySelectorAll('details:not([open])')];
      for (const d of closed) d.open = true;
      const text = (el) => el.textContent.replace(/\s+/g, ' ').trim();
      /** A label's own words: without the text of the controls inside it (a <select>'s options). */
      const labelText = (label) => {
        const copy = label.cloneNode(true);
        for (const c of copy.querySelectorAll('input, select, textarea, button, option')) c.remove();
        return text(copy);
      };
      const nameOf = (el) => {
        const aria = el.getAttribute('aria-label')?.trim();
        if (aria) return aria;
        const by = el.getAttribute('aria-labelledby');
        if (by) {
          const named = by.split(/\s+/).map((id) => document.getElementById(id)).filter(Boolean).map(text).join(' ').trim();
          if (named) return named;
        }
        const labelled = [...(el.labels ?? [])].map(labelText).join(' ').trim();
        if (labelled) return labelled;
        return el.tagName === 'BUTTON' ? text(el) : ''; // a button's own text names it; a select's options do not
      };
      // Every control, shown or not (fields hidden for another import kind are checked too).
      const unlabelled = (root) => [...root.querySelectorAll('input, select, textarea, button')]
        .filter((el) => el.type !== 'hidden' && !nameOf(el))
        .map((el) => el.id || el.outerHTML.slice(0, 80));
      const checked = [...document.querySelectorAll('input, select, textarea, button')].map((el) => el.id).filter(Boolean);
      const found = unlabelled(document);
      // The check itself: controls with no name of their own must be caught.
      const fixture = document.createElement('div');
      fixture.innerHTML = `
        <select id="fx-options-only"><option>Level 1</option></select>
        <label><select id="fx-wrapped-options"><option>Level 2</option></select></label>
        <input id="fx-dangling" aria-labelledby="fx-missing">
        <label for="fx-good">Good</label><select id="fx-good"><option>x</option></select>
        <span id="fx-name">Named</span><select id="fx-by" aria-labelledby="fx-name"><option>y</option></select>`;
      document.body.append(fixture);
      const caught = unlabelled(fixture);
      fixture.remove();
      for (const d of closed) d.open = false;
      return { found, checked, caught };
    });
    assert.deepEqual(result.caught, ['fx-options-only', 'fx-wrapped-options', 'fx-dangling'], 'the label check catches unnamed controls');
    for (const id of ['min-level', 'import-role', 'import-issuer', 'import-text', 'import-file', 'import-submit', 'audience', 'verify-at', 'payload', 'image-file']) {
      assert.ok(result.checked.includes(id), `#${id} was checked`);
    }
    assert.deepEqual(result.found, []);
  });

  test('text keeps its contrast in every verdict state (WCAG AA 4.5:1; 7:1 for the state itself)', async () => {
    /** Contrast of each selector's first element against the background it sits on (null: absent). */
    const contrast = (selectors) => page.evaluate((list) => {
      const rgb = (c) => c.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
      const lum = ([r, g, b]) => {
        const f = (v) => { const x = v / 255; return x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4; };
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
      };
      const bg = (el) => {
        for (let e = el; e; e = e.parentElement) {
          const c = getComputedStyle(e).backgroundColor;
          if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
        }
        return 'rgb(255, 255, 255)';
      };
      return Object.fromEntries(list.map((sel) => {
        const el = document.querySelector(sel);
        if (!el) return [sel, null];
        const a = lum(rgb(getComputedStyle(el).color));
        const b = lum(rgb(bg(el)));
        return [sel, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
      }));
    }, selectors);
    const failures = [];
    let measured = 0;
    const check = async (state, selectors, strong = []) => {
      const ratios = await contrast([...selectors, ...strong]);
      for (const [sel, r] of Object.entries(ratios)) {
        const min = strong.includes(sel) ? 7 : 4.5;
        if (r === null) failures.push(`${state}: ${sel} is not on the page`);
        else if (r < min) failures.push(`${state}: ${sel}: contrast ${r.toFixed(2)} < ${min}`);
        else measured += 1;
      }
    };
    const banner = ['#verdict .banner .sub', '#verdict .banner .icon'];
    const state = ['#verdict .banner .state'];

    // Verified (green), with a warning (amber section) and the sample-policy note (blue).
    let verdict = await clickSample('vn1-cccd-birthdate-mismatch-warning');
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    await check('verified', [...banner, '#verdict .warnings h3', '#verdict .warnings li', '#verdict .warnings code',
      '#verdict .sample-policy h3', '#verdict .sample-policy li', '#verdict .sample-policy p',
      '#verdict .doc-title', '#verdict .doc-title .alt', '#verdict dl.fields dt', '#verdict dl.fields dd', '#verdict .badge-test',
      '#verdict .technical summary'], state);
    // Unsigned (amber).
    verdict = await clickSample('cccd-qr-chip');
    assert.equal(await verdict.getAttribute('data-state'), 'unsigned');
    await check('unsigned', [...banner, '#verdict dl.fields dt', '#verdict dl.fields dd'], state);
    // Not verified (red).
    verdict = await clickSample('token-tampered');
    assert.equal(await verdict.getAttribute('data-state'), 'invalid');
    await check('not verified', [...banner, '#verdict [data-testid="message"]', '#verdict .reason .code', '#verdict .reason code'], state);
    // Collecting a multi-QR card (blue).
    await resetVerdict(page);
    await page.locator('li.multi[data-sample="shc-02-chunks"] [data-part="1"]').click();
    await nextVerdict(page, ['pending']);
    await check('pending', ['#verdict .progress .count'], state);
    await page.click('[data-testid="progress-cancel"]');
    // The rest of the page: expectations in the gallery, notes, the trust list.
    await check('page', ['.sample .expect.valid', '.sample .expect.invalid', '.sample .expect.unsigned', '.sample .label',
      '.test-only', '.privacy', '.hint', '.group .hint', '#trust-list .status.valid', '#trust-list .badge-test', '#trust-list th',
      'details.import summary', 'button.primary', 'footer.site p']);
    assert.deepEqual(failures, []);
    assert.ok(measured >= 40, `${measured} texts measured`);
  });

  test('phone width (360 px): one column, nothing wider than the screen', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    await page.evaluate(() => window.scrollTo(0, 0));
    const verdict = await clickSample('vn1-driving-licence-valid');
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    const widest = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(widest <= 360, `the page is ${widest} px wide at 360 px`);
    const read = await page.locator('#read').boundingBox();
    const box = await page.locator('#verdict').boundingBox();
    assert.ok(box.y > read.y && Math.abs(box.x - read.x) < 2, 'the verdict comes under the scanner');
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'demo-phone-360.png');
    await page.locator('#verdict').scrollIntoViewIfNeeded();
    await shot(page, 'demo-phone-360-verdict.png');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('signed trust: the samples\' bundle against the pinned TEST root; a newer one kept across a reload, an older one refused', async () => {
    await removeImported();
    const info = page.locator('#trust-list [data-testid="signed-info"]');
    assert.equal(await info.count(), 1, 'the sample issuers are one signed bundle');
    assert.match(await info.innerText(), /^Signed trust bundle version 1, signed by demo-test-root-1; issued .+, expires .+2036/);
    assert.match(await page.locator('#trust-list').innerText(), /Status lists: 1\./);
    const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem('vneid-verify-demo/v1')).trustState?.version ?? null);
    assert.equal(await stored(), 1, 'the accepted version is kept in this browser');

    // The revoked-by-status-list sample is decided by the list the signed bundle carries.
    let verdict = await clickSample('jwt-oidc-status-revoked');
    assert.deepEqual([await verdict.getAttribute('data-state'), await verdict.getAttribute('data-code')], ['invalid', 'revoked']);

    const importSigned = async (text) => {
      await openImport();
      await page.check('input[name="kind"][value="signed"]');
      await page.fill('#import-text', text);
      await page.click('#import-submit');
      return (await page.locator('#import-status').innerText()).trim();
    };
    assert.match(await importSigned(resignedSamples({ version: 2 })),
      /^Accepted signed trust bundle version 2 \(signed by demo-test-root-1\)\. This browser now refuses any older version\.$/);
    assert.equal(await info.getAttribute('data-version'), '2');
    assert.equal(await stored(), 2);
    await page.reload();
    await waitReady(page);
    assert.equal(await info.getAttribute('data-version'), '2', 'after a reload: still version 2');
    assert.equal(await stored(), 2);

    assert.match(await importSigned(gallery.signedTrust.bundle), /^Not imported: trust_rollback: /, 'the shipped version 1 is now a rollback');
    const forged = resignedSamples({ version: 3 }, { ...JSON.parse(JSON.stringify(gallery.signedTrust.roots.keys[0])), d: Buffer.alloc(32, 9).toString('base64url') });
    assert.match(await importSigned(forged), /^Not imported: trust_signature_invalid: /, 'not signed by the pinned root');
    assert.match(await importSigned(JSON.stringify(gallery.trust[0].bundle)), /^Not imported: trust_unsigned: /);
    assert.equal(await info.getAttribute('data-version'), '2', 'a refused bundle changes nothing');
    await page.locator('#trust').screenshot({ path: join(ROOT, 'test-output', 'demo-trust-signed.png') });

    verdict = await clickSample('jwt-oidc-status-valid');
    assert.equal(await verdict.getAttribute('data-state'), 'valid', 'the samples verify under version 2');
    await page.check('input[name="kind"][value="bundle"]');
  });

  test('made no request to another origin, none failed, and logged no console error', () => {
    assertClean(demo);
    assert.deepEqual(demo.failedRequests, []);
  });
});
