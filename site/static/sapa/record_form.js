// A new record's period: only the fields of the chosen kind of period are shown (an academic
// year; a semester of one; or the first and last days). Each period field names the kinds it
// belongs to (data-period-kinds); without this script every field stays on the form.
(function () {
  "use strict";
  var kind = document.getElementById("id_period_kind");
  if (!kind) {
    return;
  }
  var fields = document.querySelectorAll("[data-period-kinds]");
  function show() {
    fields.forEach(function (input) {
      var wanted = input.getAttribute("data-period-kinds").split(" ").indexOf(kind.value) >= 0;
      var box = input.closest(".field") || input;
      box.hidden = !wanted;
    });
  }
  kind.addEventListener("change", show);
  show();
})();
