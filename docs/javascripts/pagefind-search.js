/* Pagefind search box for the archive (see archive_build/search.py).
 *
 * The Pagefind UI and runtime load on first open, from site/pagefind/ next
 * to this script's directory, so page views download nothing for search and
 * a first query downloads only what Pagefind needs for it.  Event handlers
 * are delegated from the document so they survive Material's instant
 * navigation, which swaps the header.
 */
(function () {
  "use strict";
  if (window.__abPagefind) return;
  var script = document.currentScript;
  var root = new URL("../", script ? script.src : window.location.href);
  var bundle = new URL("pagefind/", root).pathname;
  var loading = null;
  window.__abPagefind = { bundle: bundle };

  function loadUI() {
    if (loading) return loading;
    loading = new Promise(function (resolve, reject) {
      var css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = bundle + "pagefind-ui.css";
      document.head.appendChild(css);
      var js = document.createElement("script");
      js.src = bundle + "pagefind-ui.js";
      js.onload = resolve;
      js.onerror = reject;
      document.head.appendChild(js);
    });
    return loading;
  }

  function withSourceAndDate(result) {
    var m = result.meta || {};
    var extra = [m.source, m.date].filter(Boolean).join(", ");
    if (extra) m.title = (m.title || result.url) + " \u2014 " + extra;
    return result;
  }

  function open() {
    var dialog = document.querySelector("[data-ab-pagefind-dialog]");
    if (!dialog) return;
    if (!dialog.open) dialog.showModal();
    loadUI().then(function () {
      var el = dialog.querySelector("[data-ab-pagefind-ui]");
      if (!el.dataset.ready) {
        el.dataset.ready = "1";
        new window.PagefindUI({
          element: el,
          bundlePath: bundle,
          baseUrl: root.pathname,
          showSubResults: true,
          showImages: false,
          resetStyles: false,
          autofocus: true,
          processResult: withSourceAndDate
        });
      }
      var input = el.querySelector("input");
      if (input) input.focus();
    });
  }

  document.addEventListener("click", function (ev) {
    var target = ev.target instanceof Element ? ev.target.closest("[data-ab-pagefind-open]") : null;
    if (target) {
      ev.preventDefault();
      open();
    }
  });
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    var typing = t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
    if (!typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey && (ev.key === "/" || ev.key === "s" || ev.key === "f")) {
      ev.preventDefault();
      open();
    }
  });
})();
