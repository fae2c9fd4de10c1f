// The tools the consumer projects are built with (tests/consumers/package.json and its lock):
// installed once into .cache/consumers/ by scripts/ensure-tools.mjs, and again only when the
// lock changes. Node built-ins only: ensure-tools runs this before anything else is installed.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..', '..');
/** Where the tools are installed (gitignored). */
export const TOOLS = join(ROOT, '.cache', 'consumers');
const STAMP = join(TOOLS, 'installed-lock.sha256');

/** Each tool's command: a folder to put first on PATH, holding the command by its usual name
 * (Vite 7 is installed as `vite7` and run as `vite`). */
export const BIN = {
  vite: join(TOOLS, 'node_modules', '.bin'),
  vite7: join(TOOLS, 'bin-vite7'),
};
const COMMANDS = ['vite', 'webpack', 'esbuild', 'rollup', 'tsc', 'deno', 'bun'];

function lockHash() {
  const hash = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) hash.update(readFileSync(join(HERE, f)));
  return hash.digest('hex');
}

/** Null when the installed tools are those of the lock, else why not. */
export function consumerToolsProblem() {
  if (!existsSync(STAMP)) return `${TOOLS} has no tools installed`;
  if (readFileSync(STAMP, 'utf8') !== lockHash()) return `${TOOLS} was installed from another lock`;
  for (const c of COMMANDS) {
    if (!existsSync(join(BIN.vite, c))) return `${c} is missing from ${BIN.vite}`;
  }
  if (!existsSync(join(BIN.vite7, 'vite'))) return `Vite 7 is missing from ${BIN.vite7}`;
  return null;
}

/** Installs the tools when the lock changed; returns { error } when that fails. */
export function ensureConsumerTools({ log = console.log } = {}) {
  if (consumerToolsProblem() === null) return {};
  log(`installing the consumer tests' tools (Vite 8 and 7, webpack, esbuild, Rollup, Deno, Bun) into ${TOOLS}`);
  rmSync(TOOLS, { recursive: true, force: true });
  mkdirSync(TOOLS, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(HERE, f), join(TOOLS, f));
  const r = spawnSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: TOOLS, stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) return { error: `npm ci in ${TOOLS} failed (${r.error?.message ?? `exit ${r.status}`})` };
  mkdirSync(BIN.vite7, { recursive: true });
  symlinkSync(join(TOOLS, 'node_modules', 'vite7', 'bin', 'vite.js'), join(BIN.vite7, 'vite'));
  // Deno and Bun are native binaries from their npm packages: they must run here.
  for (const c of ['deno', 'bun']) {
    const v = spawnSync(join(BIN.vite, c), ['--version'], { encoding: 'utf8' });
    if (v.status !== 0) {
      return { error: `${c} from npm does not run on this machine (${v.error?.message ?? v.stderr.trim()})` };
    }
    log(`${c} ${v.stdout.trim().split('\n')[0]}`);
  }
  writeFileSync(STAMP, lockHash());
  const problem = consumerToolsProblem();
  return problem ? { error: problem } : {};
}
