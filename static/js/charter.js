// Charter's own script (CSP allows scripts from this origin only; no inline code anywhere).
// On small screens the organization's navigation is a horizontally scrolling row: bring the current
// page's item into view so people see where they are.
(function () {
  "use strict";
  var active = document.querySelector(".sidebar .nav-link.active");
  var row = active && active.closest(".nav");
  if (row && row.scrollWidth > row.clientWidth) {
    row.scrollLeft = active.offsetLeft - (row.clientWidth - active.offsetWidth) / 2;
  }
})();
