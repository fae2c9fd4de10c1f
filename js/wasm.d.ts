// The package's WebAssembly module (`vneid-verify/vneid_verify_bg.wasm`), for `init()` of
// `vneid-verify/slim`. What importing it gives depends on the tool: Vite's `?url` suffix and
// esbuild's `file` loader give its URL, esbuild's `binary` loader its bytes, Cloudflare Workers
// a compiled module. Each of them can be given to `init({ module_or_path })`. Node, Deno and
// browsers without a bundler find its URL with `import.meta.resolve('vneid-verify/vneid_verify_bg.wasm')`.

import type { CompiledModule } from './vneid_verify.js';

declare const wasm: string | URL | Uint8Array | ArrayBuffer | CompiledModule;
export default wasm;
