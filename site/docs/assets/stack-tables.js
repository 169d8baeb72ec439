// educluster site (hand-written): wide tables stack on a phone. Every table of four or more
// columns (not the characteristics matrix, which scrolls in its own box) gets the attribute
// data-ec-stack (a class would lose the theme's table:not([class]) style) and, on each cell,
// data-label = its column's head; assets/extra.css shows the cells of a row one under
// another, each after its label, below 45em. Without this script
// the same tables wrap their words instead.
(function () {
  "use strict";
  function stack() {
    document.querySelectorAll(".md-typeset table").forEach(function (table) {
      if (table.closest(".ec-matrix")) return;
      var heads = table.querySelectorAll("thead th");
      if (heads.length < 4) return;
      var names = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      table.setAttribute("data-ec-stack", "");
      table.querySelectorAll("tbody tr").forEach(function (tr) {
        Array.prototype.forEach.call(tr.children, function (td, i) {
          if (names[i]) td.setAttribute("data-label", names[i]);
        });
      });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", stack);
  else stack();
})();
