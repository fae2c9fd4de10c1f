// The packed package in the runtimes, as the README shows: Node (import and require()), Deno
// with no permission for the package, Bun, and esbuild bundles for Node that must carry the
// module along (they run from a folder with no node_modules). And the export conditions: each
// subpath of the exports map with a `browser` entry (the default entry of each build) is
// resolved and run under each condition a tool may ask for.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { TOKEN, TRUST, cleanUp, command, project, snippet, write } from './harness.mjs';

let dir;

before(() => {
  dir = project('runtimes', {
    'main.mjs': snippet('main.mjs'),
    'main.cjs': snippet('main.cjs'),
    'trust.json': TRUST,
    'token.txt': `${TOKEN}\n`,
  });
});
after(cleanUp);

/** Runs a README command and checks what it prints against the snippet's `// prints:` lines. */
function runs(line, file, cwd = dir) {
  const out = command(line, cwd);
  const expected = [...snippet(file).matchAll(/\/\/ prints: (.*)$/gm)].map((m) => m[1].trim());
  assert.ok(expected.length > 0, `${file} states what it prints`);
  for (const text of expected) assert.ok(out.includes(text), `${line} should print "${text}", printed:\n${out}`);
}

describe('runtimes', () => {
  test('Node: import', () => runs('node main.mjs', 'main.mjs'));

  test('Node: require()', () => runs('node main.cjs', 'main.cjs'));

  test('Deno, allowed to read the two data files only', () => {
    runs('deno run --allow-read=trust.json,token.txt main.mjs', 'main.mjs');
  });

  test('Bun: import and require()', () => {
    runs('bun main.mjs', 'main.mjs');
    runs('bun main.cjs', 'main.cjs');
  });

  test('esbuild for Node, CommonJS and ESM: the bundle carries the module', () => {
    const away = join(dir, 'elsewhere');
    mkdirSync(away, { recursive: true });
    write(away, { 'trust.json': TRUST, 'token.txt': `${TOKEN}\n` });
    for (const [line, out] of [
      ['esbuild main.mjs --bundle --platform=node --outfile=dist/main.cjs', 'main.cjs'],
      ['esbuild main.mjs --bundle --platform=node --format=esm --outfile=dist/main.mjs', 'main.mjs'],
    ]) {
      command(line, dir);
      copyFileSync(join(dir, 'dist', out), join(away, out));
      const r = spawnSync(process.execPath, [out], { cwd: away, encoding: 'utf8' });
      assert.equal(r.status, 0, `${line}: the bundle failed away from node_modules:\n${r.stderr}`);
      assert.match(r.stdout, /verified: 001090001234, level 2/);
    }
  });
});

/** What each condition must give: the entry that inflates with `await init()` (browsers,
 * workers, bundlers: no Node built-ins) or the one instantiated at import (Node, Deno, Bun). */
const CONDITIONS = { browser: 'index.js', worker: 'index.js', deno: 'node.js', bun: 'node.js', node: 'node.js', default: 'index.js' };

describe('export conditions', () => {
  test('each default entry lists types first, then every condition, each to its entry', () => {
    const { exports } = JSON.parse(readFileSync(join(dir, 'node_modules', 'vneid-verify', 'package.json'), 'utf8'));
    const entries = Object.entries(exports).filter(([, target]) => typeof target === 'object' && 'browser' in target);
    assert.ok(entries.some(([subpath]) => subpath === '.'), 'the package itself has conditions');
    for (const [subpath, target] of entries) {
      const keys = Object.keys(target);
      assert.equal(keys[0], 'types', `${subpath}: TypeScript takes the first condition it knows: types first`);
      assert.equal(keys.at(-1), 'default', `${subpath}: default last`);
      assert.ok(keys.indexOf('browser') < keys.indexOf('node') && keys.indexOf('worker') < keys.indexOf('node'),
        `${subpath}: browser and worker before node, for tools that ask for both`);
      for (const [condition, file] of Object.entries(CONDITIONS)) {
        assert.ok(target[condition]?.endsWith(`/${file}`), `${subpath}: ${condition} gives ${target[condition]}, not ${file}`);
      }
      assert.ok(target.types.endsWith('.d.ts'));
    }
  });

  // Node resolves with the conditions it is given (-C) before its own (node, import): each
  // condition's entry loads under it, and verifies the token after `await init()`.
  for (const condition of ['browser', 'worker', 'deno', 'bun']) {
    test(`-C ${condition}: its entry resolves, loads and verifies`, () => {
      const { name, exports } = JSON.parse(readFileSync(join(dir, 'node_modules', 'vneid-verify', 'package.json'), 'utf8'));
      const subpaths = Object.keys(exports).filter((s) => typeof exports[s] === 'object' && 'browser' in exports[s]);
      const script = `
        import { readFileSync } from 'node:fs';
        globalThis.fetch = () => { throw new Error('fetch must not be called'); };
        for (const subpath of ${JSON.stringify(subpaths)}) {
          const specifier = subpath === '.' ? ${JSON.stringify(name)} : ${JSON.stringify(name)} + subpath.slice(1);
          const { default: init, Verifier } = await import(specifier);
          await init();
          const verdict = new Verifier(readFileSync('trust.json', 'utf8')).verify(readFileSync('token.txt', 'utf8'));
          console.log(subpath, import.meta.resolve(specifier).split('/node_modules/vneid-verify/')[1], verdict.valid);
        }`;
      const r = spawnSync(process.execPath, ['-C', condition, '--input-type=module', '-e', script], { cwd: dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const expected = subpaths.map((s) => `${s} ${exports[s][condition].slice(2)} true`);
      assert.deepEqual(r.stdout.trim().split('\n'), expected);
    });
  }
});
