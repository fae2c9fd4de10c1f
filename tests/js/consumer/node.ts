// Type-checked (never run) by tests/consumers/types.test.mjs with @types/node and no DOM lib:
// the README's Node use, and the slim entry from the .wasm's bytes.

import { readFileSync } from 'node:fs';

import { Verifier } from 'vneid-verify';
import { initSync } from 'vneid-verify/slim';

export function node(): string {
  initSync({ module: readFileSync(new URL(import.meta.resolve('vneid-verify/vneid_verify_bg.wasm'))) });
  const verdict = new Verifier(readFileSync('trust.json', 'utf8'), { audience: 'https://bank.example' })
    .verify(readFileSync('token.txt', 'utf8'));
  return verdict.valid ? `verified: ${verdict.subject}` : `rejected: ${verdict.code}`;
}
