// The TypeScript unions in the shipped .d.ts are the Rust lists (ErrorCode::ALL,
// WarningCode::ALL, Format::ALL, exposed at run time by errorCodes(), warningCodes(), formats()),
// member for member and in order, so the closed unions cannot drift from the code.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { PKG, errorCodes, formats, version, warningCodes } from './pkg.mjs';

const dts = readFileSync(`${PKG}vneid_verify.d.ts`, 'utf8');

/** The string members of `export type NAME = "a" | "b" ...;` in the .d.ts. */
function union(name) {
  const match = dts.match(new RegExp(`export type ${name} =([^;]*);`));
  assert.ok(match, `the .d.ts has no union ${name}`);
  return [...match[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
}

describe('TypeScript unions agree with the Rust lists', () => {
  test('ErrorCode is exactly errorCodes()', () => {
    const codes = errorCodes();
    assert.deepEqual(union('ErrorCode'), codes.map((c) => c.code));
    assert.equal(new Set(codes.map((c) => c.code)).size, codes.length);
    for (const c of codes) {
      assert.match(c.code, /^[a-z][a-z0-9_]*$/);
      assert.ok(c.message.length > 0 && c.messageVi.length > 0, c.code);
    }
  });

  test('WarningCode is exactly warningCodes()', () => {
    assert.deepEqual(union('WarningCode'), warningCodes());
  });

  test('Format is exactly formats()', () => {
    assert.deepEqual(union('Format'), formats());
  });

  test('the thrown codes are error codes', () => {
    const declared = dts.match(/interface VerifierError extends Error \{\s*code:([^;]*);/);
    assert.ok(declared, 'VerifierError.code is declared');
    const thrown = [...declared[1].matchAll(/"([a-z_]+)"/g)].map((m) => m[1]);
    const codes = new Set(errorCodes().map((c) => c.code));
    for (const code of thrown) assert.ok(codes.has(code), `${code} is not an error code`);
    // Every trust_… code but trust_expired (a verdict's) is thrown by the constructor.
    const trust = [...codes].filter((c) => c.startsWith('trust_') && c !== 'trust_expired');
    assert.deepEqual(thrown.sort(), ['invalid_option', ...trust].sort());
  });

  test('the package version is the crate version', () => {
    const pkg = JSON.parse(readFileSync(`${PKG}package.json`, 'utf8'));
    const cargo = readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8');
    assert.equal(version(), pkg.version);
    assert.equal(version(), cargo.match(/^version = "([^"]+)"/m)[1]);
  });
});
