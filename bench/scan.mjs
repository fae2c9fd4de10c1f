#!/usr/bin/env node
// Scanner benchmark (`npm run bench:scan`): `vneid-verify scan` over a stream of 100,000 mixed
// payloads, natively and as the WASI module under Node's WASI, each pinned to one core.
//
// Reports, for BENCHMARKS.md ("Scanner"):
//   * payloads per second on one core (CPU time of the scanner process, user + system, median of
//     RUNS; wall time beside it) for the mixed stream and for valid tokens only (an ES256
//     verification each);
//   * peak memory: native resident set (VmHWM from /proc), WASI linear memory (its size at the
//     end: linear memory never shrinks, so that is its peak);
//   * growth: memory after the first 10,000 payloads, after 50,000 and after all 100,000
//     (natively the resident set of one scanner sampled at each point; under WASI one run each).
//
// The stream: valid tokens, expired ones, tampered signatures, tokens by an untrusted key,
// document QRs (SMART Health Cards from ../shared/vectors — one in three QRs, read as three
// lines —, a revoked card, ID card QRs, VNeID document QRs signed here, an EU DCC and VDS-NC
// seals from ../shared/vectors), text garbage, binary garbage (invalid
// UTF-8), 20 KiB lines and 1 MiB lines, shuffled with a fixed seed. Every payload must get
// exactly one verdict; the counts per code are checked.
// --repeat-window 0 so that repeated payloads are verified rather than suppressed.
//
//   node bench/scan.mjs            # build what is missing, run, print the Markdown section
//   node bench/scan.mjs --write    # the same, recorded in BENCHMARKS.md ("Scanner")
//   node bench/scan.mjs --quick    # 10,000 payloads, one run (a smoke test of the bench)

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';

import { recordSection } from './record.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const NATIVE = join(root, 'target', 'release', 'vneid-verify');
const WASM = join(root, 'dist-wasi', 'vneid-verify.wasm');
const VECTORS = join(root, '..', 'shared', 'vectors');
const AT = '1700000000'; // the SMART Health Card and VDS-NC examples are valid then
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
  const cpu0 = process.cpuUsage();
  const code = wasi.start(instance);
  const cpu = process.cpuUsage(cpu0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  closeSync(fds.stdin);
  closeSync(fds.stdout);
  console.log(JSON.stringify({ code, seconds, cpuSeconds, memory: instance.exports.memory.buffer.byteLength }));
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const TOTAL = quick ? 10_000 : 100_000;
const CHECKPOINT = quick ? 1_000 : 10_000;
const MIDPOINT = TOTAL / 2;
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

step('native release build', 'cargo', ['build', '--release', '--quiet', '--package', 'vneid-verify-cli']);
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
    iss: ISS, sub: `0793050${String(i).padStart(5, '0')}`, jti: `bench-${key}-${i}`,
    acr: 'urn:vneid:level:2', name: 'Nguyễn Văn An', birthdate: '2005-02-01', gender: 'male',
  }),
]);
console.error('bench:scan: issuing tokens');
const pool = {
  valid: Array.from({ length: 64 }, (_, i) => issue('a', i, AT)),
  expired: Array.from({ length: 16 }, (_, i) => issue('a', 100 + i, '1690000000')),
  untrusted: Array.from({ length: 16 }, (_, i) => issue('b', i, AT)),
};
pool.tampered = pool.valid.slice(0, 16).map((t) => {
  const at = t.lastIndexOf('.') + 1;
  return `${t.slice(0, at)}${t[at] === 'A' ? 'B' : 'A'}${t.slice(at + 1)}`;
});

function vector(relative) {
  const path = join(VECTORS, relative);
  if (!existsSync(path)) {
    console.error(`bench:scan: FAILED: ${path} is missing (../shared/vectors beside the project)`);
    process.exit(1);
  }
  return readFileSync(path, 'utf8');
}
const jwks = JSON.parse(vector('shc/examples/issuer/.well-known/jwks.json'));
const crl = JSON.parse(vector('shc/examples/issuer/.well-known/crl/3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s.json'));
writeFileSync(file('shc.json'), JSON.stringify({
  iss: 'https://spec.smarthealth.cards/examples/issuer', keys: jwks.keys, crls: [crl],
}));
writeFileSync(file('anchors.json'), JSON.stringify({ anchors: [vector('vds-nc/au-root/csca_au_rs4096.cer')] }));
const chunks = [0, 1, 2].map((k) => vector(`shc/examples/example-02-f-qr-code-numeric-value-${k}.txt`).trim());
const seals = JSON.parse(vector('vds-nc/VDS-NC-Dotnet.Tests/Helpers/VDS-NC-Examples.json'));
const dcc = JSON.parse(vector('eu-dcc/HR/2DCode/raw/1.json'));
writeFileSync(file('dcc.json'), JSON.stringify({
  issuers: [{ iss: 'HR', certificates: [dcc.TESTCTX.CERTIFICATE] }],
}));
cli(['keygen', '--kid', 'bench-doc', '--out', file('doc.key'), '--issuer', 'VN-TEST', '--trust-out', file('doc.trust')]);
const vn1 = cli([
  'issue', 'document', '--type', 'cccd', '--key', file('doc.key'), '--issuer', 'VN-TEST',
  '--id', 'CCCD-0001', '--at', AT, '--fields', JSON.stringify({
    personalId: '079305004321', fullName: 'Trần Thị Bình', dateOfBirth: '2005-02-01', sex: 'female',
    placeOfResidence: '12 Đường A, Quận 1, TP. Hồ Chí Minh', issueDate: '2021-05-10',
  }),
]);
const documents = {
  dcc: dcc.PREFIX,
  vn1,
  card: chunks,
  revokedCard: vector('shc/examples/example-03-f-qr-code-numeric-value-0.txt').trim(),
  seal: JSON.stringify(seals[1]),
  foreignSeal: JSON.stringify(seals[0]),
};
const CARD_QR = [
  '001099001234|012345678|Nguyễn Văn An|15031999|Nam|Hà Nội|10052021',
  '079305004321||Trần Thị Bình|01022005|Nữ|Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh|05062021',
];

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

const shuffled = (list) => {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};

// [kind, share of the stream, maker, expected code (undefined: not checked)]. A card in three
// QRs, scanned in any order, is three lines, one payload and one verdict.
const MIX = [
  ['valid token', 0.56, () => pick(pool.valid), null],
  ['expired token', 0.08, () => pick(pool.expired), 'expired'],
  ['tampered signature', 0.04, () => pick(pool.tampered), 'signature_invalid'],
  ['untrusted key', 0.04, () => pick(pool.untrusted), 'unknown_key'],
  ['SMART Health Card in 3 QRs', 0.02, () => shuffled(documents.card).join('\n'), null],
  ['revoked SMART Health Card', 0.02, () => documents.revokedCard, 'revoked'],
  ['ID card QR (unsigned)', 0.04, () => pick(CARD_QR), 'unsigned'],
  ['VNeID document QR (VN1)', 0.02, () => documents.vn1, null],
  ['EU DCC (HC1)', 0.02, () => documents.dcc, null],
  ['VDS-NC seal', 0.02, () => documents.seal, null],
  ['VDS-NC seal of an untrusted CSCA', 0.02, () => documents.foreignSeal, 'chain_invalid'],
  ['text garbage', 0.049, garbageText, undefined],
  ['binary garbage (invalid UTF-8)', 0.049, garbageBinary, 'unknown_format'],
  ['20 KiB line', 0.0018, () => 'x'.repeat(20 << 10), 'payload_too_large'],
  ['1 MiB line', 0.0002, () => 'y'.repeat(1 << 20), 'payload_too_large'],
];

function stream(total, mix, name) {
  let kinds = [];
  for (const [kind, share, make, code] of mix) {
    const n = Math.round(total * share);
    for (let i = 0; i < n; i++) kinds.push([kind, make, code]);
  }
  while (kinds.length < total) kinds.push([mix[0][0], mix[0][2], mix[0][3]]);
  kinds.length = total;
  kinds = shuffled(kinds);
  const parts = [];
  const ends = []; // byte offset after each payload (a card spans three lines)
  let offset = 0;
  const expected = new Map();
  const counts = new Map();
  for (const [kind, make, code] of kinds) {
    const payload = make();
    const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    parts.push(bytes, Buffer.from('\n'));
    offset += bytes.length + 1;
    ends.push(offset);
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (code !== undefined) expected.set(code, (expected.get(code) ?? 0) + 1);
  }
  const path = file(name);
  writeFileSync(path, Buffer.concat(parts));
  return { path, counts, expected, ends, bytes: statSync(path).size, lines: kinds };
}

console.error('bench:scan: writing the streams');
const mixed = stream(TOTAL, MIX, 'mixed.txt');
const head = stream(CHECKPOINT, MIX, 'mixed-head.txt');
const half = stream(MIDPOINT, MIX, 'mixed-half.txt');
const validOnly = stream(TOTAL, [MIX[0]], 'valid.txt');

const SCAN = [
  'scan', '--trust', file('a.trust'), '--trust', file('shc.json'), '--trust', file('anchors.json'),
  '--trust', file('dcc.json'), '--trust', file('doc.trust'),
  // No --audience: the policy applies to every format, and documents name no audience.
  '--at', AT, '--repeat-window', '0',
];

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
    // text garbage is not checked and may add to a code (unknown_format, a token error)
    if (code !== null && (got.get(code) ?? 0) < n) throw new Error(`${label}: ${code} ${got.get(code)} < ${n}`);
    if (code === null && got.get(null) !== n) throw new Error(`${label}: ${got.get(null)} valid, expected ${n}`);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Seconds in bash's `times` format (`1m2.345s`). */
const bashSeconds = (t) => {
  const [, m, sec] = t.match(/^(\d+)m([\d.]+)s$/);
  return Number(m) * 60 + Number(sec);
};

/** One native run: wall seconds and CPU seconds (user + system of the scanner, from bash's
 *  `times`, which reports what the shell's children used). */
function nativeRun(s) {
  const input = openSync(s.path, 'r');
  const output = openSync(file('native.out'), 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    'bash',
    ['-c', 'taskset -c "$0" "$@" || exit $?; times >&2', CPU, NATIVE, ...SCAN],
    { stdio: [input, output, 'pipe'], encoding: 'utf8' },
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  closeSync(input);
  closeSync(output);
  if (r.status !== 0) throw new Error(`native scan exited ${r.status}: ${r.stderr}`);
  const children = r.stderr.trim().split('\n').at(-1).split(/\s+/);
  check(file('native.out'), s, 'native');
  return { seconds, cpuSeconds: bashSeconds(children[0]) + bashSeconds(children[1]) };
}

/** One WASI run (CPU time: the Node process's; the module runs on its main thread). */
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

/** One native scanner fed through a pipe: resident set after CHECKPOINT, MIDPOINT and all
 *  payloads (it waits for each point's verdicts before writing more). */
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
  const write = (buf) => new Promise((resolve) => (child.stdin.write(buf) ? resolve() : child.stdin.once('drain', resolve)));
  const samples = [];
  let from = 0;
  for (const point of [CHECKPOINT, MIDPOINT, s.lines.length]) {
    const to = s.ends[point - 1];
    await write(data.subarray(from, to));
    from = to;
    await until(point);
    samples.push(status());
  }
  const [early, middle, late] = samples;
  child.stdin.end();
  await new Promise((resolve) => child.on('exit', resolve));
  return { early, middle, late };
}

/** Median wall and CPU seconds of RUNS runs, and the largest memory seen. */
const measure = (run) => {
  const runs = Array.from({ length: RUNS }, run);
  return {
    seconds: median(runs.map((r) => r.seconds)),
    cpuSeconds: median(runs.map((r) => r.cpuSeconds)),
    memory: Math.max(...runs.map((r) => r.memory ?? 0)),
  };
};

const results = { native: {}, wasi: {} };
console.error(`bench:scan: native runs (${RUNS} x ${TOTAL})`);
results.native.mixed = measure(() => nativeRun(mixed));
results.native.valid = measure(() => nativeRun(validOnly));
results.native.memory = await nativeMemory(mixed);
console.error(`bench:scan: WASI runs (${RUNS} x ${TOTAL})`);
results.wasi.mixed = measure(() => wasiRun(mixed));
results.wasi.valid = measure(() => wasiRun(validOnly));
results.wasi.memoryLate = results.wasi.mixed.memory;
results.wasi.memoryEarly = wasiRun(head).memory;
results.wasi.memoryMiddle = wasiRun(half).memory;

// ---- Report ---------------------------------------------------------------------------------
const MiB = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;
const KiB = (n) => `${Math.round(n / 1024).toLocaleString('en-US')} KiB`;
const rate = (seconds, n = TOTAL) => `${Math.round(n / seconds).toLocaleString('en-US')}/s`;
const us = (seconds, n = TOTAL) => `${((seconds / n) * 1e6).toFixed(0)} µs`;
const cell = (r) => `${rate(r.cpuSeconds)} (${us(r.cpuSeconds)} each; wall ${rate(r.seconds)})`;
const wasmSize = statSync(WASM).size;
const m = results.native.memory;
const growth = (a, b) => (b === a ? 'none' : `${b > a ? '+' : ''}${((b - a) / 1024).toFixed(0)} KiB`);
const cpu = cpus()[0]?.model ?? 'unknown CPU';

const report = `Measured ${new Date().toISOString().slice(0, 10)}. \`vneid-verify scan\` over a stream of ${TOTAL.toLocaleString('en-US')} payloads (${MiB(mixed.bytes)}), pinned to one
core (\`taskset -c ${CPU}\`), \`--at\` pinned and \`--repeat-window 0\` so every payload is verified.
Rates are payloads per CPU-second of the scanner process (user + system), so a busy machine does
not lower them much; the wall-clock rate is beside. Native: \`target/release/vneid-verify\`. WASI:
\`dist-wasi/vneid-verify.wasm\` (${(wasmSize / 1024).toFixed(0)} KiB) under Node ${process.version}'s built-in WASI (no wasmtime
on the measuring machine). ${cpu}; median of ${RUNS} runs. Reproduce: \`npm run bench:scan\`.

| stream | native | WASI (Node) |
|---|---|---|
| mixed (below) | ${cell(results.native.mixed)} | ${cell(results.wasi.mixed)} |
| valid tokens only | ${cell(results.native.valid)} | ${cell(results.wasi.valid)} |

| memory | after ${CHECKPOINT.toLocaleString('en-US')} | after ${MIDPOINT.toLocaleString('en-US')} | after ${TOTAL.toLocaleString('en-US')} | growth ${CHECKPOINT.toLocaleString('en-US')} → ${TOTAL.toLocaleString('en-US')} | growth ${MIDPOINT.toLocaleString('en-US')} → ${TOTAL.toLocaleString('en-US')} |
|---|---|---|---|---|---|
| native resident set (VmRSS) | ${KiB(m.early.rss)} | ${KiB(m.middle.rss)} | ${KiB(m.late.rss)} | ${growth(m.early.rss, m.late.rss)} | ${growth(m.middle.rss, m.late.rss)} |
| native peak resident set (VmHWM) | ${KiB(m.early.hwm)} | ${KiB(m.middle.hwm)} | ${KiB(m.late.hwm)} | ${growth(m.early.hwm, m.late.hwm)} | ${growth(m.middle.hwm, m.late.hwm)} |
| WASI linear memory | ${KiB(results.wasi.memoryEarly)} | ${KiB(results.wasi.memoryMiddle)} | ${KiB(results.wasi.memoryLate)} | ${growth(results.wasi.memoryEarly, results.wasi.memoryLate)} | ${growth(results.wasi.memoryMiddle, results.wasi.memoryLate)} |

The mix: ${MIX.map(([kind]) => `${(mixed.counts.get(kind) ?? 0).toLocaleString('en-US')} ${kind}`).join(', ')}.
Each payload got exactly one verdict (checked), the 1 MiB lines included: a line over the
payload limit is counted and dropped as it arrives, so it costs one \`payload_too_large\` verdict
and no memory. Linear memory never shrinks, so its size at the end is its peak.`;

console.log(`## Scanner\n\n${report}\n`);

if (process.argv.includes('--write') && !quick) {
  recordSection('scan', report);
  console.error('bench:scan: results written to BENCHMARKS.md');
}

rmSync(dir, { recursive: true, force: true });
