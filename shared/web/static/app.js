// What the browser does for people on phones with patchy signal.
//
// 1. Tables: each cell carries its column's heading (data-label), so a narrow screen can show
//    the rows stacked, every value under its label (app.css).
// 2. Forms marked data-keep="<form key>" keep every edit in localStorage, per signed-in user
//    and form, with the time of each field's edit. On the next visit a field edited after the
//    server's last save (data-saved-at on the form) is put back: the browser's copy wins. What
//    the server has not acknowledged is sent when the connection returns (or the page opens). The status
//    line (#autosave) says which copy is where. A page marked data-saved="<key>" is the
//    server's receipt for that form and clears the browser's copy.
// 3. A service worker (/sw.js) keeps the form pages and their assets, so a form reloaded
//    offline still opens, with what was typed.
// 4. Signing out removes the user's copies and the kept pages: commune offices share computers.
(function () {
  var PREFIX = "dvk:";
  var FORGET = "dvk_forget";
  var body = document.body;
  var user = body.dataset.user || "";

  // ---- tables -------------------------------------------------------------------------------

  function labelTable(table) {
    var headings = [];
    table.querySelectorAll("thead tr:last-child th, thead tr:last-child td").forEach(function (th) {
      var span = parseInt(th.getAttribute("colspan") || "1", 10);
      for (var i = 0; i < span; i++) headings.push(th.textContent.trim());
    });
    if (!headings.length) return;
    table.querySelectorAll("tbody tr, tfoot tr").forEach(function (row) {
      var column = 0;
      Array.prototype.forEach.call(row.children, function (cell) {
        if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", headings[column] || "");
        column += parseInt(cell.getAttribute("colspan") || "1", 10);
      });
    });
  }

  // ---- the browser's copy of a form --------------------------------------------------------

  function storageKey(form) { return PREFIX + user + ":" + form.dataset.keep; }

  function read(form) {
    try {
      var copy = JSON.parse(localStorage.getItem(storageKey(form)) || "null");
      return copy && copy.fields ? copy : { fields: {} };
    } catch (e) { return { fields: {} }; }
  }

  function write(form, copy) {
    if (Object.keys(copy.fields).length) localStorage.setItem(storageKey(form), JSON.stringify(copy));
    else localStorage.removeItem(storageKey(form));
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (input) {
      return input.name && input.name !== "csrf_token" && input.type !== "file" &&
        input.type !== "submit" && input.type !== "button" && input.type !== "hidden";
    });
  }

  function valueOf(form, name) {
    var inputs = fieldsOf(form).filter(function (i) { return i.name === name; });
    if (!inputs.length) return null;
    if (inputs[0].type === "checkbox" || inputs[0].type === "radio") {
      return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; }).join("\n");
    }
    return inputs[0].value;
  }

  function setValue(form, name, value) {
    fieldsOf(form).forEach(function (input) {
      if (input.name !== name) return;
      if (input.type === "checkbox" || input.type === "radio") input.checked = value.split("\n").indexOf(input.value) >= 0;
      else input.value = value;
    });
  }

  function serverSavedAt(form) {
    var at = Date.parse(form.dataset.savedAt || "");
    return isNaN(at) ? 0 : at;
  }

  function restore(form) {
    var copy = read(form), since = serverSavedAt(form), kept = {};
    Object.keys(copy.fields).forEach(function (name) {
      var field = copy.fields[name];
      if (field.at > since && valueOf(form, name) !== null) {  // edited after the server's save
        if (valueOf(form, name) !== field.value) setValue(form, name, field.value);
        kept[name] = field;
      }
    });
    copy.fields = kept;
    write(form, copy);
    return pending(form);
  }

  function remember(form, input) {
    if (!input.name || input.name === "csrf_token" || input.type === "file") return;
    var copy = read(form);
    copy.fields[input.name] = { value: valueOf(form, input.name), at: Date.now(), sent: false };
    write(form, copy);
    showPending(form);
  }

  // The server has every edit made before sentAt. The copy stays (marked sent) until the form's
  // receipt page: a page kept offline may be older than the server's save.
  function acknowledge(form, sentAt) {
    var copy = read(form);
    Object.keys(copy.fields).forEach(function (name) {
      if (copy.fields[name].at <= sentAt) copy.fields[name].sent = true;
    });
    write(form, copy);
  }

  function pending(form) {
    var fields = read(form).fields;
    return Object.keys(fields).some(function (name) { return !fields[name].sent; });
  }

  // ---- the status line -----------------------------------------------------------------------

  function statusLine(form) {
    var line = form.querySelector("#autosave");
    if (!line) {
      line = document.createElement("p");
      line.id = "autosave";
      line.className = "muted";
      line.setAttribute("aria-live", "polite");
      var actions = form.querySelector(".actions");
      form.insertBefore(line, actions || null);
    }
    return line;
  }

  function showPending(form) {
    var line = statusLine(form);
    line.textContent = body.dataset.msgPending;
    line.classList.remove("sent");
    line.classList.add("pending");
    line.dataset.state = "pending";
  }

  function showSent(form, html) {
    var line = statusLine(form);
    if (html) line.innerHTML = html; else line.textContent = body.dataset.msgSent;
    line.classList.remove("pending");
    line.classList.add("sent");
    line.dataset.state = "sent";
  }

  // ---- sending what the server has not got ------------------------------------------------

  function sendTarget(form) {
    var autosave = form.querySelector("#autosave[hx-post]");
    if (autosave) return { url: autosave.getAttribute("hx-post"), draft: false };
    // A form saved before (it edits a record) can be saved as a draft again; a new one waits
    // for the person to press its button, so no second record is ever made in the background.
    if (form.dataset.savedAt && form.querySelector("button[name=action][value=draft]")) {
      return { url: form.getAttribute("action"), draft: true };
    }
    return null;
  }

  function send(form) {
    var target = sendTarget(form);
    if (!target || !pending(form) || !navigator.onLine || form.dataset.sending) return;
    var data = new FormData(form), sentAt = Date.now();
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (i) { data.delete(i.name); });
    if (target.draft) data.set("action", "draft");
    form.dataset.sending = "1";
    fetch(target.url, { method: "POST", body: data, credentials: "same-origin",
                        headers: target.draft ? {} : { "HX-Request": "true" } })
      .then(function (response) {
        // A draft saved goes on to the record's page; a form sent back (422) keeps the copy.
        var saved = response.ok && (!target.draft || response.redirected);
        if (!saved) return;
        acknowledge(form, sentAt);
        return target.draft ? showSent(form) : response.text().then(function (html) { showSent(form, html); });
      })
      .catch(function () { showPending(form); })
      .then(function () { delete form.dataset.sending; if (pending(form)) showPending(form); });
  }

  function wireForm(form) {
    if (form.dataset.wired) return;
    form.dataset.wired = "1";
    if (restore(form)) { showPending(form); send(form); }
    form.addEventListener("input", function (e) { remember(form, e.target); });
    form.addEventListener("change", function (e) { remember(form, e.target); });
    var autosave = form.querySelector("#autosave[hx-post]");
    if (autosave) {
      autosave.addEventListener("htmx:beforeRequest", function () { autosave.dataset.sentAt = Date.now(); });
      autosave.addEventListener("htmx:afterRequest", function (e) {
        if (e.detail.successful) {
          acknowledge(form, parseInt(autosave.dataset.sentAt, 10));
          autosave.classList.remove("pending"); autosave.classList.add("sent");
          autosave.dataset.state = "sent";
        }
        if (pending(form)) showPending(form);
      });
      autosave.addEventListener("htmx:sendError", function () { showPending(form); });
    }
    keepPage();
  }

  // ---- pages kept for offline use --------------------------------------------------------

  function keepPage() {
    if (!("serviceWorker" in navigator) || !window.caches) return;
    navigator.serviceWorker.register(body.dataset.worker || "/sw.js").then(function () {
      if (navigator.serviceWorker.controller) return;  // the worker keeps this page as it loads
      // The worker was not there when this page loaded: keep the page and its assets now.
      var assets = Array.prototype.map.call(document.querySelectorAll("link[rel=stylesheet], script[src]"),
                                            function (el) { return el.href || el.src; });
      keep("dvk-pages", [location.href]);
      keep("dvk-assets", assets);
    }).catch(function () {});
  }

  function keep(name, urls) {  // fetched past the worker, so each copy has one writer
    caches.open(name).then(function (cache) {
      return Promise.all(urls.map(function (url) {
        return fetch(url, { credentials: "same-origin", headers: { "X-DVK-Keep": "1" } })
          .then(function (response) { if (response.ok) return cache.put(url, response); });
      }));
    }).catch(function () {});
  }

  // ---- sign-out ------------------------------------------------------------------------------

  function forget(owner) {  // resolves once the kept pages are gone too
    Object.keys(localStorage).forEach(function (key) {
      if (key.indexOf(PREFIX) === 0 && (!owner || key.indexOf(PREFIX + owner + ":") === 0 ||
                                       key.split(":").length < 3)) localStorage.removeItem(key);
    });
    return window.caches ? caches.delete("dvk-pages").catch(function () {}) : Promise.resolve();
  }

  // Each service runs on its own origin, with its own storage: a sign-out on one leaves a
  // cookie (same host, or the session cookie's domain) that the other reads on its next page.
  function signOuts() {
    var match = document.cookie.match(new RegExp("(?:^|; )" + FORGET + "=([^;]*)"));
    return match && match[1] ? match[1].split(".") : [];
  }

  function leaveSignOut(owner) {
    var entries = signOuts().concat([owner + "-" + Date.now()]).slice(-5);
    var domain = body.dataset.cookieDomain ? "; domain=" + body.dataset.cookieDomain : "";
    document.cookie = FORGET + "=" + entries.join(".") + "; path=/; max-age=" + 30 * 24 * 3600 +
      "; samesite=lax" + domain;
    markDone(entries);
  }

  function markDone(entries) { localStorage.setItem("dvk-signed-out", entries.join(".")); }

  function signedOutElsewhere() {
    var done = (localStorage.getItem("dvk-signed-out") || "").split("."), entries = signOuts();
    entries.forEach(function (entry) {
      if (done.indexOf(entry) < 0) forget(entry.split("-")[0]);
    });
    if (entries.length) markDone(entries);
  }

  function wireSignOut(root) {
    root.querySelectorAll("form[data-sign-out]").forEach(function (form) {
      form.addEventListener("submit", function (e) {
        if (form.dataset.forgotten) return;
        e.preventDefault();  // sign out once the browser has let go of everything
        leaveSignOut(user);
        forget(user).then(function () { form.dataset.forgotten = "1"; form.submit(); });
      });
    });
  }

  // ---- wiring ------------------------------------------------------------------------------

  function wire(root) {
    root.querySelectorAll("table").forEach(labelTable);
    root.querySelectorAll("[data-saved]").forEach(function (marker) {
      localStorage.removeItem(PREFIX + user + ":" + marker.dataset.saved);
      localStorage.removeItem(PREFIX + marker.dataset.saved);  // kept before copies had owners
    });
    root.querySelectorAll("form[data-keep]").forEach(wireForm);
    wireSignOut(root);
  }

  window.addEventListener("online", function () {
    document.querySelectorAll("form[data-keep]").forEach(send);
  });
  document.addEventListener("DOMContentLoaded", function () { signedOutElsewhere(); wire(document); });
  document.addEventListener("htmx:load", function (e) { wire(e.target); });
})();
