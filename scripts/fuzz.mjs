#!/usr/bin/env node
// The fuzz targets in fuzz/ (cargo fuzz, nightly Rust; scripts/ensure-tools.mjs installs both).
//
//   node scripts/fuzz.mjs --ci                  # npm test: each target replays the committed
//                                               # corpus, then a fixed number of new inputs
//   node scripts/fuzz.mjs [--seconds N] [T...]  # npm run fuzz: each target (or those named)
//                                               # for N seconds (default 600) from the corpus
//                                               # and the seeds, then the corpus is minimised
//                                               # with what was found
//
// Seeds are written by fuzz/examples/seeds.rs from the test vectors (ours and ../shared/vectors)
// into fuzz/seeds/ (not committed). The committed corpus, fuzz/corpus/TARGET/, holds what the
// fuzzer found beyond them; a finding is written to fuzz/artifacts/TARGET/ and fails the run.
// Every long run appends its numbers (executions, coverage) to fuzz/runs.jsonl, from which
// FUZZING.md is written. Without a sanitizer (-s none): the library forbids unsafe code, and the
// instrumented build is twice as fast; the invariants are checked in the targets themselves.

import { spawnSync } from 'node:child_process';
import {
  appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fuzz = join(root, 'fuzz');

/** Every target, and how many new inputs `--ci` runs after replaying its corpus (chosen so
 * that each takes seconds: verify_signed signs and verifies every input). */
export const TARGETS = {
  verify: 3000,
  verify_signed: 300,
  trust: 5000,
  cbor: 20000,
  json: 20000,
  inflate: 10000,
  der: 20000,
  base_encodings: 20000,
  shc_chunks: 20000,
  scan_framing: 5000,
};

/** libFuzzer options for every run: a slow input (10 s) is a finding, as is 2 GiB of memory. */
const LIBFUZZER = ['-timeout=10', '-rss_limit_mb=2048', '-print_final_stats=1'];

const args = process.argv.slice(2);
const ci = args.includes('--ci');
const secondsAt = args.indexOf('--seconds');
const seconds = secondsAt >= 0 ? Number(args[secondsAt + 1]) : 600;
const named = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--seconds');
const unknown = named.filter((t) => !(t in TARGETS));
if (unknown.length > 0 || !(seconds > 0)) {
  console.error(`fuzz: unknown target ${unknown.join(', ')}; targets: ${Object.keys(TARGETS).join(', ')}`);
  process.exit(2);
}
const targets = named.length > 0 ? named : Object.keys(TARGETS);

function say(message) {
  console.log(`fuzz: ${message}`);
}

function fail(message) {
  console.error(`\nfuzz: FAILED: ${message}\n`);
  process.exit(1);
}

function run(cmd, cmdArgs, { capture = false, cwd = root } = {}) {
  const r = spawnSync(cmd, cmdArgs, {
    cwd,
    stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'],
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  if (r.error) fail(`${cmd} ${cmdArgs.join(' ')}: ${r.error.message}`);
  return r;
}

const cargoFuzz = (sub, rest, options) => run('cargo', ['+nightly', 'fuzz', sub, '-s', 'none', ...rest], options);

if (run('cargo', ['+nightly', 'fuzz', '--version'], { capture: true }).status !== 0) {
  fail('cargo-fuzz on nightly Rust is missing: run node scripts/ensure-tools.mjs --fuzz');
}

say('building the targets (nightly, coverage-instrumented)');
if (cargoFuzz('build', []).status !== 0) fail('cargo fuzz build');

// The seeds (valid payloads of every format, from our vectors and ../shared/vectors) start every
// run, in CI too: replaying them is what proves that known-good payloads still verify.
const seeds = join(fuzz, 'seeds');
say('writing the seeds from the test vectors');
{
  const r = run('cargo', ['run', '--quiet', '--release', '--example', 'seeds', '--', seeds], { cwd: fuzz });
  if (r.status !== 0) fail('fuzz/examples/seeds.rs');
}

/** The numbers libFuzzer prints at the end of a run. */
function stats(output) {
  const get = (name) => Number(output.match(new RegExp(`stat::${name}:\\s*(\\d+)`))?.[1] ?? NaN);
  const last = [...output.matchAll(/#(\d+)\s+(?:DONE|pulse|NEW|REDUCE|INITED)\s+cov: (\d+) ft: (\d+) corp: (\d+)/g)].at(-1);
  return {
    runs: get('number_of_executed_units'),
    execsPerSecond: get('average_exec_per_sec'),
    cov: Number(last?.[2] ?? NaN),
    ft: Number(last?.[3] ?? NaN),
    corpus: Number(last?.[4] ?? NaN),
  };
}

const started = Date.now();
for (const target of targets) {
  const corpus = join(fuzz, 'corpus', target);
  mkdirSync(corpus, { recursive: true });
  // New inputs go to a scratch folder: the committed corpus changes only by minimisation.
  const scratch = mkdtempSync(join(tmpdir(), `fuzz-${target}-`));
  const inputs = [scratch, corpus];
  const seedCount = existsSync(join(seeds, target)) ? readdirSync(join(seeds, target)).length : 0;
  if (seedCount > 0) inputs.push(join(seeds, target));
  const replayed = readdirSync(corpus).length + seedCount;
  const limit = ci ? [`-runs=${TARGETS[target] + replayed}`] : [`-max_total_time=${seconds}`];
  const t0 = Date.now();
  say(`${target}: ${ci ? `corpus of ${readdirSync(corpus).length}, ${seedCount} seeds and ${TARGETS[target]} new inputs` : `${seconds} s`}`);
  const r = cargoFuzz('run', [target, ...inputs, '--', ...LIBFUZZER, ...limit], { capture: true });
  const output = `${r.stdout}${r.stderr}`;
  const s = stats(output);
  const secs = ((Date.now() - t0) / 1000).toFixed(0);
  if (r.status !== 0) {
    process.stderr.write(output.split('\n').slice(-60).join('\n'));
    fail(`${target} found a failing input (fuzz/artifacts/${target}/); reproduce with: cargo +nightly fuzz run -s none ${target} fuzz/artifacts/${target}/<file>`);
  }
  say(`${target}: ${s.runs} executions in ${secs} s (${s.execsPerSecond || Math.round(s.runs / Math.max(Number(secs), 1))}/s), coverage ${s.cov} edges, ${s.ft} features`);
  if (!ci) {
    appendFileSync(
      join(fuzz, 'runs.jsonl'),
      `${JSON.stringify({ date: new Date().toISOString(), target, seconds: Number(secs), ...s })}\n`,
    );
    // Minimise: keep in the corpus what adds coverage beyond the seeds, never a seed itself
    // (the seeds are the vectors, which stay in ../shared/vectors).
    const merged = mkdtempSync(join(tmpdir(), `fuzz-${target}-merged-`));
    const seedCopies = existsSync(join(seeds, target)) ? readdirSync(join(seeds, target)) : [];
    for (const name of seedCopies) cpSync(join(seeds, target, name), join(merged, `seed-${name}`));
    const m = cargoFuzz('run', [target, merged, corpus, scratch, '--', '-merge=1', ...LIBFUZZER], { capture: true });
    if (m.status !== 0) fail(`${target}: merging the corpus`);
    rmSync(corpus, { recursive: true, force: true });
    mkdirSync(corpus, { recursive: true });
    for (const name of readdirSync(merged).filter((n) => !n.startsWith('seed-'))) {
      cpSync(join(merged, name), join(corpus, name));
    }
    rmSync(merged, { recursive: true, force: true });
    say(`${target}: corpus minimised to ${readdirSync(corpus).length} inputs`);
  }
  rmSync(scratch, { recursive: true, force: true });
}
say(`all ${targets.length} targets passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
