// The demo gallery's samples (www-demo/gallery/gallery.json, built by scripts/build-demo.mjs)
// through the WebAssembly package: every sample of every format gives the verdict the gallery
// promises, with the trust the page loads (the signed trust bundle, checked against the demo's
// pinned TEST root) and the policy the gallery sets. And the ShcChunks collector the page uses
// for multi-QR cards.

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { ROOT, ShcChunks, Verifier } from './pkg.mjs';

const GALLERY = join(ROOT, 'www-demo', 'gallery', 'gallery.json');
assert.ok(existsSync(GALLERY), `${GALLERY} is missing: run "node scripts/build-demo.mjs"`);
const gallery = JSON.parse(readFileSync(GALLERY, 'utf8'));
const trust = gallery.trust.map((t) => t.bundle);
const SIGNED = 'signed';

/** A sample verified with the signed sample bundle (as the page does), or with `bundles`. */
function verifySample(sample, bundles = SIGNED) {
  // The time is the verification's, as the page passes it (a signed bundle is checked at its
  // construction against the clock: it was issued before now, not before the sample's time).
  const at = sample.policy.currentDate ? new Date(sample.policy.currentDate) : undefined;
  const options = {};
  if (sample.policy.audience) options.audience = sample.policy.audience;
  if (sample.policy.minLevel) options.minLevel = sample.policy.minLevel;
  const verifier = bundles === SIGNED
    ? new Verifier(gallery.signedTrust.bundle, { ...options, trustRoots: gallery.signedTrust.roots })
    : new Verifier(bundles, options);
  try {
    return verifier.verify(sample.chunks ? sample.chunks.join('\n') : sample.payload, at);
  } finally {
    verifier.free();
  }
}

describe('gallery samples', () => {
  test('every format is in the gallery, with valid and rejected samples', () => {
    const groups = gallery.groups.map((g) => g.id);
    assert.deepEqual(groups, ['vneid_token', 'jwt', 'vneid_document', 'cccd_qr', 'eu_dcc', 'shc', 'vds_nc']);
    for (const id of ['vneid_token', 'jwt', 'vneid_document', 'eu_dcc', 'shc', 'vds_nc']) {
      const states = new Set(gallery.samples.filter((s) => s.group === id).map((s) => s.expected.state));
      assert.deepEqual([...states].sort(), ['invalid', 'valid'], id);
    }
    const tokenCodes = gallery.samples.filter((s) => s.group === 'vneid_token').map((s) => s.expected.code);
    for (const code of ['level_too_low', 'expired', 'signature_invalid', 'unknown_issuer']) {
      assert.ok(tokenCodes.includes(code), `a token sample is ${code}`);
    }
    const codesOf = (group) => gallery.samples.filter((s) => s.group === group).map((s) => s.expected.code);
    for (const code of ['signature_invalid', 'revoked', 'expired', 'unknown_issuer']) {
      assert.ok(codesOf('shc').includes(code), `a SMART Health Card sample is ${code}`);
    }
    for (const code of ['audience_mismatch', 'expired', 'revoked']) {
      assert.ok(codesOf('jwt').includes(code), `a JWT sample is ${code}`);
    }
    for (const s of gallery.samples) {
      assert.equal(s.images.length, s.chunks ? s.chunks.length : 1, s.id);
      for (const image of s.images) assert.ok(existsSync(join(ROOT, 'www-demo', image)), image);
    }
  });

  test('each sample gives its expected verdict', () => {
    assert.ok(gallery.samples.length >= 39);
    for (const s of gallery.samples) {
      const v = verifySample(s);
      const state = v.valid ? 'valid' : v.code === 'unsigned' ? 'unsigned' : 'invalid';
      assert.equal(state, s.expected.state, `${s.id}: ${v.code} ${v.message}`);
      assert.equal(v.code, s.expected.code, `${s.id}: ${v.message}`);
      assert.deepEqual(v.warnings.map((w) => w.code), s.expected.warnings, s.id);
      assert.equal(v.format, s.group, s.id);
    }
  });

  test('the samples\' trust ships as a signed bundle of every sample issuer, with a status list', () => {
    const verifier = new Verifier(gallery.signedTrust.bundle, { trustRoots: gallery.signedTrust.roots });
    try {
      const info = verifier.trustBundle();
      assert.equal(info.version, 1);
      assert.deepEqual(info.signers, ['demo-test-root-1']);
      assert.ok(info.expires > Date.now() / 1000 + 365 * 86400, 'valid for more than a year from now');
      const issuers = new Set(verifier.trustedKeys().map((k) => k.issuer));
      for (const t of gallery.trust) for (const i of t.bundle.issuers ?? []) assert.ok(issuers.has(i.iss), i.iss);
      const [list] = verifier.statusLists();
      assert.deepEqual([list.uri, list.bits, list.entries, list.signers], ['https://login.oidc.test/statuslists/1', 1, 1024, ['https://login.oidc.test']]);
    } finally {
      verifier.free();
    }
    // Without its status list the revoked sample cannot be decided: the list is what revokes it.
    const revoked = gallery.samples.find((s) => s.id === 'jwt-oidc-status-revoked');
    assert.equal(verifySample(revoked, trust).code, 'status_list_missing');
    assert.throws(() => new Verifier(gallery.signedTrust.bundle), { code: 'trust_invalid' }, 'signed: only with its roots');
  });

  test('without the sample issuers, the signed samples are not verified', () => {
    for (const s of gallery.samples.filter((x) => x.expected.state === 'valid')) {
      const v = verifySample(s, []);
      assert.equal(v.valid, false, s.id);
      assert.ok(['unknown_issuer', 'unknown_key', 'chain_invalid'].includes(v.code), `${s.id}: ${v.code}`);
    }
  });

  test('test issuers are named as test issuers', () => {
    for (const t of gallery.trust) {
      for (const issuer of t.bundle.issuers ?? []) {
        assert.match(issuer.name, /TEST ONLY/, t.id);
        for (const key of issuer.keys ?? []) {
          if (t.id.startsWith('vn') || t.id.startsWith('jwt')) assert.match(key.kid, /^test-/, `${t.id} ${key.kid}`);
          assert.equal(key.d, undefined, 'no private key in a trust bundle');
        }
      }
    }
  });
});

describe('ShcChunks: a multi-QR card read one code at a time', () => {
  const chunks = gallery.samples.find((s) => s.id === 'shc-02-chunks').chunks;

  test('reports "n of total" and the missing chunks, in any order, then the payload', () => {
    const collector = new ShcChunks();
    assert.deepEqual(collector.progress(), { received: 0, total: 0, missing: [], complete: false });
    assert.equal(collector.payload(), null);
    assert.deepEqual(collector.add(chunks[2]), { received: 1, total: 3, missing: [1, 2], complete: false });
    assert.deepEqual(collector.add(` ${chunks[2]}\n`), { received: 1, total: 3, missing: [1, 2], complete: false }, 'a re-scan is harmless');
    assert.deepEqual(collector.add(chunks[0]), { received: 2, total: 3, missing: [2], complete: false });
    assert.equal(collector.payload(), null);
    assert.deepEqual(collector.add(chunks[1]), { received: 3, total: 3, missing: [], complete: true });
    assert.equal(collector.payload(), chunks.join('\n'));
    const sample = gallery.samples.find((s) => s.id === 'shc-02-chunks');
    const v = verifySample({ ...sample, chunks: null, payload: collector.payload() });
    assert.equal(v.valid, true, `${v.code} ${v.message}`);
    collector.clear();
    assert.deepEqual(collector.progress(), { received: 0, total: 0, missing: [], complete: false });
    collector.free();
  });

  test('scan: the core’s one chunk rule — collect chunks, verify anything else, give up a card for another', () => {
    const collector = new ShcChunks();
    const single = gallery.samples.find((s) => s.id === 'shc-00').payload;
    const token = gallery.samples.find((s) => s.id === 'token-valid-level2').payload;
    assert.deepEqual(collector.scan(chunks[1]), {
      kind: 'partial', progress: { received: 1, total: 3, missing: [1, 3], complete: false }, abandoned: null,
    });
    // Codes read between two chunks are verified as they are; the card is kept.
    assert.deepEqual(collector.scan(token), { kind: 'verify', payload: token, abandoned: null });
    assert.deepEqual(collector.scan(single), { kind: 'verify', payload: single, abandoned: null }, 'a one-QR card');
    assert.deepEqual(collector.scan('shc:/1/3/5'), { kind: 'verify', payload: 'shc:/1/3/5', abandoned: null }, 'a malformed chunk');
    assert.equal(collector.scan(chunks[0]).progress.received, 2);
    const done = collector.scan(chunks[2]);
    assert.deepEqual(done, { kind: 'verify', payload: chunks.join('\n'), abandoned: null });
    assert.equal(collector.progress().total, 0, 'a completed card starts afresh');

    // A chunk of a card with another count: the unfinished card is given up, the new one started.
    collector.scan(chunks[0]);
    const other = 'shc:/2/2/5676';
    const next = collector.scan(other);
    assert.equal(next.kind, 'partial');
    assert.deepEqual(next.progress, { received: 1, total: 2, missing: [1], complete: false });
    assert.equal(next.abandoned.code, 'chunks_incomplete');
    assert.match(next.abandoned.message, /1 of 3 chunks; missing 2, 3/);
    assert.ok(next.abandoned.messageVi.length > 0);
    assert.throws(() => collector.scan(42), { code: 'prefix_invalid' });
    collector.free();
  });

  test('a QR of another card or a bad chunk throws a coded error and changes nothing', () => {
    const collector = new ShcChunks();
    collector.add(chunks[0]);
    const single = gallery.samples.find((s) => s.id === 'shc-00').payload;
    assert.throws(() => collector.add(single), (e) => e.code === 'chunk_invalid' && e.messageVi.length > 0);
    assert.throws(() => collector.add(chunks[1].slice(0, -1)), { code: 'numeric_invalid' });
    assert.throws(() => collector.add('HC1:XYZ'), { code: 'prefix_invalid' });
    assert.throws(() => collector.add(42), { code: 'prefix_invalid' });
    assert.deepEqual(collector.progress(), { received: 1, total: 3, missing: [2, 3], complete: false });
    collector.free();
  });
});
