// What to do with each text a camera, an image, a paste or a sample gives: the core decides,
// through its one chunk rule (`ShcChunks.scan`, the CLI scanner's rule too). A chunk of a
// multi-QR card is collected until the card is complete; anything else is verified as it is,
// and a card being collected is kept. Nothing here parses a QR.

/**
 * A reader over the package's `ShcChunks` class (passed in, so that this module imports no
 * WebAssembly and runs anywhere the package does).
 *
 *   const reader = new Reader(ShcChunks);
 *   const step = reader.read(text);
 *   // { kind: 'verify', payload, abandoned } → verify `payload`
 *   // { kind: 'partial', progress, abandoned } → show "2 of 3"
 *
 * `abandoned` is `null`, or the unfinished card a chunk of another card replaced
 * (`{code: 'chunks_incomplete', message, messageVi}`).
 */
export class Reader {
  #chunks;

  constructor(ShcChunks) {
    this.#chunks = new ShcChunks();
  }

  /** One scanned or pasted text (surrounding whitespace removed). */
  read(text) {
    return this.#chunks.scan(String(text ?? '').trim());
  }

  /**
   * Several codes read at once (one image): each in order until one gives a payload to verify.
   * Returns that step, or the last partial step (abandoned cards reported on it), or `null` for
   * no text at all.
   */
  readAll(texts) {
    let last = null;
    let abandoned = null;
    for (const text of texts) {
      const step = this.read(text);
      abandoned = step.abandoned ?? abandoned;
      if (step.kind === 'verify') return { ...step, abandoned };
      last = step;
    }
    return last && { ...last, abandoned };
  }

  /** How far the card being collected is (`total` 0 when none is). */
  get progress() {
    return this.#chunks.progress();
  }

  /** Forgets the card being collected. */
  clear() {
    this.#chunks.clear();
  }

  /** Releases the WebAssembly memory now. */
  free() {
    this.#chunks.free();
  }
}
