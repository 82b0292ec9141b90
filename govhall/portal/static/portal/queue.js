// Kiosk and ticket pages: the receipt prints itself when asked (?print=1), a print button, and
// the kiosk returns to its first screen (in Chinese) a while after showing a ticket.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    if (document.body.dataset.autoPrint === "1") {
      window.addEventListener("load", function () { window.print(); });
    }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
    var issued = document.querySelector("[data-return-url]");
    if (issued) {
      var seconds = parseInt(issued.dataset.returnSeconds || "60", 10);
      window.setTimeout(function () { window.location.assign(issued.dataset.returnUrl); }, seconds * 1000);
    }
    // The kiosk goes back to its first screen, in Chinese, after a while without a touch, so
    // the next citizen never finds English or the previous citizen's screen (issue 17).
    var kiosk = document.querySelector("[data-kiosk-restart]");
    if (kiosk) {
      var idleSeconds = parseInt(kiosk.dataset.kioskIdleSeconds || "90", 10);
      var idleTimer = null;
      var atStart = function () {
        var chinese = /^zh/i.test(document.documentElement.lang || "");
        var query = new URLSearchParams(window.location.search).get("q");
        return chinese && window.location.pathname === kiosk.dataset.kioskHome && !query;
      };
      var restart = function () {
        if (atStart()) {
          var search = document.querySelector("input[type=search]");
          if (search) search.value = "";
          window.scrollTo(0, 0);
          return;
        }
        window.location.assign(kiosk.dataset.kioskRestart);
      };
      var touched = function () {
        window.clearTimeout(idleTimer);
        idleTimer = window.setTimeout(restart, idleSeconds * 1000);
      };
      ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (name) {
        document.addEventListener(name, touched, { passive: true });
      });
      touched();
    }
  });
})();
