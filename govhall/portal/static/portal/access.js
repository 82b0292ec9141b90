// 无障碍 and 适老化 on the public pages and the kiosk (issue 17 items 9 and 12), without inline
// scripts (the Content-Security-Policy allows our static files only):
//   [data-large-text]   the "large text" button: toggles <html class="large-text">, remembered in
//                       the cookie govhall_large_text (read here, before the page is drawn, so
//                       every page the citizen opens next is large too; no server involved)
//   [data-id-number]    an ID number field with the numeric keyboard (inputmode="numeric"): an
//                       "X" key is added beside it, since a check character X is not on a
//                       phone's digit pad
// On the kiosk (a shared machine) the choice ends with the citizen: the ticket screen
// (#kiosk-issued) is still drawn large but forgets the choice, and the kiosk turns it off a
// second before its idle restart (queue.js, [data-kiosk-idle-seconds]) or on a "govhall:kiosk-reset"
// event on document.
(function () {
  "use strict";
  var COOKIE = "govhall_large_text";
  var YEAR = 365 * 24 * 3600;
  var root = document.documentElement;

  function remembered() {
    return document.cookie.split(/;\s*/).indexOf(COOKIE + "=1") !== -1;
  }
  function remember(on) {
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = COOKIE + "=" + (on ? "1" : "0") + "; path=/; max-age=" + (on ? YEAR : 0) +
      "; SameSite=Lax" + secure;
  }
  function draw() {
    var on = root.classList.contains("large-text");
    document.querySelectorAll("[data-large-text]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  }
  function choose(on) {
    root.classList.toggle("large-text", on);
    remember(on);
    draw();
  }

  if (remembered()) root.classList.add("large-text");

  function addXKeys() {
    document.querySelectorAll("input[data-id-number]").forEach(function (field) {
      if (field.parentElement && field.parentElement.classList.contains("id-input")) return;
      var row = document.createElement("span");
      row.className = "id-input";
      field.insertAdjacentElement("beforebegin", row);
      row.appendChild(field);
      var key = document.createElement("button");
      key.type = "button";
      key.className = "id-x-key";
      key.textContent = "X";
      key.setAttribute("data-id-x", field.id);
      key.setAttribute("aria-label", field.getAttribute("data-id-x-label") || "X");
      row.appendChild(key);
    });
  }

  // The kiosk forgets the choice just before queue.js restarts it for the next citizen; a touch
  // in between remembers it again for the citizen still there (not after their ticket).
  function kioskForgets(ended) {
    var main = document.querySelector("[data-kiosk-idle-seconds]");
    var seconds = main ? parseInt(main.getAttribute("data-kiosk-idle-seconds"), 10) : NaN;
    if (isNaN(seconds)) return;
    var timer = null;
    function wait() {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () { choose(false); }, Math.max(seconds - 1, 1) * 1000);
    }
    ["pointerdown", "keydown", "input", "touchstart", "wheel"].forEach(function (name) {
      document.addEventListener(name, function () {
        if (!ended && root.classList.contains("large-text") && !remembered()) remember(true);
        wait();
      }, { passive: true });
    });
    wait();
  }

  document.addEventListener("DOMContentLoaded", function () {
    draw();
    addXKeys();
    if (document.body.classList.contains("kiosk")) {
      var ended = Boolean(document.getElementById("kiosk-issued"));
      if (ended) remember(false);
      kioskForgets(ended);
    }
  });
  document.addEventListener("htmx:afterSettle", addXKeys);  // a form redrawn by htmx
  document.addEventListener("govhall:kiosk-reset", function () { choose(false); });
  // The X key must not take the focus from the field: the phone's keyboard stays open.
  document.addEventListener("mousedown", function (event) {
    if (event.target instanceof Element && event.target.closest("[data-id-x]")) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    if (!(event.target instanceof Element)) return;
    if (event.target.closest("[data-large-text]")) {
      choose(!root.classList.contains("large-text"));
      return;
    }
    var key = event.target.closest("[data-id-x]");
    if (key) {
      var field = document.getElementById(key.getAttribute("data-id-x"));
      if (!field || field.value.length >= (field.maxLength > 0 ? field.maxLength : 18)) return;
      field.value += "X";
      field.dispatchEvent(new Event("input", { bubbles: true }));
      field.focus();
    }
  });
})();
