#!/usr/bin/env node
// Scanner benchmark (`npm run bench:scan`): `vneid-verify scan` over a stream of 100,000 mixed
// payloads, natively and as the WASI module under Node's WASI, each pinned to one core.
//
// Reports, for BENCHMARKS.md ("Scanner"):
//   * payloads per second (wall time, median of RUNS) for the mixed stream and for valid tokens
//     only (the costly path: an ES256 verification each);
//   * peak memory: native resident set (VmHWM from /proc), WASI linear memory (its size at the
//     end: linear memory never shrinks, so that is its peak);
//   * growth: memory after the first 10,000 payloads and after all 100,000 (natively the
//     resident set of one scanner sampled at both points; under WASI two runs, 10k and 100k).
//
// The stream: valid tokens, expired ones, tampered signatures, tokens by an untrusted key, text
// garbage, binary garbage (invalid UTF-8), 20 KiB lines and 1 MiB lines, shuffled with a fixed
// seed. Every payload must get exactly one verdict; the counts per code are checked.
// --repeat-window 0 so that repeated payloads are verified rather than suppressed.
//
//   node bench/scan.mjs            # build what is missing, run, print the Markdown section
//   node bench/scan.mjs --quick    # 10,000 payloads, one run (a smoke test of the bench)

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync, createReadStream, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE = join(root, 'target', 'release', 'vneid-verify');
const WASM = join(root, 'dist-wasi', 'vneid-verify.wasm');
const AT = '1795000000';
const ISS = 'https://id.vneid.test';
const CPU = '1'; // the core every measured run is pinned to

// ---- WASI child mode: one run of the module, pinned by the parent; prints a JSON result. ----
if (process.argv[2] === '--wasi-run') {
  const [, , , dir, stdinFile, stdoutFile, ...args] = process.argv;
  const fds = { stdin: openSync(stdinFile, 'r'), stdout: openSync(stdoutFile, 'w'), stderr: 2 };
  const wasi = new WASI({
    version: 'preview1', args: ['vneid-verify', ...args], env: {}, preopens: { [dir]: dir },
    returnOnExit: true, ...fds,
  });
  const module = await WebAssembly.compile(readFileSync(WASM));
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  const t0 = process.hrtime.bigint();
  const code = wasi.start(instance);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  closeSync(fds.stdin);
  closeSync(fds.stdout);
  console.log(JSON.stringify({ code, seconds, memory: instance.exports.memory.buffer.byteLength }));
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const TOTAL = quick ? 10_000 : 100_000;
const CHECKPOINT = quick ? 1_000 : 10_000;
const RUNS = quick ? 1 : 3;

function step(what, cmd, args) {
  console.error(`bench:scan: ${what}`);
  // Their output goes to stderr: stdout is the Markdown report.
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0) {
    console.error(`bench:scan: FAILED: ${cmd} ${args.join(' ')}`);
    process.exit(1);
  }
}

step('native release build', 'cargo', ['build', '--release', '--quiet', '--bin', 'vneid-verify']);
step('WASI build', process.execPath, [join(root, 'scripts', 'build-wasi.mjs')]);

const dir = mkdtempSync(join(tmpdir(), 'vneid-bench-scan-'));
const file = (name) => join(dir, name);
const cli = (args) => execFileSync(NATIVE, args, { encoding: 'utf8' }).trim();

// ---- Payloads -------------------------------------------------------------------------------
for (const [name, kid] of [['a', 'bench-k1'], ['b', 'bench-untrusted']]) {
  cli(['keygen', '--kid', kid, '--out', file(`${name}.key`), '--issuer', ISS, '--trust-out', file(`${name}.trust`)]);
}
const issue = (key, i, at) => cli([
  'issue', 'token', '--key', file(`${key}.key`), '--ttl', '600', '--at', at, '--claims',
  JSON.stringify({
    iss: ISS, sub: `0793050${String(i).padStart(5, '0')}`, aud: 'airline', jti: `bench-${key}-${i}`,
    acr: 'urn:vneid:level:2', name: 'Nguyễn Văn An', birthdate: '2005-02-01', gender: 'male',
  }),
]);
console.error('bench:scan: issuing tokens');
const pool = {
  valid: Array.from({ length: 64 }, (_, i) => issue('a', i, AT)),
  expired: Array.from({ length: 16 }, (_, i) => issue('a', 100 + i, '1790000000')),
  untrusted: Array.from({ length: 16 }, (_, i) => issue('b', i, AT)),
};
pool.tampered = pool.valid.slice(0, 16).map((t) => {
  const at = t.lastIndexOf('.') + 1;
  return `${t.slice(0, at)}${t[at] === 'A' ? 'B' : 'A'}${t.slice(at + 1)}`;
});

let seed = 0x5eed;
const random = () => {
  // xorshift32: a fixed, portable sequence
  seed ^= seed << 13; seed >>>= 0; seed ^= seed >>> 17; seed ^= seed << 5; seed >>>= 0;
  return seed / 2 ** 32;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
const garbageText = () => Array.from({ length: 20 + Math.floor(random() * 300) }, () => pick(ALPHABET)).join('');
const garbageBinary = () => Buffer.from(Array.from({ length: 8 + Math.floor(random() * 200) }, () => {
  const b = 0x80 + Math.floor(random() * 0x80); // high bytes: invalid UTF-8, never CR/LF
  return b;
}));

// [kind, share of the stream, maker, expected code]
const MIX = [
  ['valid token', 0.70, () => pick(pool.valid), null],
  ['expired token', 0.10, () => pick(pool.expired), 'expired'],
  ['tampered signature', 0.05, () => pick(pool.tampered), 'signature_invalid'],
  ['untrusted key', 0.05, () => pick(pool.untrusted), 'unknown_key'],
  ['text garbage', 0.049, garbageText, null /* unknown_format or a token error: not checked */],
  ['binary garbage (invalid UTF-8)', 0.049, garbageBinary, 'unknown_format'],
  ['20 KiB line', 0.0018, () => 'x'.repeat(20 << 10), 'payload_too_large'],
  ['1 MiB line', 0.0002, () => 'y'.repeat(1 << 20), 'payload_too_large'],
];

function stream(total, mix, name) {
  const kinds = [];
  for (const [kind, share, make, code] of mix) {
    const n = Math.round(total * share);
    for (let i = 0; i < n; i++) kinds.push([kind, make, code]);
  }
  while (kinds.length < total) kinds.push([mix[0][0], mix[0][2], mix[0][3]]);
  kinds.length = total;
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  const parts = [];
  const expected = new Map();
  const counts = new Map();
  for (const [kind, make, code] of kinds) {
    const payload = make();
    parts.push(Buffer.isBuffer(payload) ? payload : Buffer.from(payload), Buffer.from('\n'));
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (code !== null || kind === 'valid token') expected.set(code, (expected.get(code) ?? 0) + 1);
  }
  const path = file(name);
  writeFileSync(path, Buffer.concat(parts));
  return { path, counts, expected, bytes: statSync(path).size, lines: kinds };
}

console.error('bench:scan: writing the streams');
const mixed = stream(TOTAL, MIX, 'mixed.txt');
const head = stream(CHECKPOINT, MIX, 'mixed-head.txt');
const validOnly = stream(TOTAL, [MIX[0]], 'valid.txt');

const SCAN = ['scan', '--trust', file('a.trust'), '--at', AT, '--audience', 'airline', '--repeat-window', '0'];

/** Checks that every payload got one verdict and the codes add up. */
function check(outFile, s, label) {
  const lines = readFileSync(outFile, 'utf8').split('\n').filter((l) => l !== '');
  if (lines.length !== s.lines.length) {
    throw new Error(`${label}: ${lines.length} verdicts for ${s.lines.length} payloads`);
  }
  const got = new Map();
  for (const l of lines) {
    const code = JSON.parse(l).code;
    got.set(code, (got.get(code) ?? 0) + 1);
  }
  for (const [code, n] of s.expected) {
    // text garbage may also land on a code checked here (e.g. a line that happens to parse)
    if (code !== null && (got.get(code) ?? 0) < n) throw new Error(`${label}: ${code} ${got.get(code)} < ${n}`);
    if (code === null && got.get(null) !== n) throw new Error(`${label}: ${got.get(null)} valid, expected ${n}`);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function nativeRun(s) {
  const input = openSync(s.path, 'r');
  const output = openSync(file('native.out'), 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('taskset', ['-c', CPU, NATIVE, ...SCAN], { stdio: [input, output, 'inherit'] });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  closeSync(input);
  closeSync(output);
  if (r.status !== 0) throw new Error(`native scan exited ${r.status}`);
  check(file('native.out'), s, 'native');
  return seconds;
}

function wasiRun(s) {
  const r = spawnSync(
    'taskset',
    ['-c', CPU, process.execPath, '--no-warnings', fileURLToPath(import.meta.url), '--wasi-run', dir, s.path, file('wasi.out'), ...SCAN],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
  );
  if (r.status !== 0) throw new Error(`WASI run exited ${r.status}`);
  const result = JSON.parse(r.stdout);
  if (result.code !== 0) throw new Error(`WASI scan exited ${result.code}`);
  check(file('wasi.out'), s, 'wasi');
  return result;
}

/** One native scanner fed through a pipe: resident set after CHECKPOINT and after all payloads. */
async function nativeMemory(s) {
  const child = spawn('taskset', ['-c', CPU, NATIVE, ...SCAN], { stdio: ['pipe', 'pipe', 'inherit'] });
  const status = () => {
    // taskset execs the scanner: same pid
    const text = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = (key) => Number(text.match(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm'))[1]);
    return { rss: kb('VmRSS') * 1024, hwm: kb('VmHWM') * 1024 };
  };
  let verdicts = 0;
  let waiting = null;
  child.stdout.on('data', (chunk) => {
    for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) verdicts++;
    if (waiting && verdicts >= waiting.n) { const w = waiting; waiting = null; w.resolve(); }
  });
  const until = (n) => new Promise((resolve) => {
    if (verdicts >= n) resolve(); else waiting = { n, resolve };
  });
  const data = readFileSync(s.path);
  let cut = 0;
  for (let seen = 0; seen < CHECKPOINT; cut++) if (data[cut] === 0x0a) seen++;
  const write = (buf) => new Promise((resolve) => (child.stdin.write(buf) ? resolve() : child.stdin.once('drain', resolve)));
  await write(data.subarray(0, cut));
  await until(CHECKPOINT);
  const early = status();
  await write(data.subarray(cut));
  await until(s.lines.length);
  const late = status();
  child.stdin.end();
  await new Promise((resolve) => child.on('exit', resolve));
  return { early, late };
}

const results = { native: {}, wasi: {} };
console.error(`bench:scan: native runs (${RUNS} x ${TOTAL})`);
results.native.mixed = median(Array.from({ length: RUNS }, () => nativeRun(mixed)));
results.native.valid = median(Array.from({ length: RUNS }, () => nativeRun(validOnly)));
results.native.memory = await nativeMemory(mixed);
console.error(`bench:scan: WASI runs (${RUNS} x ${TOTAL})`);
const wasiMixed = Array.from({ length: RUNS }, () => wasiRun(mixed));
results.wasi.mixed = median(wasiMixed.map((r) => r.seconds));
results.wasi.valid = median(Array.from({ length: RUNS }, () => wasiRun(validOnly).seconds));
results.wasi.memoryLate = Math.max(...wasiMixed.map((r) => r.memory));
results.wasi.memoryEarly = wasiRun(head).memory;

// ---- Report ---------------------------------------------------------------------------------
const MiB = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;
const rate = (seconds, n = TOTAL) => `${Math.round(n / seconds).toLocaleString('en-US')}/s`;
const us = (seconds, n = TOTAL) => `${((seconds / n) * 1e6).toFixed(1)} µs`;
const wasmSize = statSync(WASM).size;
const m = results.native.memory;
const growth = (a, b) => (b === a ? 'none' : `${b > a ? '+' : ''}${((b - a) / 1024).toFixed(0)} KiB`);
const cpu = cpus()[0]?.model ?? 'unknown CPU';

console.log(`## Scanner

\`vneid-verify scan\` over a stream of ${TOTAL.toLocaleString('en-US')} payloads (${MiB(mixed.bytes)}), pinned to one
core (\`taskset -c ${CPU}\`), \`--at\` pinned and \`--repeat-window 0\` so every payload is verified.
Native: \`target/release/vneid-verify\`. WASI: \`dist-wasi/vneid-verify.wasm\` (${(wasmSize / 1024).toFixed(0)} KiB) under
Node ${process.version}'s built-in WASI (no wasmtime on the measuring machine). ${cpu}; median of ${RUNS} runs.
Reproduce: \`npm run bench:scan\` (\`node bench/scan.mjs\`).

| stream | native | WASI (Node) |
|---|---|---|
| mixed (below) | ${rate(results.native.mixed)} (${us(results.native.mixed)} each) | ${rate(results.wasi.mixed)} (${us(results.wasi.mixed)} each) |
| valid tokens only | ${rate(results.native.valid)} (${us(results.native.valid)} each) | ${rate(results.wasi.valid)} (${us(results.wasi.valid)} each) |

| memory | after ${CHECKPOINT.toLocaleString('en-US')} | after ${TOTAL.toLocaleString('en-US')} | growth |
|---|---|---|---|
| native resident set (VmRSS) | ${MiB(m.early.rss)} | ${MiB(m.late.rss)} | ${growth(m.early.rss, m.late.rss)} |
| native peak resident set (VmHWM) | ${MiB(m.early.hwm)} | ${MiB(m.late.hwm)} | ${growth(m.early.hwm, m.late.hwm)} |
| WASI linear memory | ${MiB(results.wasi.memoryEarly)} | ${MiB(results.wasi.memoryLate)} | ${growth(results.wasi.memoryEarly, results.wasi.memoryLate)} |

The mix: ${MIX.map(([kind]) => `${mixed.counts.get(kind) ?? 0} ${kind}`).join(', ')}.
Each payload got exactly one verdict (checked), the 1 MiB lines included: a line over the
payload limit is counted and dropped as it arrives, so it costs one \`payload_too_large\` verdict
and no memory.
`);

rmSync(dir, { recursive: true, force: true });
