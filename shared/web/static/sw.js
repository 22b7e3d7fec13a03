// Keeps the form pages and their assets, so a form reloaded without a connection still opens
// (app.js then puts back what was typed). Network first: online, people always get the
// server's page; offline, the last copy kept. Only forms are kept, and sign-out removes them.
var PAGES = "dvk-pages";  // people's forms: removed at sign-out
var ASSET_CACHE = "dvk-assets";  // the same for everyone
var FORMS = [
  /^\/submissions\/new$/, /^\/submissions\/\d+\/edit$/, /^\/amendments\/\d+\/edit$/,
  /^\/models\/\d+\/amend$/, /^\/models\/\d+\/reports\/new$/, /^\/reports\/\d+\/edit$/,
  /^\/inspections\/tasks\/\d+$/
];
var ASSETS = [/^\/static\/app\//, /^\/static\/vendor\//];

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function cacheFor(url) {
  if (url.origin !== self.location.origin) return null;
  var matches = function (pattern) { return pattern.test(url.pathname); };
  return FORMS.some(matches) ? PAGES : ASSETS.some(matches) ? ASSET_CACHE : null;
}

self.addEventListener("fetch", function (event) {
  var request = event.request, name = cacheFor(new URL(request.url));
  if (request.method !== "GET" || request.headers.get("HX-Request") ||
      request.headers.get("X-DVK-Keep") || !name) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(name).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, { ignoreVary: true }).then(function (hit) {
      return hit || Response.error();
    });
  }));
});
