// The native CLI and the scanner build (dist-wasi/vneid-verify.wasm) side by side, for the WASI
// tests: the same arguments and input must give the same bytes on standard output and the same
// exit status. A temporary folder is pre-opened under WASI at its own path, so the same absolute
// paths work in both.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WASI } from 'node:wasi';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WASM = join(root, 'dist-wasi', 'vneid-verify.wasm');
export const NATIVE = join(root, 'target', 'debug', 'vneid-verify');

/** Compiles the WASI module and builds the native CLI; a fresh temporary folder. */
export async function setUp(name) {
  assert.ok(
    existsSync(WASM),
    `${WASM} is missing: build it with \`npm run build:wasi\` (node scripts/build-wasi.mjs)`,
  );
  const module = await WebAssembly.compile(readFileSync(WASM));
  const build = spawnSync('cargo', ['build', '--quiet', '--package', 'vneid-verify-cli'], {
    cwd: root, stdio: ['ignore', 'inherit', 'inherit'],
  });
  assert.equal(build.status, 0, 'cargo build of the native CLI failed');
  const dir = mkdtempSync(join(tmpdir(), `vneid-${name}-`));
  const file = (f) => join(dir, f);

  function native(args, input = '') {
    const r = spawnSync(NATIVE, args, { input, maxBuffer: 64 << 20 });
    assert.equal(r.error, undefined, `running ${NATIVE}: ${r.error?.message}`);
    return { code: r.status, stdout: r.stdout, stderr: r.stderr.toString() };
  }

  function mustNative(args, input) {
    const r = native(args, input);
    assert.equal(r.code, 0, r.stderr);
    return r.stdout.toString().trim();
  }

  /** Runs the WASI module with `args`, standard input from `stdinFile`. */
  async function wasi(args, stdinFile) {
    const fds = {
      stdin: openSync(stdinFile ?? '/dev/null', 'r'),
      stdout: openSync(file('wasi.out'), 'w'),
      stderr: openSync(file('wasi.err'), 'w'),
    };
    const instanceWasi = new WASI({
      version: 'preview1',
      args: ['vneid-verify', ...args],
      env: {},
      preopens: { [dir]: dir },
      returnOnExit: true,
      ...fds,
    });
    const instance = await WebAssembly.instantiate(module, instanceWasi.getImportObject());
    let code;
    try {
      code = instanceWasi.start(instance);
    } finally {
      Object.values(fds).forEach((fd) => closeSync(fd));
    }
    return {
      code,
      stdout: readFileSync(file('wasi.out')),
      stderr: readFileSync(file('wasi.err'), 'utf8'),
      memory: instance.exports.memory.buffer.byteLength,
    };
  }

  /** The same run natively and under WASI: identical stdout bytes and exit status. */
  async function same(args, input = '') {
    writeFileSync(file('input'), input);
    const n = native(args, input);
    const w = await wasi(args, file('input'));
    assert.equal(w.code, n.code, `exit status differs; native stderr: ${n.stderr}; wasi stderr: ${w.stderr}`);
    assert.equal(w.stdout.toString('utf8'), n.stdout.toString('utf8'));
    assert.ok(w.stdout.equals(n.stdout), 'stdout bytes differ');
    return { native: n, wasi: w, lines: n.stdout.toString().split('\n').filter((l) => l !== '') };
  }

  const tearDown = () => rmSync(dir, { recursive: true, force: true });
  return { dir, file, native, mustNative, wasi, same, tearDown };
}
