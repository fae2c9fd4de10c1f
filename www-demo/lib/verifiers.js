// Verifiers are built once per trust and policy and reused: building one parses every trust
// bundle, verifying with it is cheap. The cache keeps the few most recently used (the user's
// policy and the last sample's, by default) and frees the others.

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
      const bundles = sources.map((s) => s.bundle);
      verifier = new this.#Verifier(bundles.length ? bundles : { issuers: [] }, options);
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
