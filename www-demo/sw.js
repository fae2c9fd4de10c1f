// The service worker that makes the page work offline after its first load. It keeps every file
// the page needs (listed by scripts/build-demo.mjs in precache.json) in a cache named after the
// build's version; the page registers it as sw.js?v=VERSION, so a new build installs a new cache.
//
// Network first: online, the page always gets the files as served (and the cache is refreshed);
// offline, or when the server is gone, the cached copy answers. Same-origin GET requests only:
// the page makes no other.

const VERSION = new URL(self.location.href).searchParams.get('v') ?? 'dev';
const PREFIX = 'vneid-verify-demo-';
const CACHE = `${PREFIX}${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const response = await fetch('./precache.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`precache.json: HTTP ${response.status}`);
    const { files } = await response.clone().json();
    const cache = await caches.open(CACHE);
    await cache.addAll(files.map((file) => new Request(file, { cache: 'no-store' })));
    await cache.put('./precache.json', response);
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    try {
      const response = await fetch(request);
      if (response.status === 200 && response.type === 'basic') {
        const copy = response.clone();
        event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)));
      }
      return response;
    } catch (error) {
      const cache = await caches.open(CACHE);
      const cached = await cache.match(request, { ignoreSearch: request.mode === 'navigate' })
        ?? (request.mode === 'navigate' ? await cache.match('./') : undefined);
      if (cached) return cached;
      throw error;
    }
  })());
});
