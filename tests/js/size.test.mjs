// Size guards for the .wasm (sizes themselves are measured by `npm run bench`, not asserted):
// the package must not link code it has no use for.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';

import { ROOT } from './pkg.mjs';

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
