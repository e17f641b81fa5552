/* handbook search: the browser client of the index that `handbook build`
   writes under <base>search/ (the format: internal/search/FORMAT.md).
   No dependencies. entry.json is fetched when the page is idle (or the box
   is about to be used); then only the chunk, position and record files a
   query needs, each file once, in parallel. Results show from the chunks,
   which name the best documents of their terms; records follow.
   Tests use window.handbookSearch = {query, run, scope, stem, fold, words}. */
(function () {
  "use strict";
  var doc = document;
  var script = doc.currentScript && doc.currentScript.src;
  // handbook serve may update the page in place (internal/serve/live.js):
  // the search box is kept as it is, and the index is fetched again when it
  // changed (see forget).
  if (doc.currentScript) doc.currentScript.handbookUpdates = true;

  /* ---- 1. Text: fold, words, terms, the Snowball English (Porter2) stemmer ---- */
  var SPECIAL = { "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
    "đ": "d", "Đ": "d", "ı": "i", "þ": "th", "Þ": "th" };
  function fold(s) { // as Go's search.Fold: a character at a time, so no final-sigma rule
    var out = "";
    for (var c of String(s).normalize("NFD").replace(/\p{M}/gu, "")) out += SPECIAL[c] || c.toLowerCase();
    return out;
  }
  function words(s) {
    return fold(s).replace(/['’]/g, "").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }
  function isLetters(w) { return /^\p{L}+$/u.test(w); }
  function len(w) { return Array.from(w).length; }

  function table(spec) { // "a:b c:" → [[suffix, replacement]] longest first
    return spec.split(" ").map(function (p) { return p.split(":"); })
      .sort(function (a, b) { return b[0].length - a[0].length; });
  }
  var EXC1 = new Map(table("skis:ski skies:sky dying:die lying:lie tying:tie idly:idl gently:gentl ugly:ugli " +
    "early:earli only:onli singly:singl sky:sky news:news howe:howe atlas:atlas cosmos:cosmos bias:bias andes:andes"));
  var EXC2 = new Set("inning outing canning herring earring proceed exceed succeed".split(" "));
  var STEP1A = table("sses:ss ied:i ies:i us:us ss:ss s:");
  var STEP1B = table("eedly:ee ingly: edly: eed:ee ing: ed:");
  var STEP2 = table("tional:tion enci:ence anci:ance abli:able entli:ent izer:ize ization:ize ational:ate " +
    "ation:ate ator:ate alism:al aliti:al alli:al fulness:ful ousli:ous ousness:ous iveness:ive iviti:ive " +
    "biliti:ble bli:ble ogi:og fulli:ful lessli:less li:");
  var STEP3 = table("tional:tion ational:ate alize:al icate:ic iciti:ic ical:ic ful: ness: ative:");
  var STEP4 = table("al: ance: ence: er: ic: able: ible: ant: ement: ment: ent: ism: ate: iti: ous: ive: ize: ion:");
  function isV(c) { return c === "a" || c === "e" || c === "i" || c === "o" || c === "u" || c === "y"; }

  function stem(word) {
    if (EXC1.has(word)) return EXC1.get(word);
    var s = Array.from(word), n, i;
    if (s.length < 3) return word;
    // prelude: a leading apostrophe goes; y at the start or after a vowel is a consonant, Y
    if (s[0] === "'") s.shift();
    var yFound = false;
    for (i = 0; i < s.length; i++) {
      if (s[i] === "y" && (i === 0 || isV(s[i - 1]))) { s[i] = "Y"; yFound = true; }
    }
    n = s.length;
    // R1 and R2: after the first non-vowel following a vowel (R1 after some prefixes)
    function past(k) {
      while (k < n && !isV(s[k])) k++;
      for (k++; k < n && isV(s[k]); k++);
      return k < n ? k + 1 : -1;
    }
    var p1 = n, p2 = n;
    var pre = /^(gener|commun|arsen)/.exec(s.slice(0, 6).join(""));
    var r = pre ? pre[1].length : past(0);
    if (r >= 0) {
      p1 = r;
      r = past(r);
      if (r >= 0) p2 = r;
    }
    function ends(x) {
      if (x.length > n) return false;
      for (var j = 0; j < x.length; j++) if (s[n - x.length + j] !== x[j]) return false;
      return true;
    }
    function longest(t) {
      for (var j = 0; j < t.length; j++) if (ends(t[j][0])) return t[j];
      return null;
    }
    function put(cut, rep) { // replace the last cut characters with rep
      s.splice(n - cut, cut);
      for (var j = 0; j < rep.length; j++) s.push(rep[j]);
      n = s.length;
    }
    function vowelBefore(k) {
      for (var j = 0; j < k; j++) if (isV(s[j])) return true;
      return false;
    }
    function shortv(k) { // a short syllable ends at k
      if (k === 2) return !isV(s[1]) && isV(s[0]);
      var c = s[k - 1];
      return k > 2 && !isV(c) && c !== "w" && c !== "x" && c !== "Y" && isV(s[k - 2]) && !isV(s[k - 3]);
    }
    var m, b;
    // Step 0: apostrophes
    if (ends("'s'")) put(3, "");
    else if (ends("'s")) put(2, "");
    else if (ends("'")) put(1, "");
    // Step 1a
    m = longest(STEP1A);
    if (m) {
      if (m[0] === "sses") put(4, "ss");
      else if (m[0] === "ied" || m[0] === "ies") put(3, n > 4 ? "i" : "ie");
      else if (m[0] === "s" && vowelBefore(n - 2)) put(1, "");
    }
    if (!EXC2.has(s.join(""))) {
      // Step 1b
      m = longest(STEP1B);
      if (m) {
        b = n - m[0].length;
        if (m[1]) {
          if (b >= p1) put(m[0].length, "ee");
        } else if (vowelBefore(b)) {
          put(m[0].length, "");
          if (ends("at") || ends("bl") || ends("iz")) put(0, "e");
          else if (n > 1 && s[n - 1] === s[n - 2] && "bdfgmnprt".indexOf(s[n - 1]) >= 0) put(1, "");
          else if (n === p1 && shortv(n)) put(0, "e");
        }
      }
      // Step 1c
      if (n > 2 && (s[n - 1] === "y" || s[n - 1] === "Y") && !isV(s[n - 2])) s[n - 1] = "i";
      // Step 2
      m = longest(STEP2);
      if (m && n - m[0].length >= p1) {
        if (m[0] === "ogi") { if (s[n - 4] === "l") put(3, "og"); }
        else if (m[0] === "li") { if ("cdeghkmnrt".indexOf(s[n - 3]) >= 0) put(2, ""); }
        else put(m[0].length, m[1]);
      }
      // Step 3
      m = longest(STEP3);
      if (m && n - m[0].length >= p1 && (m[0] !== "ative" || n - 5 >= p2)) put(m[0].length, m[1]);
      // Step 4
      m = longest(STEP4);
      if (m && n - m[0].length >= p2 && (m[0] !== "ion" || s[n - 4] === "s" || s[n - 4] === "t")) put(m[0].length, "");
      // Step 5
      if (s[n - 1] === "e") {
        if (n - 1 >= p2 || (n - 1 >= p1 && !shortv(n - 1))) put(1, "");
      } else if (s[n - 1] === "l") {
        if (n - 1 >= p2 && s[n - 2] === "l") put(1, "");
      }
    }
    var out = s.join("");
    return yFound ? out.replace(/Y/g, "y") : out;
  }

  /* ---- 2. The index ---- */
  var indexURL, base; // the index folder (absolute URL), the site's base path
  function where() {
    if (indexURL) return;
    var box = doc.querySelector("[data-handbook-search]");
    var at = box && box.getAttribute("data-handbook-search");
    if (at) {
      if (!/\/$/.test(at)) at += "/";
      indexURL = new URL(at, location.href).href;
      base = at.replace(/search\/$/, "");
    } else { // no box: the index is beside the theme's assets/ folder
      indexURL = new URL("../search/", script || location.href).href;
      base = new URL("../", script || location.href).pathname;
    }
  }

  var files = new Map();
  function load(name) {
    where();
    var url = new URL(name, indexURL).href;
    var p = files.get(url);
    if (!p) {
      p = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ": HTTP " + r.status);
        return r.json();
      });
      p.catch(function () { files.delete(url); }); // a failed file may be tried again
      files.set(url, p);
    }
    return p;
  }

  var E = null, entryP = null, stale = false;
  function entry() {
    if (stale) { // the index changed under handbook serve: start again from its entry
      stale = false;
      files.clear();
      dirs.clear();
      named.clear();
      chunkP.clear();
      recs.clear();
      entryP = null;
    }
    if (!entryP) {
      entryP = load("entry.json").then(function (e) {
        if (e.version !== 4) throw new Error("search index version " + e.version + ", want 4");
        var kinds = (e.facets && e.facets.kind) || [];
        var flat = !e.dirs;
        E = {
          docs: e.docs, stop: new Set(e.stop || []), chunks: e.chunks, flat: flat,
          // a large index lists directories of `per` chunks instead (FORMAT.md)
          first: (flat ? e.chunks : e.dirs).map(function (c) { return c[0]; }), dirs: e.dirs, per: e.per,
          count: flat ? e.chunks.length : e.count,
          group: e.group, records: e.records, facets: e.facets || {},
          labels: new Map(kinds.map(function (k) { return [k[0], k[2] || k[0]]; })), kinds: kinds,
          sections: e.sections || []
        };
        return E;
      });
      entryP.catch(function () { entryP = null; });
    }
    return entryP;
  }

  function term(w) {
    if (E.stop.has(w)) return "";
    return isLetters(w) && len(w) >= 3 ? stem(w) : w;
  }
  function facetTerm(f, v) { return f + ":" + fold(v).trim().replace(/\s+/g, "-"); }
  function own(o, k) { return o && Object.prototype.hasOwnProperty.call(o, k) ? o[k] : null; }
  function last(firsts, t) { // the last index whose first term is <= t
    var lo = 0, hi = firsts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (firsts[mid] <= t) lo = mid; else hi = mid - 1;
    }
    return lo;
  }
  // A large index's chunk directories, loaded by resolve before chunkOf
  // is asked about a term they cover: directory → [[first term, file]].
  var dirs = new Map();
  function resolve(ts) {
    if (E.flat) return Promise.resolve();
    var want = new Set();
    ts.forEach(function (t) { var d = last(E.first, t); if (!dirs.has(d)) want.add(d); });
    return Promise.all(Array.from(want, function (d) {
      return load(E.dirs[d][1]).then(function (x) { dirs.set(d, { c: x.c, f: x.c.map(function (c) { return c[0]; }) }); });
    }));
  }
  function chunkOf(t) { // the chunk that holds term t
    if (E.flat) return last(E.first, t);
    var d = last(E.first, t);
    return d * E.per + last(dirs.get(d).f, t);
  }
  function chunkAt(i) { // [first term, file] of chunk i; null when its directory is not loaded
    if (E.flat) return E.chunks[i];
    var cs = dirs.get(Math.floor(i / E.per));
    if (cs) return cs.c[i % E.per];
    return i % E.per === 0 ? [E.first[i / E.per], null] : null;
  }
  function prefixChunks(p) { // the chunks that may hold terms starting with p (two at most)
    var i = chunkOf(p), out = [i], next = i + 1 < E.count && chunkAt(i + 1);
    if (len(p) > 1 && next && next[0].startsWith(p)) out.push(i + 1);
    return out;
  }

  // chunk loads chunk i: its terms; the documents it names (the best of
  // each term: title, URL, kind) join `named`.
  var named = new Map(), chunkP = new Map();
  function chunk(i) {
    var p = chunkP.get(i);
    if (!p) {
      p = (chunkAt(i)[1] ? Promise.resolve() : resolve([chunkAt(i)[0]])).then(function () {
        return load(chunkAt(i)[1]);
      }).then(function (c) {
        for (var d in c.d) if (own(c.d, d)) named.set(+d, c.d[d]);
        return c.t;
      });
      p.catch(function () { chunkP.delete(i); });
      chunkP.set(i, p);
    }
    return p;
  }

  // decode turns a term's postings into arrays: documents, scores,
  // sections, and the bitset of every document of a frequent term.
  var flat = new WeakMap();
  function decode(t) {
    var x = flat.get(t);
    if (x) return x;
    var p = t.p || [], n = (p.length / 3) | 0, d = 0, i;
    x = { docs: new Int32Array(n), sc: new Float64Array(n), sec: new Int32Array(n), fl: new Uint8Array(n), bits: null, rest: t.rest || 0 };
    for (i = 0; i < n; i++) {
      d += p[3 * i];
      x.docs[i] = d;
      x.sc[i] = p[3 * i + 1];
      x.sec[i] = p[3 * i + 2] >> 4; // the section, then the flags: 1 title, 2 the title's first word, 4·(name length − 1)
      x.fl[i] = p[3 * i + 2] & 15;
    }
    if (t.all) {
      var b = atob(t.all);
      x.bits = new Uint8Array(b.length);
      for (i = 0; i < b.length; i++) x.bits[i] = b.charCodeAt(i);
    }
    flat.set(t, x);
    return x;
  }
  // A clause's matches: the score of each document (−1: no match) and
  // the section it scored best in.
  function clause() {
    var sc = new Float64Array(E.docs);
    sc.fill(-1);
    return { sc: sc, sec: new Int32Array(E.docs), fl: new Uint8Array(E.docs) };
  }
  // at returns where document d is in the decoded postings x (−1: it is
  // not, or only in the bitset, without positions).
  function at(x, d) {
    if (!x.at) {
      x.at = new Map();
      for (var i = 0; i < x.docs.length; i++) x.at.set(x.docs[i], i);
    }
    var i = x.at.get(d);
    return i === undefined ? -1 : i;
  }
  // add matches term t's documents in clause m at k times their score; a
  // document keeps its best alternative.
  function add(m, t, k) {
    // 16 marks a match by a prefix or a correction (k < 1): a title it
    // completes is the query less surely than one it names
    var x = decode(t), sc = m.sc, sec = m.sec, fl = m.fl, i, j, d, s, by = k < 1 ? 16 : 0;
    if (x.bits) {
      s = x.rest * k;
      for (i = 0; i < x.bits.length; i++) {
        var byte = x.bits[i];
        for (j = 0; byte && j < 8; j++, byte >>= 1) {
          d = i * 8 + j;
          if (byte & 1 && s > sc[d]) { sc[d] = s; sec[d] = 0; fl[d] = 0; }
        }
      }
    }
    for (i = 0; i < x.docs.length; i++) {
      d = x.docs[i];
      s = x.sc[i] * k;
      // (a posting of its own tells the flags the bitset's score does not)
      if (s > sc[d] || (s === sc[d] && (x.fl[i] | by) > fl[d])) { sc[d] = s; sec[d] = x.sec[i]; fl[d] = x.fl[i] | by; }
    }
  }

  // dist is the edit distance of a and b (insert, delete, replace, swap
  // two letters: optimal string alignment), or max + 1 when it is more
  // than max; prefix: of a and any start of b instead.
  function dist(a, b, max, prefix) {
    a = Array.from(a); b = Array.from(b);
    if (!prefix && Math.abs(a.length - b.length) > max) return max + 1;
    if (prefix && b.length > a.length + max) b = b.slice(0, a.length + max);
    var la = a.length, lb = b.length, prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= lb; j++) prev.push(j);
    for (i = 1; i <= la; i++) {
      cur = [i];
      var low = i;
      for (j = 1; j <= lb; j++) {
        var c = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) c = Math.min(c, prev2[j - 2] + 1);
        cur.push(c);
        if (c < low) low = c;
      }
      if (low > max) return max + 1;
      prev2 = prev; prev = cur;
    }
    if (!prefix) return prev[lb];
    return Math.min.apply(null, prev.slice(Math.max(0, la - max)));
  }
  // nearSlots are the near lists a correction of clause c's word may be
  // in: each key with each length within two edits (FORMAT.md), "~con16";
  // for the last word still being typed, the longer ones too, nearest
  // first, up to ten letters more.
  function nearSlots(c) {
    var n = len(c.w), out = [], lens = [];
    for (var l = Math.max(3, n - 2); l <= Math.min(99, n + (c.prefix ? 10 : 2)); l++) lens.push(l);
    nearKeys(c.w).forEach(function (k) {
      lens.forEach(function (l) { out.push("~" + k + (l < 10 ? "0" : "") + l); });
    });
    return out;
  }
  // nearKeys are the keys a word is filed under in the near lists (as
  // Go's nearKeys): its first three letters, and the first three left
  // after deleting its first, second or third.
  function nearKeys(w) {
    var r = Array.from(w).slice(0, 4), out = [r.slice(0, 3).join("")];
    for (var del = 0; del < 3 && del < r.length; del++) {
      var k = r.filter(function (_, i) { return i !== del; }).slice(0, 3).join("");
      if (out.indexOf(k) < 0) out.push(k);
    }
    return out;
  }

  var FACET = /^(kind|status|service|tag):(.*)$/i;

  // parse splits a query into clauses: words, phrases and facets, each
  // maybe negated (-). The last word is a prefix unless a space follows it.
  function parse(q) {
    var out = [], re = /(-?)(?:"([^"]*)"?|(\S+))/g, m, last = null;
    var open = !/\s$/.test(q);
    while ((m = re.exec(q))) {
      var neg = m[1] === "-", ws, f, phrase = m[2] !== undefined;
      if (neg && m[3] && m[3].charAt(0) === "-") neg = false; // a command-line flag: --templateMetrics
      if (phrase) {
        ws = words(m[2]);
        // a phrase still being typed is plain words until its quote closes
        if (m[0].length - m[1].length < 2 || !/"$/.test(m[0])) phrase = false;
      } else if ((f = FACET.exec(m[3]))) {
        if (f[2]) out.push({ f: f[1].toLowerCase(), v: f[2], neg: neg, open: re.lastIndex === q.length && open });
        last = null;
        continue;
      } else ws = words(m[3]);
      if (phrase || (neg && ws.length > 1)) {
        if (ws.length === 1) out.push({ w: ws[0], neg: neg, exact: true });
        else if (ws.length) out.push({ phrase: ws, neg: neg });
        last = null;
      } else {
        // An identifier with underscores (pg_stat_activity) is looked up
        // whole too, by its first word: a page with it ranks first.
        var id = /_/.test(m[3]) && ws.length > 1 && (fold(m[3]).match(/[\p{L}\p{N}_]+/gu) || []).filter(function (x) { return /[^_]_+[^_]/.test(x); })[0];
        ws.forEach(function (w, i) { out.push(last = { w: w, neg: neg, id: i === 0 && id && !neg ? id : "" }); });
        // A camelCase word (an alert name) is also its pieces, looked up
        // when the whole word is in no page.
        if (ws.length === 1 && !neg) {
          var ps = camelPieces(m[3]);
          if (ps.length > 1) last.pieces = ps;
        }
        if (neg) last = null;
        // A dotted path (.Site.RegularPages, renderer.unsafe) also ranks
        // the pages where its parts stand together in code, first.
        if (!neg && ws.length > 1 && /[\p{L}\p{N}]\.[\p{L}\p{N}]/u.test(m[3])) out.push({ phrase: ws, code: true, optional: true });
      }
    }
    // One or two letters would match too many terms to be worth the
    // download: a prefix counts from three. After other words, a short
    // last word being typed only ranks the pages having a word it starts.
    if (last && open) {
      if (len(last.w) >= 3) last.prefix = true;
      else if (out.some(function (c) { return c !== last && c.w && !c.neg; })) last.prefix = last.optional = true;
    }
    return out;
  }

  // camelPieces returns the folded pieces of a camelCase word, split as
  // the index splits them (FORMAT.md): "PaymentsDBDown" → payments, db,
  // down.
  function camelPieces(w) {
    var out = [], cur = "", prev = 0, prev2 = 0;
    for (var c of w) {
      var cls = /\p{Lu}/u.test(c) ? 2 : /\p{Ll}/u.test(c) ? 1 : /[\p{L}\p{N}]/u.test(c) ? 3 : 0;
      if (!cls) { if (cur) out.push(cur); cur = ""; prev = prev2 = 0; continue; }
      if (cls === 2 && prev === 1 && cur) { out.push(cur); cur = ""; }
      else if (cls === 1 && prev === 2 && prev2 === 2 && cur.length > 1) { out.push(cur.slice(0, -1)); cur = cur.slice(-1); }
      cur += c;
      prev2 = prev; prev = cls === 3 ? 0 : cls;
    }
    if (cur) out.push(cur);
    return out.map(fold).filter(Boolean);
  }

  // fetchChunks loads the chunks of the set need into the object got
  // (chunk number → its terms).
  function fetchChunks(need, got) {
    return Promise.all(Array.from(need).filter(function (i) { return !got[i]; }).map(function (i) {
      return chunk(i).then(function (c) { got[i] = c; });
    }));
  }
  function letters(w) { return (w.match(/\p{L}/gu) || []).length; }

  // Typo tolerance: a word (of four letters or more) that matches nothing,
  // or only a page or two, is corrected to the words of the near lists
  // filed under its keys (FORMAT.md): those within one edit, two for a
  // word of eight letters or more; an unfinished last word is corrected
  // to words that start like it. The most frequent few are looked up.
  var TYPO = 0.6, TYPO2 = 0.4, PREFIX = 0.7;
  function corrections(c, lists, max) {
    var w = c.w, found = new Map();
    lists.forEach(function (l) {
      for (var i = 0; l && i + 1 < l.length; i += 2) {
        var cand = l[i];
        if (cand === w || found.has(cand)) continue;
        var d = dist(w, cand, max, false), pre = false;
        if (d > max && c.prefix) { d = dist(w, cand, max, true); pre = true; }
        if (d <= max && d > 0) found.set(cand, { w: cand, d: d, df: l[i + 1], pre: pre });
      }
    });
    return Array.from(found.values()).sort(function (a, b) {
      return a.d - b.d || a.pre - b.pre || b.df - a.df || (a.w < b.w ? -1 : 1);
    }).slice(0, c.prefix ? 6 : 4);
  }

  // run ranks the documents matching q: {hits: the `limit` best, best
  // first, as [{doc, score, sec}], total: how many match, marks, prefix,
  // fixed}, marks being the terms matched (for highlighting), fixed the
  // words corrected ([typed, corrected]).
  async function run(q, limit) {
    await entry();
    var clauses = parse(q), needT = new Set(), needPos = new Set(), marks = new Set(), prefix = "";
    var hasWord = clauses.some(function (c) { return c.phrase || (c.w && !c.neg && !E.stop.has(c.w)); });
    var words_ = [];
    clauses.forEach(function (c) {
      if (c.phrase) {
        c.terms = [];
        c.phrase.forEach(function (w, off) {
          var t = c.code ? w : term(w); // code is indexed as written
          if (t) { c.terms.push([off, t]); needT.add(t); needPos.add(t); }
        });
      } else if (c.f) {
        var vals = [facetTerm(c.f, c.v)], known = (E.facets[c.f] || []).map(function (v) { return facetTerm(c.f, v[0]); });
        if (c.open && known.indexOf(vals[0]) < 0) { // a facet value being typed
          var more = known.filter(function (t) { return t.startsWith(vals[0]); });
          if (more.length) vals = more;
        }
        c.terms = vals;
        vals.forEach(function (t) { needT.add(t); });
      } else {
        var t = term(c.w);
        if (!t && !(c.prefix && !hasWord)) { c.skip = true; return; } // a stop word
        c.terms = t ? (t === c.w ? [t] : [t, c.w]) : [];
        if (c.id) c.terms.push(c.id);
        c.terms.forEach(function (t) { needT.add(t); });
        (c.pieces || []).forEach(function (p) { needT.add(term(p) || p); needT.add(p); });
        if (c.prefix) { needT.add(c.w); prefix = c.w; }
        if (!c.neg) words_.push(c);
      }
    });
    // Two words written apart may be one in the pages ("fail over",
    // "failover"): the pair's joined word counts for both.
    var pairs = [];
    for (var k = 0; k + 1 < words_.length; k++) {
      var a = words_[k], b = words_[k + 1];
      // compounds are of short words ("log in", "fail over", "file system"):
      // longer pairs are not worth a chunk
      if (b.prefix || !isLetters(a.w) || !isLetters(b.w) || !term(a.w) || !term(b.w) || len(a.w) > 6 || len(b.w) > 6) continue;
      var jt = term(a.w + b.w);
      pairs.push({ a: a, b: b, t: jt });
      needT.add(jt);
    }
    await resolve(needT);
    var need = new Set(Array.from(needT, chunkOf));
    words_.forEach(function (c) {
      if (c.prefix) { c.pchunks = prefixChunks(c.w); c.pchunks.forEach(function (i) { need.add(i); }); }
    });
    var chunks = {}, pos = {};
    await Promise.all([fetchChunks(need, chunks)].concat(Array.from(new Set(Array.from(needPos, chunkOf)), function (i) {
      return load(chunkAt(i)[1].replace(/\.json$/, ".pos.json")).then(function (c) { pos[i] = c; });
    })));
    function post(t) { var c = chunks[chunkOf(t)]; return c ? own(c, t) : null; }

    // Words that match nothing (or next to nothing) are corrected.
    var fixing = [];
    words_.forEach(function (c) {
      if (c.skip || c.exact || c.optional || letters(c.w) < 4 || /^\d/.test(c.w)) return;
      var df = 0;
      c.terms.forEach(function (t) { var p = post(t); if (p) df = Math.max(df, p.df); });
      if (!df && c.pieces && c.pieces.every(function (p) { return post(term(p) || p) || post(p); })) {
        c.usePieces = true; // the pieces of a camelCase word, each required
        return;
      }
      if (df > (len(c.w) >= 6 ? 1 : 0)) return;
      if (c.prefix && c.pchunks.some(function (i) {
        for (var t in chunks[i]) if (own(chunks[i], t) && t.startsWith(c.w) && t.indexOf(":") < 0 && t !== c.w) return true;
        return false;
      })) return;
      c.keys = nearSlots(c);
      fixing.push(c);
    });
    if (fixing.length) {
      var keys = [];
      fixing.forEach(function (c) { keys = keys.concat(c.keys); });
      await resolve(keys);
      await fetchChunks(new Set(keys.map(chunkOf)), chunks);
      var more = new Set();
      fixing.forEach(function (c) {
        var lists = c.keys.map(function (k) { var p = post(k); return p && p.n; });
        c.fix = corrections(c, lists, len(c.w) >= 8 ? 2 : 1);
        c.wide = corrections(c, lists, 2); // for "did you mean", when nothing matches
        c.fix.forEach(function (f) {
          f.terms = [term(f.w) || f.w];
          if (f.terms[0] !== f.w) f.terms.push(f.w);
          f.terms.forEach(function (t) { more.add(t); });
        });
      });
      await resolve(more);
      await fetchChunks(new Set(Array.from(more, chunkOf)), chunks);
    }

    // Each clause gives its matches (clause()); facets of one name are one
    // clause (any of its values).
    var include = [], exclude = [], groups = {}, fixed = [], words = [];
    clauses.forEach(function (c) {
      if (c.skip) return;
      var m;
      if (c.f) {
        m = !c.neg && groups[c.f] || clause();
        m.facet = true;
        c.terms.forEach(function (t) { var p = post(t); if (p) add(m, p, 0); });
        if (c.neg) exclude.push(m);
        else groups[c.f] = m;
        return;
      }
      m = clause();
      if (c.phrase) {
        if (c.terms.length) {
          var ls = c.terms.map(function (x) { var p = post(x[1]); return { off: x[0], p: p, pos: own(pos[chunkOf(x[1])], x[1]) }; });
          if (ls.every(function (l) { return l.p && l.pos; })) {
            // Documents of the first word with positions, then those of
            // every word at the next position.
            decode(ls[0].p).docs.forEach(function (d) {
              var sum = 0, top = -1, sec = 0, fl = 3, starts = null;
              var ok = ls.every(function (l) {
                var x = decode(l.p), i = at(x, d);
                if (i < 0) return false;
                var where = l.pos[i] || [];
                starts = starts ? starts.filter(function (s) { return where.indexOf(s + l.off) >= 0; }) : where.map(function (w) { return w - l.off; });
                sum += x.sc[i];
                fl &= x.fl[i];
                if (x.sc[i] > top) { top = x.sc[i]; sec = x.sec[i]; }
                return starts.length > 0;
              });
              if (ok) { m.sc[d] = sum; m.sec[d] = sec; m.fl[d] = fl & 1; }
            });
          }
          if (!c.neg) c.terms.forEach(function (x) { marks.add(x[1]); });
        }
        m.optional = !!c.optional;
      } else {
        var alts = new Map();
        c.terms.forEach(function (t) { if (post(t)) alts.set(t, t === c.id ? 1.5 : 1); });
        if (c.prefix) {
          var cand = [];
          c.pchunks.forEach(function (i) {
            for (var t in chunks[i]) {
              if (own(chunks[i], t) && t.startsWith(c.w) && t.indexOf(":") < 0 && !alts.has(t)) cand.push(t);
            }
          });
          cand.sort(function (a, b) { return post(b).df - post(a).df || (a < b ? -1 : 1); });
          // the 20 most frequent, and rarer ones (no bitset to walk) up to 50
          cand.filter(function (t, i) { return i < 20 || (i < 50 && !post(t).all); }).forEach(function (t) { alts.set(t, PREFIX); });
        }
        (c.fix || []).forEach(function (f) {
          var k = (f.d > 1 ? TYPO2 : TYPO) * (f.pre ? PREFIX : 1), any = false;
          f.terms.forEach(function (t) { if (post(t) && !alts.has(t)) { alts.set(t, k); any = true; } });
          if (any && !fixed.some(function (x) { return x[0] === c.w; })) fixed.push([c.w, f.w]);
        });
        alts.forEach(function (k, t) {
          if (!c.neg) marks.add(t);
          add(m, post(t), k);
        });
        if (c.usePieces) {
          c.pieces.forEach(function (p, i) {
            var pm = i ? clause() : m;
            [term(p) || p, p].forEach(function (t) { var x = post(t); if (x) { add(pm, x, 1); marks.add(t); } });
            if (i) { include.push(pm); words.push(pm); }
          });
        }
        m.optional = !!c.optional;
        if (!c.neg && !c.optional) words.push(m);
        c.m = m;
      }
      (c.neg ? exclude : include).push(m);
    });
    // A pair's joined word: a match for both of its words.
    pairs.forEach(function (p) {
      var pt = post(p.t);
      if (!pt) return;
      add(p.a.m, pt, 0.5);
      add(p.b.m, pt, 0.5);
      marks.add(p.t);
    });
    var words0 = include.slice();
    for (var f in groups) include.push(groups[f]);
    var inScope = scoped && E.sections.filter(function (x) { return x[0] === scoped; })[0];
    if (inScope) { // the reader's part of the handbook: documents inScope[1] … inScope[2] − 1
      var sm = clause();
      sm.facet = true;
      for (var d = inScope[1]; d < inScope[2]; d++) sm.sc[d] = 0;
      include.push(sm);
    }
    var total = totals(include, exclude), relaxed = false;
    if (words.length >= 2 && !total.some(function (x) { return x >= 0; })) {
      // No page has every word: those having most of them, ranked by the
      // square of the share they have (a question in other words).
      total = most(words, include.filter(function (m) { return words.indexOf(m) < 0 && !m.optional; }), exclude);
      relaxed = true;
    }
    var nq = clauses.filter(function (c) { return c.w && !c.neg; }).length;
    var exacts = titled(total, words, nq);
    var ranked = best(total, limit), elsewhere = null;
    // The best pages whose title (or alert name) is the query come first,
    // wherever they ranked: a generated listing too, if no page has it.
    // (search puts the one whose title is the query as written first.)
    if (exacts.length) {
      exacts = best(exacts, 3).docs;
      ranked.docs = exacts.concat(ranked.docs.filter(function (d) { return exacts.indexOf(d) < 0; })).slice(0, Math.max(limit, exacts.length));
    }
    if (!ranked.count && words0.length && (inScope || Object.keys(groups).length)) {
      // Nothing here: say where the words are (kinds, the whole handbook).
      var wide = totals(words0, exclude);
      elsewhere = { all: 0, kinds: [] };
      for (var d2 = 0; d2 < wide.length; d2++) if (wide[d2] >= 0) elsewhere.all++;
      if (elsewhere.all) {
        var kt = E.kinds.map(function (k) { return "kind:" + k[0]; });
        await resolve(kt);
        await fetchChunks(new Set(kt.map(chunkOf)), chunks);
        E.kinds.forEach(function (k) {
          var p = post("kind:" + k[0]), n = 0;
          if (!p) return;
          var x = decode(p);
          for (var i = 0; i < x.docs.length; i++) if (wide[x.docs[i]] >= 0) n++;
          if (n) elsewhere.kinds.push([k[0], k[2] || k[0], n]);
        });
      }
    }
    var suggest = "";
    if ((!ranked.count || relaxed) && fixing.some(function (c) { return c.wide && c.wide.length; })) {
      suggest = clauses.map(function (c) {
        var neg = c.neg ? "-" : "";
        if (c.f) return neg + c.f + ":" + c.v;
        if (c.phrase) return neg + '"' + c.phrase.join(" ") + '"';
        return neg + (c.wide && c.wide.length ? c.wide[0].w : c.w);
      }).join(" ");
      if (titleKey(suggest) === titleKey(q)) suggest = "";
    }
    var hits = ranked.docs.map(function (d) {
      // The best section: the one the query's words score most in.
      var sec = 0, top = -1;
      include.forEach(function (m) {
        if (m.facet) return;
        var s = 0;
        include.forEach(function (o) { if (!o.facet && o.sec[d] === m.sec[d]) s += o.sc[d]; });
        if (s > top || (s === top && m.sec[d] < sec)) { top = s; sec = m.sec[d]; }
      });
      return { doc: d, score: total[d], sec: sec };
    });
    return { hits: hits, total: ranked.count, marks: marks, prefix: prefix, fixed: fixed, suggest: suggest, elsewhere: elsewhere, relaxed: relaxed };
  }

  // titled raises the score of documents whose title has the query's
  // words: by 60% for a title with all of them, less for some, a little
  // more when the title starts with the first, and by half when the title
  // (or an alert name) is the query, of nq ≤ 3 words (doubled when in
  // the same order, as far as its first word says). It returns the
  // scores of the latter (−1 for the others), or [] when there are none.
  function titled(total, words, nq) {
    var top = null;
    if (!words.length) return [];
    var n = words.length;
    for (var d = 0; d < total.length; d++) {
      if (total[d] <= 0) continue;
      var in_ = 0, f0 = words[0].fl[d];
      for (var k = 0; k < n; k++) if (words[k].fl[d] & 1) in_++;
      if (!in_) continue;
      var exact = in_ === n && nq <= 3 && ((f0 >> 2) & 3) + 1 === nq;
      total[d] *= (1 + 0.6 * in_ / n + (f0 & 2 ? 0.25 : 0)) * (exact ? (f0 & 2 ? 2 : 1.5) : 1);
      if (exact) { // named by the words as typed before completed or corrected ones
        if (!top) top = new Float64Array(total.length).fill(-1);
        top[d] = total[d] + (f0 & 16 ? 0 : 1e12);
      }
    }
    return top || [];
  }

  // titleKey is a title or query as compared for an exact match: folded,
  // its words joined by single spaces.
  function titleKey(s) {
    return fold(String(s)).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  // totals returns every document's score for the clauses (−1: not a
  // match): the sum of the included, unless one of them or an excluded
  // clause has no match.
  function totals(include, exclude) {
    var n = E.docs, d, i, a, b;
    var must = include.filter(function (m) { return !m.optional; }), may = include.filter(function (m) { return m.optional; });
    if (!must.length) return new Float64Array(n).fill(-1);
    var t = must[0].sc.slice();
    for (i = 1; i < must.length; i++) {
      b = must[i].sc;
      for (d = 0; d < n; d++) {
        a = t[d];
        if (a >= 0) t[d] = b[d] < 0 ? -1 : a + b[d];
      }
    }
    for (i = 0; i < may.length; i++) { // an optional clause only adds
      b = may[i].sc;
      for (d = 0; d < n; d++) if (t[d] >= 0 && b[d] > 0) t[d] += b[d];
    }
    for (i = 0; i < exclude.length; i++) {
      b = exclude[i].sc;
      for (d = 0; d < n; d++) if (b[d] >= 0) t[d] = -1;
    }
    return t;
  }

  // most scores the documents having all but one of words (of three or
  // fewer), or half of them, and every clause of filters, none of exclude:
  // the sum of their words' scores times the square of the share.
  function most(words, filters, exclude) {
    var n = words.length, need = n <= 3 ? n - 1 : Math.ceil(n / 2), t = new Float64Array(E.docs).fill(-1);
    for (var d = 0; d < E.docs; d++) {
      var k = 0, sum = 0, i;
      for (i = 0; i < n; i++) if (words[i].sc[d] >= 0) { k++; sum += words[i].sc[d]; }
      if (k < need) continue;
      for (i = 0; i < filters.length && filters[i].sc[d] >= 0; i++);
      if (i < filters.length) continue;
      for (i = 0; i < exclude.length && exclude[i].sc[d] < 0; i++);
      if (i < exclude.length) continue;
      t[d] = sum * (k / n) * (k / n);
    }
    return t;
  }

  // best returns how many documents have a score (−1: none) and those of
  // the `limit` best, best first, of equal scores the first: a heap of the
  // best seen so far.
  function best(score, limit) {
    var heap = [], d, count = 0;
    function worse(a, b) { return score[a] < score[b] || (score[a] === score[b] && a > b); }
    function down(i) {
      for (;;) {
        var l = 2 * i + 1, r = l + 1, m = i;
        if (l < heap.length && worse(heap[l], heap[m])) m = l;
        if (r < heap.length && worse(heap[r], heap[m])) m = r;
        if (m === i) return;
        var x = heap[i]; heap[i] = heap[m]; heap[m] = x;
        i = m;
      }
    }
    for (d = 0; d < score.length; d++) {
      if (score[d] < 0) continue;
      count++;
      if (heap.length < limit) {
        heap.push(d);
        for (var i = heap.length - 1; i > 0;) {
          var p = (i - 1) >> 1;
          if (!worse(heap[i], heap[p])) break;
          var x = heap[i]; heap[i] = heap[p]; heap[p] = x;
          i = p;
        }
      } else if (worse(heap[0], d)) {
        heap[0] = d;
        down(0);
      }
    }
    heap.sort(function (a, b) { return worse(a, b) ? 1 : worse(b, a) ? -1 : 0; });
    return { docs: heap, count: count };
  }

  // rehearse ranks made-up postings of every document while the page is
  // idle, so that the first query runs compiled code rather than the
  // interpreter's (tens of milliseconds on 10,000 pages).
  function rehearse() {
    var n = E.docs, all = "", p = [], i, k;
    for (i = 0; i < Math.ceil(n / 8); i++) all += "\xff";
    all = btoa(all);
    for (i = 0; i < Math.min(n, 256); i++) p.push(i ? 1 : 0, 2 + (i % 7), (i % 3) * 16 + (i % 4)); // sections and flags
    for (k = 0; k < 4; k++) {
      var a = clause(), b = clause(), t = { df: n, all: all, rest: 1, p: p.slice() };
      add(a, t, 1);
      add(a, { df: 256, p: p }, 0.7);
      add(b, t, 0.5);
      var tot = totals([a, b], [clause()]), ex = titled(tot, [a, b], 2);
      best(tot, 10);
      if (ex.length) best(ex, 3);
      tot = totals([a], []);
      ex = titled(tot, [a], 1);
      best(tot, 50);
      if (ex.length) best(ex, 3);
      most([a, b], [], []);
    }
    words("Rehearsing the latencies of Zürich’s on-call runbooks").forEach(function (w) { term(w); });
  }

  // scoped is the folder (a site path of entry.sections) a search is
  // limited to, or "" for the whole handbook.
  var scoped = "";
  // here returns the deepest section holding the page shown, or null.
  function here() {
    where();
    var p = location.pathname, at = null;
    if (!p.startsWith(base)) return null;
    p = "/" + p.slice(base.length);
    E.sections.forEach(function (x) { if (p.startsWith(x[0]) && p !== x[0] && (!at || x[0].length > at[0].length)) at = x; });
    return at;
  }

  // The result records fetched: document → record.
  var recs = new Map();
  function records(hits) {
    return Promise.all(hits.map(function (h) {
      if (recs.has(h.doc)) return null;
      var g = Math.floor(h.doc / E.group);
      return load("r" + g + "." + E.records[g] + ".json").then(function (xs) {
        xs.forEach(function (x, i) { recs.set(g * E.group + i, x); });
      });
    }));
  }
  // fill gives a hit what is known of its page: its record, or else the
  // name its chunk gave (title, URL, kind), which links to the page's top.
  function fill(h, hl) {
    var x = recs.get(h.doc), n;
    h.full = !!x;
    if (!x) x = (n = named.get(h.doc)) ? { t: n[0], u: n[1], k: n[2] } : { t: "", u: "", k: "" };
    var hd = h.sec > 0 && x.h && x.h[h.sec - 1];
    h.rec = x;
    h.heading = hd ? hd[1] : "";
    h.url = base + (x.u || "") + (hl || "") + (hd ? "#" + hd[0] : "");
  }

  // search runs q; r.shown are its first `limit` hits, each filled with
  // what is known without waiting: the chunks name the best documents of
  // each term, so a one-word query shows at once. Records are fetched
  // first only for documents no chunk named; r.complete() fetches the
  // rest (excerpts, headings) and fills them in.
  async function search(q, limit) {
    var r = await run(q, limit), shown = r.hits, hl = highlights(r);
    function fillAll() { shown.forEach(function (h) { fill(h, hl); }); }
    await records(shown.filter(function (h) { return !named.has(h.doc); }));
    fillAll();
    // A page whose title is the query, as written or as corrected, comes
    // first: whoever types a page's whole title wants that page; else one
    // whose title starts with the query being typed.
    var ws = titleKey(q).split(" "), fixedTo = new Map(r.fixed);
    var asTyped = ws.join(" "), corrected = ws.map(function (w) { return fixedTo.get(w) || w; }).join(" ");
    var at = shown.findIndex(function (h) { var t = titleKey(h.rec.t); return asTyped && (t === asTyped || t === corrected); });
    if (at < 0 && asTyped && !/\s$/.test(q)) at = shown.findIndex(function (h) { var t = titleKey(h.rec.t); return t.startsWith(asTyped) || t.startsWith(corrected); });
    if (at > 0) shown.unshift(shown.splice(at, 1)[0]);
    r.shown = shown;
    r.complete = function () {
      return records(shown).then(fillAll);
    };
    return r;
  }

  // highlights is the query string a result links with, naming the
  // terms matched so that the page marks them (handbook.js): "?hl=a+b+pre*".
  function highlights(r) {
    var all = Array.from(r.marks), ids = all.filter(function (t) { return /_/.test(t); });
    // the pieces of an identifier matched whole are not marked apart
    var ts = all.filter(function (t) {
      return t.indexOf(":") < 0 && !(r.prefix && t.startsWith(r.prefix) && t !== r.prefix) &&
        !ids.some(function (id) { return id !== t && id.split(/_+/).indexOf(t) >= 0; });
    });
    if (r.prefix && !ids.some(function (id) { return id.split(/_+/).indexOf(r.prefix) >= 0; })) ts.push(r.prefix + "*");
    ts = ts.slice(0, 12);
    return ts.length ? "?hl=" + ts.map(encodeURIComponent).join("+") : "";
  }

  var terms = new Map(); // word → term, for highlighting
  function matcher(r) { // is a word of a text one of the query's?
    return function (w) {
      var t = terms.get(w);
      if (t === undefined) terms.set(w, t = term(w));
      return r.marks.has(w) || r.marks.has(t) || (r.prefix !== "" && w.startsWith(r.prefix));
    };
  }

  window.handbookSearch = {
    query: async function (q) {
      var r = await search(q, Infinity);
      await r.complete();
      return r.shown.map(function (h) {
        return { url: h.url, title: h.rec.t || "", kind: h.rec.k || "", section: h.sec, heading: h.heading, score: h.score };
      });
    },
    // scope limits searches to the folder of entry.sections at path ("" for everywhere)
    scope: function (path) { scoped = path || ""; },
    run: async function (q) {
      var r = await run(q, 10);
      return { total: r.total, fixed: r.fixed, suggest: r.suggest, elsewhere: r.elsewhere, relaxed: r.relaxed, docs: r.hits.map(function (h) { return h.doc; }) };
    },
    stem: stem,
    fold: fold,
    words: words
  };

  /* ---- 3. The search box ---- */
  function el(tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }
  // mark appends text to node with the query's words in <mark>.
  function mark(node, text, hit) {
    String(text || "").split(/([\p{L}\p{N}\p{M}'’]+)/u).forEach(function (part, i) {
      if (!part) return;
      if (i % 2 && words(part).some(hit)) node.appendChild(el("mark", "", part));
      else node.appendChild(doc.createTextNode(part));
    });
  }

  // forget marks what was fetched of the index as stale when handbook serve
  // says that a file of it changed (live.js's "handbook:build" event), so
  // that the next query fetches the new index.
  function forget(e) {
    var d = e.detail || {};
    where();
    var dir = new URL(indexURL).pathname, root = new URL(base || "/", location.href).pathname.replace(/\/$/, "");
    if (d.more > 0 || (d.changed || []).some(function (p) { return (root + p).startsWith(dir); })) stale = true;
  }
  doc.addEventListener("handbook:build", forget);

  function ui() {
    var box = doc.querySelector("[data-handbook-search]");
    var input = box && box.querySelector("input");
    var panel = box && box.querySelector(".search-results");
    if (!input || !panel) return;
    box.handbookServed = box.outerHTML; // an in-place update keeps the box while this is what it serves
    box.hidden = false;
    var list = el("div", "search-list"), chips = el("div", "search-chips"), empty = el("p", "search-empty");
    var status = el("p", "search-status");
    var scopeBar = el("div", "search-scope"), note = el("p", "search-note");
    scopeBar.setAttribute("role", "group");
    scopeBar.setAttribute("aria-label", "Search in");
    scopeBar.hidden = true;
    note.hidden = true;
    list.id = "handbook-search-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    chips.setAttribute("role", "group");
    chips.setAttribute("aria-label", "Filter by kind");
    status.setAttribute("role", "status");
    panel.appendChild(scopeBar);
    panel.appendChild(chips);
    panel.appendChild(note);
    panel.appendChild(list);
    panel.appendChild(empty);
    box.appendChild(status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");

    var seq = 0, shown = 10, active = -1, enterSeq = -1;
    function options() { return list.querySelectorAll("[role=option]"); }
    function setActive(i) {
      var o = options();
      if (o[active]) o[active].setAttribute("aria-selected", "false");
      active = i;
      if (o[i]) {
        o[i].setAttribute("aria-selected", "true");
        input.setAttribute("aria-activedescendant", o[i].id);
        o[i].scrollIntoView({ block: "nearest" });
      } else input.removeAttribute("aria-activedescendant");
    }
    function show(open) {
      panel.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) setActive(-1);
    }
    function close() {
      seq++;
      show(false);
      status.textContent = "";
    }
    function choose(o, newTab) {
      if (o.classList.contains("search-more")) {
        shown += 10;
        update(active);
      } else if (newTab) window.open(o.href);
      else location.href = o.href;
    }
    function tokens() { return input.value.split(/\s+/).filter(Boolean); }
    // The scope toggle: this part of the handbook (the deepest folder of
    // entry.sections holding the page) or all of it; the choice is kept
    // for the tab's session, the next page scoping to its own folder.
    var section = null;
    function drawScope() {
      if (!E || scopeBar.childNodes.length || !(section = here())) return;
      try { scoped = sessionStorage.getItem("handbook-search-scope") === "section" ? section[0] : ""; } catch (e) { scoped = ""; }
      [["", "Whole handbook"], [section[0], "In " + section[3]]].forEach(function (o) {
        var b = el("button", "search-scope-option", o[1]);
        b.type = "button";
        b.dataset.scope = o[0];
        b.addEventListener("click", function () { setScope(o[0]); });
        scopeBar.appendChild(b);
      });
      scopeBar.hidden = false;
      pressScope();
    }
    function pressScope() {
      scopeBar.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", b.dataset.scope === scoped ? "true" : "false"); });
    }
    function setScope(path) {
      scoped = path;
      try { sessionStorage.setItem("handbook-search-scope", path ? "section" : "all"); } catch (e) { /* private mode */ }
      pressScope();
      input.focus();
      shown = 10;
      update();
    }
    // emptyHelp says what to try when nothing matches: the words as
    // corrected, and where the words are found (other kinds, the whole
    // handbook).
    function emptyHelp(r) {
      empty.textContent = "No results";
      function offer(text, act) {
        var b = el("button", "search-suggest", text);
        b.type = "button";
        b.addEventListener("click", act);
        empty.appendChild(doc.createTextNode(" "));
        empty.appendChild(b);
      }
      if (r.suggest) {
        empty.appendChild(doc.createTextNode(". Did you mean"));
        offer(r.suggest, function () { input.value = r.suggest; input.focus(); shown = 10; update(); });
        empty.appendChild(doc.createTextNode("?"));
      }
      var x = r.elsewhere;
      if (x && x.all) {
        empty.appendChild(doc.createTextNode(r.suggest ? " Found in:" : ". Found in:"));
        if (scoped) offer("the whole handbook (" + x.all + ")", function () { setScope(""); });
        var ts = tokens();
        if (ts.some(function (t) { return /^kind:/i.test(t); })) {
          x.kinds.forEach(function (k) {
            offer(k[1] + " (" + k[2] + ")", function () {
              input.value = ts.filter(function (t) { return !/^kind:/i.test(t); }).concat(["kind:" + k[0]]).join(" ");
              input.focus();
              shown = 10;
              update();
            });
          });
        }
      }
    }
    function drawChips() {
      if (!E || chips.childNodes.length) return;
      E.kinds.forEach(function (k) {
        var b = el("button", "search-chip", k[2] || k[0]), t = facetTerm("kind", k[0]);
        b.type = "button";
        b.setAttribute("aria-pressed", "false");
        b.addEventListener("click", function () {
          var ts = tokens(), has = ts.some(function (x) { return fold(x) === t; });
          ts = has ? ts.filter(function (x) { return fold(x) !== t; }) : [t].concat(ts);
          input.value = ts.join(" ") + (/\s$/.test(input.value) && ts.length ? " " : "");
          input.focus();
          shown = 10;
          update();
        });
        b.dataset.term = t;
        chips.appendChild(b);
      });
    }
    function render(r) {
      drawChips();
      drawScope();
      note.hidden = !((r.fixed.length || r.relaxed || r.suggest) && r.total);
      note.textContent = "";
      if (!note.hidden) {
        var says = [];
        if (r.fixed.length) says.push("Including " + r.fixed.map(function (x) { return "“" + x[1] + "” for “" + x[0] + "”"; }).join(", ") + ".");
        if (r.relaxed) says.push("No page has all the words: these have most of them.");
        note.textContent = says.join(" ");
        if (r.suggest) {
          note.appendChild(doc.createTextNode(" Did you mean "));
          var b = el("button", "search-suggest", r.suggest);
          b.type = "button";
          b.addEventListener("click", function () { input.value = r.suggest; input.focus(); shown = 10; update(); });
          note.appendChild(b);
          note.appendChild(doc.createTextNode("?"));
        }
      }
      var ts = tokens().map(fold);
      chips.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", ts.indexOf(b.dataset.term) >= 0 ? "true" : "false");
      });
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      var hit = matcher(r), groups = new Map(), n = 0;
      r.shown.forEach(function (h) {
        var k = h.rec.k || "";
        if (!groups.has(k)) groups.set(k, []);
        groups.get(k).push(h);
      });
      groups.forEach(function (hs, k) {
        var g = el("div", "search-group"), label = el("div", "search-group-label", E.labels.get(k) || k || "Pages");
        label.id = list.id + "-g" + n;
        g.setAttribute("role", "group");
        g.setAttribute("aria-labelledby", label.id);
        g.appendChild(label);
        hs.forEach(function (h) {
          var a = el("a", "search-result"), title = el("span", "search-title");
          a.href = h.url;
          a.id = list.id + "-" + n++;
          a.setAttribute("role", "option");
          a.setAttribute("aria-selected", "false");
          mark(title, h.rec.t || h.rec.u, hit);
          a.appendChild(title);
          if (h.heading) mark(a.appendChild(el("span", "search-heading")), h.heading, hit);
          if (h.rec.x) mark(a.appendChild(el("span", "search-excerpt")), h.rec.x, hit);
          g.appendChild(a);
        });
        list.appendChild(g);
      });
      var rest = r.total - r.shown.length;
      if (rest > 0) {
        var more = el("div", "search-more", "Show " + Math.min(rest, 10) + " more of " + rest);
        more.id = list.id + "-more";
        more.setAttribute("role", "option");
        more.setAttribute("aria-selected", "false");
        more.addEventListener("click", function () { choose(more); });
        list.appendChild(more);
      }
      if (!r.total) emptyHelp(r);
      empty.hidden = r.total > 0;
      status.textContent = r.total ? r.total + (r.total === 1 ? " result" : " results") : "No results";
      show(true);
    }
    // ready settles when the results shown have their records (excerpts,
    // headings): Enter waits for it, to open the best section.
    // later is the one timer pending: a short word's lookup or the
    // records' fetch; a new query cancels it.
    var ready = Promise.resolve(), later = 0;
    // update runs the box's query and shows its results, keeping option
    // keep active (when given); now: even a short word being typed.
    function update(keep, now) {
      var my = ++seq, q = input.value;
      clearTimeout(later);
      if (!q.trim()) { close(); return; }
      // A word of one or two letters being typed is most likely the start
      // of a longer one: it is looked up once the typing pauses.
      var last = /(?:^|\s)(-?[^\s"]*)$/u.exec(q)[1], ws = words(last);
      if (!now && ws.length && !FACET.test(last) && len(ws[ws.length - 1]) < 3 && /[\p{L}\p{N}]$/u.test(last)) {
        later = setTimeout(function () { if (my === seq) update(undefined, true); }, 250);
        return;
      }
      return search(q, shown).then(function (r) {
        if (my !== seq) return; // a later query has been asked meanwhile
        render(r);
        panel.dataset.query = q; // what the results are of, for tests and tools
        if (keep >= 0) setActive(Math.min(keep, options().length - 1));
        if (r.shown.every(function (h) { return h.full; })) ready = Promise.resolve();
        else {
          // The records follow once the typing pauses, not for every key.
          ready = new Promise(function (done) { later = setTimeout(done, 120); }).then(function () {
            if (my !== seq) return;
            return r.complete().then(function () {
              if (my !== seq) return;
              var a = active;
              render(r);
              if (a >= 0) setActive(Math.min(a, options().length - 1));
            });
          });
          ready.catch(function () {});
        }
        if (enterSeq === my && r.shown.length) open(0);
      }, function (err) {
        if (my !== seq) return;
        list.textContent = "";
        empty.textContent = "Search is unavailable (" + err.message + ")";
        empty.hidden = false;
        show(true);
      });
    }
    // open opens option i once its record is there (Enter).
    function open(i, newTab) {
      var my = seq;
      ready.then(function () {
        if (my !== seq) return;
        var o = options();
        if (o[i]) choose(o[i], newTab);
      }, function () {});
    }
    var rehearsed = false;
    function warm() {
      entry().then(function () {
        drawChips();
        drawScope();
        if (rehearsed) return;
        rehearsed = true;
        if (window.requestIdleCallback) requestIdleCallback(rehearse, { timeout: 1000 });
        else setTimeout(rehearse, 50);
      }, function () {});
    }

    // The entry (a few KB) is fetched once the page is idle after its
    // first paint (so that neither the fetch nor the rehearsal delays it, as
    // they did on a reload under handbook serve), or as soon as the box is
    // about to be used, so that a query waits only for the chunks of its
    // words.
    var idle = function () {
      if (window.requestIdleCallback) requestIdleCallback(warm, { timeout: 3000 });
      else setTimeout(warm, 1000);
    };
    var painted = function () { requestAnimationFrame(function () { setTimeout(idle, 0); }); };
    if (doc.readyState === "complete") painted();
    else window.addEventListener("load", painted, { once: true });
    box.addEventListener("pointerenter", warm);
    box.addEventListener("touchstart", warm, { passive: true });
    input.addEventListener("focus", function () {
      warm();
      if (input.value.trim() && panel.hidden) update();
    });
    // A keystroke runs its query at once, unless one is still running:
    // then the latest text runs when it is done (or after 300 ms, on a
    // slow network), and the keys between are one query.
    var busy = false, again = false;
    function kick(now) {
      if (busy) { again = { now: now || (again && again.now) }; return; }
      busy = true;
      var done = false;
      function next() {
        if (done) return;
        done = true;
        busy = false;
        var a = again;
        again = false;
        if (a) kick(a.now);
      }
      Promise.resolve(update(undefined, now)).then(next, next);
      setTimeout(next, 300);
    }
    input.addEventListener("input", function () {
      shown = 10;
      kick();
    });
    input.addEventListener("keydown", function (e) {
      warm();
      if (e.isComposing) return;
      var o = options(), k = e.key;
      if (k === "ArrowDown" || k === "ArrowUp" || k === "Down" || k === "Up") {
        e.preventDefault();
        if (panel.hidden) { if (input.value.trim()) update(); return; }
        if (!o.length) return;
        setActive(/Down/.test(k) ? (active + 1) % o.length : active <= 0 ? o.length - 1 : active - 1);
      } else if (k === "Enter") {
        e.preventDefault();
        if (busy || panel.dataset.query !== input.value) { // the results shown are of what was typed before: run the query first
          enterSeq = seq + 1;
          kick(true);
        } else if (!panel.hidden && o.length) {
          if (o[active] && o[active].classList.contains("search-more")) choose(o[active]);
          else open(active >= 0 ? active : 0, e.ctrlKey || e.metaKey);
        } else if (input.value.trim()) { enterSeq = seq + 1; kick(true); } // open the first result once it is there
      } else if (k === "Escape" || k === "Esc") {
        if (input.value || !panel.hidden) {
          e.preventDefault();
          input.value = "";
          close();
        } else input.blur();
      }
    });
    // Clicks in the panel keep the focus in the box.
    panel.addEventListener("mousedown", function (e) { if (!e.target.closest("a")) e.preventDefault(); });
    list.addEventListener("mousemove", function (e) {
      var o = e.target.closest("[role=option]"), i = Array.prototype.indexOf.call(options(), o);
      if (i >= 0 && i !== active) setActive(i);
    });
    box.addEventListener("focusout", function (e) {
      if (!box.contains(e.relatedTarget)) show(false);
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      var t = doc.activeElement;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
      e.preventDefault();
      input.focus();
      input.select();
    });
  }
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", ui);
  else ui();
})();
