// Case intake at a window: enterprise-only fields show for an enterprise applicant, and a change
// of a field marked .live asks the server for the proposed outcome again (htmx event live-change).
(function () {
  "use strict";
  function toggle() {
    var chosen = document.querySelector("#intake-form input[name=applicant_kind]:checked");
    var enterprise = chosen && chosen.value === "enterprise";
    document.querySelectorAll("#intake-form .enterprise-only").forEach(function (el) {
      el.hidden = !enterprise;
    });
  }
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (target.getAttribute("name") === "applicant_kind") toggle();
    // A live field outside the live part (the ID number: materials verified on an earlier case
    // of the applicant are offered) refreshes it too.
    var live = target.classList.contains("live") &&
      (target.closest("[data-live-part]") ||
        (target.closest("#intake-form") && document.querySelector("#intake-form [data-live-part]")));
    if (live && window.htmx) window.htmx.trigger(live, "live-change");
  });
  document.addEventListener("DOMContentLoaded", toggle);
})();
