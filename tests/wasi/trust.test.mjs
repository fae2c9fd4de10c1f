// Signed trust bundles in the scanner build (dist-wasi/vneid-verify.wasm) against the native CLI:
// each threat gives the same exit status and standard output under WASI as natively, the state
// file is written the same way, and `trust inspect` prints the same bytes. Bundles are signed by
// the native `trust sign` (the WASI build has no signing).
//
// Run: node --test tests/wasi/

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';

import { setUp } from './harness.mjs';

const AT = 1795000000;
const DAY = 86400;
const ISS = 'https://id.vneid.test';

let h; // the harness: file, native, mustNative, wasi, same
let token;

/** `trust sign` of the issuer's trust file plus `extra`, by `roots`, as `out`. */
function sign(out, roots, version, { extra = {}, at = AT - DAY, expires = '+30d' } = {}) {
  const bundle = { ...JSON.parse(readFileSync(h.file('issuer.trust'), 'utf8')), ...extra };
  writeFileSync(h.file(`${out}.unsigned`), JSON.stringify(bundle));
  h.mustNative([
    'trust', 'sign', '--version', String(version), '--at', String(at), '--expires', expires,
    '--out', h.file(out), ...roots.flatMap((r) => ['--key', h.file(`${r}.key`)]), h.file(`${out}.unsigned`),
  ]);
  return h.file(out);
}

/** A root set file. */
function rootSet(out, roots, threshold = 1) {
  const keys = roots.map((r) => {
    const { d, ...pub } = JSON.parse(readFileSync(h.file(`${r}.key`), 'utf8'));
    return pub;
  });
  writeFileSync(h.file(out), JSON.stringify({ keys, threshold }));
  return h.file(out);
}

const verifyArgs = (signed, roots, state) => [
  'verify', '--trust', signed, '--trust-root', roots, '--at', String(AT),
  ...(state ? ['--trust-state', state] : []), token,
];

/** Natively and under WASI, each from the same state file content (or none). */
async function bothWithState(args, stateFile, content) {
  const reset = () => (content === undefined ? rmSync(stateFile, { force: true }) : writeFileSync(stateFile, content));
  reset();
  const n = h.native(args);
  const nativeState = existsSync(stateFile) ? readFileSync(stateFile, 'utf8') : null;
  reset();
  const w = await h.wasi(args);
  const wasiState = existsSync(stateFile) ? readFileSync(stateFile, 'utf8') : null;
  assert.equal(w.code, n.code, `exit status differs; native: ${n.stderr}; wasi: ${w.stderr}`);
  assert.ok(w.stdout.equals(n.stdout), 'stdout bytes differ');
  assert.equal(wasiState, nativeState, 'the state files differ');
  return { native: n, wasi: w, state: nativeState };
}

before(async () => {
  h = await setUp('wasi-trust');
  h.mustNative(['keygen', '--kid', 'issuer-1', '--out', h.file('issuer.key'), '--issuer', ISS, '--trust-out', h.file('issuer.trust')]);
  for (const root of ['root-a', 'root-b', 'root-c']) h.mustNative(['keygen', '--kid', root, '--out', h.file(`${root}.key`)]);
  token = h.mustNative([
    'issue', 'token', '--key', h.file('issuer.key'), '--claims', JSON.stringify({ iss: ISS, sub: 'user-1' }),
    '--at', String(AT), '--ttl', String(365 * DAY),
  ]);
});

after(() => h?.tearDown());

describe('signed trust bundles under WASI, byte for byte as native', () => {
  test('a good bundle verifies and the state file is written the same', async () => {
    const roots = rootSet('roots.json', ['root-a']);
    const signed = sign('good.json', ['root-a'], 4);
    const r = await bothWithState(verifyArgs(signed, roots, h.file('state.json')), h.file('state.json'));
    assert.equal(r.native.code, 0, r.native.stderr);
    assert.equal(JSON.parse(r.state).version, 4);
    assert.equal(JSON.parse(r.native.stdout.toString()).valid, true);
  });

  for (const [name, make, code] of [
    ['tampered', () => {
      const signed = JSON.parse(readFileSync(sign('t.json', ['root-a'], 1), 'utf8'));
      const payload = JSON.parse(Buffer.from(signed.payload, 'base64url'));
      payload.issuers[0].name = 'Attacker';
      signed.payload = Buffer.from(JSON.stringify(payload)).toString('base64url');
      writeFileSync(h.file('t.json'), JSON.stringify(signed));
      return [h.file('t.json'), rootSet('r1.json', ['root-a'])];
    }, 'trust_signature_invalid'],
    ['an unknown signer', () => [sign('u.json', ['root-b'], 1), rootSet('r1.json', ['root-a'])], 'trust_unknown_signer'],
    ['below the threshold', () => [sign('th.json', ['root-a'], 1), rootSet('r3.json', ['root-a', 'root-b', 'root-c'], 2)], 'trust_threshold_not_met'],
    ['issued in the future', () => [sign('f.json', ['root-a'], 1, { at: AT + 3600 }), rootSet('r1.json', ['root-a'])], 'trust_issued_in_future'],
    ['unsigned with roots pinned', () => [h.file('issuer.trust'), rootSet('r1.json', ['root-a'])], 'trust_unsigned'],
  ]) {
    test(`${name}: exit 2, ${code}`, async () => {
      const [signed, roots] = make();
      const r = await h.same(verifyArgs(signed, roots));
      assert.equal(r.native.code, 2);
      assert.match(r.native.stderr, new RegExp(code));
      assert.match(r.wasi.stderr, new RegExp(code));
    });
  }

  test('rollback: exit 2, trust_rollback, the state kept', async () => {
    const roots = rootSet('roots.json', ['root-a']);
    const state = h.file('rb-state.json');
    const older = sign('older.json', ['root-a'], 2);
    const saved = JSON.stringify({ version: 5 });
    const r = await bothWithState(verifyArgs(older, roots, state), state, saved);
    assert.equal(r.native.code, 2);
    assert.match(r.wasi.stderr, /trust_rollback/);
    assert.equal(r.state, saved);
  });

  test('a corrupt state file: exit 2, trust_state_invalid, never a reset', async () => {
    const roots = rootSet('roots.json', ['root-a']);
    const state = h.file('bad-state.json');
    const r = await bothWithState(verifyArgs(sign('g2.json', ['root-a'], 1), roots, state), state, '{"version": ');
    assert.equal(r.native.code, 2);
    assert.match(r.wasi.stderr, /trust_state_invalid/);
    assert.equal(r.state, '{"version": ');
  });

  test('root rotation through the state file', async () => {
    const pinned = rootSet('pinned.json', ['root-a']);
    const next = JSON.parse(readFileSync(rootSet('next.json', ['root-b', 'root-c'], 2), 'utf8'));
    const state = h.file('rot-state.json');
    const rotation = sign('rot.json', ['root-a'], 2, { extra: { roots: next } });
    const first = await bothWithState(verifyArgs(rotation, pinned, state), state);
    assert.equal(JSON.parse(first.state).roots.threshold, 2);
    const three = sign('three.json', ['root-b', 'root-c'], 3);
    const after = await bothWithState(verifyArgs(three, pinned, state), state, first.state);
    assert.equal(after.native.code, 0, after.native.stderr);
    const fresh = await h.same(verifyArgs(three, pinned));
    assert.equal(fresh.native.code, 2);
    assert.match(fresh.wasi.stderr, /trust_unknown_signer/);
  });

  test('past expires: trust_expired verdicts, exit 1', async () => {
    const roots = rootSet('roots.json', ['root-a']);
    const signed = sign('exp.json', ['root-a'], 1, { expires: String(AT) });
    const r = await h.same(verifyArgs(signed, roots));
    assert.equal(r.native.code, 1);
    assert.equal(JSON.parse(r.lines[0]).code, 'trust_expired');
  });

  test('scan: a refused bundle at start exits 2, a good one scans', async () => {
    const roots = rootSet('roots.json', ['root-a']);
    const state = h.file('scan-state.json');
    const scan = (signed) => [
      'scan', '--trust', signed, '--trust-root', roots, '--trust-state', state, '--at', String(AT),
      '--repeat-window', '0',
    ];
    const refused = await bothWithState(scan(sign('s1.json', ['root-a'], 1)), state, '{"version":3}');
    assert.equal(refused.native.code, 2);
    assert.match(refused.wasi.stderr, /trust_rollback/);
    writeFileSync(h.file('input'), `${token}\n${token}\n`);
    const n = h.native(scan(sign('s4.json', ['root-a'], 4)), `${token}\n${token}\n`);
    writeFileSync(state, '{"version":3}');
    const w = await h.wasi(scan(h.file('s4.json')), h.file('input'));
    assert.equal(w.code, n.code, w.stderr);
    assert.ok(w.stdout.equals(n.stdout));
    assert.equal(JSON.parse(readFileSync(state, 'utf8')).version, 4);
  });

  test('trust inspect prints the same bytes', async () => {
    const roots = rootSet('roots.json', ['root-a']);
    const signed = sign('inspect.json', ['root-a'], 9);
    const ok = await h.same(['trust', 'inspect', signed, '--trust-root', roots, '--at', String(AT)]);
    assert.equal(ok.native.code, 0);
    assert.match(ok.native.stdout.toString(), /version {9}9/);
    const other = rootSet('other.json', ['root-b']);
    const no = await h.same(['trust', 'inspect', signed, '--trust-root', other, '--at', String(AT)]);
    assert.equal(no.native.code, 1);
    assert.match(no.native.stdout.toString(), /NO: trust_unknown_signer/);
  });

  test('trust sign is not in the WASI build', async () => {
    const w = await h.wasi(['trust', 'sign', '--key', h.file('root-a.key'), '--version', '1', '--expires', '+1d', '--out', h.file('x.json'), h.file('issuer.trust')]);
    assert.equal(w.code, 2);
    assert.match(w.stderr, /not in this build/);
  });
});
