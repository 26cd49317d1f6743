/* What the annotation panel (annotate.js) writes, computed without touching the page.
 *
 * - The selector: where a selection of the article's text is in the plain
 *   text the build anchors quotes in (data/articles/<id>/text.txt), with the
 *   normalisation of archive_build/annotations/anchor.py, and the quote,
 *   prefix and suffix that anchor exactly there.
 * - The note file: its YAML (as archive_build/annotations/append.py writes a
 *   note file) and its id (append.make_id).
 * - The repository host's new-file address for it.
 *
 * Exported as window.abAnnotateText; nothing here makes a request.
 */
(function () {
  "use strict";
  if (window.abAnnotateText) return;

  var KINDS = ["note", "correction", "context", "source", "question"];
  var MAX_OCCURRENCES = 1000; // anchor.py weighs the first thousand occurrences of a quote, no more
  var MAX_URL = 8000; // beyond this GitHub and GitLab refuse or cut the address: Copy only
  var CONTEXT = 32; // characters each side that anchor.py's context() keeps with a note
  // Parts of the article body that are not its text: paragraph links, note markers, the notes, headings' permalinks.
  var SKIP = ".ab-pilcrow, .headerlink, sup[id^='fnref'], .footnote, .ab-notes, .ab-about, .ab-print-refs, .ab-sidenotes, .ab-popnote, .ab-note-card, script, style";
  var NOTES = ".footnote, .ab-notes, .ab-sidenotes, .ab-popnote, .ab-note-card";
  var BLOCK = /^(P|LI|UL|OL|H[1-6]|BLOCKQUOTE|PRE|DIV|TABLE|TR|TD|TH|FIGURE|FIGCAPTION|SECTION|DL|DT|DD|HR|BR)$/;

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

  /* Where the selection is in the article's plain text: {start, end} in its normalised text, or {error}.
   * `article` is {body, plain, norm}; the alignment is kept in it for the next selection. */
  function locate(article, range) {
    var body = article.body;
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
    if (!article.map || article.mapFor !== pn.text) { article.map = align(pn.text, article.norm.text); article.mapFor = pn.text; }
    var map = article.map, s = map[a], e = map[b];
    while (s === -1 && a < b) s = map[++a];
    while (e === -1 && b > a) e = map[--b];
    if (s === -1 || e === -1 || e < s) return { error: "This passage could not be found in the article's text: select fewer words, within one part of the article." };
    return { start: s, end: e + 1 };
  }

  /* The quote, prefix and suffix the build will anchor at this place of the normalised plain text. */
  function selector(article, start, end) {
    var norm = article.norm, plain = article.plain;
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
        result.prefix = original(article, a, start).trimStart();
        result.suffix = original(article, end, b).trimEnd();
        return result;
      }
    }
    result.prefix = original(article, 0, start).trimStart();
    result.suffix = original(article, end, hay.length).trimEnd();
    return result;
  }

  function original(article, a, b) {
    if (b <= a) return "";
    var norm = article.norm;
    return collapse(article.plain.slice(norm.origin[a], norm.origin[b - 1] + 1));
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

  window.abAnnotateText = {
    KINDS: KINDS, normalise: normalise, locate: locate, selector: selector,
    makeId: makeId, noteYaml: noteYaml, today: today, host: host, pullRequestUrl: pullRequestUrl
  };
})();
