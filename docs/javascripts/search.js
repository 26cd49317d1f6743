/* The archive's search box (overrides/partials/search.html), driven by Pagefind.
 *
 * Ranking is Pagefind's own (titles, weights and metadata set at build time,
 * archive_build/search/record.py); this script only asks and shows:
 *  - the runtime loads when the box is first focused, the facets only when
 *    "Filter results" is opened, the vocabulary only when a query finds nothing;
 *  - a query in quotes is Pagefind's exact phrase search; a phrase mixed with
 *    other words drops the results whose text lacks the phrase;
 *  - snippets and titles are inserted as text, with only Pagefind's <mark>
 *    highlights kept as elements: page text comes from strangers.
 * Handlers are delegated from the document, so they survive Material's
 * instant navigation.  Any element with data-ab-search-open="query" opens the
 * box (with that query, if any): the 404 page's "search the archive".
 */
(function () {
  "use strict";
  if (window.__abSearch) return;
  window.__abSearch = true;

  var script = document.currentScript;
  var root = new URL("../", script ? script.src : window.location.href);
  var PAGE = 5;
  var DEBOUNCE_MS = 100;
  var SHORT_DEBOUNCE_MS = 400;
  var KINDS = ["Article", "Annotation", "Entity", "Page"];
  var FACETS = [["source", "Source"], ["author", "Author"], ["year", "Year"], ["entity", "Entity"]];
  var FACET_LIMIT = 12;
  var NOTE_PREFIX = "#ab-note-";

  var engines = {};
  var vocabulary = null;
  var state = { query: "", kind: "", filters: {}, results: [], shown: 0, seq: 0, facetsWanted: false, counts: {}, kinds: {} };
  var timer = null;

  function $(sel) { return document.querySelector(sel); }

  // "main": articles, entity and hand-written pages; "notes": one record per annotation
  // (archive_build/search/index.py), loaded only when the facets are opened.  Each is one
  // Pagefind bundle, however many runs built it (archive_build/search/combine.py).
  function load(name) {
    name = name || "main";
    if (!engines[name]) {
      var bundle = new URL(name === "notes" ? "pagefind-notes/" : "pagefind/", root).href;
      engines[name] = import(bundle + "pagefind.js").then(function (pf) {
        return pf.options({
          // The main thread is fast enough for one query, and the worker script is 40 KB more to download.
          noWorker: true,
          baseUrl: root.pathname,
          excerptLength: 26,
          ranking: { metaWeights: { title: 10, aliases: 1.5 } }
        }).then(function () { return pf.init(); }).then(function () { return pf; });
      });
      engines[name].catch(function () { delete engines[name]; });
    }
    return engines[name];
  }

  // ---------------------------------------------------------------- queries

  function phrases(query) {
    var found = [], re = /"([^"]+)"/g, m;
    while ((m = re.exec(query))) if (m[1].trim()) found.push(m[1].trim());
    return found;
  }

  function normal(text) {
    return " " + text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim() + " ";
  }

  // Pagefind runs a query wholly in quotes as an exact phrase search; a phrase
  // among other words is searched as words, then checked against each result's text.
  function plan(query) {
    var whole = /^\s*"[^"]+"\s*$/.test(query);
    var list = phrases(query);
    return { term: whole || !list.length ? query.trim() : query.replace(/"/g, " ").trim(), check: whole ? [] : list };
  }

  // The chosen facet values, each facet matching any of its values; the kind is chosen apart.
  function activeFilters(kind) {
    var out = {};
    Object.keys(state.filters).forEach(function (k) {
      var values = Object.keys(state.filters[k]);
      if (values.length) out[k] = { any: values };
    });
    if (kind) out.kind = { any: [kind] };
    return out;
  }

  function run(query) {
    var seq = ++state.seq;
    state.query = query;
    if (!query.trim()) { render(); status("Type to search titles, text, notes and names. \"Quotes\" find a phrase."); return; }
    var p = plan(query);
    var notes = state.kind === "Annotation";
    load(notes ? "notes" : "main").then(function (pf) {
      var facets = state.facetsWanted ? pf.filters() : Promise.resolve(null);
      return facets.then(function () {
        return pf.search(p.term, { filters: activeFilters(notes ? "Annotation" : state.kind) });
      }).then(function (search) {
        if (seq !== state.seq || !search) return;
        state.results = search.results;
        state.notes = notes;
        state.check = p.check;
        state.shown = 0;
        state.counts = search.filters || {};
        state.total = search.results.length;
        return Promise.all([more(seq, true), state.facetsWanted ? kindCounts(p.term, seq) : null]).then(function () {
          if (seq !== state.seq) return;
          renderFacets();
          if (!search.results.length) suggest(query, seq);
        });
      });
    }).catch(function (err) {
      if (seq === state.seq) status("Search is not available: " + (err && err.message ? err.message : err));
    });
  }

  // Counts for the kind facet: the query with the other facets in both indexes.
  function kindCounts(term, seq) {
    var filters = activeFilters("");
    return Promise.all([
      load("main").then(function (pf) { return pf.filters().then(function () { return pf.search(term, { filters: filters }); }); }),
      load("notes").then(function (pf) { return pf.filters().then(function () { return pf.search(term, { filters: activeFilters("Annotation") }); }); })
    ]).then(function (found) {
      if (seq !== state.seq) return;
      var kinds = {};
      var main = (found[0] && found[0].filters && found[0].filters.kind) || {};
      Object.keys(main).forEach(function (k) { kinds[k] = main[k]; });
      kinds.Annotation = found[1] ? found[1].results.length : 0;
      state.kinds = kinds;
    });
  }

  // Load and show the next PAGE results (checking phrases, which may drop some).
  function more(seq, fresh) {
    var list = $("[data-ab-search-results]");
    var want = PAGE, picked = [];
    function step() {
      if (seq !== state.seq) return Promise.resolve();
      if (picked.length >= want || state.shown >= state.results.length) return Promise.resolve();
      var batch = state.results.slice(state.shown, state.shown + PAGE);
      state.shown += batch.length;
      return Promise.all(batch.map(function (r) { return r.data(); })).then(function (data) {
        data.forEach(function (d) { if (hasPhrases(d)) picked.push(d); });
        return step();
      });
    }
    return step().then(function () {
      if (seq !== state.seq) return;
      if (fresh) list.textContent = "";
      picked.forEach(function (d) { list.appendChild(item(d)); });
      var shownCount = list.children.length;
      var rest = state.results.length - state.shown;
      $("[data-ab-search-more]").hidden = rest <= 0;
      if (!shownCount) status("No results for " + state.query.trim());
      else if (state.check.length) status(shownCount + (rest > 0 ? "+" : "") + " results with the phrase");
      else status(state.total === 1 ? "1 result" : state.total + " results");
    });
  }

  function hasPhrases(d) {
    if (!state.check.length) return true;
    var text = normal((d.meta && d.meta.title || "") + " " + (d.content || ""));
    return state.check.every(function (p) { return text.indexOf(normal(p)) >= 0; });
  }

  // ---------------------------------------------------------------- results

  function marked(parent, excerpt) {
    // Pagefind's excerpt: page text with <mark> around matches. Only the marks become elements.
    var parts = String(excerpt || "").split(/<(\/?)mark>/);
    var open = false;
    for (var i = 0; i < parts.length; i++) {
      if (i % 2 === 1) { open = parts[i] !== "/"; continue; }
      if (!parts[i]) continue;
      var text = document.createTextNode(decode(parts[i]));
      if (open) { var m = document.createElement("mark"); m.appendChild(text); parent.appendChild(m); }
      else parent.appendChild(text);
    }
    return parent;
  }

  function decode(s) {
    return s.indexOf("&") < 0 ? s : new DOMParser().parseFromString("<p>" + s.replace(/</g, "&lt;") + "</p>", "text/html").body.textContent;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }

  function safeUrl(url) {
    var u = new URL(url, root);
    return u.origin === window.location.origin || u.protocol === "file:" ? u.href : root.href;
  }

  function noteUrl(url) {
    var i = url.indexOf(NOTE_PREFIX);
    return i < 0 ? url : url.slice(0, i) + "#ann-" + url.slice(i + NOTE_PREFIX.length);
  }

  function line(d) {
    var m = d.meta || {};
    var parts = [];
    var kind = d.filters && d.filters.kind && d.filters.kind[0];
    if (kind && kind !== "Article") parts.push(kind);
    if (m.date) parts.push(formatDate(m.date));
    if (m.source) parts.push(m.source);
    if (m.authors) parts.push("by " + m.authors);
    return parts.join(" · ");
  }

  function formatDate(iso) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
    if (!m) return iso;
    var months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    return +m[3] + " " + months[+m[2] - 1] + " " + m[1];
  }

  // A result of the notes index: the note, titled by its author and passage, in its article.
  function noteItem(d) {
    var m = d.meta || {};
    var li = el("li", "md-search-result__item");
    var a = el("a", "md-search-result__link");
    a.href = safeUrl(m.href || "");
    var art = el("article", "md-search-result__article md-search-result__article--document md-typeset");
    art.appendChild(el("h1", null, m.title || ""));
    var parts = ["In " + (m.article || "")];
    if (m.date) parts.push(formatDate(m.date));
    if (m.source) parts.push(m.source);
    art.appendChild(el("p", "ab-search-result__line", parts.join(" · ")));
    art.appendChild(marked(el("p", "ab-search-result__excerpt"), d.excerpt));
    a.appendChild(art);
    li.appendChild(a);
    return li;
  }

  function item(d) {
    if (state.notes) return noteItem(d);
    var li = el("li", "md-search-result__item");
    var title = (d.meta && d.meta.title) || d.url;
    // Sub-results are the sections (and notes) that matched; the one under the page's own title is the page itself.
    var subs = (d.sub_results || []).filter(function (s) { return s.url.indexOf("#") >= 0 && s.title !== title; });
    var top = (d.sub_results || []).filter(function (s) { return subs.indexOf(s) < 0; })[0];
    var a = el("a", "md-search-result__link");
    a.href = safeUrl(d.url);
    var art = el("article", "md-search-result__article md-search-result__article--document md-typeset");
    art.appendChild(el("h1", null, title));
    var info = line(d);
    if (info) art.appendChild(el("p", "ab-search-result__line", info));
    art.appendChild(marked(el("p", "ab-search-result__excerpt"), top ? top.excerpt : (subs.length ? "" : d.excerpt)));
    a.appendChild(art);
    li.appendChild(a);
    subs.slice(0, 3).forEach(function (s) {
      var sa = el("a", "md-search-result__link ab-search-result__sub");
      sa.href = safeUrl(noteUrl(s.url));
      var sart = el("article", "md-search-result__article md-typeset");
      sart.appendChild(el("h2", null, s.title));
      // A note's snippet starts at its heading, which is already the sub-result's title.
      var text = s.excerpt.indexOf(s.title) === 0 ? s.excerpt.slice(s.title.length) : s.excerpt;
      sart.appendChild(marked(el("p", "ab-search-result__excerpt"), text));
      sa.appendChild(sart);
      li.appendChild(sa);
    });
    return li;
  }

  function render() {
    var list = $("[data-ab-search-results]");
    if (list) list.textContent = "";
    var moreBtn = $("[data-ab-search-more]");
    if (moreBtn) moreBtn.hidden = true;
    var s = $("[data-ab-search-suggest]");
    if (s) s.hidden = true;
  }

  function status(text) {
    var s = $("[data-ab-search-status]");
    if (s) s.textContent = text;
  }

  // ---------------------------------------------------------------- facets

  function renderFacets() {
    var box = $("[data-ab-search-filters]");
    var panel = $("[data-ab-search-facets]");
    if (!box || !panel) return;
    box.hidden = !state.query.trim();
    if (!state.facetsWanted) return;
    panel.textContent = "";
    panel.appendChild(kindFacet());
    FACETS.forEach(function (f) {
      var key = f[0], counts = state.counts[key] || {}, chosen = state.filters[key] || {};
      var values = Object.keys(counts).filter(function (v) { return counts[v] > 0 || chosen[v]; });
      Object.keys(chosen).forEach(function (v) { if (values.indexOf(v) < 0) values.push(v); });
      if (!values.length) return;
      values.sort(function (x, y) {
        if (key === "year") return y < x ? -1 : y > x ? 1 : 0;
        return (counts[y] || 0) - (counts[x] || 0) || (x < y ? -1 : x > y ? 1 : 0);
      });
      var fs = el("fieldset", "ab-search-facet");
      fs.appendChild(el("legend", null, f[1]));
      values.filter(function (v, i) { return i < FACET_LIMIT || chosen[v]; }).forEach(function (v) {
        fs.appendChild(option("checkbox", key, v, !!chosen[v], counts[v] || 0));
      });
      panel.appendChild(fs);
    });
  }

  // One kind at a time: the notes index answers "Annotation", the main index the others.
  function kindFacet() {
    var fs = el("fieldset", "ab-search-facet");
    fs.appendChild(el("legend", null, "Kind"));
    fs.appendChild(option("radio", "kind", "", state.kind === "", null, "All"));
    KINDS.forEach(function (k) {
      var n = state.kinds[k] || 0;
      if (n || state.kind === k) fs.appendChild(option("radio", "kind", k, state.kind === k, n));
    });
    return fs;
  }

  function option(type, key, value, checked, count, text) {
    var label = el("label", "ab-search-facet__value");
    var input = document.createElement("input");
    input.type = type;
    if (type === "radio") input.name = "ab-search-kind";
    input.checked = checked;
    input.setAttribute("data-ab-facet", key);
    input.value = value;
    label.appendChild(input);
    label.appendChild(document.createTextNode(" " + (text || value) + " "));
    if (count !== null) label.appendChild(el("span", "ab-search-facet__count", "(" + count + ")"));
    return label;
  }

  // ---------------------------------------------------------------- did you mean

  function distance(a, b) {
    // Damerau-Levenshtein (optimal string alignment): a swapped pair of letters is one edit.
    var d = [], i, j;
    for (i = 0; i <= a.length; i++) { d[i] = [i]; }
    for (j = 0; j <= b.length; j++) d[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
    return d[a.length][b.length];
  }

  function nearest(word, terms) {
    var w = word.toLowerCase(), best = null, bestD = w.length <= 4 ? 1 : 2;
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i];
      if (Math.abs(t.length - w.length) > bestD) continue;
      var lt = t.toLowerCase();
      if (lt === w) return null;
      var dd = distance(w, lt);
      if (dd < bestD || (dd === bestD && best === null)) { best = t; bestD = dd; }
    }
    return best;
  }

  function suggest(query, seq) {
    if (!vocabulary) {
      vocabulary = fetch(new URL("search-vocabulary.json", root).href).then(function (r) { return r.json(); }).then(function (j) { return j.terms || []; });
      vocabulary.catch(function () { vocabulary = null; });
    }
    vocabulary.then(function (terms) {
      if (seq !== state.seq) return;
      var changed = false;
      var words = query.replace(/"/g, " ").split(/\s+/).filter(Boolean).map(function (w) {
        var n = nearest(w, terms);
        if (n) { changed = true; return n; }
        return w;
      });
      if (!changed) return;
      var better = words.join(" ");
      return load(state.notes ? "notes" : "main").then(function (pf) { return pf.search(better, { filters: activeFilters(state.notes ? "Annotation" : state.kind) }); }).then(function (search) {
        if (seq !== state.seq || !search || !search.results.length) return;
        var p = $("[data-ab-search-suggest]");
        p.textContent = "Did you mean ";
        var b = el("button", "ab-search-suggest__term", better);
        b.type = "button";
        b.setAttribute("data-ab-suggestion", better);
        p.appendChild(b);
        p.appendChild(document.createTextNode("?"));
        p.hidden = false;
      });
    });
  }

  // ---------------------------------------------------------------- wiring

  function input() { return $("[data-ab-search-input]"); }

  function open() {
    var toggle = document.getElementById("__search");
    if (toggle && !toggle.checked) { toggle.checked = true; toggle.dispatchEvent(new Event("change")); }
    var box = input();
    if (box) box.focus();
    load("main");
  }

  function close() {
    var toggle = document.getElementById("__search");
    if (toggle && toggle.checked) { toggle.checked = false; toggle.dispatchEvent(new Event("change")); }
    var box = input();
    if (box) box.blur();
  }

  function schedule(query) {
    clearTimeout(timer);
    var s = $("[data-ab-search-suggest]");
    if (s) s.hidden = true;
    // A pause this long ends a word: searching every prefix typed would fetch index
    // chunks and snippets for words nobody asked for.  A query of one or two letters
    // waits longer: its words span many index chunks, and it is mostly a start.
    timer = setTimeout(function () { run(query); }, query.trim().length < 3 ? SHORT_DEBOUNCE_MS : DEBOUNCE_MS);
  }

  function links() {
    return Array.prototype.slice.call(document.querySelectorAll("[data-ab-search-results] a"));
  }

  document.addEventListener("focusin", function (ev) {
    if (ev.target && ev.target.matches && ev.target.matches("[data-ab-search-input]")) {
      var toggle = document.getElementById("__search");
      if (toggle && !toggle.checked) toggle.checked = true;
      load("main");
    }
  });

  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t && t.id === "__search" && t.checked) { var box = input(); if (box) setTimeout(function () { box.focus(); }, 0); }
    if (t && t.matches && t.matches("[data-ab-facet]")) {
      var key = t.getAttribute("data-ab-facet");
      if (key === "kind") state.kind = t.value;
      else {
        state.filters[key] = state.filters[key] || {};
        if (t.checked) state.filters[key][t.value] = true; else delete state.filters[key][t.value];
      }
      run(state.query);
    }
  });

  document.addEventListener("toggle", function (ev) {
    var t = ev.target;
    if (t && t.matches && t.matches("[data-ab-search-filters]") && t.open && !state.facetsWanted) {
      state.facetsWanted = true;
      run(state.query);
    }
  }, true);

  document.addEventListener("input", function (ev) {
    if (ev.target && ev.target.matches && ev.target.matches("[data-ab-search-input]")) schedule(ev.target.value);
  });

  document.addEventListener("submit", function (ev) {
    if (ev.target && ev.target.matches && ev.target.matches("[data-ab-search-form]")) {
      ev.preventDefault();
      var first = links()[0];
      if (first) first.click();
    }
  });

  document.addEventListener("reset", function (ev) {
    if (ev.target && ev.target.matches && ev.target.matches("[data-ab-search-form]")) {
      state.filters = {};
      state.kind = "";
      setTimeout(function () { run(""); var box = input(); if (box) box.focus(); }, 0);
    }
  });

  document.addEventListener("click", function (ev) {
    var t = ev.target instanceof Element ? ev.target : null;
    if (!t) return;
    var s = t.closest("[data-ab-suggestion]");
    if (s) {
      var box = input();
      box.value = s.getAttribute("data-ab-suggestion");
      box.focus();
      run(box.value);
      return;
    }
    if (t.closest("[data-ab-search-more]")) { more(state.seq, false); return; }
    // Any page can offer the search (the 404 page does): data-ab-search-open="optional query".
    var opener = t.closest("[data-ab-search-open]");
    if (opener) {
      ev.preventDefault();
      open();
      var q = opener.getAttribute("data-ab-search-open");
      if (q) { input().value = q; run(q); }
      return;
    }
    if (t.closest("[data-ab-search-results] a")) close();
  });

  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    var inSearch = t && t.closest && t.closest("[data-ab-search]");
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (!inSearch && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey && (ev.key === "/" || ev.key === "s" || ev.key === "f")) {
      ev.preventDefault();
      open();
      return;
    }
    if (!inSearch) return;
    if (ev.key === "Escape") { ev.preventDefault(); close(); return; }
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      var all = links();
      if (!all.length) return;
      var i = all.indexOf(document.activeElement);
      var next = ev.key === "ArrowDown" ? (i < 0 ? 0 : Math.min(i + 1, all.length - 1)) : i - 1;
      ev.preventDefault();
      if (next < 0) input().focus(); else all[next].focus();
    }
  });
})();
