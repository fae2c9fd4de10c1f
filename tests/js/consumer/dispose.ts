// Type-checked (never run) by tests/consumers/types.test.mjs with lib esnext.disposable:
// `using` frees a verifier at the end of its scope.

import { ShcChunks, Verifier } from 'vneid-verify';

export function scoped(trust: string, token: string): boolean {
  using verifier = new Verifier(trust);
  using chunks = new ShcChunks();
  void chunks;
  return verifier.verify(token).valid;
}
