// vneid-verify for browsers, workers, service workers and bundlers (the `browser`, `worker` and
// `default` conditions): the WebAssembly module travels inside this package, deflate-compressed
// in ./vneid_verify_inline.js, so no bundler needs configuring and no request is made.
// `await init()` once before the first `new Verifier` inflates it with the platform's
// DecompressionStream and compiles it while inflating; there is no top-level await, so service
// workers (which forbid it) and require() can load this file.

import load, { initSync as loadSync } from './vneid_verify_glue.js';
import INLINE from './vneid_verify_inline.js';

export * from './vneid_verify_glue.js';

let ready;

/** Loads the module, once; from `input` when given (as `vneid-verify/slim` does). */
export default function init(input) {
  if (input !== undefined) return load(input);
  if (ready === undefined) {
    ready = new Promise((resolve) => { resolve(load({ module_or_path: inflated(INLINE) })); });
    ready.catch(() => { ready = undefined; });
  }
  return ready;
}

/** Synchronous loading needs the bytes or a compiled module: inflating here is asynchronous. */
export function initSync(input) {
  if (input === undefined) {
    throw new Error('vneid-verify: initSync() needs the module ({ module: bytes }) in browsers and workers; call `await init()` instead, which needs nothing');
  }
  return loadSync(input);
}

/** The module as a streamed `Response`: `init` compiles it while it is being inflated. */
function inflated(base64) {
  let inflater;
  try {
    inflater = new DecompressionStream('deflate-raw');
  } catch {
    throw new Error("vneid-verify: this platform cannot inflate the module (DecompressionStream('deflate-raw'): Chrome 103+, Firefox 113+, Safari 16.4+); load it yourself with vneid-verify/slim");
  }
  const stream = new Blob([fromBase64(base64)]).stream().pipeThrough(inflater);
  return new Response(stream, { headers: { 'Content-Type': 'application/wasm' } });
}

function fromBase64(text) {
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(text);
  const chars = atob(text);
  const bytes = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) bytes[i] = chars.charCodeAt(i);
  return bytes;
}
