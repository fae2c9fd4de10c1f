// The other bundlers, each with no configuration file: webpack 5 (a page and a module worker),
// esbuild (IIFE and ESM), Rollup with node-resolve only, and bun build. Every bundle is served
// with a strict Content-Security-Policy and must verify the token without fetching a .wasm.

import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { VERIFIED, assertNoWasm, assertPage, cleanUp, closeBrowser, command, dataFiles, page, project, serve, snippet } from './harness.mjs';

after(async () => {
  await closeBrowser();
  cleanUp();
});

/** Builds `main.js` (and what `extra` adds) in a fresh project with `line`, and checks the page. */
async function bundle(name, line, { classic = false, scripts = ['main.js'], expect = { '#verdict': VERIFIED }, from = 'vneid-verify' } = {}) {
  // `from`: the package entry the snippets import (the README's `vneid-verify`, or a subpath).
  const source = (s) => snippet(s).replaceAll("from 'vneid-verify'", `from '${from}'`);
  const files = { 'main.js': source('main.js'), 'dist/index.html': page(['main.js'], { classic }), ...dataFiles('dist') };
  for (const s of scripts) files[s] = source(s);
  if (scripts.includes('start-worker.js')) files['worker.js'] = snippet('worker.js');
  const dir = project(name, files);
  command(line, dir);
  assertNoWasm(join(dir, 'dist'));
  const server = await serve(join(dir, 'dist'));
  try {
    await assertPage(server.url, expect);
  } finally {
    await server.close();
  }
}

describe('bundlers', () => {
  test('webpack 5: page and module worker', async () => {
    await bundle('webpack', 'webpack ./main.js ./start-worker.js --mode=production', {
      scripts: ['main.js', 'start-worker.js'],
      expect: { '#verdict': VERIFIED, '#worker-verdict': VERIFIED },
    });
  });

  test('esbuild, default format (IIFE)', async () => {
    await bundle('esbuild-iife', 'esbuild main.js --bundle --outfile=dist/main.js', { classic: true });
  });

  test('esbuild, ESM', async () => {
    await bundle('esbuild-esm', 'esbuild main.js --bundle --format=esm --outfile=dist/main.js');
  });

  test('Rollup with node-resolve only', async () => {
    await bundle('rollup', 'rollup main.js --plugin node-resolve --file dist/main.js');
  });

  test('esbuild, ESM, the tokens-only build (vneid-verify/tokens)', async () => {
    await bundle('esbuild-tokens', 'esbuild main.js --bundle --format=esm --outfile=dist/main.js', { from: 'vneid-verify/tokens' });
  });

  test('bun build', async () => {
    await bundle('bun-build', 'bun build main.js --outdir=dist');
  });
});
