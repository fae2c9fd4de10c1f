// binaryen's wasm-opt from the npm package (wasm-pack's own download fails offline), with the
// WebAssembly features rustc enables by default for wasm32 targets (wasm-opt must accept them).
// Shared by the package build, the WASI build and the optimisation-variants benchmark.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const WASM_OPT = join(root, 'node_modules', '.bin', 'wasm-opt');

export const WASM_FEATURES = [
  '--enable-bulk-memory',
  '--enable-bulk-memory-opt',
  '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int',
  '--enable-sign-ext',
  '--enable-reference-types',
  '--enable-multivalue',
];

/** Runs `wasm-opt LEVEL input -o output`; throws when wasm-opt is missing or fails. */
export function wasmOpt(level, input, output) {
  if (!existsSync(WASM_OPT)) {
    throw new Error(`wasm-opt not found at ${WASM_OPT}: run npm ci (scripts/ensure-tools.mjs does)`);
  }
  const r = spawnSync(WASM_OPT, [level, ...WASM_FEATURES, input, '-o', output], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) {
    throw new Error(`wasm-opt ${level} ${input} failed (${r.error?.message ?? `exit ${r.status}`})`);
  }
}
