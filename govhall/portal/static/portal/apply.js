// Applying online (issue 19 item 2): show the mailing address only when express is chosen.
(function () {
  "use strict";
  function update(form) {
    var express = form.querySelector('input[name="delivery_method"][value="express"]');
    var address = document.getElementById("field-delivery_address");
    if (!express || !address) return;
    address.classList.toggle("apply-hidden", !express.checked);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("apply-form");
    if (!form) return;
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
