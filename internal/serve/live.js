// handbook serve: live reload and the problems overlay.
//
// Injected into every page as <script src=".../__handbook/live.js"
// data-build data-instance data-hash defer>. It listens to the server's
// events; the server decides, per page, whether this page must reload
// ("reload"), or only its stylesheets ("css"). Problems of the latest build
// are shown in an overlay on every page until a build has none.
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

  // Scroll position survives the reloads we cause.
  function saveScroll() {
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
    go();
    var done = function () {
      go();
      try { sessionStorage.removeItem(scrollKey); } catch (e) { /* ignore */ }
    };
    if (document.readyState === "complete") {
      done();
    } else {
      window.addEventListener("load", done, { once: true });
    }
  }

  function reload() {
    saveScroll();
    if (source) {
      source.close();
    }
    location.reload();
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
    if (ev.reload) {
      reload();
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
