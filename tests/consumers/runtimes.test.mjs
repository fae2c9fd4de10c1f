// The packed package in the runtimes, as the README shows: Node (import and require()), Deno
// with no permission for the package, Bun, and esbuild bundles for Node that must carry the
// module along (they run from a folder with no node_modules).

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
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
