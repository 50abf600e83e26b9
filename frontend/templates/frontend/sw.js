/* My Health service worker. Caches the app shell, the offline page and the services
   directory; the young person's own essentials only after she switches "keep a copy on this
   phone" on (the page tells this worker), for at most 30 days without going online. Shows
   her reminders (Web Push): what they say comes from the server and never holds health
   content; a tap opens the app's home, whatever the message says. */
"use strict";
var SHELL = "shell-{{ version }}";
var COPY = "my-copy";
var MAX_OFFLINE_MS = 30 * 24 * 3600 * 1000;
var SHELL_URLS = [{% for url in shell %}"{{ url|escapejs }}", {% endfor %}"/services/"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(SHELL).then(function (cache) { return cache.addAll(SHELL_URLS); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (k) { return k !== SHELL && k !== COPY; })
      .map(function (k) { return caches.delete(k); }));
  }).then(function () { return self.clients.claim(); }));
});

function keepCopy(urls, stamp) {
  return caches.open(COPY).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
        if (r.ok && !r.redirected) { return cache.put(url, r); }
      });
    })).then(function () {
      var meta = new Response(JSON.stringify({ savedAt: Date.now(), stamp: stamp || 0 }),
        { headers: { "Content-Type": "application/json" } });
      return cache.put("/__copy-meta__", meta);
    });
  });
}

// Pages' messages are carried out one after another, in the order they came: a "forget"
// arriving while a "keep" is still fetching must not delete the copy under it, nor a "keep"
// put back a copy that a later "forget" removed.
var queue = Promise.resolve();

// A "forget" from a page made before the page that kept the copy is stale (pages' messages
// can arrive late): the newest page's wish wins, also across a restart of this worker.
function forgetCopy(stamp) {
  return caches.open(COPY).then(function (cache) {
    return cache.match("/__copy-meta__");
  }).then(function (metaResponse) {
    return metaResponse ? metaResponse.json() : {};
  }).then(function (meta) {
    if (stamp && meta.stamp && stamp < meta.stamp) { return undefined; }
    return caches.delete(COPY);
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var step;
  if (data.type === "keep" && Array.isArray(data.urls)) {
    var urls = data.urls.filter(function (u) { return u.charAt(0) === "/"; });
    step = function () { return keepCopy(urls, data.stamp); };
  } else if (data.type === "forget") {
    step = function () { return forgetCopy(data.stamp); };
  } else { return; }
  queue = queue.then(step, step);
  event.waitUntil(queue.catch(function () { return undefined; }));
});

function fromCopy(request) {
  return caches.open(COPY).then(function (cache) {
    return cache.match("/__copy-meta__").then(function (metaResponse) {
      if (!metaResponse) { return undefined; }
      return metaResponse.json().then(function (meta) {
        if (Date.now() - meta.savedAt > MAX_OFFLINE_MS) {
          return caches.delete(COPY).then(function () { return undefined; });  // expired
        }
        return cache.match(request.url.replace(self.location.origin, ""));
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("{{ static_prefix|escapejs }}") === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode !== "navigate") { return; }
  var directory = url.pathname.indexOf("/services/") === 0;
  event.respondWith(fetch(request).then(function (response) {
    if (directory && response.ok) {  // the directory: always kept fresh for offline
      var copy = response.clone();
      caches.open(SHELL).then(function (cache) { cache.put(url.pathname + url.search, copy); });
    }
    return response;
  }).catch(function () {
    return (directory ? caches.match(url.pathname + url.search, { cacheName: SHELL })
      .then(function (hit) { return hit || caches.match("/services/"); })
      : fromCopy(request)).then(function (hit) {
      return hit || caches.match("/offline/");
    });
  }));
});

// A reminder: "My Health: you have something new" in her language. Only text is taken from
// the message; where a tap leads is fixed here (the app's home), never taken from it.
self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  var title = typeof data.title === "string" && data.title ? data.title : "My Health";
  var body = typeof data.body === "string" ? data.body : "";
  event.waitUntil(self.registration.showNotification(title.slice(0, 60), {
    body: body.slice(0, 200), tag: "my-health", icon: "{{ icon|escapejs }}",
    badge: "{{ icon|escapejs }}"
  }));
});

// A tap: the app already open comes to the front as it is (never moved away from a form she
// is filling in); otherwise the app opens at its home.
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true })
    .then(function (windows) {
      var open = windows.filter(function (w) {
        return w.url.indexOf(self.location.origin + "/") === 0 && "focus" in w;
      });
      return open.length ? open[0].focus() : self.clients.openWindow(self.location.origin + "/");
    }));
});
