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
  // A table marked "cards-on-phone" shows each row as a card on a phone, each cell under its
  // column's name (sapa.css): its status or what changed was swiped off the screen (a tester).
  document.querySelectorAll("main table.cards-on-phone").forEach(function (table) {
    var names = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
      return th.textContent.trim();
    });
    table.querySelectorAll("tbody tr").forEach(function (row) {
      Array.prototype.forEach.call(row.cells, function (cell) {
        if (cell.colSpan === 1 && names[cell.cellIndex]) {
          var label = document.createElement("span");
          label.className = "cell-label";
          label.textContent = names[cell.cellIndex] + ": ";
          cell.insertBefore(label, cell.firstChild);
        }
      });
    });
  });
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
