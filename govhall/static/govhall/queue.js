// Queue pages of the workbench. A panel marked data-refresh-when-idle reloads itself (hx-trigger
// "every Ns") unless the user is choosing something in it: the poll is cancelled then.
(function () {
  "use strict";
  function idle(box) {
    var focused = document.activeElement;
    if (focused && box.contains(focused) && (focused.tagName === "SELECT" || focused.tagName === "INPUT")) {
      return false;
    }
    var selects = box.querySelectorAll("select");
    for (var i = 0; i < selects.length; i++) {
      if (selects[i].value) return false;
    }
    return true;
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (elt instanceof Element && elt.hasAttribute("data-refresh-when-idle") && !idle(elt)) {
      event.preventDefault();
    }
  });
})();
