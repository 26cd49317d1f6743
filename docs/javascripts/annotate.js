/* Annotating from the page (overrides/partials/annotate.html, docs/how-to-annotate.md).
 *
 * A reader selects words in an article's text; an "Annotate" button appears
 * beside the selection (or the reader presses A).  It opens a panel that shows
 * the quote and its context exactly as the build will anchor them
 * (annotate-text.js computes them from the article's published plain text).
 * The reader writes the note and either opens the repository host's
 * new-file page with annotations/<article-id>/<note-id>.yml filled in, or
 * copies the YAML.
 *
 * Nothing the reader types leaves the browser except through the link they
 * click; the only requests are for this site's own files (the article's
 * text.txt, and data/titles.json for the titles of "See also").  Every
 * text goes into the page with textContent, never as HTML.
 */
(function () {
  "use strict";
  if (window.__abAnnotate || !window.abAnnotateText) return;
  window.__abAnnotate = true;

  var T = window.abAnnotateText;
  var state = null; // the current article: {body, data, config, plain, norm, control, panel, fields, selection, yaml}

  // ------------------------------------------------------------- the control and the panel

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  function field(panel, label, control, hint) {
    var id = "ab-annotate-" + control.getAttribute("name");
    control.id = id;
    var wrap = el("div", { class: "ab-annotate-panel__field" });
    wrap.appendChild(el("label", { for: id }, label));
    if (hint) {
      var hintEl = el("p", { class: "ab-annotate-panel__hint", id: id + "-hint" }, hint);
      control.setAttribute("aria-describedby", hintEl.id);
      wrap.appendChild(control);
      wrap.appendChild(hintEl);
    } else {
      wrap.appendChild(control);
    }
    panel.appendChild(wrap);
    return control;
  }

  function buildControl() {
    var button = el("button", { type: "button", class: "ab-annotate-control", "aria-keyshortcuts": "A", title: "Annotate the selected words (A)" }, "Annotate");
    button.hidden = true;
    button.addEventListener("mousedown", function (ev) { ev.preventDefault(); }); // keep the selection
    button.addEventListener("click", function () { openPanel(); });
    document.body.appendChild(button);
    return button;
  }

  function buildPanel() {
    var panel = el("section", { class: "ab-annotate-panel md-typeset", role: "dialog", "aria-labelledby": "ab-annotate-title" });
    panel.hidden = true;
    var head = el("div", { class: "ab-annotate-panel__head" });
    head.appendChild(el("h2", { id: "ab-annotate-title" }, "Annotate this passage"));
    var close = el("button", { type: "button", class: "ab-annotate-panel__close", "aria-label": "Close" }, "×");
    close.addEventListener("click", closePanel);
    head.appendChild(close);
    panel.appendChild(head);
    panel.appendChild(el("p", { class: "ab-annotate-panel__status", role: "status", "aria-live": "polite", "data-ab-annotate-status": "" }));
    var passage = el("div", { class: "ab-annotate-panel__passage", "data-ab-annotate-passage": "" });
    panel.appendChild(passage);
    var form = el("div", { class: "ab-annotate-panel__form", "data-ab-annotate-form": "" });
    panel.appendChild(form);
    var kind = el("select", { name: "kind" });
    T.KINDS.forEach(function (k) { kind.appendChild(el("option", { value: k }, k.charAt(0).toUpperCase() + k.slice(1))); });
    field(form, "Kind", kind);
    field(form, "Your handle", el("input", { name: "author", type: "text", autocomplete: "nickname", spellcheck: "false", placeholder: "@you" }), "Shown with the note, as you write it.");
    field(form, "Note", el("textarea", { name: "body", rows: "4" }), "Markdown: emphasis, lists, links. Several paragraphs are fine.");
    var find = el("input", { name: "links-filter", type: "search", autocomplete: "off", spellcheck: "false", placeholder: "Words of a title" });
    field(form, "See also (optional): find an article", find, "Narrows the list below to the titles with these words.");
    var links = el("select", { name: "links", multiple: "", size: "4" });
    field(form, "Articles this note points to", links, "Hold Ctrl or ⌘ to choose several.");
    find.addEventListener("input", function () { filterTitles(links, find.value); });
    var file = el("p", { class: "ab-annotate-panel__file" });
    form.appendChild(file);
    var actions = el("div", { class: "ab-annotate-panel__actions" });
    var pr = el("a", { class: "md-button md-button--primary", "data-ab-annotate-pr": "", target: "_blank", rel: "noopener noreferrer" }, "Open a pull request");
    var copy = el("button", { type: "button", class: "md-button", "data-ab-annotate-copy": "" }, "Copy YAML");
    copy.addEventListener("click", copyYaml);
    actions.appendChild(pr);
    actions.appendChild(copy);
    form.appendChild(actions);
    var details = el("details", { class: "ab-annotate-panel__yaml" });
    details.appendChild(el("summary", {}, "The file"));
    details.appendChild(el("pre", { "data-ab-annotate-yaml": "", tabindex: "0" }));
    form.appendChild(details);
    form.addEventListener("input", refresh);
    form.addEventListener("change", refresh);
    panel.addEventListener("keydown", function (ev) { if (ev.key === "Escape") { ev.preventDefault(); closePanel(); } });
    document.body.appendChild(panel);
    state.fields = { kind: kind, author: form.querySelector("[name=author]"), body: form.querySelector("[name=body]"), links: links, file: file, pr: pr, copy: copy };
    return panel;
  }

  function say(text) { if (state.panel) state.panel.querySelector("[data-ab-annotate-status]").textContent = text; }

  function showPassage(sel) {
    var box = state.panel.querySelector("[data-ab-annotate-passage]");
    box.textContent = "";
    var quote = el("blockquote", { class: "ab-annotate-panel__quote" });
    quote.appendChild(el("span", { class: "ab-annotate-panel__context" }, "…" + sel.before));
    quote.appendChild(el("mark", {}, sel.quote));
    quote.appendChild(el("span", { class: "ab-annotate-panel__context" }, sel.after + "…"));
    box.appendChild(quote);
    box.appendChild(el("p", { class: "ab-annotate-panel__hint" }, sel.count > 1
      ? "These words occur " + sel.count + " times in the article: the note keeps the words around them (prefix and suffix) that pick this place."
      : "The highlighted words are the quote, exactly as the build will anchor it."));
  }

  function takenIds() {
    return Array.prototype.map.call(document.querySelectorAll("[id^='ann-'], [id^='fn:ann-']"), function (n) {
      return n.id.replace(/^(fn:)?ann-/, "");
    });
  }

  function refresh() {
    if (!state.selection) return;
    var f = state.fields, sel = state.selection;
    var note = {
      quote: sel.quote, prefix: sel.prefix, suffix: sel.suffix, kind: f.kind.value,
      author: f.author.value.trim(), created: T.today(), body: f.body.value,
      links: Array.prototype.filter.call(f.links.options, function (o) { return o.selected; }).map(function (o) { return o.value; })
    };
    var yaml = T.noteYaml(note);
    state.yaml = yaml;
    state.panel.querySelector("[data-ab-annotate-yaml]").textContent = yaml;
    var path = "annotations/" + state.config.article + "/" + sel.noteId + ".yml";
    f.file.textContent = "File: " + path;
    var missing = !note.author ? "your handle" : !note.body.trim() ? "the note" : "";
    var url = missing ? "" : T.pullRequestUrl(state.config, state.config.article, sel.noteId, yaml);
    var offered = !!T.host(state.config);
    f.pr.hidden = !offered;
    if (url) {
      f.pr.href = url;
      f.pr.removeAttribute("aria-disabled");
    } else {
      f.pr.removeAttribute("href");
      f.pr.setAttribute("aria-disabled", "true");
    }
    if (missing) say("Write " + missing + " to open a pull request or copy the file.");
    else if (!offered) say("Copy the YAML into a new file " + path + " in the archive's repository.");
    else if (!url) { f.pr.hidden = true; say("The note is too long for a link: copy the YAML into a new file " + path + "."); }
    else say("Ready: open a pull request on the repository host, or copy the YAML.");
  }

  function copyYaml() {
    var yaml = state.yaml || "";
    var done = function () { say("Copied. Paste it into a new file annotations/" + state.config.article + "/" + state.selection.noteId + ".yml."); };
    var fallback = function () {
      var area = el("textarea", { readonly: "", class: "ab-annotate-offscreen", "aria-hidden": "true" });
      area.value = yaml;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { say("Copy failed: select the file's text below and copy it."); }
      area.remove();
    };
    if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(yaml).then(done, fallback);
    else fallback();
  }

  // Only the options whose title holds every word typed (and the chosen ones) stay shown.
  function filterTitles(select, query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    Array.prototype.forEach.call(select.options, function (o) {
      var title = o.textContent.toLowerCase();
      o.hidden = !o.selected && !words.every(function (w) { return title.indexOf(w) !== -1; });
    });
  }

  function loadTitles() {
    if (state.titlesLoaded) return;
    state.titlesLoaded = true;
    fetch(state.config.titles, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : []; }).then(function (items) {
      var links = state.fields.links;
      (Array.isArray(items) ? items : []).filter(function (it) { return it && it.id && it.id !== state.config.article; })
        .sort(function (a, b) { return String(a.title || a.id).localeCompare(String(b.title || b.id)); })
        .forEach(function (it) { links.appendChild(el("option", { value: String(it.id) }, String(it.title || it.id))); });
    }, function () { /* no list of titles: the field stays empty */ });
  }

  function openPanel() {
    var s = window.getSelection();
    if (!state || !s || s.rangeCount === 0 || s.isCollapsed) return;
    var range = s.getRangeAt(0);
    state.config = readConfig(state.data);
    state.returnFocus = document.activeElement;
    if (!state.panel) state.panel = buildPanel();
    state.panel.hidden = false;
    state.control.hidden = true;
    var form = state.panel.querySelector("[data-ab-annotate-form]");
    whenReady(function () {
      var where = T.locate(state, range);
      if (!where.error) where = T.selector(state, where.start, where.end);
      if (where.error) {
        state.selection = null;
        form.hidden = true;
        state.panel.querySelector("[data-ab-annotate-passage]").textContent = "";
        say(where.error);
        state.panel.querySelector(".ab-annotate-panel__close").focus();
        return;
      }
      var sel = where;
      sel.noteId = T.makeId(sel.quote, takenIds());
      state.selection = sel;
      form.hidden = false;
      showPassage(sel);
      loadTitles();
      refresh();
      state.fields.kind.focus();
    });
  }

  function closePanel() {
    if (!state || !state.panel) return;
    state.panel.hidden = true;
    var back = state.returnFocus;
    if (back && back.focus && document.contains(back) && back !== document.body) back.focus();
  }

  function whenReady(then) {
    if (state.plain != null) return then();
    say("Reading the article's text…");
    state.waiting = state.waiting || fetch(state.config.text, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.text();
    });
    state.waiting.then(function (text) {
      state.plain = text;
      state.norm = T.normalise(text);
      then();
    }, function () { say("The article's text could not be loaded, so the quote cannot be checked: try again later."); });
  }

  // ------------------------------------------------------------- showing the control beside a selection

  function selectionInBody() {
    var s = window.getSelection();
    if (!state || !s || s.rangeCount === 0 || s.isCollapsed || !s.toString().trim()) return null;
    var range = s.getRangeAt(0);
    var node = range.commonAncestorContainer;
    var inside = state.body.contains(node) || (node.nodeType === 1 && node.contains(state.body));
    var area = node.nodeType === 1 ? node : node.parentElement;
    if (!inside && !(area && area.closest(".ab-article-header"))) return null;
    if (state.panel && state.panel.contains(node)) return null;
    return range;
  }

  var pending = 0;
  function placeControl() {
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      if (!state) return;
      var range = selectionInBody();
      if (!range) { state.control.hidden = true; return; }
      var rects = range.getClientRects();
      var last = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
      var c = state.control;
      c.hidden = false;
      var top = last.bottom + window.scrollY + 6;
      var left = Math.min(last.right + window.scrollX - c.offsetWidth / 2, window.scrollX + document.documentElement.clientWidth - c.offsetWidth - 8);
      c.style.top = top + "px";
      c.style.left = Math.max(window.scrollX + 8, left) + "px";
    }, 120);
  }

  document.addEventListener("selectionchange", placeControl);
  document.addEventListener("keydown", function (ev) {
    if (!state || ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.key !== "a" && ev.key !== "A") return;
    var t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    if (!selectionInBody()) return;
    ev.preventDefault();
    openPanel();
  });

  function readConfig(data) {
    return {
      article: data.getAttribute("data-article") || "",
      text: data.getAttribute("data-text") || "",
      titles: data.getAttribute("data-titles") || "",
      repo: data.getAttribute("data-repo") || "",
      editUri: data.getAttribute("data-edit-uri") || ""
    };
  }

  function setUp() {
    if (state && state.control) state.control.remove();
    if (state && state.panel) state.panel.remove();
    state = null;
    var data = document.querySelector("[data-ab-annotate]");
    var body = document.querySelector(".ab-article-body");
    if (!data || !body) return;
    state = { body: body, data: data, config: readConfig(data), plain: null, norm: null, panel: null };
    state.control = buildControl();
  }

  // For the tests and the curious: the pieces above, with no access to the page's state.
  window.__abAnnotateParts = {
    normalise: T.normalise, noteYaml: T.noteYaml, makeId: T.makeId, pullRequestUrl: T.pullRequestUrl,
    // The selector the panel would show for a range of this page (a promise: the text is fetched first).
    selectorFor: function (range) {
      return new Promise(function (resolve) {
        whenReady(function () {
          var where = T.locate(state, range);
          resolve(where.error ? where : T.selector(state, where.start, where.end));
        });
      });
    }
  };

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setUp);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
