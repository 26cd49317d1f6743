/* Readers' annotations on an article page (overrides/partials/reader-controls.html,
 * archive_build/site/reading.py split_notes).
 *
 * - From 1200 px wide, each note sits in the margin beside its highlighted
 *   passage (a copy of the note at the end, without its ids), aligned with
 *   the passage and pushed down just enough never to overlap the one before.
 * - Narrower, tapping a highlighted passage or its marker opens the note in
 *   place, right under the paragraph, instead of jumping to the end.
 * - The reader's controls turn highlights off and hide kinds of notes; the
 *   choice is kept in localStorage for every page.
 *
 * Without JavaScript none of this happens: every highlight shows and the
 * notes are the numbered list at the end, which the markers link to.  Handlers
 * are delegated from the document and pages set up through Material's
 * `document$`, so instant navigation keeps working.
 */
(function () {
  "use strict";
  if (window.__abNotes) return;
  window.__abNotes = true;

  var WIDE = window.matchMedia("(min-width: 1200px)");
  var KEY = "ab-reader";
  var KINDS = ["note", "correction", "context", "source", "question"];
  var GAP = 12; // px between two notes in the margin
  var page = null; // the current article: {body, notes, byRef, byMark}

  // ---------------------------------------------------------------- preferences

  function readPrefs() {
    var prefs = { highlights: true, hidden: [] };
    try {
      var stored = JSON.parse(window.localStorage.getItem(KEY) || "{}");
      if (stored && stored.highlights === false) prefs.highlights = false;
      if (stored && Array.isArray(stored.hidden)) {
        prefs.hidden = stored.hidden.filter(function (k) { return KINDS.indexOf(k) !== -1; });
      }
    } catch (e) { /* no storage (private mode, blocked): defaults */ }
    return prefs;
  }

  function savePrefs(prefs) {
    try { window.localStorage.setItem(KEY, JSON.stringify(prefs)); } catch (e) { /* kept for this page only */ }
  }

  function applyPrefs(prefs) {
    var root = document.documentElement;
    root.classList.toggle("ab-highlights-off", !prefs.highlights);
    KINDS.forEach(function (kind) { root.classList.toggle("ab-hide-" + kind, prefs.hidden.indexOf(kind) !== -1); });
  }

  function syncControls(prefs) {
    var box = document.querySelector("[data-ab-reader-controls]");
    if (!box) return;
    box.hidden = false;
    var toggle = box.querySelector("[data-ab-highlights]");
    if (toggle) toggle.setAttribute("aria-pressed", prefs.highlights ? "true" : "false");
    box.querySelectorAll("input[data-ab-kind]").forEach(function (input) {
      input.checked = prefs.hidden.indexOf(input.getAttribute("data-ab-kind")) === -1;
    });
  }

  // ---------------------------------------------------------------- the notes

  function kindOf(li) {
    for (var i = 0; i < KINDS.length; i++) if (li.classList.contains("ab-note-kind-" + KINDS[i])) return KINDS[i];
    return "note";
  }

  function collect(body) {
    var refs = {};
    // By hash: Material may have made the href absolute.
    body.parentNode.querySelectorAll("a.footnote-ref").forEach(function (a) {
      var hash = decodeURIComponent(a.hash);
      (refs[hash] = refs[hash] || []).push(a);
    });
    var notes = [];
    var byMark = {};
    document.querySelectorAll("#ab-notes li.ab-note").forEach(function (li) {
      var quote = li.querySelector("a.ab-ann-quote");
      var first = quote ? document.getElementById(decodeURIComponent(quote.hash.slice(1))) : null;
      var cls = first ? Array.prototype.find.call(first.classList, function (c) { return c.indexOf("ab-ann-for-") === 0; }) : null;
      var note = {
        li: li,
        kind: kindOf(li),
        number: li.getAttribute("value") || String(notes.length + 1),
        refs: refs["#" + li.id] || [],
        marks: cls ? Array.prototype.slice.call(body.querySelectorAll("mark." + cls)) : [],
        side: null,
        pop: null
      };
      note.refs.forEach(function (a) {
        a.parentNode.classList.add("ab-ref", "ab-ref-kind-" + note.kind);
        a.setAttribute("aria-expanded", "false");
      });
      if (cls) byMark[cls] = note;
      notes.push(note);
    });
    var byRef = {};
    notes.forEach(function (n) { byRef["#" + n.li.id] = n; });
    return { body: body, notes: notes, byRef: byRef, byMark: byMark };
  }

  /** A copy of a note for the margin or a popover: no ids (they stay unique), no "back" arrow. */
  function card(note, extraClass) {
    var box = document.createElement("div");
    box.className = "ab-note-card ab-note-kind-" + note.kind + " " + extraClass;
    box.setAttribute("role", "note");
    box.setAttribute("aria-label", "Annotation " + note.number);
    var number = document.createElement("span");
    number.className = "ab-note-card__number";
    number.setAttribute("aria-hidden", "true");
    number.textContent = note.number;
    box.appendChild(number);
    // The note's first two paragraphs (kind, author, date; the words annotated) head the card; the rest is its body.
    var body = document.createElement("div");
    body.className = "ab-note-card__body";
    var paragraphs = 0;
    Array.prototype.forEach.call(note.li.childNodes, function (child) {
      var copy = child.cloneNode(true);
      if (child.nodeType === 1 && paragraphs < 2) { paragraphs++; box.appendChild(copy); } else body.appendChild(copy);
    });
    box.appendChild(body);
    box.querySelectorAll("[id]").forEach(function (el) { el.removeAttribute("id"); });
    box.querySelectorAll(".footnote-backref").forEach(function (el) { el.remove(); });
    return box;
  }

  function shown(el) {
    return el && window.getComputedStyle(el).display !== "none";
  }

  // ---------------------------------------------------------------- margin notes (wide)

  function layout() {
    if (!page) return;
    var body = page.body;
    var column = body.querySelector(":scope > .ab-sidenotes");
    if (!WIDE.matches || !page.notes.length) {
      if (column) column.remove();
      body.classList.remove("ab-has-sidenotes");
      body.style.minHeight = "";
      page.notes.forEach(function (n) { n.side = null; });
      return;
    }
    closePopovers();
    if (!column) {
      column = document.createElement("div");
      column.className = "ab-sidenotes";
      page.notes.forEach(function (n) {
        n.side = card(n, "ab-sidenote");
        column.appendChild(n.side);
      });
      body.appendChild(column);
      body.classList.add("ab-has-sidenotes");
      // A long note shows its first lines in the margin, so the next stays level with its passage; "More" shows the rest.
      page.notes.forEach(function (n) {
        var text = n.side.querySelector(".ab-note-card__body");
        if (!text || text.scrollHeight <= text.clientHeight + 2) return;
        n.side.classList.add("ab-sidenote--long");
        var more = document.createElement("button");
        more.type = "button";
        more.className = "ab-sidenote__more";
        more.textContent = "More";
        more.setAttribute("aria-expanded", "false");
        more.setAttribute("aria-label", "More of annotation " + n.number);
        more.addEventListener("click", function () {
          var open = n.side.classList.toggle("ab-sidenote--open");
          more.textContent = open ? "Less" : "More";
          more.setAttribute("aria-label", more.textContent + " of annotation " + n.number);
          more.setAttribute("aria-expanded", open ? "true" : "false");
          layout();
        });
        n.side.appendChild(more);
      });
    }
    var origin = body.getBoundingClientRect().top;
    var bottom = 0;
    page.notes.forEach(function (n) {
      var anchor = n.marks[0] || n.refs[0];
      if (!anchor || !shown(n.side)) return;
      var want = anchor.getBoundingClientRect().top - origin;
      var top = Math.max(want, bottom);
      n.side.style.top = top + "px";
      bottom = top + n.side.offsetHeight + GAP;
    });
    body.style.minHeight = "";
    if (bottom > body.offsetHeight) body.style.minHeight = bottom + "px";
  }

  var pending = 0;
  function relayout() {
    if (pending) return;
    pending = window.requestAnimationFrame(function () { pending = 0; layout(); });
  }

  function flash(el) {
    el.classList.remove("ab-note-card--active");
    void el.offsetWidth; // restart the animation
    el.classList.add("ab-note-card--active");
  }

  // ---------------------------------------------------------------- notes opened in place (narrow)

  function closePopovers() {
    if (!page) return;
    page.notes.forEach(function (n) {
      if (n.pop) { n.pop.remove(); n.pop = null; }
      n.refs.forEach(function (a) { a.setAttribute("aria-expanded", "false"); });
    });
  }

  function openInPlace(note, trigger, byKeyboard) {
    var wasOpen = !!note.pop;
    closePopovers();
    if (wasOpen) return;
    var pop = card(note, "ab-popnote");
    pop.id = "ab-popnote-" + note.number;
    pop.tabIndex = -1;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "ab-popnote__close";
    close.setAttribute("aria-label", "Close annotation " + note.number);
    close.textContent = "×";
    close.addEventListener("click", function () {
      closePopovers();
      (note.refs[0] || trigger).focus({ preventScroll: true });
    });
    pop.insertBefore(close, pop.firstChild);
    var block = trigger.closest("p, li, blockquote, h2, h3, h4, h5, h6, td, th, dd, figcaption") || trigger;
    if (/^(LI|TD|TH|DD)$/.test(block.tagName)) block.appendChild(pop);
    else block.insertAdjacentElement("afterend", pop);
    note.pop = pop;
    note.refs.forEach(function (a) { a.setAttribute("aria-expanded", "true"); a.setAttribute("aria-controls", pop.id); });
    // From the keyboard, focus moves into the note (Escape or its button closes it); a tap leaves focus where it was.
    if (byKeyboard) pop.focus({ preventScroll: true });
    // A passage tapped at the bottom of the screen: bring its note up, no further than needed.
    var box = pop.getBoundingClientRect();
    if (box.bottom > window.innerHeight || box.top < 0) pop.scrollIntoView({ block: "nearest" });
  }

  function noteFor(target) {
    if (!page || !page.body.contains(target)) return null;
    var ref = target.closest("a.footnote-ref");
    if (ref) return page.byRef[decodeURIComponent(ref.hash)] || null;
    if (target.closest("a, button")) return null; // a link inside a passage keeps working
    var mark = target.closest("mark.ab-ann");
    if (!mark || document.documentElement.classList.contains("ab-highlights-off")) return null;
    // The innermost passage that is shown: a tap on overlapping passages opens the one tapped.
    for (var m = mark; m && m.matches && m.matches("mark.ab-ann"); m = m.parentElement.closest("mark.ab-ann")) {
      var cls = Array.prototype.find.call(m.classList, function (c) { return c.indexOf("ab-ann-for-") === 0; });
      var note = cls && page.byMark[cls];
      if (note && shown(note.li)) return note;
    }
    return null;
  }

  document.addEventListener("click", function (ev) {
    if (!(ev.target instanceof Element) || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey) return;
    var note = noteFor(ev.target);
    if (!note) return;
    var ref = ev.target.closest("a.footnote-ref");
    if (WIDE.matches) {
      if (!ref || !note.side) return;
      ev.preventDefault();
      ev.stopPropagation();
      flash(note.side);
      return;
    }
    ev.preventDefault();
    ev.stopPropagation();
    openInPlace(note, ref || ev.target.closest("mark.ab-ann"), ev.detail === 0);
  }, true);

  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape" || !page) return;
    var open = page.notes.filter(function (n) { return n.pop; })[0];
    if (!open) return;
    var inside = open.pop.contains(document.activeElement);
    closePopovers();
    if (inside && open.refs[0]) open.refs[0].focus({ preventScroll: true }); // back where the reader was
  });

  // ---------------------------------------------------------------- controls

  document.addEventListener("click", function (ev) {
    var toggle = ev.target instanceof Element && ev.target.closest("[data-ab-highlights]");
    if (!toggle) return;
    var prefs = readPrefs();
    prefs.highlights = !prefs.highlights;
    savePrefs(prefs);
    applyPrefs(prefs);
    syncControls(prefs);
  });

  document.addEventListener("change", function (ev) {
    var input = ev.target instanceof Element && ev.target.closest("input[data-ab-kind]");
    if (!input) return;
    var prefs = readPrefs();
    var kind = input.getAttribute("data-ab-kind");
    prefs.hidden = prefs.hidden.filter(function (k) { return k !== kind; });
    if (!input.checked) prefs.hidden.push(kind);
    savePrefs(prefs);
    applyPrefs(prefs);
    closePopovers();
    relayout();
  });

  // ---------------------------------------------------------------- set-up per page

  var observer = window.ResizeObserver ? new ResizeObserver(relayout) : null;

  function setUp() {
    var prefs = readPrefs();
    applyPrefs(prefs);
    syncControls(prefs);
    if (observer) observer.disconnect();
    var body = document.querySelector(".ab-article-body");
    page = body ? collect(body) : null;
    if (!page) return;
    layout();
    if (observer) observer.observe(body);
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(relayout);
  }

  WIDE.addEventListener("change", function () { layout(); });
  window.addEventListener("load", relayout);
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setUp);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
