// The demo's reading and verifying, without a page: lib/reader.js (the core's one chunk rule),
// lib/verifiers.js (the verifier cache) and lib/session.js (texts in, results in the store), over
// the built package and the built gallery.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';

import { makeIssuer, vneidClaims } from '../js/fixtures.mjs';
import { ROOT } from '../js/pkg.mjs';

import { sampleOrigin, sampleText } from '../../www-demo/lib/gallery.js';
import { Reader } from '../../www-demo/lib/reader.js';
import { createSession } from '../../www-demo/lib/session.js';
import { VerifierCache } from '../../www-demo/lib/verifiers.js';
import { ShcChunks, Verifier, gallery, pageStore, resignedSamples, sample } from './helpers.mjs';

const card = sample('shc-02-chunks');
const token = sample('token-valid-level2');
/** The sample token's own time as the policy panel holds it: local time, whatever the zone. */
const tokenAt = (() => {
  const d = new Date(token.policy.currentDate);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
})();

describe('Reader: what to do with each text read', () => {
  test('chunks are collected through the core; anything else is verified as it is, the card kept', () => {
    const reader = new Reader(ShcChunks);
    assert.deepEqual(reader.read(` ${card.chunks[2]}\n`), {
      kind: 'partial', progress: { complete: false, missing: [1, 2], received: 1, total: 3 }, abandoned: null,
    });
    assert.deepEqual(reader.read(token.payload), { kind: 'verify', payload: token.payload, abandoned: null });
    assert.deepEqual(reader.read('  '), { kind: 'verify', payload: '', abandoned: null }, 'empty: the verifier says so');
    assert.equal(reader.progress.received, 1, 'the card was kept');
    assert.equal(reader.read(card.chunks[0]).progress.received, 2);
    assert.deepEqual(reader.read(card.chunks[1]), { kind: 'verify', payload: card.chunks.join('\n'), abandoned: null });
    assert.equal(reader.progress.total, 0);
    reader.free();
  });

  test('a chunk of another card gives up the unfinished one', () => {
    const reader = new Reader(ShcChunks);
    reader.read(card.chunks[0]);
    const step = reader.read('shc:/2/2/5676');
    assert.equal(step.kind, 'partial');
    assert.equal(step.abandoned.code, 'chunks_incomplete');
    assert.match(step.abandoned.message, /missing 2, 3/);
    reader.clear();
    assert.equal(reader.progress.total, 0);
    reader.free();
  });

  test('readAll (one image): the first payload to verify, else the last progress', () => {
    const reader = new Reader(ShcChunks);
    assert.deepEqual(reader.readAll([card.chunks[1], card.chunks[0], card.chunks[2]]), {
      kind: 'verify', payload: card.chunks.join('\n'), abandoned: null,
    });
    assert.equal(reader.readAll([token.payload, sample('dcc-de-test').payload]).payload, token.payload);
    assert.deepEqual(reader.readAll([card.chunks[0], card.chunks[1]]).progress.missing, [3]);
    reader.clear();
    reader.read(card.chunks[0]);
    const restarted = reader.readAll(['shc:/2/2/5676', 'shc:/2/2/5676']);
    assert.equal(restarted.abandoned?.code, 'chunks_incomplete', 'an abandoned card is reported on the last step');
    assert.equal(reader.readAll([]), null);
    reader.free();
  });
});

describe('VerifierCache', () => {
  /** A stand-in for the package's Verifier that counts what is built and freed. */
  function fakeVerifier() {
    const log = { built: [], freed: 0 };
    class FakeVerifier {
      constructor(trust, options) {
        if (options?.clockTolerance === -1) throw Object.assign(new Error('bad'), { code: 'invalid_option' });
        log.built.push({ trust, options });
      }

      free() {
        log.freed += 1;
      }
    }
    return { FakeVerifier, log };
  }
  const a = { id: 'a', bundle: { issuers: ['A'] } };
  const b = { id: 'b', bundle: { issuers: ['B'] } };

  test('one verifier per trust and options, the two most recently used kept, the others freed', () => {
    const { FakeVerifier, log } = fakeVerifier();
    const cache = new VerifierCache(FakeVerifier);
    const first = cache.get([a], {});
    assert.equal(cache.get([a], {}), first, 'reused');
    assert.deepEqual(log.built, [{ trust: [a.bundle], options: {} }]);
    const second = cache.get([a], { audience: 'x' });
    assert.equal(cache.get([a], {}), first, 'still kept');
    cache.get([a, b], {}); // a third: the least recently used (audience x) goes
    assert.equal(log.freed, 1);
    assert.equal(cache.size, 2);
    assert.notEqual(cache.get([a], { audience: 'x' }), second, 'rebuilt after it was freed');
    assert.deepEqual(cache.get([], {}) && log.built.at(-1).trust, { issuers: [] }, 'no trust: an empty store');
    cache.clear();
    assert.equal(cache.size, 0);
    assert.equal(log.freed, log.built.length);
  });

  test('a verifier that cannot be built throws its coded error and caches nothing', () => {
    const { FakeVerifier } = fakeVerifier();
    const cache = new VerifierCache(FakeVerifier);
    assert.throws(() => cache.get([a], { clockTolerance: -1 }), { code: 'invalid_option' });
    assert.equal(cache.size, 0);
  });
});

describe('session: texts in, results in the store', () => {
  function session(overrides) {
    const store = pageStore(overrides);
    return { store, session: createSession({ Verifier, ShcChunks, store, now: () => new Date('2026-01-01T00:00:00Z') }) };
  }

  test('the trust sources come from the gallery and the imports, read by the verifier', () => {
    const { store, session: s } = session();
    const { sources } = store.get();
    assert.equal(sources.length, 1, 'the sample issuers: one signed bundle');
    const [signed] = sources;
    assert.match(signed.id, /^signed:/);
    assert.ok(signed.testOnly && signed.signed && !signed.error, signed.error?.message);
    assert.deepEqual([signed.info.bundle.version, signed.info.bundle.signers], [1, ['demo-test-root-1']]);
    const issuers = new Set(signed.info.keys.map((k) => k.issuer));
    for (const t of gallery.trust) for (const i of t.bundle.issuers ?? []) assert.ok(issuers.has(i.iss), i.iss);
    assert.equal(signed.info.anchors.length, gallery.trust.reduce((n, t) => n + (t.bundle.anchors?.length ?? 0), 0));
    assert.deepEqual(store.get().trustState, signed.info.bundle.state, 'the accepted version is kept in the store (and so in storage)');
    store.set({ imported: [{ id: 'import:1', label: 'Broken', bundle: { issuers: [{ iss: 'x', keys: [{ kty: 'oct' }] }] } }] });
    const broken = store.get().sources.at(-1);
    assert.equal(broken.id, 'import:1');
    assert.equal(broken.error.code, 'trust_invalid', 'a bundle that does not load is shown as broken, not dropped');
    s.free();
  });

  test('a sample is verified under its own policy and time; the user’s policy is left alone', () => {
    const { store, session: s } = session({ policy: { audience: 'https://teller.example', minLevel: '1', clockTolerance: '30' } });
    for (const id of ['token-level1-under-level2', 'dcc-de-vaccination', 'vds-nc-uto', 'cccd-qr-chip']) {
      const x = sample(id);
      const r = s.read(sampleText(x), sampleOrigin(x));
      assert.equal(r, store.get().result);
      assert.equal(r.kind, 'verdict');
      const state = r.verdict.valid ? 'valid' : r.verdict.code === 'unsigned' ? 'unsigned' : 'invalid';
      assert.equal(state, x.expected.state, id);
      assert.equal(r.verdict.code, x.expected.code, id);
      assert.equal(r.sample.fixedTime, Boolean(x.policy.currentDate), id);
      if (x.policy.currentDate) assert.equal(r.asOf.toISOString(), new Date(x.policy.currentDate).toISOString());
    }
    assert.deepEqual(store.get().policy, { audience: 'https://teller.example', minLevel: '1', clockTolerance: '30' });
    s.free();
  });

  test('anything else is verified under the user’s policy, at the user’s time or now', () => {
    const { store, session: s } = session({ verifyAt: tokenAt, policy: { audience: token.policy.audience, minLevel: '2', clockTolerance: '60' } });
    let r = s.read(token.payload, { source: 'paste' });
    assert.equal(r.verdict.valid, true, `${r.verdict.code} ${r.verdict.message}`);
    assert.equal(r.sample, null);
    assert.equal(r.payload, token.payload);
    store.set({ policy: { audience: 'https://elsewhere.example', minLevel: '', clockTolerance: '60' } });
    assert.equal(s.read(token.payload, { source: 'camera' }).verdict.code, 'audience_mismatch');
    store.set({ verifyAt: '', policy: { audience: '', minLevel: '', clockTolerance: '60' } });
    r = s.read(token.payload, { source: 'paste' });
    assert.equal(r.asOf.toISOString(), '2026-01-01T00:00:00.000Z', 'empty: now');
    store.set({ policy: { audience: '', minLevel: '', clockTolerance: '1.5' } });
    r = s.read(token.payload, { source: 'paste' });
    assert.equal(r.kind, 'error');
    assert.equal(r.error.code, 'invalid_option');
    s.free();
  });

  test('a newer signed bundle replaces the shipped one; the shipped one is then a rollback', () => {
    const { store, session: s } = session();
    const v2 = resignedSamples({ version: 2 });
    store.set({ signedImport: v2 });
    const [signed] = store.get().sources;
    assert.equal(signed.info.bundle.version, 2);
    assert.equal(store.get().trustState.version, 2, 'the version this browser keeps went up');
    const x = sample('jwt-oidc-status-revoked');
    assert.equal(s.read(sampleText(x), sampleOrigin(x)).verdict.code, 'revoked', 'verified with v2, its status list');
    s.free();

    // The next visit forgot the import but kept the version: the shipped v1 is refused.
    const { store: later, session: s2 } = session({ trustState: { version: 2 } });
    const [old] = later.get().sources;
    assert.equal(old.error.code, 'trust_rollback');
    assert.deepEqual(later.get().trustState, { version: 2 }, 'a refusal changes nothing');
    const r = s2.read(sampleText(x), sampleOrigin(x));
    assert.equal(r.verdict.code, 'unknown_issuer', 'nothing half-loaded: the refused bundle trusts nobody');
    s2.free();
  });

  test('a corrupt state is an error shown on the source, never a reset', () => {
    const { store, session: s } = session({ trustState: { version: 'two' } });
    const [signed] = store.get().sources;
    assert.equal(signed.error.code, 'trust_state_invalid');
    assert.deepEqual(store.get().trustState, { version: 'two' });
    s.free();
  });

  test('without the sample issuers, the signed samples are not verified', () => {
    const { store, session: s } = session();
    store.set({ sampleTrust: false });
    const x = sample('vn1-cccd-valid');
    const r = s.read(sampleText(x), sampleOrigin(x));
    assert.equal(r.verdict.valid, false);
    assert.equal(r.verdict.code, 'unknown_issuer');
    store.set({ sampleTrust: true });
    assert.equal(s.read(sampleText(x), sampleOrigin(x)).verdict.valid, true);
    s.free();
  });

  test('a card in three QR codes: pending "n of 3", a code read in between, then the card', () => {
    const { store, session: s } = session();
    const origin = sampleOrigin(card);
    let r = s.read(sampleText(card, 2), origin);
    assert.deepEqual([r.kind, r.progress.received, r.progress.total, r.abandoned], ['pending', 1, 3, null]);
    r = s.read(sampleText(token), sampleOrigin(token));
    assert.equal(r.verdict.valid, true, 'verified on its own');
    assert.equal(s.progress.received, 1, 'the card is kept');
    s.read(sampleText(card, 0), origin);
    r = s.read(sampleText(card, 1), origin);
    assert.equal(r.kind, 'verdict');
    assert.equal(r.verdict.format, 'shc');
    assert.equal(r.verdict.valid, true, `${r.verdict.code} ${r.verdict.message}`);
    assert.equal(r.payload, card.chunks.join('\n'));

    s.read(sampleText(card, 0), origin);
    r = s.read('shc:/2/2/5676', origin);
    assert.equal(r.kind, 'pending');
    assert.equal(r.abandoned.code, 'chunks_incomplete', 'another card: the page says it started over');
    assert.deepEqual(s.startOver(), { kind: 'idle', key: 'verdict.idle' });
    assert.equal(store.get().result.kind, 'idle');
    assert.equal(s.progress.total, 0);
    r = s.readAll(card.chunks, { source: 'image' });
    assert.equal(r.verdict.format, 'shc');
    s.free();
  });
});

describe('the README example of the demo modules', () => {
  test('runs as written, with the package and www-demo/lib/ where the example imports them', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf("### Reusing the demo's modules"));
    const source = /```javascript\n([\s\S]*?)^```$/m.exec(section)?.[1];
    assert.ok(source, 'the README shows how to use the modules');
    const issuer = await makeIssuer();
    const now = Math.floor(Date.now() / 1000);
    const token = await issuer.sign(vneidClaims({ aud: 'https://bank.example', iat: now - 60, exp: now + 600 }));
    const dir = mkdtempSync(join(tmpdir(), 'vneid-demo-readme-'));
    try {
      const file = join(dir, 'example.mjs');
      writeFileSync(file, `const trustBundle = ${JSON.stringify(issuer.trust)};\nconst scannedText = ${JSON.stringify(token)};\n${source
        .replace("from 'vneid-verify'", `from ${JSON.stringify(join(ROOT, 'pkg', 'node.js'))}`)
        .replaceAll("from './lib/", `from '${join(ROOT, 'www-demo', 'lib')}/`)}`);
      const out = execFileSync(process.execPath, [file], { encoding: 'utf8' });
      for (const [, expected] of source.matchAll(/\/\/ prints: (.*)$/gm)) assert.ok(out.includes(expected.trim()), out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
