// The field app's service worker (served by the view at /visits/sw.js, which puts self.CIVICLOOP_SHELL first:
// the version, the page, the static files of the shell, the field lists' path). It keeps
// - the shell (the page and its static files), so the app opens in a stairwell with no signal;
// - each team's field list, network first: the newest when there is a connection, the kept copy when not.
// It never touches a POST: records wait in the page's outbox (IndexedDB) and are sent from there.
"use strict";

var SHELL = self.CIVICLOOP_SHELL;
var SHELL_CACHE = "civicloop-field-shell-" + SHELL.version;
var DATA_CACHE = "civicloop-field-data"; // not versioned: a new release must not drop the lists kept offline
var SLOW_MS = 6000; // a weak signal: answer from the cache after this long, and let the network finish
var STATIC = new Set(SHELL.static);

function keepable(response) {
  return response && response.ok && !response.redirected && response.type === "basic";
}

self.addEventListener("install", function (event) {
  event.waitUntil((async function () {
    var cache = await caches.open(SHELL_CACHE);
    await cache.addAll(SHELL.static);
    try { // the page needs the session; a signed-out install keeps it at the next visit instead
      var page = await fetch(SHELL.page, { credentials: "same-origin" });
      if (keepable(page)) await cache.put(SHELL.page, page);
    } catch (e) { /* offline: kept at the next visit */ }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", function (event) {
  event.waitUntil((async function () {
    var names = await caches.keys();
    await Promise.all(names.filter(function (n) { return n.indexOf("civicloop-field-shell-") === 0 && n !== SHELL_CACHE; })
      .map(function (n) { return caches.delete(n); }));
    await self.clients.claim();
  })());
});

// A cached answer, marked so the page can say the list is not fresh.
async function fromCache(cacheName, key) {
  var cached = await (await caches.open(cacheName)).match(key);
  if (!cached) return null;
  var headers = new Headers(cached.headers);
  headers.set("X-Civicloop-Cache", "hit");
  return new Response(await cached.blob(), { status: cached.status, statusText: cached.statusText, headers: headers });
}

// The network's answer when it comes in time (kept for later), else the cached one; the network's when there is
// nothing cached. A 401 for a field list ends the kept copy: the session it was read under is over.
async function networkFirst(request, cacheName, key) {
  var network = fetch(request).then(async function (response) {
    var cache = await caches.open(cacheName);
    if (keepable(response)) await cache.put(key, response.clone());
    else if (response.status === 401 && cacheName === DATA_CACHE) await cache.delete(key);
    return response;
  });
  network.catch(function () { /* answered from the cache, or rethrown below */ });
  var slow = new Promise(function (resolve) { setTimeout(resolve, SLOW_MS, null); });
  try {
    var first = await Promise.race([network, slow]);
    if (first) return first;
    return (await fromCache(cacheName, key)) || (await network);
  } catch (e) {
    var cached = await fromCache(cacheName, key);
    if (cached) return cached;
    throw e;
  }
}

async function cacheFirst(request) {
  var cached = await caches.match(request, { cacheName: SHELL_CACHE });
  if (cached) return cached;
  var response = await fetch(request);
  if (keepable(response)) await (await caches.open(SHELL_CACHE)).put(request, response.clone());
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === SHELL.page) {
    event.respondWith(networkFirst(request, SHELL_CACHE, SHELL.page));
  } else if (url.pathname.indexOf(SHELL.field_list) === 0 && /\/field-list$/.test(url.pathname)) {
    event.respondWith(networkFirst(request, DATA_CACHE, url.pathname));
  } else if (STATIC.has(url.pathname)) {
    event.respondWith(cacheFirst(request));
  }
});
