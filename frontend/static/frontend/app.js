/* My Health: small, deferred, only enhancing. Every page works without it. */
(function () {
  "use strict";
  var exitForm = document.querySelector("form[data-quick-exit]");

  function wipeThenLeave(href) {
    var done = function () { window.location.replace(href); };  // no Back to this page
    try { sessionStorage.clear(); localStorage.clear(); } catch (e) { /* private mode */ }
    if (window.caches && caches.keys) {
      caches.keys().then(function (keys) {
        return Promise.all(keys.map(function (k) { return caches.delete(k); }));
      }).then(done, done);
      window.setTimeout(done, 400);  // never wait on a slow phone
    } else {
      done();
    }
  }

  // Quick exit: leave at once, and sign out with a beacon the browser sends even as the page
  // goes (no CSRF token needed: an old page still works). Without JavaScript the form posts.
  function quickExit() {
    var signedOut = false;
    if (navigator.sendBeacon) {
      try { signedOut = navigator.sendBeacon(exitForm.action); } catch (e) { /* blocked */ }
    }
    if (!signedOut && window.fetch) {
      fetch(exitForm.action, { method: "POST", keepalive: true, credentials: "same-origin" })
        .catch(function () { /* leaving anyway */ });
    }
    wipeThenLeave(exitForm.getAttribute("data-leave-to"));
  }

  if (exitForm) {
    exitForm.addEventListener("submit", function (event) {
      event.preventDefault();
      quickExit();
    });
    var presses = [];
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 2000; });
      presses.push(now);
      if (presses.length >= 3) { quickExit(); }
    });
  }

  // Signing out clears the offline copy too where Clear-Site-Data is not supported.
  // A link's secret travels after "#", which browsers never send to the server (so it is in
  // no request line and no log): the page posts it, then forgets it from the address bar.
  var fragmentForm = document.querySelector("form[data-link-secret]");
  if (fragmentForm && window.location.hash.length > 1) {
    fragmentForm.querySelector("[name=link]").value = window.location.hash.slice(1);
    history.replaceState(null, "", window.location.pathname);
    fragmentForm.submit();
  }

  document.querySelectorAll("form[data-clears-device]").forEach(function (form) {
    form.addEventListener("submit", function () {
      if (window.caches && caches.keys) {
        caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
      }
    });
  });

  // A page shown again with its problems: focus their summary, so that it is read out and
  // seen first (it is at the top, and a link in it takes her to each question).
  // So is something shown once that she must note now (a new share link and its code).
  var problems = document.querySelector(".error-summary[tabindex], [data-focus][tabindex]");
  if (problems && !window.location.hash) { problems.focus(); }

  // An assessment's form asks the initial assessment's questions only when "initial" is
  // chosen (the page hides them for a review; without this, they show once the draft with
  // "initial" chosen is saved).
  Array.prototype.forEach.call(document.querySelectorAll("form"), function (form) {
    var groups = form.querySelectorAll("[data-when-kind]");
    var kinds = form.querySelectorAll("input[name=kind]");
    if (!groups.length || !kinds.length) { return; }
    function follow() {
      var chosen = form.querySelector("input[name=kind]:checked");
      Array.prototype.forEach.call(groups, function (group) {
        group.hidden = !chosen || chosen.value !== group.getAttribute("data-when-kind");
      });
    }
    Array.prototype.forEach.call(kinds, function (k) { k.addEventListener("change", follow); });
    follow();
  });

  // Reminders on this phone (settings): the browser's own permission, then its push
  // subscription sent to the server. The page says the result after a reload.
  var reminders = document.querySelector("[data-push-key]");
  if (reminders && reminders.querySelector("[data-push-on]")) {
    var turnOn = reminders.querySelector("[data-push-on]");
    var turnOff = reminders.querySelector("[data-push-off]");
    var problem = reminders.querySelector("[data-push-error]");
    var say = function (text) { problem.textContent = text; problem.hidden = false; };
    var failed = function () { say(reminders.getAttribute("data-msg-failed")); };
    var send = function (body) {
      var token = document.querySelector("[name=csrfmiddlewaretoken]");
      return fetch(reminders.getAttribute("data-push-url"), {
        method: "POST", credentials: "same-origin", body: JSON.stringify(body),
        headers: { "Content-Type": "application/json", "X-CSRFToken": token ? token.value : "" }
      }).then(function (response) {
        // A page that is not the answer (signed out meanwhile): the translated "try again".
        return response.json().catch(function () { return {}; }).then(function (answer) {
          if (!response.ok) {
            var refused = new Error(answer.error || "");
            refused.fromServer = true;  // our own words, translated: shown as they are
            throw refused;
          }
          return answer;
        });
      });
    };
    var keyBytes = function (text) {
      var padded = (text + "===".slice((text.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
      var raw = atob(padded), bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; i += 1) { bytes[i] = raw.charCodeAt(i); }
      return bytes;
    };
    if (!("serviceWorker" in navigator && "PushManager" in window && "Notification" in window)) {
      reminders.querySelector("[data-push-unsupported]").hidden = false;
    } else {
      var here = reminders.getAttribute("data-push-here") === "on";
      turnOn.hidden = here;
      turnOff.hidden = !here;
      turnOn.addEventListener("click", function () {
        turnOn.disabled = true;
        Notification.requestPermission().then(function (permission) {
          if (permission !== "granted") {
            turnOn.disabled = false;
            say(reminders.getAttribute("data-msg-blocked"));
            return undefined;
          }
          return navigator.serviceWorker.ready.then(function (registration) {
            return registration.pushManager.subscribe({
              userVisibleOnly: true,
              applicationServerKey: keyBytes(reminders.getAttribute("data-push-key"))
            });
          }).then(function (subscription) {
            return send({ subscription: subscription.toJSON() });
          }).then(function () { window.location.reload(); });
        }).catch(function (error) {
          turnOn.disabled = false;
          // The browser's own errors are in its words (often English): ours are translated.
          if (error && error.fromServer && error.message) { say(error.message); } else { failed(); }
        });
      });
      turnOff.addEventListener("click", function () {
        turnOff.disabled = true;
        navigator.serviceWorker.ready.then(function (registration) {
          return registration.pushManager.getSubscription();
        }).then(function (subscription) {
          if (!subscription) { return send({ unsubscribe: "" }); }  // this session's, then
          var endpoint = subscription.endpoint;
          return subscription.unsubscribe().then(function () {
            return send({ unsubscribe: endpoint });
          });
        }).then(function () { window.location.reload(); }, function () {
          turnOff.disabled = false;
          failed();
        });
      });
    }
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function (registration) {
      var copy = document.querySelector("[data-offline-copy]");
      var worker = registration.active || registration.waiting || registration.installing;
      if (!copy || !worker) { return; }
      var state = copy.getAttribute("data-offline-copy");
      if (state !== "on" && state !== "off") { return; }  // the offline page: leave it be
      var stamp = Number(copy.getAttribute("data-copy-stamp")) || 0;
      var message = state === "on"
        ? { type: "keep", urls: JSON.parse(copy.getAttribute("data-urls") || "[]"),
            stamp: stamp }
        : { type: "forget", stamp: stamp };
      navigator.serviceWorker.ready.then(function (ready) { ready.active.postMessage(message); });
    });
  }
})();
