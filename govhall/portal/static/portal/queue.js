// Kiosk and ticket pages: the receipt prints itself when asked (?print=1), a print button, and a
// kiosk with a printer returns to its first screen a minute after issuing a ticket.
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
  });
})();
