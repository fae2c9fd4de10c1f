// Shared set-up of the browser tests: our static server on a free port, Debian's Chromium through
// playwright-core with a fresh profile, and the two assertions every page must pass: no console
// error and no request to another origin. Screenshots go to test-output/.

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium } from 'playwright-core';

import { startServer } from '../../scripts/serve.mjs';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SHOTS = join(ROOT, 'test-output');
export const CHROMIUM = '/usr/bin/chromium';
export const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
/** Dates on screen are local: the tests run in Hà Nội time whatever the machine's zone. */
export const TIMEZONE = 'Asia/Ho_Chi_Minh';

for (const needed of [
  CHROMIUM,
  join(ROOT, 'pkg', 'vneid_verify_bg.wasm'),
  join(ROOT, 'www-demo', 'gallery', 'gallery.json'),
  join(ROOT, 'www-demo', 'vendor', 'zxing-wasm', 'reader', 'zxing_reader.wasm'),
  join(ROOT, 'www-demo', 'precache.json'),
]) {
  if (!existsSync(needed)) throw new Error(`${needed} is missing: run "npm test" (it installs and builds)`);
}

mkdirSync(SHOTS, { recursive: true });

export const gallery = JSON.parse(readFileSync(join(ROOT, 'www-demo', 'gallery', 'gallery.json'), 'utf8'));
export const sample = (id) => {
  const found = gallery.samples.find((s) => s.id === id);
  assert.ok(found, `no gallery sample ${id}`);
  return found;
};

/**
 * Starts the server and a Chromium context with a fresh profile. Returns the page and the
 * recorders; `close()` ends it all. `args` adds Chromium flags (e.g. a fake camera).
 */
export async function openDemo({ args = [], viewport = { width: 1280, height: 900 }, path = '/' } = {}) {
  const { server, url } = await startServer({ port: 0 });
  const origin = new URL(url).origin;
  const profile = mkdtempSync(join(tmpdir(), 'vneid-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...FLAGS, ...args],
    viewport,
    timezoneId: TIMEZONE,
    locale: 'en-US',
  });
  const page = context.pages()[0] ?? await context.newPage();
  const consoleErrors = [];
  const foreignRequests = [];
  const failedRequests = [];
  const watch = (p) => {
    p.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    p.on('pageerror', (err) => consoleErrors.push(`pageerror: ${err.message}`));
  };
  watch(page);
  context.on('page', watch);
  context.on('request', (req) => {
    const u = req.url();
    if (!u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:')) foreignRequests.push(u);
  });
  // A request the page itself cancelled (net::ERR_ABORTED: an image whose element a re-render
  // replaced before it loaded, a reload) is not a failure; every other failure is.
  context.on('requestfailed', (req) => {
    const reason = req.failure()?.errorText;
    if (reason !== 'net::ERR_ABORTED') failedRequests.push(`${req.url()} ${reason}`);
  });
  await page.goto(`${origin}${path}`);
  await waitReady(page);
  return {
    page, context, server, origin, consoleErrors, foreignRequests, failedRequests,
    async close() {
      await context.close();
      server.closeAllConnections?.();
      server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function waitReady(page) {
  await page.locator('html[data-ready="true"]').waitFor({ timeout: 30_000 });
}

/** Clears the verdict's state so that the next wait sees the next verdict. */
export async function resetVerdict(page) {
  await page.evaluate(() => { document.getElementById('verdict').dataset.state = 'waiting'; });
}

/** Waits for a verdict (or error, or chunk progress) and returns the card's locator. */
export async function nextVerdict(page, states = ['valid', 'invalid', 'unsigned', 'error']) {
  const selector = states.map((s) => `#verdict[data-state="${s}"]`).join(', ');
  await page.locator(selector).waitFor({ timeout: 15_000 });
  return page.locator('#verdict');
}

/** The policy panel, as a user fills it. `at` is local (Hà Nội) time, `YYYY-MM-DDTHH:MM:SS`. */
export async function setPolicy(page, { audience = '', minLevel = '', at = '', tolerance = '60' } = {}) {
  await page.fill('#audience', audience);
  await page.selectOption('#min-level', minLevel);
  await page.fill('#clock-tolerance', tolerance);
  await page.fill('#verify-at', at);
  await page.locator('#verify-at').dispatchEvent('change');
}

/** An RFC 3339 time as the local value of the "verify as of" field (Hà Nội is UTC+7, no DST). */
export function localAt(iso) {
  return new Date(Date.parse(iso) + 7 * 3600 * 1000).toISOString().slice(0, 19);
}

/** An RFC 3339 time as the page shows it in English, in Hà Nội time: `1 Jun 2026, 10:02:00 (UTC+7)`. */
export function shownAt(iso) {
  const [date, time] = localAt(iso).split('T');
  const [y, m, d] = date.split('-').map(Number);
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][m - 1];
  return `${d} ${month} ${y}, ${time} (UTC+7)`;
}

export async function shot(page, name, options = {}) {
  await page.screenshot({ path: join(SHOTS, name), ...options });
}

/** The assertions every browser test file ends with. */
export function assertClean(demo) {
  assert.deepEqual(demo.foreignRequests, [], 'requests to another origin');
  assert.deepEqual(demo.consoleErrors, [], 'console errors');
}
