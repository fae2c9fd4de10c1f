// Size guards for the .wasm: the budget of each build (gzip -9) and code it must not link.
// The per-format table is BENCHMARKS.md's (scripts/size-table.mjs).

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { PKG, ROOT } from './pkg.mjs';

// wasm-pack's cargo build, before wasm-bindgen strips the symbol names.
const UNSTRIPPED = `${ROOT}target/wasm32-unknown-unknown/release/vneid_verify.wasm`;

test('the wasm build links no float formatting from core (use time::format_seconds)', () => {
  assert.ok(existsSync(UNSTRIPPED), `${UNSTRIPPED} is missing: run "npm run build"`);
  const symbols = readFileSync(UNSTRIPPED).toString('latin1');
  assert.ok(symbols.includes('vneid_verify'), 'the unstripped build has a name section');
  // format!("{}", some_f64) pulls core::num::flt2dec (about 19 KB raw, 8 KB gzipped).
  assert.ok(!symbols.includes('flt2dec'), 'an f64 is formatted with {} somewhere in the core');
});

test('the wasm build has no signing code and no random number generator', () => {
  const symbols = readFileSync(UNSTRIPPED).toString('latin1');
  for (const name of ['IssuerKey', 'getrandom', 'SigningKey']) {
    assert.ok(!symbols.includes(name), `${name} is linked into the WASM package`);
  }
});

// ---- Budgets ---------------------------------------------------------------------------------
// gzip -9 of each build's .wasm (what `vneid-verify` and `vneid-verify/tokens` carry, deflated
// inside their entries). Issue 12's targets are 120 KiB for the default package (every format,
// RSA) and 45 KiB for the tokens-only build; the budgets below are what the package reaches
// today plus 3 %, a ratchet: lower them when the .wasm shrinks, and never raise one without the
// reason in BENCHMARKS.md (Size, where scripts/size-table.mjs weighs each format).
const KIB = 1024;
const DEFAULT_BUDGET_KIB = 312; // 303.1 KiB on 2026-12-05
const TOKENS_BUDGET_KIB = 207; // 201.3 KiB on 2026-12-05
const BUDGETS = [
  { dir: '', name: 'vneid-verify (every format, RSA)', budget: DEFAULT_BUDGET_KIB * KIB, target: 120 * KIB },
  { dir: 'tokens/', name: 'vneid-verify/tokens', budget: TOKENS_BUDGET_KIB * KIB, target: 45 * KIB },
];

for (const { dir, name, budget, target } of BUDGETS) {
  test(`${name}: the .wasm is within its budget (gzip -9)`, () => {
    const file = `${PKG}${dir}vneid_verify_bg.wasm`;
    assert.ok(existsSync(file), `${file} is missing: run "npm run build"`);
    const size = gzipSync(readFileSync(file), { level: 9 }).length;
    assert.ok(size <= budget,
      `${name}: ${size} bytes gzipped (${(size / KIB).toFixed(1)} KiB) exceeds its budget of ${(budget / KIB).toFixed(1)} KiB (target ${target / KIB} KiB)`);
  });
}

test('the tokens-only build links no CBOR, X.509, FHIR or RSA (their messages are absent)', () => {
  const full = readFileSync(`${PKG}vneid_verify_bg.wasm`).toString('latin1');
  const tokens = readFileSync(`${PKG}tokens/vneid_verify_bg.wasm`).toString('latin1');
  for (const [what, text] of [['CBOR', 'indefinite-length string'], ['X.509', 'TBSCertificate expected'],
    ['FHIR', 'vaccineCode'], ['RSA', 'RSA modulus of']]) {
    assert.ok(full.includes(text), `the full build should have ${what} ("${text}"): the check is stale`);
    assert.ok(!tokens.includes(text), `the tokens-only build links ${what} ("${text}")`);
  }
});
