// vneid-verify for Node, Deno and Bun (the `node`, `deno` and `bun` conditions): instantiates
// the WebAssembly module, which travels inside this package (deflate-compressed in
// ./vneid_verify_inline.js), synchronously at import. Nothing to initialise and nothing read
// from disk: `import` and `require()` both work (no top-level await), Deno needs no
// permission, and a bundle made with `--platform=node` carries the module along.
// `init()` and `initSync()` still work and return at once, so browser code runs unchanged.

import { Buffer } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';

import { initSync } from './vneid_verify_glue.js';
import INLINE from './vneid_verify_inline.js';

initSync({ module: inflateRawSync(Buffer.from(INLINE, 'base64')) });

export * from './vneid_verify_glue.js';
export { default } from './vneid_verify_glue.js';
