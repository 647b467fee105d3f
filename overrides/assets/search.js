/* The search page's script (loaded by /search/ only). The index is written by macros/output/search.py:
   a query is cut into the same tokens as the pages (pairs of characters: Chinese, digits,
   letters), the shards of those tokens give the pages that hold them all, and the pages' own
   text (one small file each) confirms the literal words, ranks them and gives the excerpt.
   Results are built with DOM nodes and textContent only: no page data is parsed as HTML. */
(function () {
  "use strict";

  var CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";  // the same ranges as CJK in macros/output/search.py
  var RUNS = new RegExp("[" + CJK + "0-9a-z]+", "g");
  var BATCH = 10;       // page texts fetched at once
  var SHOWN = 10;       // results shown before "更多结果"
  var MAX_FETCH = 30;   // page texts fetched per screen of results, at most
  var BEFORE = 30, AFTER = 70;  // characters of excerpt around the first occurrence

  var script = document.currentScript;
  var root = new URL("../", script.src);  // the site's root: the script is in assets/
  var base = new URL("search/idx/", root);
  var input = document.getElementById("qc-search-input");
  var status = document.getElementById("qc-search-status");
  var list = document.getElementById("qc-search-results");
  var more = document.getElementById("qc-search-more");
  if (!input || !status || !list || !more) return;

  var meta = null;
  var shards = new Map();     // shard number → Promise of Map(token → {all, title})
  var fragments = new Map();  // page id → Promise of {u, t, k, d, x}
  var current = 0;            // the running search; an older one stops when it sees a newer
  var state = null;

  // --- text: exactly as macros/output/search.py -----------------------------------------------

  function normalise(text) {
    return text.normalize("NFKC").toLowerCase();
  }

  function tokens(text) {
    var out = new Set();
    (normalise(text).match(RUNS) || []).forEach(function (run) {
      var chars = Array.from(run);
      for (var i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
    });
    return out;
  }

  var CRC = (function () {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  function crc32(bytes) {  // zlib.crc32, as the index was hashed
    var c = 0xFFFFFFFF;
    for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 0xFF] ^ (c >>> 8);
    return (c ^ 0xFFFFFFFF) >>> 0;
  }

  // --- the index files -------------------------------------------------------------------

  function fetchOk(url, kind) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response[kind]();
    });
  }

  function loadMeta() {
    // revalidated each time: its stamp names the shards and page files of this very build
    if (!meta) meta = fetch(new URL("meta.json", base), {cache: "no-cache"}).then(function (response) {
      if (!response.ok) throw new Error("meta.json: HTTP " + response.status);
      return response.json();
    });
    return meta;
  }

  function readShard(buffer) {
    var bytes = new Uint8Array(buffer), at = 0, decoder = new TextDecoder();
    function varint() {
      var value = 0, shift = 0, b;
      do { b = bytes[at++]; value += (b & 0x7F) * Math.pow(2, shift); shift += 7; } while (b & 0x80);
      return value;
    }
    function ids() {
      var count = varint(), out = new Array(count), id = -1;
      for (var i = 0; i < count; i++) { id += varint(); out[i] = id; }
      return out;
    }
    var found = new Map();
    while (at < bytes.length) {
      var length = varint();
      var token = decoder.decode(bytes.subarray(at, at + length));
      at += length;
      var all = ids();
      found.set(token, {all: all, title: new Set(ids())});
    }
    return found;
  }

  function postings(token, m) {
    var key = new TextEncoder().encode(token);
    var shard = crc32(key) & (m.shards - 1);
    if (!shards.has(shard)) {
      shards.set(shard, fetchOk(new URL("s/" + shard.toString(16) + ".bin?v=" + m.stamp, base), "arrayBuffer")
        .then(readShard));
    }
    return shards.get(shard).then(function (found) {
      return found.get(token) || {all: [], title: new Set()};
    });
  }

  function fragment(id, m) {
    if (!fragments.has(id)) fragments.set(id, fetchOk(new URL("f/" + id + ".json?v=" + m.stamp, base), "json"));
    return fragments.get(id);
  }

  // --- one search ------------------------------------------------------------------------

  function parse(query) {
    var parts = normalise(query).split(/\s+/).filter(Boolean);
    var all = new Set();
    parts.forEach(function (p) { tokens(p).forEach(function (t) { all.add(t); }); });
    return {query: query.trim(), parts: parts, tokens: Array.from(all)};
  }

  function intersect(lists) {
    lists.sort(function (a, b) { return a.all.length - b.all.length; });
    var ids = lists[0].all;
    for (var i = 1; i < lists.length && ids.length; i++) {
      var other = new Set(lists[i].all);
      ids = ids.filter(function (id) { return other.has(id); });
    }
    return ids;
  }

  function count(haystack, needle) {
    var n = 0, at = haystack.indexOf(needle);
    while (at !== -1) { n++; at = haystack.indexOf(needle, at + needle.length); }
    return n;
  }

  // Rank: the whole query is the title (a teacher's name), then titles holding every word
  // (shorter first), then pages whose text holds them, most often first, newest first.
  function judge(page, q) {
    var title = normalise(page.t), text = normalise(page.x + "\n" + (page.m || ""));
    var inTitle = q.parts.every(function (p) { return title.indexOf(p) !== -1; });
    var literal = q.parts.every(function (p) { return title.indexOf(p) !== -1 || text.indexOf(p) !== -1; });
    if (!literal) return null;
    var tier = title === q.parts.join(" ") ? 0 : inTitle ? 1 : 2;
    var hits = q.parts.reduce(function (s, p) { return s + count(text, p); }, 0);
    return {tier: tier, titleLength: tier === 1 ? title.length : 0, hits: hits, date: page.d || ""};
  }

  function better(a, b) {
    return a.rank.tier - b.rank.tier || a.rank.titleLength - b.rank.titleLength ||
      b.rank.hits - a.rank.hits || (a.rank.date < b.rank.date ? 1 : a.rank.date > b.rank.date ? -1 : 0) ||
      a.order - b.order;
  }

  function search(query) {
    var run = ++current;
    var q = parse(query);
    list.textContent = "";
    more.hidden = true;
    list.removeAttribute("data-query");
    if (!q.parts.length) { say(""); done(q.query); return Promise.resolve(); }
    if (!q.tokens.length) { say("请至少输入两个字。"); done(q.query); return Promise.resolve(); }
    say("正在搜索……");
    return loadMeta().then(function (m) {
      return Promise.all(q.tokens.map(function (t) { return postings(t, m); })).then(function (lists) {
        if (run !== current) return;
        var inTitle = function (id) { return lists.filter(function (l) { return l.title.has(id); }).length; };
        // pages with the query's tokens in their title are checked first, then the newest
        var ids = intersect(lists.slice()).map(function (id) { return {id: id, t: inTitle(id)}; });
        ids.sort(function (a, b) { return b.t - a.t || b.id - a.id; });
        state = {q: q, m: m, run: run, queue: ids.map(function (x) { return x.id; }), checked: 0, found: 0};
        return next();
      });
    }).catch(function (error) {
      if (run !== current) return;
      say("搜索暂时不可用，请稍后再试。");
      throw error;
    });
  }

  // Check pages' texts from the queue until a screenful is found, then show them in order.
  function next() {
    var s = state, found = [], fetched = 0;
    more.hidden = true;
    function step() {
      if (s.run !== current) return null;
      if (found.length >= SHOWN || fetched >= MAX_FETCH || !s.queue.length) return finish();
      var batch = s.queue.splice(0, BATCH);
      fetched += batch.length;
      return Promise.all(batch.map(function (id) { return fragment(id, s.m); })).then(function (pages) {
        pages.forEach(function (page, i) {
          var rank = judge(page, s.q);
          if (rank) found.push({page: page, rank: rank, order: s.checked + i});
        });
        s.checked += batch.length;
        return step();
      });
    }
    function finish() {
      found.sort(better);
      found.forEach(function (hit) { list.appendChild(result(hit.page, s.q)); });
      s.found += found.length;
      var shown = s.found;
      if (!shown && !s.queue.length) say("没有找到包含“" + s.q.query + "”的页面。");
      else if (!s.queue.length) say("找到 " + shown + " 个页面。");
      else say("已显示 " + shown + " 个页面，还有更多。");
      more.hidden = !s.queue.length;
      done(s.q.query);
      return null;
    }
    return Promise.resolve(step());
  }

  // --- the results -------------------------------------------------------------------------

  function say(text) { status.textContent = text; }

  // Marks the list as answered for `query` (read by the browser tests, harmless otherwise).
  function done(query) { list.setAttribute("data-query", query); }

  // The original text with a map from each normalised character back to its position.
  function mapped(text) {
    var norm = "", back = [], i = 0;
    for (var ch of text) {
      var n = normalise(ch);
      norm += n;
      for (var k = 0; k < n.length; k++) back.push(i);
      i += ch.length;
    }
    back.push(i);
    return {norm: norm, back: back};
  }

  // Append `text` to `parent`, every occurrence of a query word (whole, never a token) in <mark>.
  function marked(parent, text, parts) {
    var m = mapped(text), spans = [];
    parts.forEach(function (p) {
      for (var at = m.norm.indexOf(p); at !== -1; at = m.norm.indexOf(p, at + p.length)) {
        spans.push([m.back[at], m.back[at + p.length]]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var pos = 0;
    spans.forEach(function (span) {
      if (span[0] < pos) return;  // overlaps the previous mark
      if (span[0] > pos) parent.appendChild(document.createTextNode(text.slice(pos, span[0])));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(span[0], span[1]);
      parent.appendChild(mark);
      pos = span[1];
    });
    if (pos < text.length) parent.appendChild(document.createTextNode(text.slice(pos)));
  }

  // The excerpt comes from the text; from the meta line only when it holds a word of the query
  // (an author's name) and the text holds none.
  function inText(text, parts) {
    var norm = normalise(text);
    return parts.some(function (p) { return norm.indexOf(p) !== -1; });
  }

  function excerpt(text, parts) {
    var m = mapped(text), first = -1;
    parts.forEach(function (p) {
      var at = m.norm.indexOf(p);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    });
    var start = first === -1 ? 0 : m.back[first];
    var from = Math.max(0, start - BEFORE), to = Math.min(text.length, start + AFTER);
    var line = text.slice(0, from).lastIndexOf("\n");  // start at the paragraph when it is near
    if (first !== -1 && line !== -1 && start - line <= BEFORE) from = line + 1;
    var piece = text.slice(from, to).replace(/\s*\n\s*/g, " ");
    return (from > 0 ? "…" : "") + piece + (to < text.length ? "…" : "");
  }

  function result(page, q) {
    var item = document.createElement("li");
    var link = document.createElement("a");
    link.className = "qc-search__title";
    link.href = new URL(page.u, root).href;
    marked(link, page.t, q.parts);
    item.appendChild(link);
    var info = document.createElement("span");
    info.className = "qc-search__meta";
    info.textContent = [page.k, day(page.d)].filter(Boolean).join(" · ");
    item.appendChild(info);
    var words = document.createElement("span");
    words.className = "qc-search__excerpt";
    var fromMeta = page.m && !inText(page.x, q.parts) && inText(page.m, q.parts);
    marked(words, excerpt(fromMeta ? page.m : page.x, q.parts), q.parts);
    item.appendChild(words);
    return item;
  }

  function day(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日" : "";
  }

  // --- the page --------------------------------------------------------------------------

  // The query lives in the address's fragment (/search/#q=…), which browsers never send: the
  // server's log holds no search terms (OPERATIONS.md#logs). An old /search/?q=… link still
  // works: its query is moved into the fragment at once (the server has logged that one request).
  var timer = 0;
  function address(query) {
    var url = new URL(location.href);
    url.searchParams.delete("q");
    url.hash = query.trim() ? "q=" + encodeURIComponent(query.trim()) : "";
    return url.href.replace(/#$/, "");
  }

  function asked() {
    var hash = new URLSearchParams(location.hash.replace(/^#/, "")).get("q");
    return hash !== null ? hash : new URLSearchParams(location.search).get("q");
  }

  function go(replace) {
    var query = input.value;
    if (replace) history.replaceState(null, "", address(query));
    search(query).catch(function (error) { console.error(error); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { go(true); }, 250);
  });
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    go(true);
    input.blur();  // closes the phone's keyboard so that the results show
  });
  more.addEventListener("click", function () {
    if (state && state.run === current) next().catch(function (error) { console.error(error); });
  });

  window.addEventListener("hashchange", function () {  // a #q=… link followed on this page
    var query = asked() || "";
    if (query !== input.value) { input.value = query; go(false); }
  });

  var start = asked();
  if (location.search) history.replaceState(null, "", address(start || ""));
  if (start) { input.value = start; go(false); } else { input.focus(); }
})();
