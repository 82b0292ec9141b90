// The public rating page: the reasons of a bad rating show only when a bad level is chosen.
(function () {
  "use strict";
  function setUp() {
    var levels = document.getElementById("rate-levels");
    var reasons = document.getElementById("rate-reasons");
    if (!levels || !reasons) return;
    var bad = (levels.getAttribute("data-bad-levels") || "").split(",");
    function update() {
      var chosen = levels.querySelector("input[name=level]:checked");
      var show = chosen && bad.indexOf(chosen.value) !== -1;
      reasons.hidden = !show;
    }
    levels.addEventListener("change", update);
    update();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
