// Verifiers are built once per trust and policy and reused: building one parses every trust
// bundle, verifying with it is cheap. The cache keeps the few most recently used (the user's
// policy and the last sample's, by default) and frees the others.
//
// A signed trust bundle (a source with `signed: {text, roots, state}`) is its own verifier,
// pinned to its roots: the package never mixes it with unsigned trust. The user's unsigned
// imports then answer only for what the signed bundle does not know (its verdict
// `unknown_issuer`, `unknown_key` or `chain_invalid`); everything else, `trust_expired` above
// all, is the signed bundle's verdict.

/** The verdicts of the signed bundle that the user's own imports may answer instead. */
export const NOT_IN_SIGNED = new Set(['unknown_issuer', 'unknown_key', 'chain_invalid']);

/** The signed bundle's verifier first, then the unsigned imports' for what it does not know. */
class SignedThenImports {
  constructor(signed, imports) {
    this.signed = signed;
    this.imports = imports;
  }

  verify(payload, options) {
    const verdict = this.signed.verify(payload, options);
    return !verdict.valid && NOT_IN_SIGNED.has(verdict.code) ? this.imports.verify(payload, options) : verdict;
  }

  free() {
    this.signed.free();
    this.imports.free();
  }
}

/** One verifier for `sources` (see the top of this file). */
function build(Verifier, sources, options) {
  const signed = sources.find((s) => s.signed);
  const bundles = sources.filter((s) => !s.signed).map((s) => s.bundle);
  if (!signed) return new Verifier(bundles.length ? bundles : { issuers: [] }, options);
  const { text, roots, state } = signed.signed;
  const first = new Verifier(text, { ...options, trustRoots: roots, trustState: state ?? null });
  if (!bundles.length) return first;
  try {
    return new SignedThenImports(first, new Verifier(bundles, options));
  } catch (error) {
    first.free();
    throw error;
  }
}

/** A verifier cache over the package's `Verifier` class (passed in). */
export class VerifierCache {
  #Verifier;
  #size;
  #entries = new Map(); // key → Verifier, least recently used first

  constructor(Verifier, { size = 2 } = {}) {
    this.#Verifier = Verifier;
    this.#size = size;
  }

  /**
   * The verifier for these trust `sources` (`{id, bundle}`: the id names the bundle's content)
   * and `options`. Throws the package's coded errors (`trust_invalid`, `invalid_option`).
   */
  get(sources, options = {}) {
    const key = JSON.stringify([sources.map((s) => s.id), options]);
    let verifier = this.#entries.get(key);
    if (verifier) {
      this.#entries.delete(key); // most recently used last
    } else {
      verifier = build(this.#Verifier, sources, options);
    }
    this.#entries.set(key, verifier);
    for (const [old, v] of this.#entries) {
      if (this.#entries.size <= this.#size) break;
      v.free();
      this.#entries.delete(old);
    }
    return verifier;
  }

  /** How many verifiers are kept. */
  get size() {
    return this.#entries.size;
  }

  /** Frees every verifier (e.g. when the trust changed). */
  clear() {
    for (const verifier of this.#entries.values()) verifier.free();
    this.#entries.clear();
  }
}
