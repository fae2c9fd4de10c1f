// Shared set-up of the consumer tests: the package packed as users get it (`npm pack pkg/`),
// installed into fresh projects under .cache/consumers/runs/; the README's snippets written into
// them as files; the README's commands run with the tools of tests/consumers/package.json
// (installed by scripts/ensure-tools.mjs --browser); a static server; and Debian's Chromium
// through playwright-core, with every console error, failed request and HTTP error recorded.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

import { chromium } from 'playwright-core';

import { makeIssuer, vneidClaims } from '../js/fixtures.mjs';
import { BIN, ROOT, TOOLS, consumerToolsProblem } from './tools.mjs';

export { ROOT, TOOLS };
export const CHROMIUM = '/usr/bin/chromium';
export const PKG = join(ROOT, 'pkg');
/** What the README's snippets print for the test token. */
export const VERIFIED = 'verified: 001090001234';

for (const [needed, how] of [[CHROMIUM, 'npm test installs it'], [join(PKG, 'index.js'), 'run "npm run build"']]) {
  if (!existsSync(needed)) throw new Error(`${needed} is missing: ${how}`);
}
const problem = consumerToolsProblem();
if (problem) throw new Error(`the consumer tools are not installed (${problem}): run "node scripts/ensure-tools.mjs --browser"`);

// ---- The README's snippets and commands ----------------------------------------------------
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The README's snippets that name a file (```js main.js), by file name. */
export const SNIPPETS = new Map(
  [...README.matchAll(/^```(?:js|html) (\S+)\n([\s\S]*?)^```$/gm)].map((m) => [m[1], m[2]]),
);

export function snippet(name) {
  assert.ok(SNIPPETS.has(name), `the README has no snippet ${name} (a block opened with \`\`\`js ${name})`);
  return SNIPPETS.get(name);
}

/** Fails unless the README shows `command` exactly, in backquotes. */
export function assertDocumented(command) {
  assert.ok(README.includes(`\`${command}\``), `the README does not show the command \`${command}\``);
}

// ---- Projects ------------------------------------------------------------------------------
const RUNS = join(TOOLS, 'runs');
mkdirSync(RUNS, { recursive: true });
const run = mkdtempSync(join(RUNS, 'run-'));
let tarball;

/** The test token (valid for an hour from now) and its issuer's trust bundle, as files. */
const issuer = await makeIssuer();
const now = Math.floor(Date.now() / 1000);
export const TRUST = JSON.stringify(issuer.trust);
export const TOKEN = await issuer.sign(vneidClaims({ iat: now - 60, exp: now + 3600 }));

/** A fresh project `name` with the packed package installed, and `files` written into it. */
export function project(name, files = {}) {
  if (!tarball) {
    const out = execOk('npm', ['pack', PKG, '--json', '--pack-destination', run], { cwd: run });
    tarball = join(run, JSON.parse(out)[0].filename);
  }
  const dir = join(run, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name, private: true, type: 'module', dependencies: { 'vneid-verify': `file:${tarball}` } }, null, 2)}\n`);
  execOk('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: dir });
  write(dir, files);
  return dir;
}

/** Writes `files` ({ 'path/name': text }) under `dir`. */
export function write(dir, files) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** The token and trust files a page fetches, under `dir`. */
export const dataFiles = (dir = '.') => ({ [`${dir}/trust.json`]: TRUST, [`${dir}/token.txt`]: `${TOKEN}\n` });

/** A page showing the verdicts of `scripts` (module scripts unless `classic`). */
export function page(scripts, { classic = false, head = '' } = {}) {
  const tags = scripts.map((s) => `<script${classic ? '' : ' type="module"'} src="${s}"></script>`).join('\n');
  return `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>consumer</title><link rel="icon" href="data:,">${head}</head>\n<body>\n<output id="verdict"></output>\n<output id="worker-verdict"></output>\n${tags}\n</body>\n</html>\n`;
}

/** Removes this run's projects (kept with KEEP_CONSUMERS=1, to look at a failure). */
export function cleanUp() {
  if (!process.env.KEEP_CONSUMERS) rmSync(run, { recursive: true, force: true });
}

// ---- Commands ------------------------------------------------------------------------------
function execOk(cmd, args, { cwd, env } = {}) {
  const r = spawnSync(cmd, args, { cwd, env: env ?? process.env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} (in ${cwd}) failed: ${r.error?.message ?? ''}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The environment a README command runs in: the tools (Vite 7 when `vite` is 7) first on PATH. */
function toolEnv(vite = 8) {
  const path = [...(vite === 7 ? [BIN.vite7] : []), BIN.vite, process.env.PATH].join(':');
  return { ...process.env, PATH: path, NO_COLOR: '1', DO_NOT_TRACK: '1' };
}

/** Runs a README command (checked to be in the README) in `cwd`; returns its output. */
export function command(line, cwd, { vite = 8 } = {}) {
  assertDocumented(line);
  const [cmd, ...args] = line.split(' ');
  return execOk(cmd, args, { cwd, env: toolEnv(vite) });
}

/** Runs one of the tools (not a README command: the test's own plumbing) in `cwd`. */
export function tool(cmd, args, cwd) {
  return execOk(cmd, args, { cwd, env: toolEnv() });
}

/** Starts a long-running README command (a dev server) and waits for `ready` in its output. */
export async function startCommand(line, cwd, { vite = 8, args = [], ready }) {
  assertDocumented(line);
  const [cmd, ...rest] = line.split(' ');
  const child = spawn(cmd, [...rest, ...args], { cwd, env: toolEnv(vite), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`${line} did not start in 60 s:\n${output}`));
    }, 60_000);
    const seen = (chunk) => {
      output += chunk;
      if (ready.test(output)) { clearTimeout(timer); resolve(); }
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`${line} exited with ${code}:\n${output}`)); });
  });
  child.removeAllListeners('exit');
  return {
    output: () => output,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.on('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
    s.on('error', reject);
  });
}

// ---- A static server -----------------------------------------------------------------------
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json', '.txt': 'text/plain; charset=utf-8', '.wasm': 'application/wasm', '.css': 'text/css',
};

/** The strict policy the built pages are served with: this origin only, WebAssembly allowed. */
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src data:; object-src 'none'; base-uri 'none'";

/** The CSP hash source of an inline script (an import map). */
export const hashSource = (text) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Serves `dir` on 127.0.0.1 (with `csp` as Content-Security-Policy); records each path asked
 * for. `gzip`: compressed when the browser accepts it, and cacheable for an hour (benchmarks).
 */
export async function serve(dir, { csp = CSP, gzip = false } = {}) {
  const requests = [];
  const compressed = new Map();
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    requests.push(path);
    let file = normalize(join(dir, path));
    if (!file.startsWith(dir + sep) && file !== dir) { res.writeHead(403).end(); return; }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) { res.writeHead(404).end('not found'); return; }
    const headers = { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', ...(csp ? { 'Content-Security-Policy': csp } : {}) };
    if (gzip) {
      const zipped = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      if (zipped && !compressed.has(file)) compressed.set(file, gzipSync(readFileSync(file), { level: 9 }));
      const body = zipped ? compressed.get(file) : readFileSync(file);
      res.writeHead(200, { ...headers, 'Cache-Control': 'max-age=3600', ...(zipped ? { 'Content-Encoding': 'gzip' } : {}) });
      res.end(body);
      return;
    }
    res.writeHead(200, { ...headers, 'Cache-Control': 'no-store' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}

// ---- Chromium ------------------------------------------------------------------------------
let browser;

/** Opens `url` in a fresh context; returns the page and what went wrong while it ran. */
export async function open(url) {
  browser ??= await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update'],
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  page.on('console', (msg) => { if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  context.on('request', (req) => requests.push(req.url()));
  context.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  context.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  context.on('weberror', (err) => problems.push(`weberror: ${err.error().message}`));
  await page.goto(url);
  return { page, context, problems, requests, close: () => context.close() };
}

/** Waits for the text of `selector` and returns it. */
export async function textOf(page, selector, timeout = 30_000) {
  await page.waitForFunction((s) => document.querySelector(s)?.textContent, selector, { timeout })
    .catch((e) => { throw new Error(`${selector} stayed empty: ${e.message}`); });
  return page.textContent(selector);
}

/**
 * Opens `url`, waits for `expect` ({ selector: text }), and checks that nothing went wrong and
 * that (unless `wasmRequested`) no .wasm was asked for: the default entry carries the module.
 */
export async function assertPage(url, expect, { wasmRequested = false } = {}) {
  const tab = await open(url);
  try {
    for (const [selector, text] of Object.entries(expect)) {
      assert.equal(await textOf(tab.page, selector), text, `${selector} on ${url}; problems: ${tab.problems.join('; ')}`);
    }
    assert.deepEqual(tab.problems, [], `problems on ${url}`);
    const wasm = tab.requests.filter((u) => new URL(u).pathname.endsWith('.wasm'));
    if (wasmRequested) assert.ok(wasm.length > 0, `no .wasm requested by ${url}`);
    else assert.deepEqual(wasm, [], `${url} requested a .wasm`);
    return tab.requests;
  } finally {
    await tab.close();
  }
}

export async function closeBrowser() {
  await browser?.close();
  browser = undefined;
}

/** The files under `dir`, as paths relative to it. */
export function filesUnder(dir) {
  return readdirSync(dir, { recursive: true }).filter((f) => statSync(join(dir, f)).isFile()).map(String);
}

/** Fails when a build copied a .wasm beside its bundle: the default entry carries the module. */
export function assertNoWasm(dir) {
  assert.deepEqual(filesUnder(dir).filter((f) => f.endsWith('.wasm')), [], `${dir} has a .wasm`);
}
