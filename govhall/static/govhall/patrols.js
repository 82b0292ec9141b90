// Patrol pages: hide a point's note and photo while it is ticked as passed; print buttons.
(function () {
  "use strict";
  function sync(fieldset) {
    var box = fieldset.querySelector(".check-ok input[type=checkbox]");
    if (!box) { return; }
    var hasError = fieldset.classList.contains("has-error");
    fieldset.classList.toggle("is-ok", box.checked && !hasError);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("fieldset.check-point").forEach(function (fieldset) {
      sync(fieldset);
      var box = fieldset.querySelector(".check-ok input[type=checkbox]");
      if (box) {
        box.addEventListener("change", function () {
          fieldset.classList.remove("has-error");
          sync(fieldset);
        });
      }
    });
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
