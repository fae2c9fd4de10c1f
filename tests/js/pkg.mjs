// The built package under test (pkg/, from `npm run build`), through its Node entry. Fails
// loudly when it has not been built: a missing package is an error, never a skipped test.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const PKG = fileURLToPath(new URL('../../pkg/', import.meta.url));

if (!existsSync(`${PKG}node.js`) || !existsSync(`${PKG}vneid_verify_bg.wasm`)) {
  throw new Error(`the package is not built: ${PKG} has no node.js/.wasm; run "npm run build"`);
}

export * from '../../pkg/node.js';
export { default } from '../../pkg/node.js';
