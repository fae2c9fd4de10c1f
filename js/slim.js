// vneid-verify/slim: the same API without the module inside; `init()` loads it from where you
// say: `init({ module_or_path })` with its URL, a fetch Response, its bytes or a compiled
// WebAssembly.Module (`initSync({ module })` for bytes or a module you already hold). With no
// argument, `init()` fetches vneid_verify_bg.wasm from beside this file: right for a page that
// serves the package's folder as it is, not for a bundle.

import load from './vneid_verify_glue.js';

export * from './vneid_verify_glue.js';

export default function init(input) {
  return load(input ?? { module_or_path: new URL('vneid_verify_bg.wasm', import.meta.url) });
}
