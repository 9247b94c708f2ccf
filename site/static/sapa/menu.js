// On a phone the header's links, languages and account fold behind one "Menu" button (the
// quality office's header took half the screen, a tester); on a wider screen, and without
// this script, they stand in the header as they are (sapa.css).
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var button = header && header.querySelector(".menu-toggle");
  if (!button) {
    return;
  }
  header.classList.add("has-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = !header.classList.contains("menu-open");
    header.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
