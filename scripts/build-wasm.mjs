#!/usr/bin/env node
// Builds the npm package `vneid-verify` into pkg/ (from scratch), so that it works with no
// configuration in every bundler, worker and runtime (tests/consumers proves each):
//   1. wasm-pack (target web, release, the library with --no-default-features: no signing code;
//      with --rsa, the rsa feature too; no generated .d.ts: the types are js/vneid_verify.d.ts);
//   2. binaryen's wasm-opt -O3 from the npm package (wasm-pack's own download fails offline);
//   3. the wasm-bindgen glue, patched (vneid_verify_glue.js): no default URL (bundlers would copy
//      the .wasm beside a bundle that never fetches it) and a clear error before init();
//   4. the .wasm, deflate-compressed and base64'd, as a module (vneid_verify_inline.js) for the
//      default entries: index.js (browsers, workers, bundlers; `await init()` inflates it) and
//      node.js (Node, Deno, Bun; instantiated at import), from js/;
//   5. the slim entry (vneid_verify.js: loads the .wasm from where `init()` is told, or from
//      beside itself) and the .wasm for those who load it themselves;
//   6. package.json with the exports map: one block of entries per variant (VARIANTS below).
// Prints the sizes: the .wasm raw and gzipped, and each entry as it goes over the wire.

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, deflateRawSync, gzipSync } from 'node:zlib';

import { wasmOpt } from './wasm-opt.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(root, 'pkg');
const NAME = 'vneid_verify';

// One block of entries per variant: `subpath` (`.` or `./NAME`) gets the default entry, and
// `SUBPATH/slim` and `SUBPATH/vneid_verify_bg.wasm` beside it, built into pkg/`dir`, from the
// library with `features` only (`--no-default-features`; the cargo features of Cargo.toml):
//   vneid-verify         every format, RSA (PS256 EU DCCs, RSA-signed CSCAs);
//   vneid-verify/tokens  JWT, VNeID token, SD-JWT VC: no CBOR, COSE, X.509, FHIR or RSA.
// Both have the same API (and types); a payload of a format a build leaves out is refused as
// `format_not_allowed`. scripts/size-table.mjs builds more combinations to weigh each format.
// The default last: its cargo build is the one left in target/wasm32-unknown-unknown/release
// (tests/js/size.test.mjs reads its symbol names).
const VARIANTS = [
  { subpath: './tokens', dir: 'tokens', features: ['sd-jwt'], types: 'js/vneid_verify.d.ts' },
  { subpath: '.', dir: '', features: ['all-formats', 'rsa'], types: 'js/vneid_verify.d.ts' },
];

function step(what, cmd, args) {
  console.log(`build-wasm: ${what}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} (${r.error?.message ?? `exit ${r.status}`})`);
}

function fail(message) {
  console.error(`build-wasm: FAILED: ${message}`);
  process.exit(1);
}

/** Replaces `from` in `text`, which must occur exactly `count` times (a new wasm-bindgen that
 * changed its glue fails the build here instead of shipping unpatched code). */
function patch(text, from, to, count = 1) {
  const found = text.split(from).length - 1;
  if (found !== count) fail(`the wasm-bindgen glue has ${found} (not ${count}) of: ${from}`);
  return text.split(from).join(to);
}

/** The wasm-bindgen glue without its default URL and with a clear error before init. */
function glue(text) {
  let out = text.replace(/^\/\* @ts-self-types=.*\*\/\n/m, '');
  out = patch(out,
    `    if (module_or_path === undefined) {
        module_or_path = new URL('${NAME}_bg.wasm', import.meta.url);
    }`,
    `    if (module_or_path === undefined) {
        throw new Error('vneid-verify: init() was given no WebAssembly module');
    }`);
  out = patch(out, 'let wasmModule, wasmInstance, wasm;', `let wasmModule, wasmInstance, wasm = NOT_READY;`);
  out = patch(out, 'if (wasm !== undefined) return wasm;', 'if (wasm !== NOT_READY) return wasm;', 2);
  return `// The wasm-bindgen glue of vneid-verify, patched by scripts/build-wasm.mjs. Not an entry:
// import vneid-verify (or vneid-verify/slim).

/** Stands for the module until init() has loaded it, so that a call too early says so. */
const NOT_READY = new Proxy({}, {
    get() {
        throw new Error('vneid-verify: the WebAssembly module is not loaded yet: \`await init()\` once first (browsers and workers; in Node, Deno and Bun importing vneid-verify loads it)');
    },
});

${out}`;
}

const entries = []; // [variant, pkg-relative path, what] for the size report
rmSync(pkgDir, { recursive: true, force: true });
mkdirSync(pkgDir, { recursive: true });

for (const variant of VARIANTS) {
  const out = join(pkgDir, variant.dir);
  const work = join(root, 'target', 'wasm-pack', variant.dir || 'default');
  mkdirSync(out, { recursive: true });
  const features = variant.features.length ? ['--features', variant.features.join(',')] : [];
  step(`wasm-pack build${variant.dir ? ` ${variant.dir}` : ''}${features.length ? ` (${variant.features.join(', ')})` : ''}`, 'wasm-pack', [
    'build', '--target', 'web', '--release', '--no-typescript', '--no-pack', '--out-dir', work, '--out-name', NAME, '.',
    // --package: the CLI's own dependency on the library (default features) stays out of it.
    '--', '--package', 'vneid-verify', '--no-default-features', ...features,
  ]);

  const wasmFile = join(out, `${NAME}_bg.wasm`);
  console.log('build-wasm: wasm-opt -O3');
  try {
    wasmOpt('-O3', join(work, `${NAME}_bg.wasm`), wasmFile);
  } catch (e) {
    fail(e.message);
  }
  const wasm = readFileSync(wasmFile);
  writeFileSync(join(out, `${NAME}_glue.js`), glue(readFileSync(join(work, `${NAME}.js`), 'utf8')));
  const inline = deflateRawSync(wasm, { level: 9 }).toString('base64');
  writeFileSync(join(out, `${NAME}_inline.js`),
    `// The WebAssembly module of vneid-verify (${wasm.length} bytes), deflate-raw, base64.\nexport default '${inline}';\n`);
  copyFileSync(join(root, 'js', 'index.js'), join(out, 'index.js'));
  copyFileSync(join(root, 'js', 'node.js'), join(out, 'node.js'));
  copyFileSync(join(root, 'js', 'slim.js'), join(out, `${NAME}.js`));
  copyFileSync(join(root, variant.types), join(out, `${NAME}.d.ts`));
  copyFileSync(join(root, 'js', 'wasm.d.ts'), join(out, `${NAME}_bg.wasm.d.ts`));
  entries.push([variant, 'index.js', 'browsers, workers, bundlers'], [variant, 'node.js', 'Node, Deno, Bun'],
    [variant, `${NAME}.js`, 'slim'], [variant, `${NAME}_bg.wasm`, 'the .wasm (slim)']);
}

// ---- package.json --------------------------------------------------------------------------
const at = (variant, file) => `./${variant.dir ? `${variant.dir}/` : ''}${file}`;
const under = (variant, name) => (variant.subpath === '.' ? `./${name}` : `${variant.subpath}/${name}`);
const exportsMap = {};
for (const v of VARIANTS) {
  // First match wins, in this order: `browser`/`worker` before `node` so that a tool asking for
  // both (an Electron renderer, a worker build of a server framework) gets the universal entry.
  exportsMap[v.subpath] = {
    types: at(v, `${NAME}.d.ts`),
    browser: at(v, 'index.js'),
    worker: at(v, 'index.js'),
    deno: at(v, 'node.js'),
    bun: at(v, 'node.js'),
    node: at(v, 'node.js'),
    default: at(v, 'index.js'),
  };
  exportsMap[under(v, 'slim')] = { types: at(v, `${NAME}.d.ts`), default: at(v, `${NAME}.js`) };
  exportsMap[under(v, `${NAME}_bg.wasm`)] = { types: at(v, `${NAME}_bg.wasm.d.ts`), default: at(v, `${NAME}_bg.wasm`) };
}
exportsMap['./package.json'] = './package.json';

const main = VARIANTS.find((v) => v.subpath === '.');
const cargo = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, 'm'))?.[1];
const manifest = {
  name: 'vneid-verify',
  version: field('version'),
  description: field('description'),
  license: field('license'),
  keywords: ['vneid', 'jwt', 'es256', 'qr', 'verify', 'offline', 'wasm'],
  type: 'module',
  files: VARIANTS.flatMap((v) => ['index.js', 'node.js', `${NAME}.js`, `${NAME}_glue.js`, `${NAME}_inline.js`,
    `${NAME}_bg.wasm`, `${NAME}.d.ts`, `${NAME}_bg.wasm.d.ts`].map((f) => at(v, f).slice(2))),
  main: at(main, 'node.js'),
  module: at(main, 'index.js'),
  types: at(main, `${NAME}.d.ts`),
  exports: exportsMap,
  // TypeScript's old `moduleResolution: node10` reads no exports map: the subpaths' types for it.
  typesVersions: { '*': Object.fromEntries(VARIANTS.flatMap((v) => [
    [under(v, 'slim').slice(2), [at(v, `${NAME}.d.ts`)]],
    [under(v, `${NAME}_bg.wasm`).slice(2), [at(v, `${NAME}_bg.wasm.d.ts`)]],
    ...(v.subpath === '.' ? [] : [[v.subpath.slice(2), [at(v, `${NAME}.d.ts`)]]]),
  ])) },
  // node.js instantiates the module at import; the rest has no effect until called.
  sideEffects: VARIANTS.map((v) => at(v, 'node.js')),
  // require() of an ES module without top-level await: Node 20.19+ and 22.12+.
  engines: { node: '^20.19.0 || >=22.12.0' },
};
writeFileSync(join(pkgDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
copyFileSync(join(root, 'README.md'), join(pkgDir, 'README.md'));

// ---- sizes ---------------------------------------------------------------------------------
const gz = (b) => gzipSync(b, { level: 9 }).length;
const br = (b) => brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
for (const [variant, file, what] of entries) {
  const path = join(pkgDir, variant.dir, file);
  // An entry goes over the wire with what it imports.
  const parts = file.endsWith('.wasm') ? [path] : [path, join(pkgDir, variant.dir, `${NAME}_glue.js`),
    ...(file === `${NAME}.js` ? [] : [join(pkgDir, variant.dir, `${NAME}_inline.js`)])];
  const bytes = Buffer.concat(parts.map((p) => readFileSync(p)));
  console.log(`build-wasm: pkg/${variant.dir ? `${variant.dir}/` : ''}${file} (${what}) ` +
    `${kib(bytes.length)} raw, gzip ${kib(gz(bytes))}, brotli ${kib(br(bytes))}`);
}
for (const v of VARIANTS) {
  const wasm = readFileSync(join(pkgDir, v.dir, `${NAME}_bg.wasm`));
  const before = statSync(join(root, 'target', 'wasm-pack', v.dir || 'default', `${NAME}_bg.wasm`)).size;
  console.log(`build-wasm: pkg/${v.dir ? `${v.dir}/` : ''}${NAME}_bg.wasm ${wasm.length} bytes (${kib(wasm.length)}), ` +
    `gzip -9 ${gz(wasm)} bytes (${kib(gz(wasm))}); before wasm-opt ${before} bytes`);
}
