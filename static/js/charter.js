// Charter's own script (CSP allows scripts from this origin only; no inline code anywhere).
(function () {
  "use strict";

  // On small screens the organization's navigation is a horizontally scrolling row: bring the current
  // page's item into view so people see where they are.
  var active = document.querySelector(".sidebar .nav-link.active");
  var row = active && active.closest(".nav");
  if (row && row.scrollWidth > row.clientWidth) {
    row.scrollLeft = active.offsetLeft - (row.clientWidth - active.offsetWidth) / 2;
  }

  // A table wider than the screen scrolls inside its box; keyboard users must be able to reach that box
  // to scroll it (WCAG 2.1.1), so a box that scrolls is made focusable, and one that no longer does isn't.
  function focusableScrollBoxes() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.dataset.charterFocusable = "1";
      } else if (!scrolls && box.dataset.charterFocusable) {
        box.removeAttribute("tabindex");
        delete box.dataset.charterFocusable;
      }
    });
  }
  focusableScrollBoxes();
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(focusableScrollBoxes, 150);
  });
  document.body.addEventListener("htmx:afterSettle", focusableScrollBoxes);
})();
