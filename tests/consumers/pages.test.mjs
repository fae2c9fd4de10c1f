// With no bundler: a plain page whose import map names the package's browser entry (and one
// for the slim entry, which fetches the .wasm from beside itself), served from the project's
// folder under a strict Content-Security-Policy (the import map allowed by its hash). And a
// service worker, classic and module, bundled with esbuild, loading the module lazily (service
// workers forbid top-level await).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { CSP, VERIFIED, assertPage, cleanUp, closeBrowser, command, dataFiles, hashSource, page, project, serve, snippet } from './harness.mjs';

after(async () => {
  await closeBrowser();
  cleanUp();
});

/** The inline import map of an HTML page, for its CSP hash. */
const importMap = (html) => html.match(/<script type="importmap">([\s\S]*?)<\/script>/)[1];

async function served(dir, expect, options) {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const csp = CSP.replace("script-src 'self'", `script-src 'self' ${hashSource(importMap(html))}`);
  const server = await serve(dir, { csp });
  try {
    return await assertPage(server.url, expect, options);
  } finally {
    await server.close();
  }
}

describe('no bundler', () => {
  test('a module script and an import map', async () => {
    const dir = project('import-map', { 'index.html': snippet('index.html'), 'main.js': snippet('main.js'), ...dataFiles() });
    const requests = await served(dir, { '#verdict': VERIFIED });
    assert.ok(requests.some((u) => u.endsWith('/node_modules/vneid-verify/index.js')), 'the import map was used');
  });

  test('the slim entry by an import map, init() with no argument', async () => {
    const html = snippet('index.html').replace('"vneid-verify": "./node_modules/vneid-verify/index.js"',
      '"vneid-verify/slim": "./node_modules/vneid-verify/vneid_verify.js"');
    assert.notEqual(html, snippet('index.html'));
    const main = `import init, { Verifier } from 'vneid-verify/slim';
await init();
const [trust, token] = await Promise.all(['trust.json', 'token.txt'].map(async (f) => (await fetch(f)).text()));
document.querySelector('#verdict').textContent = new Verifier(trust).verify(token).valid ? 'verified' : 'rejected';
`;
    const dir = project('import-map-slim', { 'index.html': html, 'main.js': main, ...dataFiles() });
    const requests = await served(dir, { '#verdict': 'verified' }, { wasmRequested: true });
    assert.ok(requests.some((u) => u.endsWith('/node_modules/vneid-verify/vneid_verify_bg.wasm')));
  });
});

describe('service worker', () => {
  for (const [kind, line] of [
    ['classic', 'esbuild sw.js --bundle --outfile=dist/sw.js'],
    ['module', 'esbuild sw.js --bundle --format=esm --outfile=dist/sw.js'],
  ]) {
    test(`${kind}, bundled with esbuild`, async () => {
      const register = kind === 'module'
        ? snippet('register-sw.js').replace("register('sw.js')", "register('sw.js', { type: 'module' })")
        : snippet('register-sw.js');
      const dir = project(`sw-${kind}`, {
        'sw.js': snippet('sw.js'),
        'dist/register-sw.js': register,
        'dist/index.html': page(['register-sw.js']),
        ...dataFiles('dist'),
      });
      command(line, dir);
      const server = await serve(join(dir, 'dist'));
      try {
        await assertPage(server.url, { '#verdict': VERIFIED });
      } finally {
        await server.close();
      }
    });
  }
});
