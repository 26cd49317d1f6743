/* Tooltips show text, never HTML.
 *
 * Material's tooltips (content.tooltips) put an element's title into the
 * tooltip with innerHTML: a title holding "<img onerror=...>" would run
 * script on hover, and titles also come from text the theme reads off the
 * page (a truncated heading or page title).  This runs before Material's
 * bundle and makes the tooltip bodies take what they are given as text.
 * Footnote tooltips copy the footnote's own (sanitised) elements and are
 * not affected.
 */
(function () {
  "use strict";
  var inner = Object.getOwnPropertyDescriptor(Element.prototype, "innerHTML");
  if (!inner || !inner.set) return;
  var TOOLTIP = /(^|\s)md-tooltip2?__inner(\s|$)/;
  Object.defineProperty(Element.prototype, "innerHTML", {
    configurable: true,
    enumerable: inner.enumerable,
    get: inner.get,
    set: function (value) {
      if (TOOLTIP.test(this.getAttribute("class") || "")) {
        // Material appends a title with `innerHTML += title`: the element is empty before.
        this.textContent = String(value);
        return;
      }
      inner.set.call(this, value);
    },
  });
})();
