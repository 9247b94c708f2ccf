// A table wider than the screen scrolls sideways in its own box (sapa.css): a line above it
// says so while it does not fit, so that nobody takes its first columns for the whole table.
(function () {
  "use strict";
  var template = document.getElementById("scroll-hint");
  if (!template) {
    return;
  }
  function box(table) {
    return table.closest(".table-scroll") || table;
  }
  function mark() {
    document.querySelectorAll("main table").forEach(function (table) {
      var scroller = box(table);
      var hint = scroller.previousElementSibling;
      if (!hint || !hint.classList.contains("scroll-hint")) {
        hint = template.content.firstElementChild.cloneNode(true);
        scroller.parentNode.insertBefore(hint, scroller);
      }
      // On a phone the table itself scrolls (display: block), inside its box or not.
      hint.hidden =
        scroller.scrollWidth <= scroller.clientWidth + 1 &&
        table.scrollWidth <= table.clientWidth + 1;
    });
  }
  mark();
  window.addEventListener("resize", mark);
})();
