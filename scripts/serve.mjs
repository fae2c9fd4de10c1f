#!/usr/bin/env node
// A tiny static server for the demo: www-demo/ at /, the built package pkg/ at /pkg/.
// (www-demo/vendor/, gallery/ and precache.json are built by scripts/build-demo.mjs.)
// Loopback only, GET and HEAD only, no directory listings, nothing outside those two folders.
// The Content-Security-Policy allows this origin only: the page can make no other-origin request.
//
//   node scripts/serve.mjs            # http://localhost:8080/ (PORT and HOST override)
//   import { startServer } from './serve.mjs'; await startServer({ port: 0 })   // tests

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEMO = join(root, 'www-demo');
const PKG = join(root, 'pkg');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

/** Maps a URL path to a file under www-demo/ or pkg/, or null. */
function resolve(urlPath) {
  let path;
  try {
    path = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const [base, rest] = path.startsWith('/pkg/') ? [PKG, path.slice(5)] : [DEMO, path.slice(1)];
  const file = normalize(join(base, rest));
  if (file !== base && !file.startsWith(base + sep)) return null;
  if (existsSync(file) && statSync(file).isDirectory()) return join(file, 'index.html');
  return file;
}

function send(res, status, text) {
  res.writeHead(status, { ...HEADERS, 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

function handle(req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return send(res, 405, 'Method not allowed');
  }
  const url = new URL(req.url ?? '/', 'http://localhost');
  const file = resolve(url.pathname);
  if (file === null) return send(res, 400, 'Bad path');
  if (!existsSync(file) || !statSync(file).isFile()) {
    const hint = url.pathname.startsWith('/pkg/') ? ' (build the package first: npm run build)' : '';
    return send(res, 404, `Not found: ${url.pathname}${hint}`);
  }
  res.writeHead(200, {
    ...HEADERS,
    'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': statSync(file).size,
  });
  if (req.method === 'HEAD') return res.end();
  createReadStream(file).pipe(res);
}

/** Starts the server; resolves to { server, url } once listening. Port 0 picks a free port. */
export function startServer({ port = 8080, host = '127.0.0.1' } = {}) {
  return new Promise((resolvePromise, reject) => {
    const server = createServer(handle);
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      const shown = host === '127.0.0.1' ? 'localhost' : host;
      resolvePromise({ server, url: `http://${shown}:${actual}/` });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  if (!existsSync(join(PKG, 'vneid_verify.js'))) {
    console.error('serve: pkg/ is not built yet: run npm start (or npm run build) first');
    process.exit(1);
  }
  if (!existsSync(join(DEMO, 'gallery', 'gallery.json')) || !existsSync(join(DEMO, 'vendor'))) {
    console.error('serve: the demo\'s samples and QR decoder are not built yet: run npm start (or npm run build) first');
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 8080);
  const host = process.env.HOST ?? '127.0.0.1';
  startServer({ port, host }).then(
    ({ url }) => console.log(`serve: the demo is at ${url} (Ctrl-C to stop)`),
    (err) => {
      console.error(`serve: cannot listen on ${host}:${port}: ${err.message}`);
      process.exit(1);
    },
  );
}
