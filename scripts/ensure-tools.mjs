#!/usr/bin/env node
// Installs what `npm start`, `npm test` and `npm run bench` need on a fresh Debian machine, and
// only what is missing: the wasm32 Rust targets, wasm-pack, the npm dev dependencies (binaryen's
// wasm-opt, jose, playwright-core...); with --browser, Debian's chromium; with --fuzz, nightly Rust
// and cargo-fuzz (the fuzz targets); with --bench, Debian's openssl (the benchmark's native
// reference). `npm test` asks for --browser --fuzz; `npm start` for none of them.
//
// Never prompts (stdin is closed for every child), and fails loudly: a tool that cannot be
// installed stops the run with a message saying what to do, never a silent skip.
//
// Uses only Node built-ins: it runs before `npm ci` has installed anything.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wantBrowser = process.argv.includes('--browser');
const wantFuzz = process.argv.includes('--fuzz');
export const CHROMIUM = '/usr/bin/chromium';
const WASM_TARGETS = ['wasm32-unknown-unknown', 'wasm32-wasip1'];

function say(message) {
  console.log(`ensure-tools: ${message}`);
}

function fail(message) {
  console.error(`\nensure-tools: FAILED: ${message}\n`);
  process.exit(1);
}

/** Runs a command with stdin closed; returns {status, stdout} (stdout captured when asked). */
function run(cmd, args, { capture = false, env } = {}) {
  const result = spawnSync(cmd, args, {
    cwd: root,
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  if (result.error) return { status: -1, stdout: '', error: result.error };
  return { status: result.status, stdout: result.stdout ?? '' };
}

function has(cmd, args = ['--version']) {
  return run(cmd, args, { capture: true }).status === 0;
}

function mustRun(what, cmd, args, options) {
  say(`${what}: ${cmd} ${args.join(' ')}`);
  const { status, error } = run(cmd, args, options);
  if (status !== 0) {
    fail(`${what} (${cmd} ${args.join(' ')}) exited with ${error ? error.message : status}`);
  }
}

// ---- Rust ---------------------------------------------------------------------------------
if (!has('cargo') || !has('rustup')) {
  fail('cargo and rustup are required (the Rust toolchain): install Rust with rustup first');
}

const installed = run('rustup', ['target', 'list', '--installed'], { capture: true }).stdout;
const missingTargets = WASM_TARGETS.filter((t) => !installed.split('\n').includes(t));
if (missingTargets.length > 0) {
  mustRun('adding Rust targets', 'rustup', ['target', 'add', ...missingTargets]);
}

if (!has('wasm-pack')) {
  mustRun('installing wasm-pack (a few minutes, once)', 'cargo', ['install', 'wasm-pack', '--locked']);
  if (!has('wasm-pack')) {
    fail('wasm-pack was installed but is not on PATH: add ~/.cargo/bin to PATH');
  }
}

// ---- With --fuzz: nightly Rust and cargo-fuzz (scripts/fuzz.mjs; npm test runs the targets) 
if (wantFuzz && !has('rustup', ['run', 'nightly', 'rustc', '--version'])) {
  mustRun('installing nightly Rust (for cargo fuzz)', 'rustup', ['toolchain', 'install', 'nightly', '--profile', 'minimal']);
}
if (wantFuzz && !has('cargo', ['+nightly', 'fuzz', '--version'])) {
  mustRun('installing cargo-fuzz (a few minutes, once)', 'cargo', ['install', 'cargo-fuzz', '--locked']);
  if (!has('cargo', ['+nightly', 'fuzz', '--version'])) {
    fail('cargo-fuzz was installed but `cargo +nightly fuzz` does not run: add ~/.cargo/bin to PATH');
  }
}

// ---- npm dev dependencies -----------------------------------------------------------------
// npm keeps a copy of the lock it installed in node_modules/.package-lock.json; when the real
// lock is newer (or node_modules is missing), install exactly what the lock says.
const lock = join(root, 'package-lock.json');
const installedLock = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(lock)) fail('package-lock.json is missing');
const stale =
  !existsSync(installedLock) || statSync(installedLock).mtimeMs < statSync(lock).mtimeMs;
if (stale) {
  mustRun('installing npm dev dependencies', 'npm', ['ci', '--no-audit', '--no-fund']);
}
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
for (const name of Object.keys(pkg.devDependencies ?? {})) {
  if (!existsSync(join(root, 'node_modules', name, 'package.json'))) {
    fail(`npm package ${name} is missing from node_modules after npm ci`);
  }
}
if (!existsSync(join(root, 'node_modules', '.bin', 'wasm-opt'))) {
  fail("binaryen's wasm-opt is missing from node_modules/.bin");
}

// ---- The consumer projects' tools (browser tests only) -------------------------------------
// tests/consumers builds the packed package with Vite, webpack, esbuild, Rollup, Deno and Bun:
// installed once into .cache/consumers/ from their own lock, again only when the lock changes
// (npm's cache makes a reinstall after a clean clone quick).
if (wantBrowser) {
  const { ensureConsumerTools } = await import('../tests/consumers/tools.mjs');
  const result = ensureConsumerTools({ log: say });
  if (result.error) fail(result.error);
}

// ---- Debian packages: chromium (browser tests, --browser), openssl (the benchmark's native
// reference, `openssl speed ecdsap256`, --bench) --------------------------------------------
/** Installs the Debian package `pkg` so that `file` exists, with apt-get (as root or sudo -n). */
function aptInstall(pkg, file) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const sudo = isRoot ? [] : ['sudo', '-n'];
  if (!isRoot && !has('sudo', ['-n', 'true'])) {
    fail(`${file} is missing and this user cannot install it: run "sudo apt-get install -y ${pkg}"`);
  }
  const apt = (args) => {
    const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
    mustRun(`installing Debian ${pkg}`, cmd, rest, { env: { DEBIAN_FRONTEND: 'noninteractive' } });
  };
  apt(['update']);
  apt(['install', '-y', pkg]);
  if (!existsSync(file)) fail(`apt-get installed ${pkg} but ${file} is still missing`);
}
export const OPENSSL = '/usr/bin/openssl';
if (wantBrowser && !existsSync(CHROMIUM)) aptInstall('chromium', CHROMIUM);
if (process.argv.includes('--bench') && !existsSync(OPENSSL)) aptInstall('openssl', OPENSSL);

say('all tools present');
