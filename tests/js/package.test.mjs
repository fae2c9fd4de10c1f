// The package users install is the package tested: `npm pack` pkg/, install the tarball into a
// fresh ESM project, and use it there the documented ways: plain import in Node, `await init()`,
// the browser entry (which inflates the module it carries, never fetching), the slim entry from
// the .wasm's bytes (an offline device never fetches), the README's Node examples, and
// TypeScript against the shipped .d.ts. publint lints the package. tests/consumers/ builds it
// with every bundler and runs it in every runtime.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

import { AUDIENCE, makeIssuer, vneidClaims } from './fixtures.mjs';
import { PKG, ROOT } from './pkg.mjs';

const ENTRY_FILES = [
  'index.js', 'node.js', 'vneid_verify.d.ts', 'vneid_verify.js',
  'vneid_verify_bg.wasm', 'vneid_verify_bg.wasm.d.ts', 'vneid_verify_glue.js', 'vneid_verify_inline.js',
];
// The default build at the top, the tokens-only build (vneid-verify/tokens) in tokens/.
const EXPECTED_FILES = ['README.md', 'package.json', ...ENTRY_FILES, ...ENTRY_FILES.map((f) => `tokens/${f}`)].sort();

let project; // a fresh consumer project with the tarball installed
let packed; // npm pack's report

/** Runs a module in the consumer project; returns its stdout, failing with its stderr. */
function runIn(dir, file, source) {
  writeFileSync(join(dir, file), source);
  const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(r.status, 0, `${file} failed:\n${r.stderr}\n--- source ---\n${source}`);
  return r.stdout;
}

before(async () => {
  project = mkdtempSync(join(tmpdir(), 'vneid-consumer-'));
  const out = execFileSync('npm', ['pack', PKG, '--json', '--pack-destination', project], {
    cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
  });
  [packed] = JSON.parse(out);
  writeFileSync(join(project, 'package.json'), JSON.stringify({
    name: 'consumer', private: true, type: 'module',
    dependencies: { 'vneid-verify': `file:./${packed.filename}` },
  }, null, 2));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock'], {
    cwd: project, stdio: ['ignore', 'pipe', 'pipe'],
  });

  // What the examples verify: a token from a throwaway issuer, valid for an hour from now.
  const issuer = await makeIssuer();
  const now = Math.floor(Date.now() / 1000);
  writeFileSync(join(project, 'trust.json'), JSON.stringify(issuer.trust, null, 2));
  writeFileSync(join(project, 'token.txt'), `${await issuer.sign(vneidClaims({ iat: now - 60, exp: now + 3600 }))}\n`);
});

after(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('the packed package', () => {
  test('holds exactly the files it needs', () => {
    assert.equal(packed.name, 'vneid-verify');
    assert.deepEqual(packed.files.map((f) => f.path).sort(), EXPECTED_FILES);
  });

  test('passes publint (strict)', async () => {
    const { messages, pkg } = await publint({ pkgDir: PKG, strict: true });
    assert.deepEqual(messages.map((m) => `${m.type}: ${formatMessage(m, pkg)}`), []);
  });

  test('works in Node with a plain import and no init', () => {
    const out = runIn(project, 'plain.mjs', `
      import { readFileSync } from 'node:fs';
      import { Verifier } from 'vneid-verify';
      const verifier = new Verifier(readFileSync('trust.json', 'utf8'), { audience: '${AUDIENCE}' });
      const verdict = verifier.verify(readFileSync('token.txt', 'utf8'));
      console.log(verdict.valid, verdict.code, verdict.level);
    `);
    assert.equal(out.trim(), 'true null 2');
  });

  test('vneid-verify/tokens verifies a token in Node, with a plain import or through its slim entry', () => {
    const out = runIn(project, 'tokens.mjs', `
      import { readFileSync } from 'node:fs';
      globalThis.fetch = () => { throw new Error('fetch must not be called'); };
      import { Verifier } from 'vneid-verify/tokens';
      const verdict = new Verifier(readFileSync('trust.json', 'utf8'), { audience: '${AUDIENCE}' })
        .verify(readFileSync('token.txt', 'utf8'));
      console.log(verdict.valid, verdict.code, verdict.format);
      console.log(new Verifier('{"issuers": []}').verify('HC1:NCFOXN').code);
      const slim = await import('vneid-verify/tokens/slim');
      slim.initSync({ module: readFileSync(new URL(import.meta.resolve('vneid-verify/tokens/vneid_verify_bg.wasm'))) });
      console.log(new slim.Verifier(readFileSync('trust.json', 'utf8')).verify(readFileSync('token.txt', 'utf8')).valid);
    `);
    assert.equal(out.trim(), 'true null vneid_token\nformat_not_allowed\ntrue');
  });

  test('works in Node with await init() first, as browser code does', () => {
    const out = runIn(project, 'with-init.mjs', `
      import { readFileSync } from 'node:fs';
      import init, { Verifier, initSync } from 'vneid-verify';
      const exports = await init();
      if (initSync() !== exports) throw new Error('init and initSync disagree');
      const verifier = new Verifier(JSON.parse(readFileSync('trust.json', 'utf8')));
      console.log(verifier.verify(readFileSync('token.txt', 'utf8')).valid);
    `);
    assert.equal(out.trim(), 'true');
  });

  test('the browser entry inflates the module it carries, and never fetches', () => {
    const out = runIn(project, 'browser-entry.mjs', `
      import { readFileSync } from 'node:fs';
      globalThis.fetch = () => { throw new Error('fetch must not be called'); };
      const { default: init, Verifier } = await import('./node_modules/vneid-verify/index.js');
      try {
        new Verifier('{"issuers": []}');
      } catch (e) {
        console.log(e.message);
      }
      const [a, b] = [init(), init()];
      if (a !== b) throw new Error('init() twice should give the same promise');
      await a;
      console.log(new Verifier(readFileSync('trust.json', 'utf8')).verify(readFileSync('token.txt', 'utf8')).valid);
    `);
    assert.match(out, /not loaded yet: `await init\(\)` once first/);
    assert.match(out, /\ntrue\n$/);
  });

  test('the slim entry loads the module from bytes with initSync or init, and never fetches', () => {
    for (const how of ['initSync({ module: bytes })', 'await init({ module_or_path: bytes })']) {
      const out = runIn(project, 'slim.mjs', `
        import { readFileSync } from 'node:fs';
        globalThis.fetch = () => { throw new Error('fetch must not be called'); };
        const { default: init, initSync, Verifier } = await import('vneid-verify/slim');
        const bytes = readFileSync(new URL(import.meta.resolve('vneid-verify/vneid_verify_bg.wasm')));
        ${how};
        const verifier = new Verifier(readFileSync('trust.json', 'utf8'));
        console.log(verifier.verify(readFileSync('token.txt', 'utf8')).valid);
      `);
      assert.equal(out.trim(), 'true', how);
    }
  });

  test('the README\u2019s JavaScript examples run as written', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const blocks = [...readme.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
    assert.ok(blocks.length >= 2, `expected JavaScript examples in the README, found ${blocks.length}`);
    blocks.forEach((source, i) => {
      const out = runIn(project, `readme-${i}.mjs`, source);
      // A line `// prints: TEXT` in an example states what it must print.
      for (const [, expected] of source.matchAll(/\/\/ prints: (.*)$/gm)) {
        assert.ok(out.includes(expected.trim()), `README example ${i} should print "${expected}", printed:\n${out}`);
      }
    });
  });

  test('its TypeScript types accept correct use and reject mistakes', () => {
    cpSync(join(ROOT, 'tests', 'js', 'consumer', 'usage.ts'), join(project, 'usage.ts'));
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true,
        noEmit: true, lib: ['es2022', 'dom'], types: [], skipLibCheck: false,
        noUnusedLocals: true, noFallthroughCasesInSwitch: true,
      },
      files: ['usage.ts'],
    }));
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
  });
});
