// The TypeScript declarations are a hand-maintained file, js/vneid_verify.d.ts, shipped as is
// for every entry. They cannot drift from the code: the unions are the Rust lists
// (ErrorCode::ALL, WarningCode::ALL, Format::ALL, exposed at run time by errorCodes(),
// warningCodes(), formats()), member for member and in order, and the exports, classes and
// methods declared are exactly those the package has at run time (read with the TypeScript
// compiler's own parser), and the option interfaces are the options the verifier takes (the
// core's POLICY_OPTIONS, which also drive the CLI's flags).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import ts from 'typescript';

import * as pkg from './pkg.mjs';
import { PKG, ROOT, errorCodes, formats, version, warningCodes } from './pkg.mjs';

const DTS = join(ROOT, 'js', 'vneid_verify.d.ts');
const dts = readFileSync(DTS, 'utf8');

/** The string members of `export type NAME = "a" | "b" ...;` in the .d.ts. */
function union(name) {
  const match = dts.match(new RegExp(`export type ${name} =([^;]*);`));
  assert.ok(match, `the .d.ts has no union ${name}`);
  return [...match[1].matchAll(/"([^"]*)"/g)].map((m) => m[1]);
}

/** What the .d.ts declares: its value exports, and each class's members (`[Symbol.dispose]` as such). */
function declared() {
  const source = ts.createSourceFile(DTS, dts, ts.ScriptTarget.Latest, true);
  const values = new Set();
  const classes = new Map();
  const exported = (node) => node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  for (const node of source.statements) {
    if (!exported(node)) continue;
    const isDefault = node.modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
    if (ts.isFunctionDeclaration(node)) values.add(isDefault ? 'default' : node.name.text);
    if (ts.isClassDeclaration(node)) {
      values.add(node.name.text);
      classes.set(node.name.text, node.members
        .filter((m) => !ts.isConstructorDeclaration(m))
        .map((m) => (ts.isComputedPropertyName(m.name) ? `[${m.name.expression.getText(source)}]` : m.name.text))
        .sort());
    }
  }
  return { values: [...values].sort(), classes };
}

/** The methods a class has at run time, as the .d.ts names them. */
function runtimeMembers(cls) {
  const names = Object.getOwnPropertyNames(cls.prototype)
    .filter((n) => n !== 'constructor' && !n.startsWith('__'));
  if (Object.getOwnPropertySymbols(cls.prototype).includes(Symbol.dispose)) names.push('[Symbol.dispose]');
  return names.sort();
}

describe('the hand-maintained .d.ts agrees with the package', () => {
  test('every entry ships js/vneid_verify.d.ts as it is', () => {
    assert.equal(readFileSync(`${PKG}vneid_verify.d.ts`, 'utf8'), dts);
  });

  test('it declares exactly the exports the package has', () => {
    const runtime = Object.keys(pkg).filter((n) => !['PKG', 'ROOT'].includes(n)).sort();
    assert.deepEqual(declared().values, runtime);
  });

  test('each class declares exactly the methods it has', () => {
    const { classes } = declared();
    for (const [name, members] of classes) {
      assert.equal(typeof pkg[name], 'function', `${name} is not exported at run time`);
      assert.deepEqual(members, runtimeMembers(pkg[name]), `the members of ${name}`);
    }
  });
});

/** The members of `export interface NAME` in the .d.ts. */
function interfaceMembers(name) {
  const source = ts.createSourceFile(DTS, dts, ts.ScriptTarget.Latest, true);
  const node = source.statements.find((s) => ts.isInterfaceDeclaration(s) && s.name.text === name);
  assert.ok(node, `the .d.ts has no interface ${name}`);
  return node.members.map((m) => m.name.text).sort();
}

/** The options a call takes, as the invalid_option it throws for an unknown one lists them (the
 * core's POLICY_OPTIONS, and the trust options of the constructor). */
function optionsTaken(call) {
  try {
    call();
  } catch (e) {
    assert.equal(e.code, 'invalid_option', e.message);
    assert.equal(e.path, 'notAnOption');
    const listed = e.message.match(/ are ([^)]*)\)$/);
    assert.ok(listed, e.message);
    return listed[1].split(', ').sort();
  }
  return assert.fail('an unknown option was accepted');
}

describe('the option interfaces are exactly the options the verifier takes', () => {
  test('VerifierOptions: new Verifier(trust, options)', () => {
    const taken = optionsTaken(() => new pkg.Verifier({ issuers: [] }, { notAnOption: 1 }));
    assert.ok(taken.includes('formats') && taken.includes('trustRoots'), taken.join());
    assert.deepEqual(interfaceMembers('VerifierOptions'), taken);
  });

  test('VerifyOptions: verify(payload, options), the options of one transaction', () => {
    const verifier = new pkg.Verifier({ issuers: [] });
    const taken = optionsTaken(() => verifier.verify('x', { notAnOption: 1 }));
    assert.ok(taken.includes('nonce') && !taken.includes('audience'), taken.join());
    assert.deepEqual(interfaceMembers('VerifyOptions'), taken);
  });
});

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
    const manifest = JSON.parse(readFileSync(`${PKG}package.json`, 'utf8'));
    const cargo = readFileSync(new URL('../../Cargo.toml', import.meta.url), 'utf8');
    assert.equal(version(), manifest.version);
    assert.equal(version(), cargo.match(/^version = "([^"]+)"/m)[1]);
  });
});
