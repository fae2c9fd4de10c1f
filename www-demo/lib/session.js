// A verification session, DOM-free: texts in (from a camera, an image, a paste, a sample),
// results out into the store's `result`. It owns the reader (the core's chunk rule), the
// verifier cache and the trust sources derived from the store, and applies the user's policy or
// a sample's own. A page shows `result`; a bank-counter flow can call `read` and watch `result`
// the same way.
//
// Store keys read: gallery, imported, signedImport, trustState, sampleTrust, policy ({audience,
// minLevel, clockTolerance}), verifyAt (a local date-time, or empty for now). Written: sources,
// result, and trustState (the signed bundle's state once accepted: its version only goes up).
//
// `result` is one of
//   {kind: 'idle', key, vars}                                   nothing read yet (an i18n key)
//   {kind: 'pending', progress, abandoned, origin}              a multi-QR card being collected
//   {kind: 'verdict', verdict, asOf, origin, sample, payload}   `sample`: the sample's own policy
//   {kind: 'error', error, origin}                              the trust or the policy is bad
// and `origin` is `{source: 'camera' | 'image' | 'paste' | 'sample', label?, policy?}`.

import { policyOptions, samplePolicy, verificationTime } from './policy.js';
import { Reader } from './reader.js';
import { acceptedState, activeSources, trustSources } from './trust.js';
import { VerifierCache } from './verifiers.js';

/**
 * A session over the package's classes (`{Verifier, ShcChunks}`, after its `init()`) and a
 * store. `now` is the clock, for tests.
 */
export function createSession({ Verifier, ShcChunks, store, now = () => new Date() }) {
  const reader = new Reader(ShcChunks);
  const verifiers = new VerifierCache(Verifier);

  const deriveSources = (s) => {
    const sources = trustSources(Verifier, {
      sampleTrust: s.gallery?.trust ?? [], signedTrust: s.gallery?.signedTrust ?? null,
      signedImport: s.signedImport ?? null, trustState: s.trustState ?? null, imported: s.imported ?? [],
    });
    const state = acceptedState(sources);
    const changed = state && JSON.stringify(state) !== JSON.stringify(s.trustState ?? null);
    store.set(changed ? { sources, trustState: state } : { sources });
  };
  const unsubscribe = [
    store.watch(['gallery', 'imported', 'signedImport'], deriveSources),
    store.watch(['sources', 'sampleTrust'], () => verifiers.clear()),
  ];
  deriveSources(store.get());

  const show = (result) => {
    store.set({ result });
    return result;
  };

  /** Verifies `payload` under the sample's policy (a sample) or the user's (anything else). */
  function verify(payload, origin) {
    const s = store.get();
    const sample = origin.policy ? samplePolicy(origin.policy, now) : null;
    let verifier;
    try {
      verifier = verifiers.get(activeSources(s.sources, s.sampleTrust), sample ? sample.options : policyOptions(s.policy));
    } catch (error) {
      return show({ kind: 'error', error, origin });
    }
    const asOf = sample ? sample.asOf : verificationTime(s.verifyAt, now);
    return show({ kind: 'verdict', verdict: verifier.verify(payload, asOf), asOf, origin, sample, payload });
  }

  function take(step, origin) {
    if (!step) return null;
    if (step.kind === 'verify') return verify(step.payload, origin);
    return show({ kind: 'pending', progress: step.progress, abandoned: step.abandoned, origin });
  }

  return {
    /** One text read (a QR, a paste): verified, or collected when it is a chunk of a card. */
    read: (text, origin) => take(reader.read(text), origin),
    /** Several texts read at once (one image). */
    readAll: (texts, origin) => take(reader.readAll(texts), origin),
    verify,
    /** Forgets a card being collected and shows the idle state. */
    startOver() {
      reader.clear();
      return show({ kind: 'idle', key: 'verdict.idle' });
    },
    /** How far the card being collected is. */
    get progress() {
      return reader.progress;
    },
    /** Releases the WebAssembly memory and stops watching the store. */
    free() {
      for (const stop of unsubscribe) stop();
      verifiers.clear();
      reader.free();
    },
  };
}
