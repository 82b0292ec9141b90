// Logging a first inquiry: only the parts of the chosen outcome show, Ctrl+Enter sends the form,
// and after a save (htmx swap) the cursor goes to the first wrong field or back to the matter.
(function () {
  "use strict";
  function sync() {
    var chosen = document.querySelector("#inquiry-form input[name=outcome]:checked");
    var outcome = chosen ? chosen.value : "";
    document.querySelectorAll("#inquiry-form .outcome-part").forEach(function (part) {
      part.hidden = part.dataset.outcomes.split(" ").indexOf(outcome) < 0;
    });
  }
  document.addEventListener("change", function (event) {
    if (event.target instanceof Element && event.target.getAttribute("name") === "outcome") sync();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) &&
        event.target instanceof Element && event.target.closest("#inquiry-form")) {
      event.preventDefault();
      document.getElementById("inquiry-submit").click();
    }
  });
  document.addEventListener("htmx:afterSwap", function () {
    sync();
    var bad = document.querySelector(
      "#inquiry-form .has-error textarea, #inquiry-form .has-error input, #inquiry-form .has-error select"
    );
    var target = bad || document.getElementById("id_matter");
    if (target) target.focus();
  });
  document.addEventListener("DOMContentLoaded", sync);
})();
