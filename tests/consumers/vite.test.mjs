// Vite, a current major and the one before (its dev server pre-bundles dependencies with
// esbuild, Vite 8's with Rolldown): production build and dev server, with no configuration
// file, a page and a module worker importing the package by name, and the slim entry with the
// .wasm's URL from `?url`.

import { after, describe, test } from 'node:test';
import { join } from 'node:path';

import { VERIFIED, assertNoWasm, assertPage, cleanUp, closeBrowser, command, dataFiles, freePort, page, project, serve, snippet, startCommand } from './harness.mjs';

after(async () => {
  await closeBrowser();
  cleanUp();
});

/** A Vite project: index.html at its root, the data in public/. */
function viteProject(name, scripts) {
  const files = { 'index.html': page(scripts.map((s) => `./${s}`)), ...dataFiles('public') };
  for (const s of scripts) files[s] = snippet(s);
  if (scripts.includes('start-worker.js')) files['worker.js'] = snippet('worker.js');
  return project(name, files);
}

async function built(dir, vite, expect, options) {
  command('vite build', dir, { vite });
  if (!options?.wasmRequested) assertNoWasm(join(dir, 'dist'));
  const server = await serve(join(dir, 'dist'));
  try {
    await assertPage(server.url, expect, options);
  } finally {
    await server.close();
  }
}

async function dev(dir, vite, expect, options) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    let server;
    try {
      server = await startCommand('vite', dir, { vite, args: ['--host', '127.0.0.1', '--port', String(port), '--strictPort'], ready: /Local:/ });
    } catch (e) {
      // Another process on this shared machine took the port between freePort() and Vite.
      if (attempt < 3 && /already in use/i.test(e.message)) continue;
      throw e;
    }
    try {
      await assertPage(`http://127.0.0.1:${port}/`, expect, options);
    } finally {
      await server.stop();
    }
    return;
  }
}

for (const vite of [8, 7]) {
  describe(`Vite ${vite}`, () => {
    const both = { '#verdict': VERIFIED, '#worker-verdict': VERIFIED };
    let app;
    let slim;

    test('production build: page and module worker', async () => {
      app = viteProject(`vite${vite}`, ['main.js', 'start-worker.js']);
      await built(app, vite, both);
    });

    test('dev server: page and module worker', async () => {
      await dev(app, vite, both);
    });

    test('slim entry, the .wasm by its ?url: production build and dev server', async () => {
      slim = viteProject(`vite${vite}-slim`, ['slim.js']);
      await built(slim, vite, { '#verdict': 'verified' }, { wasmRequested: true });
      await dev(slim, vite, { '#verdict': 'verified' }, { wasmRequested: true });
    });
  });
}
