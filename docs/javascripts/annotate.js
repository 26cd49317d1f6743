/* Annotating from the page (overrides/partials/annotate.html, docs/how-to-annotate.md).
 *
 * A reader selects words in an article's text; an "Annotate" button appears
 * beside the selection (or the reader presses A).  It opens a panel that shows
 * the quote, and the prefix/suffix that pick it when it occurs more than once,
 * exactly as the build will anchor them: they are computed here from the
 * article's published plain text (data/articles/<id>/text.txt, the text the
 * build's anchoring counts in), normalised the way
 * archive_build/annotations/anchor.py normalises it.  The reader writes the
 * note and either opens the repository host's new-file page with
 * annotations/<article-id>/<note-id>.yml filled in, or copies the YAML.
 *
 * Nothing the reader types leaves the browser except through the link they
 * click; the only requests are for this site's own files.  Every text goes
 * into the page with textContent, never as HTML.
 */
(function () {
  "use strict";
  if (window.__abAnnotate) return;
  window.__abAnnotate = true;

  var KINDS = ["note", "correction", "context", "source", "question"];
  var MAX_OCCURRENCES = 1000; // anchor.py weighs the first thousand occurrences of a quote, no more
  var MAX_URL = 8000;
  var CONTEXT = 32; // beyond this GitHub and GitLab refuse or cut the address: Copy only
  // Parts of the article body that are not its text: paragraph links, note markers, the notes, headings' permalinks.
  var SKIP = ".ab-pilcrow, .headerlink, sup[id^='fnref'], .footnote, .ab-notes, .ab-about, .ab-print-refs, .ab-sidenotes, .ab-popnote, .ab-note-card, script, style";
  var NOTES = ".footnote, .ab-notes, .ab-sidenotes, .ab-popnote, .ab-note-card";
  var BLOCK = /^(P|LI|UL|OL|H[1-6]|BLOCKQUOTE|PRE|DIV|TABLE|TR|TD|TH|FIGURE|FIGCAPTION|SECTION|DL|DT|DD|HR|BR)$/;

  var state = null; // the current article: {body, config, plain, norm, control, panel, picked}

  // ------------------------------------------------------------- normalising (anchor.py's normalise)

  var FOLD = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-"
  };
  var DROP = /[\u00ad\u200b\u200c\u200d\u2060\ufeff]/;
  // Python's whitespace (str.isspace), which is not JavaScript's \s.
  var SPACE = /[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

  /* Folded quotes and dashes, "…" as "...", soft hyphens and zero-width characters dropped,
   * each run of whitespace one space; `origin[k]` is the index in `text` of normalised character k. */
  function normalise(text) {
    var out = [], origin = [], inSpace = false;
    for (var i = 0; i < text.length; i++) {
      var c = text[i];
      if (DROP.test(c)) continue;
      if (SPACE.test(c)) {
        if (!inSpace) { out.push(" "); origin.push(i); inSpace = true; }
        continue;
      }
      inSpace = false;
      if (c === "\u2026") { out.push(".", ".", "."); origin.push(i, i, i); continue; }
      out.push(FOLD[c] || c);
      origin.push(i);
    }
    return { text: out.join(""), origin: origin };
  }

  function occurrences(hay, needle) {
    var found = [], pos = hay.indexOf(needle);
    while (pos !== -1 && found.length < MAX_OCCURRENCES) { found.push(pos); pos = hay.indexOf(needle, pos + 1); }
    return found;
  }

  // ------------------------------------------------------------- the page's text and the published plain text

  function skipped(node, body) {
    for (var el = node.nodeType === 1 ? node : node.parentElement; el && el !== body; el = el.parentElement) {
      if (el.matches(SKIP)) return true;
    }
    return false;
  }

  /* The body's visible text, one text node after another (with a space at block boundaries),
   * and where each text node starts in it. */
  function pageText(body) {
    var parts = [], nodes = [], starts = [], length = 0;
    var walker = document.createTreeWalker(body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        if (n.nodeType === 1 && n.matches(SKIP)) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    // The build's "Unanchored notes" list ends the body (annotations/render.py): notes, not text.
    var unanchored = body.querySelectorAll("h2[id^='ab-h-unanchored-notes']");
    var stop = unanchored.length ? unanchored[unanchored.length - 1] : null;
    for (var n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n === stop) break;
      if (n.nodeType === 1) {
        if (BLOCK.test(n.tagName)) { parts.push(" "); length += 1; }
        continue;
      }
      nodes.push(n);
      starts.push(length);
      parts.push(n.data);
      length += n.data.length;
    }
    return { text: parts.join(""), nodes: nodes, starts: starts, stop: stop };
  }

  /* For each character of the page's normalised text, the index of the same character in the
   * plain text's normalised text (-1 where the page shows something the plain text lacks).
   * Both come from one Markdown body in one order, so a forward walk that re-synchronises on
   * the next dozen characters after any difference is enough, and linear. */
  function align(a, b) {
    var map = new Int32Array(a.length + 1).fill(-1);
    var i = 0, j = 0, K = 12, WINDOW = 400;
    while (i < a.length && j < b.length) {
      if (a[i] === b[j]) { map[i++] = j++; continue; }
      if (a[i] === " ") { i++; continue; } // a block boundary the plain text does not mark
      if (b[j] === " ") { j++; continue; }
      // Only within a window ahead: a search to the end at every difference would make this quadratic.
      var at = b.substr(j, WINDOW + K).indexOf(a.substr(i, K));
      if (at !== -1) { j += at; continue; }
      var from = a.substr(i, WINDOW + K).indexOf(b.substr(j, K));
      if (from !== -1) { i += from; continue; }
      i++;
    }
    map[a.length] = b.length;
    return map;
  }

  /* Where the selection is in the plain text: {start, end} in its normalised text, or {error}. */
  function locate(range) {
    var body = state.body;
    var inBody = body.contains(range.startContainer) && body.contains(range.endContainer);
    if (!inBody) {
      var node = range.commonAncestorContainer;
      var el = node.nodeType === 1 ? node : node.parentElement;
      if (el && el.closest(".ab-standfirst")) return { error: "This is the summary at the top of the page, which repeats the article's opening and is not annotatable: select the same words in the article's first paragraph." };
      return { error: "This is not part of the article's text (only the text between the header and the notes can be annotated): select words in the article itself." };
    }
    var page = pageText(body);
    var first = -1, last = -1;
    for (var k = 0; k < page.nodes.length; k++) {
      var node = page.nodes[k];
      if (!range.intersectsNode(node)) continue;
      var from = node === range.startContainer ? range.startOffset : 0;
      var to = node === range.endContainer ? range.endOffset : node.data.length;
      for (var i = from; i < to; i++) {
        if (SPACE.test(node.data[i])) continue;
        if (first === -1) first = page.starts[k] + i;
        last = page.starts[k] + i;
      }
    }
    if (first === -1) {
      var anc = range.commonAncestorContainer;
      var ael = anc.nodeType === 1 ? anc : anc.parentElement;
      var afterText = page.stop && (page.stop === ael || page.stop.compareDocumentPosition(anc) & Node.DOCUMENT_POSITION_FOLLOWING);
      if (ael && (ael.closest(NOTES) || afterText)) return { error: "This is a note, not the article's text: select words in the article itself." };
      return { error: "Nothing of the article's text is selected: select some words in the article itself." };
    }
    var pn = normalise(page.text);
    var back = [];
    for (var m = 0; m < pn.origin.length; m++) back[pn.origin[m]] = m;
    var a = back[first], b = back[last];
    if (!state.map || state.mapFor !== pn.text) { state.map = align(pn.text, state.norm.text); state.mapFor = pn.text; }
    var s = state.map[a], e = state.map[b];
    while (s === -1 && a < b) s = state.map[++a];
    while (e === -1 && b > a) e = state.map[--b];
    if (s === -1 || e === -1 || e < s) return { error: "This passage could not be found in the article's text: select fewer words, within one part of the article." };
    return { start: s, end: e + 1 };
  }

  /* The quote, prefix and suffix the build will anchor at this place of the normalised plain text. */
  function selector(start, end) {
    var norm = state.norm, plain = state.plain;
    var quote = collapse(plain.slice(norm.origin[start], norm.origin[end - 1] + 1)).trim();
    var q = normalise(quote).text.trim();
    var hay = norm.text;
    var found = occurrences(hay, q);
    if (found.length >= MAX_OCCURRENCES) {
      return { error: "These words occur too often in the article for the build to tell this place from the others: select a few more words." };
    }
    var s = norm.origin[start], e = norm.origin[end - 1] + 1;
    while (s < e && SPACE.test(plain[s])) s++;
    while (e > s && SPACE.test(plain[e - 1])) e--;
    var result = {
      quote: quote, prefix: "", suffix: "", count: found.length, plainStart: s,
      // The context the build keeps with the note (anchor.py's context(): 32 characters each side).
      before: collapse(plain.slice(Math.max(0, s - CONTEXT), s)), after: collapse(plain.slice(e, e + CONTEXT))
    };
    if (found.length <= 1) return result;
    var lower = hay.toLowerCase();
    for (var width = 16; width <= 4096; width *= 2) {
      var a = wordStart(hay, Math.max(0, start - width)), b = wordEnd(hay, Math.min(hay.length, end + width));
      var prefix = hay.slice(a, start), suffix = hay.slice(end, b);
      if (occurrences(lower, (prefix + hay.slice(start, end) + suffix).toLowerCase()).length === 1) {
        result.prefix = original(a, start).trimStart();
        result.suffix = original(end, b).trimEnd();
        return result;
      }
    }
    result.prefix = original(0, start).trimStart();
    result.suffix = original(end, hay.length).trimEnd();
    return result;
  }

  function original(a, b) {
    if (b <= a) return "";
    var norm = state.norm;
    return collapse(state.plain.slice(norm.origin[a], norm.origin[b - 1] + 1));
  }

  /* Each run of whitespace as one space: a quote in the file reads as one line (anchoring ignores the difference). */
  function collapse(text) {
    var out = "", inSpace = false;
    for (var i = 0; i < text.length; i++) {
      if (SPACE.test(text[i])) { if (!inSpace) out += " "; inSpace = true; }
      else { out += text[i]; inSpace = false; }
    }
    return out;
  }

  function wordStart(text, i) {
    if (i <= 0) return 0;
    var j = i;
    while (j < text.length && /\w/.test(text[j]) && /\w/.test(text[j - 1] || "")) j++;
    return j < text.length && j - i < 40 ? j : i;
  }

  function wordEnd(text, i) {
    if (i >= text.length) return text.length;
    var j = i;
    while (j > 0 && /\w/.test(text[j - 1]) && /\w/.test(text[j] || "")) j--;
    return j > 0 && i - j < 40 ? j : i;
  }

  // ------------------------------------------------------------- the note as YAML (archive_build/annotations/append.py)

  function makeId(text, taken) {
    var ascii = text.slice(0, 1000).normalize("NFKD").replace(/[^\x00-\x7f]/g, "").toLowerCase();
    var base = (ascii.match(/[a-z0-9]+/g) || []).slice(0, 4).join("-").slice(0, 48).replace(/^-+|-+$/g, "") || "note";
    var candidate = base, n = 2;
    while (taken.indexOf(candidate) !== -1) candidate = base + "-" + n++;
    return candidate;
  }

  /* The text with each lone half of a surrogate pair as U+FFFD: neither UTF-8 nor YAML can carry one. */
  function wellFormed(text) {
    return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(^|[^\ud800-\udbff])[\udc00-\udfff]/g, function (m, before) {
      return before === undefined ? "\ufffd" : before + "\ufffd";
    });
  }

  /* A YAML double-quoted scalar: JSON, with every character YAML would not read as itself escaped. */
  function quoted(text) {
    return JSON.stringify(wellFormed(text)).replace(/[^\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd]/g, function (c) {
      var code = c.charCodeAt(0);
      if (code >= 0xd800 && code <= 0xdfff) return c; // halves of a pair: kept (a lone one JSON already escaped)
      return "\\u" + ("000" + code.toString(16)).slice(-4);
    });
  }

  function literal(key, value) {
    var trimmed = value.replace(/\n+$/, "");
    if (trimmed.indexOf("\n") === -1 || /[\r\t]/.test(value) || /^\s/.test(value)) return null;
    if (/[^\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufffd\ud800-\udfff]/.test(value)) return null;
    var lines = trimmed.split("\n");
    if (lines.some(function (l) { return l !== l.replace(/\s+$/, ""); })) return null;
    var trailing = value.length - trimmed.length;
    var chomp = trailing === 0 ? "-" : trailing === 1 ? "" : "+";
    var out = [key + ": |" + chomp].concat(lines.map(function (l) { return l ? "  " + l : ""; }));
    for (var i = 1; i < trailing; i++) out.push("");
    return out.join("\n");
  }

  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }

  function noteYaml(note) {
    var lines = ["# A reader's note; format: docs/how-to-annotate.md. The note's id is this file's name."];
    lines.push("quote: " + quoted(note.quote));
    if (note.prefix) lines.push("prefix: " + quoted(note.prefix));
    if (note.suffix) lines.push("suffix: " + quoted(note.suffix));
    lines.push("kind: " + note.kind);
    lines.push("author: " + quoted(note.author));
    lines.push("created: " + note.created);
    var body = wellFormed(note.body.replace(/\r\n?/g, "\n"));
    lines.push(literal("body", body) || "body: " + quoted(body));
    if (note.links.length) {
      lines.push("links:");
      note.links.forEach(function (id) { lines.push("- " + quoted(id)); });
    }
    return lines.join("\n") + "\n";
  }

  // ------------------------------------------------------------- the repository host

  function host(config) {
    var repo = (config.repo || "").replace(/\/+$/, "");
    if (!/^https?:\/\/[^/]+\/[^/]+\/[^/]/.test(repo)) return null;
    var parts = (config.editUri || "").replace(/^\/+|\/+$/g, "").replace(/^-\//, "").split("/");
    if (parts.length < 2 || ["edit", "blob", "tree"].indexOf(parts[0]) === -1 || !parts[1]) return null;
    var gitlab = /^https?:\/\/[^/]*gitlab[^/]*\//i.test(repo + "/");
    return { repo: repo, branch: parts[1], gitlab: gitlab };
  }

  function pullRequestUrl(config, article, noteId, yaml) {
    var h = host(config);
    if (!h) return "";
    var folder = "annotations/" + encodeURIComponent(article);
    var branch = encodeURIComponent(h.branch);
    var url = h.gitlab
      ? h.repo + "/-/new/" + branch + "/" + folder + "?file_name=" + encodeURIComponent(noteId + ".yml") + "&content=" + encodeURIComponent(yaml)
      : h.repo + "/new/" + branch + "/" + folder + "?filename=" + encodeURIComponent(noteId + ".yml") + "&value=" + encodeURIComponent(yaml);
    return url.length <= MAX_URL ? url : "";
  }

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
    KINDS.forEach(function (k) { kind.appendChild(el("option", { value: k }, k.charAt(0).toUpperCase() + k.slice(1))); });
    field(form, "Kind", kind);
    field(form, "Your handle", el("input", { name: "author", type: "text", autocomplete: "nickname", spellcheck: "false", placeholder: "@you" }), "Shown with the note, as you write it.");
    field(form, "Note", el("textarea", { name: "body", rows: "4" }), "Markdown: emphasis, lists, links. Several paragraphs are fine.");
    var links = el("select", { name: "links", multiple: "", size: "3" });
    field(form, "See also (optional)", links, "Other articles of the archive this note points to; hold Ctrl or ⌘ to choose several.");
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
      author: f.author.value.trim(), created: today(), body: f.body.value,
      links: Array.prototype.filter.call(f.links.options, function (o) { return o.selected; }).map(function (o) { return o.value; })
    };
    var yaml = noteYaml(note);
    state.yaml = yaml;
    state.panel.querySelector("[data-ab-annotate-yaml]").textContent = yaml;
    var path = "annotations/" + state.config.article + "/" + sel.noteId + ".yml";
    f.file.textContent = "File: " + path;
    var missing = !note.author ? "your handle" : !note.body.trim() ? "the note" : "";
    var url = missing ? "" : pullRequestUrl(state.config, state.config.article, sel.noteId, yaml);
    var offered = !!host(state.config);
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
      var where = locate(range);
      if (!where.error) where = selector(where.start, where.end);
      if (where.error) {
        state.selection = null;
        form.hidden = true;
        state.panel.querySelector("[data-ab-annotate-passage]").textContent = "";
        say(where.error);
        state.panel.querySelector(".ab-annotate-panel__close").focus();
        return;
      }
      var sel = where;
      sel.noteId = makeId(sel.quote, takenIds());
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
      state.norm = normalise(text);
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
    normalise: normalise, noteYaml: noteYaml, makeId: makeId, pullRequestUrl: pullRequestUrl,
    // The selector the panel would show for a range of this page (a promise: the text is fetched first).
    selectorFor: function (range) {
      return new Promise(function (resolve) {
        whenReady(function () {
          var where = locate(range);
          resolve(where.error ? where : selector(where.start, where.end));
        });
      });
    }
  };

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setUp);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
