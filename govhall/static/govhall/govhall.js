// Behaviour shared by every page, without inline scripts or on* attributes (the
// Content-Security-Policy allows scripts from our static files only):
//   data-autosubmit     a <select> that submits its form when changed
//   data-check-all="n"  a checkbox that ticks or unticks every checkbox named n of its form
//   data-print          a button that prints the page
//   data-confirm="…"    a form that asks before it is sent
//   data-clear-target   a link that, with htmx loaded, empties the element of that id instead
//   .nav-toggle         the menu button of small screens
//   htmx answers        409 (conflict: decided already) and 422 (refused input) are swapped like
//                       2xx, since they carry the row and the message (workbench/htmx.py); any
//                       other failed answer (404, 403, 500, no network) shows the text of
//                       #page-messages[data-failed] there, so no click stays silent
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field instanceof Element && field.hasAttribute("data-autosubmit") && field.form) {
      field.form.submit();
    }
    if (field instanceof HTMLInputElement && field.hasAttribute("data-check-all") && field.form) {
      var name = field.getAttribute("data-check-all");
      Array.prototype.forEach.call(field.form.elements, function (box) {
        if (box instanceof HTMLInputElement && box.type === "checkbox" && box.name === name) {
          box.checked = field.checked;
        }
      });
    }
  });
  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element)) return;
    if (event.target.closest("[data-print]")) {
      window.print();
      return;
    }
    var clear = event.target.closest("[data-clear-target]");
    if (clear && window.htmx) {
      var box = document.getElementById(clear.getAttribute("data-clear-target"));
      if (box) {
        event.preventDefault();
        box.innerHTML = "";
      }
      return;
    }
    var toggle = event.target.closest(".nav-toggle");
    if (toggle) {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.hasAttribute("data-confirm")) {
      if (!window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  function showFailure() {
    var region = document.getElementById("page-messages");
    if (!region || !region.hasAttribute("data-failed")) return;
    var list = document.createElement("ul");
    list.className = "messages";
    list.setAttribute("role", "alert");
    var item = document.createElement("li");
    item.className = "msg msg-error";
    item.textContent = region.getAttribute("data-failed");
    list.appendChild(item);
    region.replaceChildren(list);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr && event.detail.xhr.status;
    if (status !== 409 && status !== 422) showFailure();
  });
  document.addEventListener("htmx:sendError", showFailure);
})();
