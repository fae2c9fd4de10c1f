// The demo page in headless Debian Chromium, over our static server: it loads with no console
// error and no request to another origin; a pasted valid token is verified, a tampered one is
// not (with its code); a bad trust bundle shows its thrown code; the examples work.
// Screenshots go to test-output/.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';
import { AUDIENCE, makeIssuer, tamperSignature, vneidClaims } from '../js/fixtures.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHOTS = join(ROOT, 'test-output');
const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

for (const needed of [CHROMIUM, join(ROOT, 'pkg', 'vneid_verify_bg.wasm')]) {
  if (!existsSync(needed)) throw new Error(`${needed} is missing: run "npm test" (it installs and builds)`);
}

let server;
let origin;
let context;
let profile;
let page;
const consoleErrors = [];
const foreignRequests = [];
const failedRequests = [];

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
  const started = await startServer({ port: 0 });
  server = started.server;
  origin = new URL(started.url).origin;
  profile = mkdtempSync(join(tmpdir(), 'vneid-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1100, height: 900 },
  });
  page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  context.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:')) foreignRequests.push(url);
  });
  context.on('requestfailed', (req) => failedRequests.push(`${req.url()} ${req.failure()?.errorText}`));
  await page.goto(`${origin}/`);
  await page.locator('#status[data-state="ready"]').waitFor({ timeout: 20_000 });
});

after(async () => {
  await context?.close();
  server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

async function verifyInPage(token, trust, { audience = '', minLevel = '' } = {}) {
  await page.fill('#payload', token);
  await page.fill('#trust', typeof trust === 'string' ? trust : JSON.stringify(trust));
  await page.fill('#audience', audience);
  await page.selectOption('#min-level', minLevel);
  // Clear the previous verdict so we wait for this one.
  await page.evaluate(() => { const v = document.getElementById('verdict'); v.hidden = true; delete v.dataset.state; });
  await page.click('#verify');
  const verdict = page.locator('#verdict[data-state]');
  await verdict.waitFor({ timeout: 10_000 });
  return verdict;
}

describe('the demo page in headless Chromium', () => {
  test('loads the WebAssembly verifier from this origin only', async () => {
    assert.equal(await page.locator('#verify').isEnabled(), true);
    assert.equal(await page.title(), 'vneid-verify — offline verification');
    const wasmLoaded = await page.evaluate(() =>
      performance.getEntriesByType('resource').some((e) => e.name.endsWith('/pkg/vneid_verify_bg.wasm')));
    assert.equal(wasmLoaded, true);
    await page.screenshot({ path: join(SHOTS, 'demo-ready.png'), fullPage: true });
  });

  test('a pasted valid token is verified, with issuer, subject and level', async () => {
    const issuer = await makeIssuer();
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign(vneidClaims({ iat: now - 60, exp: now + 3600 }));
    const verdict = await verifyInPage(token, issuer.trust, { audience: AUDIENCE, minLevel: '2' });
    assert.equal(await verdict.getAttribute('data-state'), 'valid');
    assert.match(await verdict.locator('[data-testid="badge"]').innerText(), /Verified/);
    assert.equal(await verdict.locator('[data-testid="issuer"]').innerText(), issuer.trust.issuers[0].iss);
    assert.equal(await verdict.locator('[data-testid="subject"]').innerText(), '001090001234');
    assert.equal(await verdict.locator('[data-testid="level"]').innerText(), '2');
    assert.match(await verdict.locator('[data-testid="claims"]').innerText(), /Nguyễn Văn An/);
    await page.screenshot({ path: join(SHOTS, 'demo-valid.png'), fullPage: true });
  });

  test('a tampered token is not verified and shows signature_invalid in both languages', async () => {
    const issuer = await makeIssuer();
    const now = Math.floor(Date.now() / 1000);
    const token = tamperSignature(await issuer.sign(vneidClaims({ iat: now - 60, exp: now + 3600 })));
    const verdict = await verifyInPage(token, issuer.trust, { audience: AUDIENCE });
    assert.equal(await verdict.getAttribute('data-state'), 'invalid');
    assert.match(await verdict.locator('[data-testid="badge"]').innerText(), /Not verified/);
    assert.equal(await verdict.locator('[data-testid="code"]').innerText(), 'signature_invalid');
    assert.equal(await verdict.locator('[data-testid="message"]').innerText(), 'The signature is invalid');
    assert.equal(await verdict.locator('[data-testid="message-vi"]').innerText(), 'Chữ ký không hợp lệ');
    assert.equal(await verdict.locator('[data-testid="issuer"]').count(), 0);
    assert.equal(await verdict.locator('[data-testid="claims"]').count(), 0);
    await page.screenshot({ path: join(SHOTS, 'demo-tampered.png'), fullPage: true });
  });

  test('a bad trust bundle shows trust_invalid; the next verification still works', async () => {
    const issuer = await makeIssuer();
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign(vneidClaims({ iat: now - 60, exp: now + 3600 }));
    const bad = await verifyInPage(token, '{"issuers": [{"iss": "x", "keys": [{"kty": "oct", "k": "AAAA"}]}]}');
    assert.equal(await bad.getAttribute('data-state'), 'error');
    assert.equal(await bad.locator('[data-testid="code"]').innerText(), 'trust_invalid');
    const good = await verifyInPage(token, issuer.trust);
    assert.equal(await good.getAttribute('data-state'), 'valid');
  });

  test('the bundled examples: valid is verified, expired and tampered are not', async () => {
    const expectations = { valid: 'valid', expired: 'expired', tampered: 'signature_invalid' };
    for (const [id, expected] of Object.entries(expectations)) {
      await page.evaluate(() => { const v = document.getElementById('verdict'); v.hidden = true; delete v.dataset.state; });
      await page.selectOption('#example', id);
      const verdict = page.locator('#verdict[data-state]');
      await verdict.waitFor({ timeout: 10_000 });
      if (expected === 'valid') {
        assert.equal(await verdict.getAttribute('data-state'), 'valid', `example ${id}`);
        assert.equal(await page.inputValue('#audience'), 'https://bank.example');
        assert.equal(await verdict.locator('ul.warnings').count(), 0, 'the audience was checked');
      } else {
        assert.equal(await verdict.locator('[data-testid="code"]').innerText(), expected, `example ${id}`);
      }
    }
    await page.screenshot({ path: join(SHOTS, 'demo-example.png'), fullPage: true });
  });

  test('made no request to another origin and logged no console error', () => {
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(failedRequests, []);
    assert.deepEqual(consoleErrors, []);
  });
});
