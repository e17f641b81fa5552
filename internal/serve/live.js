// handbook serve: live reload and the problems overlay.
//
// Injected into every page as <script src=".../__handbook/live.js"
// data-build data-instance data-hash defer>. It listens to the server's
// events; the server decides, per page, whether this page changed
// ("reload"), or only the stylesheets did ("css"). Problems of the latest
// build are shown in an overlay on every page until a build has none.
//
// A changed page is updated in place when it can be: its new HTML is
// fetched and the parts of the body that differ are replaced, so that the
// scroll position, the focus and what the page's scripts set up are kept.
// That needs every script of the page to say that it follows such updates
// (by setting handbookUpdates on its script element, as the default theme's
// do) and the new page to have the same head (but for its title) and the
// same scripts; anything else reloads the page, at the same scroll position.
// After an update, document gets a "handbook:updated" event; every build
// event is passed on as a "handbook:build" event ({build, changed, more}),
// for scripts that keep data of the site, such as the search client.
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-handbook-live]");
  if (!script || !window.EventSource || window.__handbookLive) {
    return;
  }
  window.__handbookLive = true;

  var page = {
    build: script.getAttribute("data-build") || "0",
    instance: script.getAttribute("data-instance") || "",
    hash: script.getAttribute("data-hash") || ""
  };
  var eventsURL = script.src.replace(/live\.js(?:[?#].*)?$/, "events");
  var scrollKey = "handbook-scroll:" + location.pathname;
  var source = null;
  var retry = 500;
  var dismissed = null;
  var shown = null;

  // Scroll position survives the reloads we cause. A reload asked for
  // while the page is still loading from the previous one keeps the
  // position saved then, which has not been restored for good yet.
  var restoring = false;
  function saveScroll() {
    if (restoring) {
      return;
    }
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([window.scrollX, window.scrollY]));
    } catch (e) { /* storage may be disabled */ }
  }

  function restoreScroll() {
    var saved = null;
    try {
      saved = JSON.parse(sessionStorage.getItem(scrollKey) || "null");
    } catch (e) { /* ignore */ }
    if (!saved || saved.length !== 2) {
      return;
    }
    var go = function () { window.scrollTo(saved[0], saved[1]); };
    restoring = true;
    go();
    var done = function () {
      go();
      restoring = false;
      try { sessionStorage.removeItem(scrollKey); } catch (e) { /* ignore */ }
    };
    if (document.readyState === "complete") {
      done();
    } else {
      window.addEventListener("load", done, { once: true });
    }
  }

  // manualScroll turns the browser's own scroll restoration off for the
  // reloads we cause, so that it does not move the page after restoreScroll
  // did (it keeps an element in view, not the position, and runs after the
  // load event), and on again when the reader leaves the page.
  function manualScroll(on) {
    try {
      if ("scrollRestoration" in history) {
        history.scrollRestoration = on ? "manual" : "auto";
      }
    } catch (e) { /* ignore */ }
  }

  var reloading = false;
  function reload() {
    saveScroll();
    reloading = true;
    manualScroll(true);
    if (source) {
      source.close();
    }
    location.reload();
  }

  // ---- In-place updates ----

  // ours reports whether node is one of the nodes the server injects or
  // this script adds: left out of every comparison and kept as they are.
  function ours(node) {
    if (node.nodeType !== 1) {
      return false;
    }
    var id = node.id;
    return id === "handbook-overlay" || id === "handbook-overlay-style" || id === "handbook-drafts" ||
      (node.nodeName === "SCRIPT" && node.hasAttribute("data-handbook-live"));
  }

  function kids(node) {
    var out = [];
    for (var c = node.firstChild; c; c = c.nextSibling) {
      if (!ours(c)) {
        out.push(c);
      }
    }
    return out;
  }

  // absolute resolves a URL of the page; for a stylesheet, without the
  // query swapStylesheets adds.
  function absolute(href, stylesheet) {
    try {
      var u = new URL(href, location.href);
      if (stylesheet && u.searchParams.has("handbook-build")) {
        u.searchParams.delete("handbook-build");
        return u.href.replace(/\?$/, "");
      }
      return u.href;
    } catch (e) {
      return href;
    }
  }

  // signature describes an element of the head, or a script: its name,
  // attributes and, for elements whose text matters, the text. (Not that of
  // a noscript: the page parsed it as text, DOMParser as elements.)
  function signature(node) {
    var s = node.nodeName;
    var attrs = [];
    for (var i = 0; i < node.attributes.length; i++) {
      var a = node.attributes[i];
      var v = a.value;
      if (a.name === "href" || a.name === "src") {
        v = absolute(v, node.nodeName === "LINK");
      }
      attrs.push(a.name + "=" + v);
    }
    s += "[" + attrs.sort().join("\u0000") + "]";
    if (/^(SCRIPT|STYLE|TEMPLATE)$/.test(node.nodeName)) {
      s += node.textContent;
    }
    return s;
  }

  function headSignature(head) {
    var out = [];
    if (!head) {
      return "";
    }
    for (var c = head.firstElementChild; c; c = c.nextElementSibling) {
      if (!ours(c) && !c.__handbookOld && c.nodeName !== "TITLE") {
        out.push(signature(c));
      }
    }
    return out.join("\n");
  }

  function bodyScripts(body) {
    var out = [];
    if (!body) {
      return "";
    }
    var scripts = body.querySelectorAll("script");
    for (var i = 0; i < scripts.length; i++) {
      if (!ours(scripts[i])) {
        out.push(signature(scripts[i]));
      }
    }
    return out.join("\n");
  }

  // updatable reports whether every script of the page follows in-place
  // updates.
  function updatable() {
    if (!window.fetch || !window.DOMParser || !document.body) {
      return false;
    }
    var scripts = document.scripts;
    for (var i = 0; i < scripts.length; i++) {
      if (scripts[i] !== script && !ours(scripts[i]) && scripts[i].handbookUpdates !== true) {
        return false;
      }
    }
    return true;
  }

  // owned reports whether a subtree holds an element a script has taken
  // over (handbookServed: its markup as served), which must not be replaced.
  function owned(node) {
    if (node.nodeType !== 1) {
      return false;
    }
    if (node.handbookServed !== undefined) {
      return true;
    }
    var all = node.getElementsByTagName("*");
    for (var i = 0; i < all.length; i++) {
      if (all[i].handbookServed !== undefined) {
        return true;
      }
    }
    return false;
  }

  // syncAttributes gives a the attributes of b, but for the open state of
  // a <details>, which the reader may have toggled.
  function syncAttributes(a, b) {
    var i;
    for (i = a.attributes.length - 1; i >= 0; i--) {
      var name = a.attributes[i].name;
      if (!b.hasAttribute(name) && !(name === "open" && a.nodeName === "DETAILS")) {
        a.removeAttribute(name);
      }
    }
    for (i = 0; i < b.attributes.length; i++) {
      var at = b.attributes[i];
      if (a.getAttribute(at.name) !== at.value && !(at.name === "open" && a.nodeName === "DETAILS")) {
        a.setAttribute(at.name, at.value);
      }
    }
  }

  // morph makes the live node a like the new node b (same name), keeping
  // every element whose place and name are unchanged; it returns false
  // when it meets an element a script has taken over that changed.
  function morph(a, b) {
    if (a.nodeType !== 1) {
      if (a.data !== b.data) {
        a.data = b.data;
      }
      return true;
    }
    if (a.handbookServed !== undefined) {
      return a.handbookServed === b.outerHTML;
    }
    syncAttributes(a, b);
    var ac = kids(a), bc = kids(b);
    if (ac.length !== bc.length) {
      for (var i = 0; i < ac.length; i++) {
        if (owned(ac[i])) {
          return false;
        }
      }
      var anchor = null;
      for (var c = a.firstChild; c; c = c.nextSibling) {
        if (ours(c)) {
          anchor = c;
          break;
        }
      }
      ac.forEach(function (n) { n.remove(); });
      bc.forEach(function (n) { a.insertBefore(document.importNode(n, true), anchor); });
      return true;
    }
    for (var j = 0; j < ac.length; j++) {
      var x = ac[j], y = bc[j];
      if (x.nodeType !== y.nodeType || x.nodeName !== y.nodeName) {
        if (owned(x)) {
          return false;
        }
        a.replaceChild(document.importNode(y, true), x);
      } else if (!morph(x, y)) {
        return false;
      }
    }
    return true;
  }

  // swap brings the page to the new document doc in place; false means
  // that it cannot (the head or the scripts differ) and the page must
  // reload.
  function swap(doc) {
    var live = doc.querySelector("script[data-handbook-live]");
    if (!doc.body || headSignature(document.head) !== headSignature(doc.head) ||
        bodyScripts(document.body) !== bodyScripts(doc.body)) {
      return false;
    }
    var focused = document.activeElement;
    var focusID = focused && focused !== document.body ? focused.id : "";
    syncAttributes(document.documentElement, doc.documentElement);
    if (document.title !== doc.title) {
      document.title = doc.title;
    }
    if (!morph(document.body, doc.body)) {
      return false;
    }
    if (focusID && !document.body.contains(focused)) {
      var again = document.getElementById(focusID);
      if (again && again.focus) {
        again.focus({ preventScroll: true });
      }
    }
    if (live) {
      page.build = live.getAttribute("data-build") || page.build;
      page.hash = live.getAttribute("data-hash") || page.hash;
    }
    return true;
  }

  var updating = false, pending = false;

  // update fetches this page again and swaps it in, or reloads.
  function update() {
    if (!updatable()) {
      reload();
      return;
    }
    if (updating) {
      pending = true;
      return;
    }
    updating = true;
    mark("handbook:fetch");
    fetch(location.href.split("#")[0], { cache: "no-store", credentials: "same-origin" }).then(function (r) {
      var type = r.headers.get("Content-Type") || "";
      if (r.status !== 200 || r.redirected || !/^text\/html/i.test(type)) {
        throw new Error("not the page");
      }
      return r.text();
    }).then(function (text) {
      mark("handbook:fetched");
      var doc = new DOMParser().parseFromString(text, "text/html");
      mark("handbook:parsed");
      if (!swap(doc)) {
        throw new Error("cannot update in place");
      }
      mark("handbook:swapped");
      updating = false;
      document.dispatchEvent(new CustomEvent("handbook:updated", { detail: { build: Number(page.build) } }));
      if (pending) {
        pending = false;
        update();
      }
    }).catch(function () {
      updating = false;
      reload();
    });
  }

  function mark(name) {
    if (window.performance && performance.mark) {
      performance.mark(name);
    }
  }

  // Replace each same-origin stylesheet by a fresh copy; the old one is
  // removed when the new one has loaded, so the page never goes unstyled.
  function swapStylesheets(build) {
    var links = document.querySelectorAll("link[rel]");
    for (var i = 0; i < links.length; i++) {
      var link = links[i];
      if (!/(^|\s)stylesheet(\s|$)/i.test(link.rel) || link.__handbookOld || !link.href) {
        continue;
      }
      var url;
      try {
        url = new URL(link.href, location.href);
      } catch (e) {
        continue;
      }
      if (url.origin !== location.origin) {
        continue;
      }
      url.searchParams.set("handbook-build", build + "-" + Date.now());
      var next = link.cloneNode(false);
      next.href = url.href;
      link.__handbookOld = true;
      (function (old, fresh) {
        var finish = function () { old.remove(); };
        fresh.addEventListener("load", finish, { once: true });
        fresh.addEventListener("error", finish, { once: true });
      })(link, next);
      link.parentNode.insertBefore(next, link.nextSibling);
    }
  }

  var overlayCSS =
    "#handbook-overlay{all:initial;position:fixed;left:0;right:0;bottom:0;z-index:2147483647;" +
    "max-height:60vh;overflow:auto;box-sizing:border-box;padding:12px 16px 16px;" +
    "background:#fff;color:#1f2328;border-top:4px solid #cf222e;box-shadow:0 -6px 24px rgba(0,0,0,.25);" +
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace;text-align:left}" +
    "#handbook-overlay *{all:revert;box-sizing:border-box;font:inherit;color:inherit}" +
    "#handbook-overlay .hb-head{display:flex;align-items:center;gap:12px;margin:0 0 8px;font-weight:700;" +
    "font-family:system-ui,sans-serif}" +
    "#handbook-overlay .hb-head span{flex:1}" +
    "#handbook-overlay button{cursor:pointer;border:1px solid currentColor;border-radius:4px;" +
    "background:transparent;padding:0 8px;font:16px/1.4 system-ui,sans-serif}" +
    "#handbook-overlay .hb-item{margin:10px 0 0}" +
    "#handbook-overlay .hb-msg{white-space:pre-wrap;overflow-wrap:anywhere}" +
    "#handbook-overlay .hb-error{color:#cf222e;font-weight:700}" +
    "#handbook-overlay .hb-warning{color:#9a6700;font-weight:700}" +
    "#handbook-overlay pre{margin:4px 0 0;padding:6px 0;overflow:auto;white-space:pre;" +
    "background:#f6f8fa;border-radius:4px}" +
    "#handbook-overlay .hb-line{display:block;padding:0 8px}" +
    "#handbook-overlay .hb-mark{background:#ffebe9}" +
    "@media (prefers-color-scheme: dark){" +
    "#handbook-overlay{background:#0d1117;color:#e6edf3;border-top-color:#f85149}" +
    "#handbook-overlay .hb-error{color:#ff7b72}" +
    "#handbook-overlay .hb-warning{color:#d29922}" +
    "#handbook-overlay pre{background:#161b22}" +
    "#handbook-overlay .hb-mark{background:#5a1e1e}}";

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function pad(n, width) {
    var s = String(n);
    while (s.length < width) {
      s = " " + s;
    }
    return s;
  }

  function position(p) {
    var s = p.file || "-";
    if (p.line > 0) {
      s += ":" + p.line;
      if (p.col > 0) {
        s += ":" + p.col;
      }
    }
    return s;
  }

  function problemItem(p) {
    var item = el("div", "hb-item");
    var msg = el("div", "hb-msg");
    msg.appendChild(document.createTextNode(position(p) + " "));
    msg.appendChild(el("span", p.severity === "error" ? "hb-error" : "hb-warning", p.severity || "error"));
    msg.appendChild(document.createTextNode(" " + (p.rule ? p.rule + ": " : "") + (p.message || "")));
    item.appendChild(msg);
    var ctx = p.context || [];
    if (ctx.length) {
      var width = String(ctx[ctx.length - 1].n).length;
      var pre = el("pre");
      for (var i = 0; i < ctx.length; i++) {
        var marked = ctx[i].n === p.line;
        var text = (marked ? "> " : "  ") + pad(ctx[i].n, width) + " | " + ctx[i].text;
        pre.appendChild(el("span", marked ? "hb-line hb-mark" : "hb-line", text));
        if (marked && p.col > 0) {
          var caret = "  " + pad("", width) + " | " + ctx[i].text.slice(0, p.col - 1).replace(/[^\t]/g, " ") + "^";
          pre.appendChild(el("span", "hb-line", caret));
        }
      }
      item.appendChild(pre);
    }
    return item;
  }

  function showProblems(ev) {
    var problems = ev.problems || [];
    var key = JSON.stringify(problems);
    var old = document.getElementById("handbook-overlay");
    if (!problems.length || key === dismissed) {
      if (old) {
        old.remove();
      }
      shown = null;
      return;
    }
    if (old && key === shown) {
      return;
    }
    if (!document.getElementById("handbook-overlay-style")) {
      var style = el("style", "", overlayCSS);
      style.id = "handbook-overlay-style";
      (document.head || document.documentElement).appendChild(style);
    }
    var box = el("div");
    box.id = "handbook-overlay";
    box.setAttribute("role", "alert");
    var head = el("div", "hb-head");
    var errors = 0;
    for (var i = 0; i < problems.length; i++) {
      if (problems[i].severity === "error") {
        errors++;
      }
    }
    var total = Math.max(ev.problems_total || 0, problems.length);
    head.appendChild(el("span", "", total + (total === 1 ? " problem" : " problems") +
      " in build " + ev.build + (errors ? " (" + errors + (errors === 1 ? " error" : " errors") + (total > problems.length ? " shown" : "") + ")" : "")));
    var close = el("button", "", "\u00d7");
    close.type = "button";
    close.title = "Hide until the problems change";
    close.setAttribute("aria-label", close.title);
    close.addEventListener("click", function () {
      dismissed = key;
      box.remove();
    });
    head.appendChild(close);
    box.appendChild(head);
    for (var j = 0; j < problems.length; j++) {
      box.appendChild(problemItem(problems[j]));
    }
    if (total > problems.length) {
      box.appendChild(el("div", "hb-item hb-more", "\u2026 and " + (total - problems.length) +
        " more: run handbook check to see them all."));
    }
    if (old) {
      old.replaceWith(box);
    } else {
      (document.body || document.documentElement).appendChild(box);
    }
    shown = key;
  }

  function onBuild(msg) {
    var ev;
    try {
      ev = JSON.parse(msg.data);
    } catch (e) {
      return;
    }
    if (ev.build > 0) {
      document.dispatchEvent(new CustomEvent("handbook:build", {
        detail: { build: ev.build, changed: ev.changed || [], more: ev.more || 0 }
      }));
    }
    if (ev.reload) {
      if (ev.instance !== page.instance) {
        reload(); // after a restart: nothing is known of this page
      } else {
        update();
      }
      showProblems(ev);
      return;
    }
    if (ev.build > 0) {
      page.build = String(ev.build);
      page.instance = ev.instance;
    }
    if (ev.css) {
      swapStylesheets(ev.build);
    }
    showProblems(ev);
  }

  function connect() {
    if (source) {
      source.close();
    }
    var query = "?build=" + encodeURIComponent(page.build) +
      "&instance=" + encodeURIComponent(page.instance) +
      "&hash=" + encodeURIComponent(page.hash) +
      "&path=" + encodeURIComponent(location.pathname);
    var es = new EventSource(eventsURL + query);
    source = es;
    es.addEventListener("build", onBuild);
    es.onopen = function () { retry = 500; };
    es.onerror = function () {
      // EventSource retries network errors itself; after a refused
      // response (a server shutting down) it gives up, so start again.
      if (es.readyState === EventSource.CLOSED && source === es) {
        setTimeout(connect, retry);
        retry = Math.min(retry * 2, 5000);
      }
    };
  }

  restoreScroll();
  connect();
  window.addEventListener("pagehide", function () {
    if (!reloading) {
      manualScroll(false);
    }
    if (source) {
      source.close();
    }
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) {
      connect();
    }
  });
})();
