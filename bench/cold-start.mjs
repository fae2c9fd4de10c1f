#!/usr/bin/env node
// One cold start, timed: compile and instantiate the package's .wasm from bytes already in
// memory, create a Verifier from the trust list, verify one token. Run in a fresh process by
// bench/bench.mjs (so nothing is compiled or cached yet); prints the wall-clock milliseconds of
// each step and of the whole, and the process's CPU time for the whole (compiler threads
// included), as JSON.
//   node bench/cold-start.mjs WASM_FILE TRUST_JSON TOKEN ISSUER AUDIENCE NOW
import { readFileSync } from 'node:fs';

import { Verifier, initSync } from '../pkg/vneid_verify.js';

const [wasmFile, trustJson, token, issuer, audience, now] = process.argv.slice(2);
const bytes = readFileSync(wasmFile);
const trust = JSON.parse(trustJson);
const currentDate = new Date(Number(now) * 1000);

const c0 = process.cpuUsage();
const t0 = performance.now();
const module = new WebAssembly.Module(bytes);
const t1 = performance.now();
initSync({ module });
const t2 = performance.now();
const verifier = new Verifier(trust, { issuer, audience, currentDate });
const t3 = performance.now();
const verdict = verifier.verify(token);
const t4 = performance.now();
const c4 = process.cpuUsage(c0);
const second = performance.now();
verifier.verify(token);
const t5 = performance.now();
console.log(JSON.stringify({
  ms: t4 - t0,
  cpuMs: (c4.user + c4.system) / 1000,
  compile: t1 - t0,
  instantiate: t2 - t1,
  verifier: t3 - t2,
  verify: t4 - t3,
  secondVerify: t5 - second,
  valid: verdict.valid,
}));
