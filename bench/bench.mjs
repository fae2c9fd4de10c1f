#!/usr/bin/env node
// `npm run bench`: one ES256 VNeID token verified in one run by
//   - this SDK (WebAssembly in Node: the whole pipeline, from text to verdict object),
//   - jose (jwtVerify with a local CryptoKey, the same issuer/audience checks),
//   - @noble/curves (p256.verify of r‖s over the signing input; base64url decode and JSON.parse
//     of header and claims included, so it does the minimum any verifier must),
//   - WebCrypto (crypto.subtle.verify; same decoding included),
// with µs/op and ratios; the native CLI on 6,000 distinct tokens through stdin against
// `openssl speed ecdsap256`; the first verdict of a cold start (compile + instantiate + verify);
// memory over 10^6 verifications; and the .wasm's size, raw and gzipped. Ends with the issue 12
// targets as ratios. Needs `npm run build` and `cargo build --release` (npm run bench does both).
//
//   node bench/bench.mjs           # print the results
//   node bench/bench.mjs --write   # also record them in BENCHMARKS.md
//   node bench/bench.mjs --quick   # 10^5 verifications for the memory check instead of 10^6

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { memoryUsage } from 'node:process';

import { p256 } from '@noble/curves/nist.js';
import { SignJWT, exportJWK, generateKeyPair, jwtVerify } from 'jose';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const WASM = join(ROOT, 'pkg', 'vneid_verify_bg.wasm');
const CLI = join(ROOT, 'target', 'release', 'vneid-verify');
for (const needed of [WASM, CLI]) {
  if (!existsSync(needed)) {
    console.error(`bench: ${needed} is missing: run "npm run bench" (it builds both)`);
    process.exit(1);
  }
}
const { Verifier, initSync, version } = await import('../pkg/node.js');
// The package instantiated its module at import; initSync hands back the same exports.
const wasmExports = initSync({ module: readFileSync(WASM) });

const ISSUER = 'https://id.bench.vneid.example';
const AUDIENCE = 'https://bank.example';
const ROUNDS = 7;
const MIN_ROUND_MS = 300;
const CLI_TOKENS = 6_000;
const MEMORY_VERIFICATIONS = process.argv.includes('--quick') ? 100_000 : 1_000_000;

// ---- One token, one key ----------------------------------------------------------------------
const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
const jwk = { ...(await exportJWK(publicKey)), kid: 'bench-1' };
const trust = { issuers: [{ iss: ISSUER, keys: [jwk] }] };
const now = Math.floor(Date.now() / 1000);
const claims = {
  iss: ISSUER, sub: '001090001234', aud: AUDIENCE, acr: 'urn:vneid:level:2',
  name: 'Nguyễn Văn An', birthdate: '1990-05-17', gender: 'male',
  iat: now - 60, exp: now + 86_400, jti: 'bench-jti-1',
};
const token = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'bench-1', typ: 'JWT' }).sign(privateKey);
const currentDate = new Date(now * 1000);

const dec = (s) => Buffer.from(s, 'base64url');
const rawPublicKey = new Uint8Array([4, ...dec(jwk.x), ...dec(jwk.y)]);
const encoder = new TextEncoder();

/** The decoding every verifier must do: split, base64url, JSON, alg and time checks. */
function decode(jwt) {
  const [h, p, s] = jwt.split('.');
  const header = JSON.parse(dec(h).toString('utf8'));
  const payload = JSON.parse(dec(p).toString('utf8'));
  if (header.alg !== 'ES256') throw new Error('alg');
  if (payload.iss !== ISSUER || payload.aud !== AUDIENCE || !(payload.exp > now)) throw new Error('claims');
  return { signingInput: encoder.encode(`${h}.${p}`), signature: dec(s) };
}

const ours = new Verifier(trust, { issuer: ISSUER, audience: AUDIENCE, currentDate });
const contenders = [
  {
    name: 'vneid-verify (WASM, Node)',
    sync: true,
    run: () => ours.verify(token).valid,
  },
  {
    name: 'jose jwtVerify (WebCrypto)',
    run: async () => (await jwtVerify(token, publicKey, { issuer: ISSUER, audience: AUDIENCE, currentDate, algorithms: ['ES256'] })).payload.sub === claims.sub,
  },
  {
    name: '@noble/curves p256.verify',
    sync: true,
    run: () => {
      const { signingInput, signature } = decode(token);
      return p256.verify(signature, signingInput, rawPublicKey, { prehash: true, lowS: false });
    },
  },
  {
    name: 'WebCrypto subtle.verify',
    run: async () => {
      const { signingInput, signature } = decode(token);
      return crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, signature, signingInput);
    },
  },
];

/** Sizes a round of `c` to about MIN_ROUND_MS, after a warm-up that also checks it verifies. */
async function prepare(c) {
  const once = c.sync ? () => c.run() : c.run;
  for (let i = 0; i < 200; i += 1) if (!(await once())) throw new Error(`${c.name}: verification failed`);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 100) { await once(); n += 1; }
  c.perRound = Math.max(50, Math.ceil((n * MIN_ROUND_MS) / 100));
  c.wall = [];
  c.cpu = [];
}

/** One round of `c`: wall-clock and process CPU time per operation, in µs. */
async function round(c) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (c.sync) { for (let i = 0; i < c.perRound; i += 1) c.run(); } else { for (let i = 0; i < c.perRound; i += 1) await c.run(); }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  c.wall.push((wall * 1000) / c.perRound);
  c.cpu.push((cpu.user + cpu.system) / c.perRound);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

console.log(`bench: ${contenders.length} verifiers, ${ROUNDS} interleaved rounds of ≥${MIN_ROUND_MS} ms each (load average ${load()})…`);
for (const c of contenders) await prepare(c);
// Interleaved, so that whatever else the machine is doing weighs on every contender alike.
for (let r = 0; r < ROUNDS; r += 1) for (const c of contenders) await round(c);
const rows = contenders.map((c) => ({ name: c.name, us: median(c.wall), cpu: median(c.cpu), spread: [Math.min(...c.wall), Math.max(...c.wall)], perRound: c.perRound }));
for (const m of rows) {
  console.log(`  ${m.name.padEnd(30)} ${m.us.toFixed(1).padStart(8)} µs/op wall, ${m.cpu.toFixed(1).padStart(8)} µs/op CPU  (wall rounds ${m.spread[0].toFixed(1)}–${m.spread[1].toFixed(1)}, ${m.perRound} ops each)`);
}

// ---- Native CLI: N distinct tokens on stdin, one verdict per line, against openssl speed --------
// Distinct tokens (their own jti, sub and so signature), so that nothing per token can be reused.
const cliTokens = [];
for (let i = 0; i < CLI_TOKENS; i += 1) {
  cliTokens.push(await new SignJWT({ ...claims, sub: `0010900${String(i).padStart(5, '0')}`, jti: `bench-cli-${i}` })
    .setProtectedHeader({ alg: 'ES256', kid: 'bench-1', typ: 'JWT' }).sign(privateKey));
}
const dir = mkdtempSync(join(tmpdir(), 'vneid-bench-'));
writeFileSync(join(dir, 'trust.json'), JSON.stringify(trust));
writeFileSync(join(dir, 'tokens.txt'), `${cliTokens.join('\n')}\n`);
const cliRuns = [];
for (let r = 0; r < 3; r += 1) {
  // bash's `times` prints the children's user and system CPU time after the run.
  const script = `"${CLI}" verify --trust trust.json --issuer ${ISSUER} --audience ${AUDIENCE} --at ${now} < tokens.txt > out.txt; s=$?; times; exit $s`;
  const t0 = performance.now();
  const res = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8' });
  const ms = performance.now() - t0;
  const lines = readFileSync(join(dir, 'out.txt'), 'utf8').split('\n').filter(Boolean);
  if (res.status !== 0 || lines.length !== CLI_TOKENS || !lines.every((l) => l.startsWith('{"valid":true'))) {
    throw new Error(`CLI run failed: status ${res.status}, ${lines.length} lines, ${res.stderr}`);
  }
  const [, children] = res.stdout.trim().split('\n');
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].reduce((sum, [, m, sec]) => sum + Number(m) * 60 + Number(sec), 0);
  cliRuns.push({ ms, cpuMs: secs * 1000 });
}
rmSync(dir, { recursive: true, force: true });
const best = cliRuns.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
const cli = {
  tokensPerSecond: (CLI_TOKENS / best.ms) * 1000,
  usPerToken: (best.ms * 1000) / CLI_TOKENS,
  cpuPerToken: (best.cpuMs * 1000) / CLI_TOKENS,
};
console.log(`  native CLI (${CLI_TOKENS} distinct tokens via stdin)  ${cli.usPerToken.toFixed(1).padStart(8)} µs/token wall, ${cli.cpuPerToken.toFixed(1)} µs/token CPU, ${Math.round(cli.tokensPerSecond)} tokens/s (best of 3, process start included)`);

// openssl speed: P-256 verifications per second of (user) CPU time, OpenSSL's own assembly.
const speed = spawnSync('openssl', ['speed', '-seconds', '3', 'ecdsap256'], { encoding: 'utf8' });
const speedLine = speed.stdout?.split('\n').find((l) => /nistp256/.test(l));
if (speed.status !== 0 || !speedLine) throw new Error(`openssl speed ecdsap256 failed (install openssl: node scripts/ensure-tools.mjs --bench): ${speed.stderr ?? speed.error}`);
const verifiesPerSecond = Number(speedLine.trim().split(/\s+/).at(-1));
const openssl = { version: spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout.trim(), usPerVerify: 1e6 / verifiesPerSecond };
console.log(`  openssl speed ecdsap256           ${openssl.usPerVerify.toFixed(1).padStart(8)} µs/verify (${Math.round(verifiesPerSecond)} verify/s; ${openssl.version})`);

// ---- First verdict: a fresh process compiles, instantiates and verifies once -----------------
const firsts = [];
for (let r = 0; r < 5; r += 1) {
  const res = spawnSync(process.execPath, [join(ROOT, 'bench', 'cold-start.mjs'), WASM, JSON.stringify(trust), token, ISSUER, AUDIENCE, String(now)], { encoding: 'utf8' });
  const out = JSON.parse(res.stdout || '{}');
  if (res.status !== 0 || out.valid !== true) throw new Error(`cold-start.mjs failed: ${res.stderr}`);
  firsts.push(out);
}
const first = [...firsts].sort((a, b) => a.ms - b.ms)[Math.floor(firsts.length / 2)];
const firstVerdictMs = first.ms;
const firstSteps = `compile ${first.compile.toFixed(1)}, instantiate ${first.instantiate.toFixed(1)}, new Verifier ${first.verifier.toFixed(1)}, verify ${first.verify.toFixed(1)} ms; ${first.cpuMs.toFixed(1)} ms CPU with V8's compiler threads`;
console.log(`  first verdict (fresh process) ${firstVerdictMs.toFixed(2)} ms wall, median of 5 (${firsts.map((m) => m.ms.toFixed(1)).join(', ')}): ${firstSteps}`);

// ---- Memory over many verifications: the linear memory and the process -------------------------
const memoryTokens = cliTokens.slice(0, 1000);
const wasmBytes = () => wasmExports.memory.buffer.byteLength;
const memory = { verifications: MEMORY_VERIFICATIONS, checkpoints: [] };
{
  const verifier = new Verifier(trust, { issuer: ISSUER, audience: AUDIENCE, currentDate });
  const t0 = performance.now();
  for (let i = 1; i <= MEMORY_VERIFICATIONS; i += 1) {
    if (!verifier.verify(memoryTokens[i % memoryTokens.length]).valid) throw new Error(`verification ${i} failed`);
    if (i === 10_000 || i === MEMORY_VERIFICATIONS / 10 || i === MEMORY_VERIFICATIONS) {
      memory.checkpoints.push({ after: i, wasm: wasmBytes(), rss: memoryUsage.rss() });
    }
  }
  memory.seconds = (performance.now() - t0) / 1000;
  verifier.free();
}
const [m0] = memory.checkpoints;
const m2 = memory.checkpoints.at(-1);
console.log(`  memory over ${MEMORY_VERIFICATIONS.toLocaleString('en-US')} verifications (${memory.seconds.toFixed(0)} s): wasm linear memory ${memory.checkpoints.map((c) => `${c.wasm / 1024} KiB`).join(' → ')}; process RSS ${memory.checkpoints.map((c) => `${(c.rss / 2 ** 20).toFixed(1)} MiB`).join(' → ')}`);

// ---- Size --------------------------------------------------------------------------------------
const wasm = readFileSync(WASM);
const size = { raw: wasm.length, gzip: gzipSync(wasm, { level: 9 }).length };
console.log(`  pkg/vneid_verify_bg.wasm: ${size.raw} bytes raw, ${size.gzip} bytes gzip -9`);

// ---- Report ------------------------------------------------------------------------------------
const fastest = Math.min(...rows.map((r) => r.cpu));
const oursUs = rows[0].cpu;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
const cmdOut = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8' }).stdout?.trim() ?? '?';
const machine = [
  `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB (${(freemem() / 2 ** 30).toFixed(0)} GiB free)`,
  `Node ${process.version}, ${cmdOut('rustc', ['--version'])}, vneid-verify ${version()}`,
].join('; ');

const table = [
  '| verifier | µs/op (wall) | µs/op (CPU) | CPU vs fastest | CPU vs vneid-verify |',
  '| --- | ---: | ---: | ---: | ---: |',
  ...rows.map((r) => `| ${r.name} | ${r.us.toFixed(1)} | ${r.cpu.toFixed(1)} | ${(r.cpu / fastest).toFixed(2)}× | ${(r.cpu / oursUs).toFixed(2)}× |`),
  `| native CLI, ${CLI_TOKENS} distinct tokens on stdin (process start included) | ${cli.usPerToken.toFixed(1)} | ${cli.cpuPerToken.toFixed(1)} | ${(cli.cpuPerToken / fastest).toFixed(2)}× | ${(cli.cpuPerToken / oursUs).toFixed(2)}× |`,
  `| openssl speed ecdsap256, verify only (${openssl.version.split(' ').slice(0, 2).join(' ')}) | — | ${openssl.usPerVerify.toFixed(1)} | ${(openssl.usPerVerify / fastest).toFixed(2)}× | ${(openssl.usPerVerify / oursUs).toFixed(2)}× |`,
].join('\n');

const jose = rows.find((r) => r.name.startsWith('jose'));
const ok = (good) => (good ? 'met' : '**not met**');
const wasmVsJose = oursUs / jose.cpu;
const cliVsOpenssl = cli.cpuPerToken / openssl.usPerVerify;
const wasmGrowth = m2.wasm - m0.wasm;
const targets = [
  '| issue 12 target | measured | |',
  '| --- | ---: | --- |',
  `| full token verify, WASM in Node, CPU ≤ 1.0× jose \`jwtVerify\` | ${wasmVsJose.toFixed(2)}× (${oursUs.toFixed(1)} vs ${jose.cpu.toFixed(1)} µs) | ${ok(wasmVsJose <= 1)} |`,
  `| native CLI, ${CLI_TOKENS} distinct tokens on stdin, CPU per token ≤ 1.5× \`openssl speed ecdsap256\` verify | ${cliVsOpenssl.toFixed(2)}× (${cli.cpuPerToken.toFixed(1)} vs ${openssl.usPerVerify.toFixed(1)} µs) | ${ok(cliVsOpenssl <= 1.5)} |`,
  `| first verdict ≤ 5 ms after the bytes are in memory (compile + instantiate + Verifier + verify, wall clock, fresh process) | ${firstVerdictMs.toFixed(1)} ms (${firstSteps}) | ${ok(firstVerdictMs <= 5)} |`,
  `| memory flat over ${MEMORY_VERIFICATIONS.toLocaleString('en-US')} verifications (wasm linear memory from the 10,000th) | ${wasmGrowth === 0 ? 'no growth' : `+${wasmGrowth / 1024} KiB`} (${m0.wasm / 1024} KiB; RSS ${(m0.rss / 2 ** 20).toFixed(1)} → ${(m2.rss / 2 ** 20).toFixed(1)} MiB) | ${ok(wasmGrowth === 0)} |`,
].join('\n');
const report = `Measured ${new Date().toISOString().slice(0, 10)} on: ${machine}; load average ${load()} at the end.

${table}

${targets}

Native CLI throughput: **${Math.round(cli.tokensPerSecond).toLocaleString('en-US')} tokens/s**.
\`pkg/vneid_verify_bg.wasm\`: **${size.raw.toLocaleString('en-US')} bytes (${kib(size.raw)}) raw, ${size.gzip.toLocaleString('en-US')} bytes (${kib(size.gzip)}) gzip -9**.`;

console.log(`\n${report}\n`);

if (process.argv.includes('--write')) {
  const file = join(ROOT, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const start = '<!-- bench:start -->';
  const end = '<!-- bench:end -->';
  if (!text.includes(start) || !text.includes(end)) throw new Error(`BENCHMARKS.md needs ${start} and ${end}`);
  writeFileSync(file, `${text.slice(0, text.indexOf(start) + start.length)}\n${report}\n${text.slice(text.indexOf(end))}`);
  console.log('bench: results written to BENCHMARKS.md');
}
