// The demo's small DOM-free pieces: the store, the saved settings, the policy as package
// options, and the gallery data.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { groupsOf, loadGallery, sampleOrigin, sampleText } from '../../www-demo/lib/gallery.js';
import { policyOptions, samplePolicy, verificationTime } from '../../www-demo/lib/policy.js';
import { STORAGE_KEY, loadSettings, persist, saveSettings } from '../../www-demo/lib/settings.js';
import { createStore } from '../../www-demo/lib/store.js';
import { gallery, sample } from './helpers.mjs';

describe('store', () => {
  test('set merges, reports only the keys that changed, and watch filters by key', () => {
    const store = createStore({ a: 1, b: { x: 1 } });
    const seen = [];
    const watched = [];
    store.subscribe((state, changed) => seen.push([state.a, [...changed]]));
    const stop = store.watch(['b'], (state) => watched.push(state.b));
    store.set({ a: 1 }); // no change
    store.set({ a: 2 });
    store.set((s) => ({ a: s.a + 1, b: { x: 2 } }));
    assert.deepEqual(seen, [[2, ['a']], [3, ['a', 'b']]]);
    assert.deepEqual(watched, [{ x: 2 }]);
    stop();
    store.set({ b: {} });
    assert.equal(watched.length, 1, 'unsubscribed');
    assert.throws(() => { store.get().a = 5; }, TypeError, 'the state is frozen: change it with set');
  });

  test('a listener that sets again is seen by later listeners with the newest state', () => {
    const store = createStore({ n: 0, double: 0 });
    store.watch(['n'], (s) => store.set({ double: s.n * 2 }));
    const got = [];
    store.watch(['n'], (s) => got.push(s.double));
    store.set({ n: 4 });
    assert.deepEqual(got, [8]);
  });
});

describe('settings', () => {
  const memory = (initial) => {
    const data = new Map(initial ? [[STORAGE_KEY, initial]] : []);
    return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => data.set(k, v), data };
  };

  test('defaults when nothing, garbage or a blocked storage; malformed parts dropped', () => {
    const defaults = { lang: null, sampleTrust: true, imported: [], signedImport: null, trustState: null, policy: {} };
    assert.deepEqual(loadSettings(memory()), defaults);
    assert.deepEqual(loadSettings(memory('{not json')), defaults);
    assert.deepEqual(loadSettings({ getItem() { throw new Error('blocked'); } }), defaults);
    assert.deepEqual(loadSettings(memory(JSON.stringify({ lang: 3, sampleTrust: false, imported: [{ id: 'x' }, { id: 'y', bundle: {} }], policy: 'p' }))),
      { lang: null, sampleTrust: false, imported: [{ id: 'y', bundle: {} }], signedImport: null, trustState: null, policy: {} });
  });

  test('the signed bundle imported and the trust state are kept; a corrupt state as it is, never reset', () => {
    const storage = memory();
    const store = createStore({ lang: 'en', sampleTrust: true, imported: [], signedImport: null, trustState: null, policy: {} });
    persist(store, storage);
    store.set({ signedImport: '{"payload":"x","signatures":[]}', trustState: { version: 3 } });
    const saved = loadSettings(storage);
    assert.equal(saved.signedImport, '{"payload":"x","signatures":[]}');
    assert.deepEqual(saved.trustState, { version: 3 });
    assert.deepEqual(loadSettings(memory(JSON.stringify({ trustState: 'garbage', signedImport: 5 }))).trustState, 'garbage',
      'the verifier refuses it (trust_state_invalid); starting over would re-open rollback');
  });

  test('saved on change of a saved key only, and read back', () => {
    const storage = memory();
    const store = createStore({ lang: 'vi', sampleTrust: true, imported: [], policy: { audience: 'a' }, verifyAt: '', result: null });
    persist(store, storage);
    store.set({ result: 1, verifyAt: '2026-01-01T00:00' });
    assert.equal(storage.data.size, 0, 'nothing saved for keys that are not settings');
    store.set({ policy: { audience: 'b' } });
    assert.deepEqual(loadSettings(storage), { lang: 'vi', sampleTrust: true, imported: [], signedImport: null, trustState: null, policy: { audience: 'b' } });
    assert.doesNotMatch(storage.data.get(STORAGE_KEY), /verifyAt/, 'the time to verify at is not kept');
    saveSettings({}, { setItem() { throw new Error('full'); } }); // never throws
  });
});

describe('policy', () => {
  test('the user’s policy as package options; values as typed, for the verifier to judge', () => {
    assert.deepEqual(policyOptions({}), {});
    assert.deepEqual(policyOptions({ audience: '  https://bank.example ', minLevel: '2', clockTolerance: '30' }),
      { audience: 'https://bank.example', minLevel: 2, clockTolerance: 30 });
    assert.deepEqual(policyOptions({ audience: ' ', minLevel: '', clockTolerance: '' }), {});
    assert.deepEqual(policyOptions({ clockTolerance: '1.5' }), { clockTolerance: 1.5 });
  });

  test('the time: the local date-time given, or now', () => {
    const now = () => new Date(0);
    assert.equal(verificationTime('', now).getTime(), 0);
    assert.equal(verificationTime('not a date', now).getTime(), 0);
    const local = verificationTime('2026-06-01T10:02:03', now);
    assert.deepEqual([local.getFullYear(), local.getMonth(), local.getDate(), local.getHours(), local.getSeconds()], [2026, 5, 1, 10, 3]);
  });

  test('a sample’s own policy: its audience, level and time', () => {
    const now = () => new Date(0);
    assert.deepEqual(samplePolicy({ audience: 'a', minLevel: 2, currentDate: '2026-06-01T03:02:00Z' }, now),
      { options: { audience: 'a', minLevel: 2 }, asOf: new Date('2026-06-01T03:02:00Z'), fixedTime: true });
    assert.deepEqual(samplePolicy({}, now), { options: {}, asOf: new Date(0), fixedTime: false });
  });
});

describe('gallery data', () => {
  test('groups in order with their samples; texts and origins of samples and parts', async () => {
    const groups = groupsOf(gallery);
    assert.deepEqual(groups.map((g) => g.id), gallery.groups.map((g) => g.id));
    assert.equal(groups.reduce((n, g) => n + g.samples.length, 0), gallery.samples.length);
    const card = sample('shc-02-chunks');
    assert.equal(sampleText(card, 1), card.chunks[1]);
    const token = sample('token-valid-level2');
    assert.equal(sampleText(token), token.payload);
    assert.deepEqual(sampleOrigin(token), { source: 'sample', label: token.label, policy: token.policy, sample: token.id });
    assert.deepEqual(groupsOf(null), []);
  });

  test('loadGallery reads the JSON, or throws with the HTTP status', async () => {
    const fake = (status, body) => async (url) => ({ ok: status === 200, status, json: async () => ({ url, ...body }) });
    assert.deepEqual(await loadGallery(fake(200, { groups: [] }), './g.json'), { url: './g.json', groups: [] });
    await assert.rejects(loadGallery(fake(404)), /HTTP 404/);
  });
});
