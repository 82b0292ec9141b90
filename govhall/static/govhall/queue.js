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
  // Issue 20: a page with [data-queue-push] (the calling console) opens that push stream; each
  // "queue" event redraws the panels at once ("queue-pushed"), and while the stream is open their
  // own polls go through only every PUSHED_POLL_EVERY-th time (a safety net). Without the stream
  // (the dev server answers 204, or no EventSource) the panels poll as before.
  var PUSHED_POLL_EVERY = 15;
  var pushLive = false;
  var skipped = 0;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail && event.detail.elt;
    if (!(elt instanceof Element) || !elt.hasAttribute("data-refresh-when-idle")) return;
    if (!idle(elt)) {
      event.preventDefault();
      return;
    }
    var config = event.detail.requestConfig;
    var pushed = config && config.triggeringEvent && config.triggeringEvent.type === "queue-pushed";
    if (pushLive && !pushed) {
      skipped += 1;
      if (skipped < PUSHED_POLL_EVERY) {
        event.preventDefault();
        return;
      }
    }
    skipped = 0;
  });
  function openPush() {
    var holder = document.querySelector("[data-queue-push]");
    if (!holder || !("EventSource" in window)) return;
    var source = new EventSource(holder.getAttribute("data-queue-push"));
    source.addEventListener("error", function () { pushLive = false; });
    source.addEventListener("queue", function () {
      pushLive = true;
      var boxes = document.querySelectorAll("[data-refresh-when-idle]");
      for (var i = 0; i < boxes.length; i++) {
        if (window.htmx) window.htmx.trigger(boxes[i], "queue-pushed");
      }
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", openPush);
  } else {
    openPush();
  }
})();
