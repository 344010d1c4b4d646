// The phone page's service worker (pipeline/publish/phone/page.py fills in the file list):
// once a packet has been opened, it opens again without a connection. The page and its
// files are kept when installed; photos as they are first shown.
"use strict";
const CACHE = "bf-packet-__VERSION__";
const FILES = "__FILES__";
const SCOPE = new URL("./", self.location).pathname;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  const old = (key) => key.startsWith("bf-packet-") && key !== CACHE;
  event.waitUntil(
    caches.keys().then((keys) => Promise.all(keys.filter(old).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  const path = url.pathname.slice(SCOPE.length);
  if (path === "packet.html") {
    event.respondWith(fromNetworkThenCache(event.request));  // a new build shows at once
  } else if (path.startsWith("packet/") || path.startsWith("media/")) {
    event.respondWith(fromCacheThenNetwork(event.request));
  }
});

async function fromNetworkThenCache(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}

async function fromCacheThenNetwork(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}
