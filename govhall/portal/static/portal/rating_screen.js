// The window's rating screen (评价器): idle until the server says the clerk at this window has
// finished a ticket or delivered a case, then the five levels with the clerk's name and staff
// number; a bad level asks for a reason; after the tap a thank-you, then back to what the
// server says. Live through server-sent events (polling state.json where they are unavailable).
// The server decides what is rated; the page sends the level and the occasion key it showed.
// For tests: <html data-screen-mode="idle|rate|reasons|thanks"> and data-screen-live.
(function () {
  "use strict";

  var body = document.body;
  var root = document.documentElement;
  var byId = function (id) { return document.getElementById(id); };
  var labels = JSON.parse(byId("rs-labels").textContent);
  var badLevels = JSON.parse(byId("rs-bad-levels").textContent);
  var current = JSON.parse(byId("rs-state").textContent);
  var step = "idle";
  var shown = "";
  var chosenLevel = 0;
  var chosenReason = "";
  var sending = false;
  var thanksTimer = null;
  var pollTimer = null;
  var panels = ["idle", "rate", "reasons", "thanks"];

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key] == null ? "" : String(values[key]); });
  }

  function show(name) {
    step = name;
    panels.forEach(function (panel) { byId("rs-" + panel).hidden = panel !== name; });
    root.dataset.screenMode = name;
    root.dataset.occasion = name === "idle" ? "" : shown;
  }

  function status(text) {
    var line = byId("rs-status");
    line.textContent = text || "";
    line.hidden = !text;
  }

  function draw(state) {
    if (state.mode === "rate") {
      shown = state.occasion;
      var staff = state.staff || {};
      byId("rs-photo").textContent = staff.initial || "";
      byId("rs-name").textContent = staff.name || "";
      byId("rs-number").textContent = staff.number ? fill(labels.staffNumber, { number: staff.number }) : "";
      show("rate");
    } else {
      shown = "";
      show("idle");
    }
  }

  function apply(state) {
    current = state;
    if (state.mode === "unpaired") { window.location.assign(body.dataset.pairUrl); return; }
    if (step === "thanks" || sending) return;  // drawn when the thank-you ends
    if (step === "reasons" && state.mode === "rate" && state.occasion === shown) return;
    draw(state);
  }

  function thank(text) {
    byId("rs-thanks-text").textContent = text;
    show("thanks");
    window.clearTimeout(thanksTimer);
    thanksTimer = window.setTimeout(function () { step = "idle"; draw(current); }, Number(body.dataset.thanksSeconds || 5) * 1000);
  }

  function send(level, reason, comment) {
    if (sending) return;
    sending = true;
    var form = new URLSearchParams();
    form.set("level", String(level));
    form.set("reason", reason || "");
    form.set("comment", comment || "");
    form.set("occasion", shown);
    fetch(body.dataset.rateUrl, {
      method: "POST",
      body: form,
      credentials: "same-origin",
      headers: { "X-CSRFToken": body.dataset.csrf, Accept: "application/json" }
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) { return { status: response.status, data: data }; });
    }).then(function (answer) {
      sending = false;
      if (answer.status === 200) {
        thank(answer.data.bad ? labels.thanksBad : labels.thanks);
      } else if (answer.status === 403) {
        window.location.assign(body.dataset.pairUrl);
      } else if (answer.status === 409) {
        draw(current);  // rated already, or the next citizen's service is on the screen
      } else {
        thank(labels.failed);
      }
    }).catch(function () {
      sending = false;
      thank(labels.failed);
    });
  }

  function chooseLevel(level) {
    chosenLevel = level;
    if (badLevels.indexOf(level) >= 0) {
      chosenReason = "";
      byId("rs-other").hidden = true;
      byId("rs-comment").value = "";
      Array.prototype.forEach.call(document.querySelectorAll(".rs-reason"), function (b) { b.classList.remove("is-chosen"); });
      show("reasons");
    } else {
      send(level, "", "");
    }
  }

  function chooseReason(button) {
    chosenReason = button.dataset.reason;
    if (chosenReason === "other") {
      button.classList.add("is-chosen");
      byId("rs-other").hidden = false;
      byId("rs-comment").focus();
      return;
    }
    send(chosenLevel, chosenReason, "");
  }

  function poll() {
    fetch(body.dataset.stateUrl, { cache: "no-store", credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (state) { status(""); root.dataset.screenLive = "poll"; apply(state); })
      .catch(function () { status(labels.offline); });
  }

  function startPolling() {
    if (pollTimer) return;
    pollTimer = window.setInterval(poll, 1500);
    poll();
  }

  function connect() {
    if (!("EventSource" in window)) { startPolling(); return; }
    var failures = 0;
    var source = new EventSource(body.dataset.streamUrl);
    source.addEventListener("screen", function (event) {
      failures = 0;
      status("");
      root.dataset.screenLive = "stream";
      apply(JSON.parse(event.data));
    });
    source.addEventListener("error", function () {
      // Each stream ends after a while and the browser reconnects by itself; only repeated
      // failures mean the stream is unavailable here.
      failures += 1;
      if (failures >= 3) status(labels.offline);
      if (source.readyState === EventSource.CLOSED || failures >= 6) {
        source.close();
        startPolling();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".rs-level"), function (button) {
      button.addEventListener("click", function () { chooseLevel(Number(button.dataset.level)); });
    });
    Array.prototype.forEach.call(document.querySelectorAll(".rs-reason"), function (button) {
      button.addEventListener("click", function () { chooseReason(button); });
    });
    byId("rs-send").addEventListener("click", function () {
      send(chosenLevel, "other", byId("rs-comment").value);
    });
    byId("rs-back").addEventListener("click", function () { draw(current); });
    apply(current);
    connect();
  });
})();
