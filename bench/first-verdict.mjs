#!/usr/bin/env node
// `npm run bench:first-verdict`: time to the first verdict, this package against jose, as a new
// visitor or a new process meets it:
//   - a Vite 8 production build (no configuration) served gzipped from 127.0.0.1, in headless
//     Chromium with a fresh profile: milliseconds from navigation start to the verdict on the
//     page, and in a module worker; on loopback and over an emulated 10 Mbit/s, 40 ms link; and
//     again on a repeat visit (HTTP cache warm). The default entry (module inside the JS), the
//     slim entry (module fetched and compiled while streaming) and jose (pure JS over WebCrypto);
//   - a cold Node process: spawn to exit, for a script that verifies one token, against the same
//     with jose, and against an empty `node`.
// Each page and process loads the library, fetches/reads the trust bundle and the token, and
// verifies (issuer key from the bundle, audience checked). Medians of interleaved rounds.
// Needs the package built and the consumer tools (npm test installs them; or
// `node scripts/ensure-tools.mjs --browser`).
//
//   node bench/first-verdict.mjs           # print the results
//   node bench/first-verdict.mjs --write   # also record them in BENCHMARKS.md

import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { CHROMIUM, ROOT, TOKEN, TRUST, cleanUp, command, dataFiles, page, project, serve } from '../tests/consumers/harness.mjs';
import { recordSection } from './record.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const AUDIENCE = 'https://bank.example';
const THROTTLED = { offline: false, latency: 40, downloadThroughput: 10e6 / 8, uploadThroughput: 5e6 / 8 };

// ---- The pages -----------------------------------------------------------------------------
// Each reports { at: ms since navigation start, valid } in window.result.
const fetchData = `const text = async (f) => (await fetch(f)).text();`;
const report = `(valid) => { window.result = { at: performance.now(), valid }; }`;
const ours = (entry, load) => `import init, { Verifier } from '${entry}';
${load.imports ?? ''}
const text = async (f) => (await fetch(f)).text();
export async function verdict() {
  const t0 = performance.now();
  const loaded = init(${load.arg ?? ''}).then(() => performance.now());
  const [initialised, trust, token] = await Promise.all([loaded, text('/trust.json'), text('/token.txt')]);
  const t1 = performance.now();
  const verifier = new Verifier(trust, { audience: '${AUDIENCE}' });
  const valid = verifier.verify(token).valid;
  const timing = { init: initialised - t0, first: performance.now() - t1 };
  setTimeout(() => {
    const t2 = performance.now();
    verifier.verify(token);
    globalThis.timing = { ...timing, again: performance.now() - t2 };
  });
  return valid;
}
`;
const jose = `import { importJWK, jwtVerify } from 'jose';
${fetchData}
export async function verdict() {
  const [trust, token] = await Promise.all([text('/trust.json'), text('/token.txt')]);
  const { issuers: [{ iss, keys: [jwk] }] } = JSON.parse(trust);
  const key = await importJWK(jwk, 'ES256');
  const { payload } = await jwtVerify(token.trim(), key, { issuer: iss, audience: '${AUDIENCE}' });
  return payload.sub === '001090001234';
}
`;
const inPage = `import { verdict } from './verify.js';
verdict().then(${report});
`;
const inWorker = `const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onmessage = ({ data }) => (${report})(data);
`;
const workerSide = `import { verdict } from './verify.js';
verdict().then((valid) => self.postMessage(valid));
`;

const LIBRARIES = {
  'vneid-verify': ours('vneid-verify', {}),
  'vneid-verify/slim': ours('vneid-verify/slim', {
    imports: "import wasmUrl from 'vneid-verify/vneid_verify_bg.wasm?url';",
    arg: '{ module_or_path: wasmUrl }',
  }),
  jose,
};

const variants = [];
for (const [library, verify] of Object.entries(LIBRARIES)) {
  for (const where of library.endsWith('slim') ? ['page'] : ['page', 'worker']) {
    const name = `${library.replace(/\W+/g, '-')}-${where}`;
    const dir = project(`bench-${name}`, {
      'index.html': page(['./main.js']),
      'main.js': where === 'page' ? inPage : inWorker,
      'worker.js': workerSide,
      'verify.js': verify,
      ...dataFiles('public'),
    });
    command('vite build', dir);
    const dist = join(dir, 'dist');
    variants.push({ name: `${library}, ${where}`, library, where, dist, server: await serve(dist, { gzip: true }), wire: wire(dist), timings: [] });
  }
}

/** Bytes over the wire of a build's scripts and .wasm: gzip -9 and brotli 11. */
function wire(dist) {
  const files = readdirSync(dist, { recursive: true }).map(String).filter((f) => /\.(js|wasm)$/.test(f) && statSync(join(dist, f)).isFile());
  let gz = 0;
  let br = 0;
  for (const f of files) {
    const bytes = readFileSync(join(dist, f));
    gz += gzipSync(bytes, { level: 9 }).length;
    br += brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  }
  return { gz, br };
}

// ---- Browser rounds ------------------------------------------------------------------------
const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });

/** One new visitor (fresh profile): ms to the first verdict, then on a reload (warm cache). */
async function visit(variant, network) {
  const context = await browser.newContext();
  const tab = await context.newPage();
  if (network) {
    const cdp = await context.newCDPSession(tab);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', network);
  }
  const times = [];
  for (let i = 0; i < 2; i++) {
    if (i === 0) await tab.goto(variant.server.url);
    else await tab.reload();
    await tab.waitForFunction((timed) => window.result && (!timed || window.timing), variant.where === 'page' && variant.library !== 'jose', { timeout: 60_000 });
    const result = await tab.evaluate(() => ({ ...window.result, timing: window.timing }));
    if (result.valid !== true) throw new Error(`${variant.name}: the token did not verify`);
    times.push(result.at);
    if (i === 0 && result.timing && !network) variant.timings.push(result.timing);
  }
  await context.close();
  return times;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = new Map(variants.map((v) => [v.name, { cold: [], warm: [], slow: [] }]));
for (let round = 0; round < ROUNDS; round++) {
  for (const v of round % 2 ? [...variants].reverse() : variants) {
    const [cold, warm] = await visit(v);
    results.get(v.name).cold.push(cold);
    results.get(v.name).warm.push(warm);
    if (v.where === 'page') results.get(v.name).slow.push((await visit(v, THROTTLED))[0]);
  }
  process.stdout.write(`first-verdict: browser round ${round + 1}/${ROUNDS}\r`);
}
await browser.close();
for (const v of variants) await v.server.close();

// ---- Cold Node processes -------------------------------------------------------------------
const node = project('bench-node', {
  'trust.json': TRUST,
  'token.txt': `${TOKEN}\n`,
  'ours.mjs': `import { readFileSync } from 'node:fs';
import { Verifier } from 'vneid-verify';
const verdict = new Verifier(readFileSync('trust.json', 'utf8'), { audience: '${AUDIENCE}' }).verify(readFileSync('token.txt', 'utf8'));
if (!verdict.valid) process.exit(1);
`,
  'jose.mjs': `import { readFileSync } from 'node:fs';
import { importJWK, jwtVerify } from 'jose';
const { issuers: [{ iss, keys: [jwk] }] } = JSON.parse(readFileSync('trust.json', 'utf8'));
const key = await importJWK(jwk, 'ES256');
await jwtVerify(readFileSync('token.txt', 'utf8').trim(), key, { issuer: iss, audience: '${AUDIENCE}' });
`,
  'empty.mjs': '',
});
const processes = { 'vneid-verify': 'ours.mjs', jose: 'jose.mjs', 'node, empty script': 'empty.mjs' };
// Wall time, and the process's own CPU time (user + system, threads included), which a busy
// machine inflates less: printed by the process as it exits.
const cpuAtExit = join(node, 'cpu.cjs');
writeFileSync(cpuAtExit, "process.on('exit', () => { const u = process.cpuUsage(); process.stdout.write(String((u.user + u.system) / 1000)); });\n");
const spawnTimes = new Map(Object.keys(processes).map((k) => [k, { wall: [], cpu: [] }]));
for (let round = 0; round < ROUNDS * 2; round++) {
  for (const [name, file] of Object.entries(processes)) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--require', cpuAtExit, file], { cwd: node, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${file} failed: ${r.stderr}`);
    spawnTimes.get(name).wall.push(ms);
    spawnTimes.get(name).cpu.push(Number(r.stdout));
  }
}
cleanUp();

// ---- The package's bytes on the wire, and the choice not made ------------------------------
const PKG = join(ROOT, 'pkg');
const file = (name) => readFileSync(join(PKG, name));
const glue = Buffer.concat([file('vneid_verify.js'), file('vneid_verify_glue.js')]);
const wasmBytes = file('vneid_verify_bg.wasm');
const gzOf = (b) => gzipSync(b, { level: 9 }).length;
const brOf = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const choices = [
  ['`vneid-verify/slim` + the separate `.wasm` (two responses)', [glue, wasmBytes]],
  ['`vneid-verify`: the `.wasm` deflated, base64, in the JS (shipped)', [Buffer.concat([file('index.js'), file('vneid_verify_glue.js'), file('vneid_verify_inline.js')])]],
  ['the `.wasm` base64 in the JS, not deflated (not chosen)', [Buffer.concat([file('index.js'), file('vneid_verify_glue.js'), Buffer.from(`export default '${wasmBytes.toString('base64')}';`)])]],
].map(([name, parts]) => {
  const sum = (f) => parts.reduce((n, p) => n + f(p), 0);
  return { name, raw: sum((p) => p.length), gz: sum(gzOf), br: sum(brOf) };
});

// ---- Report --------------------------------------------------------------------------------
const f0 = (x) => x.toFixed(0);
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const rows = variants.map((v) => {
  const r = results.get(v.name);
  return `| ${v.name} | ${f0(median(r.cold))} | ${v.where === 'page' ? f0(median(r.slow)) : '–'} | ${f0(median(r.warm))} | ${kib(v.wire.gz)} | ${kib(v.wire.br)} |`;
});
const parts = variants.filter((v) => v.timings.length).map((v) =>
  `| ${v.name} | ${f0(median(v.timings.map((t) => t.init)))} | ${f0(median(v.timings.map((t) => t.first)))} | ${median(v.timings.map((t) => t.again)).toFixed(1)} |`);
const nodeRows = Object.keys(processes).map((name) => `| ${name} | ${f0(median(spawnTimes.get(name).wall))} | ${f0(median(spawnTimes.get(name).cpu))} |`);
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores; Node ${process.version}; Chromium ${spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout.trim().replace(/^Chromium /, '')}`;
const text = `Measured ${new Date().toISOString().slice(0, 10)} on: ${machine}; ${ROUNDS} rounds, medians; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end.

| Vite 8 build, first verdict | ms, loopback | ms, 10 Mbit/s 40 ms | ms, repeat visit | scripts + .wasm, gzip | brotli |
| --- | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}

| where the page's time goes (fresh visitor, loopback) | ms, \`init()\` (beside the data fetches) | ms, first \`new Verifier\` + \`verify\` | ms, second \`verify\` |
| --- | ---: | ---: | ---: |
${parts.join('\n')}

| the package on the wire (entry, glue and module) | raw | gzip -9 | brotli 11 |
| --- | ---: | ---: | ---: |
${choices.map((c) => `| ${c.name} | ${kib(c.raw)} | ${kib(c.gz)} | ${kib(c.br)} |`).join('\n')}

| cold Node process, spawn to exit | ms (wall) | ms (CPU) |
| --- | ---: | ---: |
${nodeRows.join('\n')}`;
console.log(`\n${text}\n`);

if (process.argv.includes('--write')) {
  recordSection('first-verdict', text);
  console.log('first-verdict: written to BENCHMARKS.md');
}
