// The big screen (大屏): draws the screen state (JSON) with ECharts and keeps it live through
// server-sent events (the whole state on connect, then each change), falling back to polling
// state.json. It runs for days on the hall's wall, so nothing grows: each chart is created once
// and only given new options (setOption), the feed keeps at most MAX_FEED rows, the only
// remembered state is the previous feed's ids, and every timer and listener is set up once.
(function () {
  "use strict";

  var MAX_FEED = 20;
  var byId = function (id) { return document.getElementById(id); };
  var body = document.body;
  var labels = JSON.parse(byId("screen-labels").textContent);
  var charts = {};
  var lastFeed = new Set();
  var updates = 0;
  var pollTimer = null;

  var AXIS = { color: "#cbd5e1", fontSize: 14 };
  var GRID_LINE = { lineStyle: { color: "#1e3a8a" } };

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key] == null ? "" : String(values[key]); });
  }

  function node(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text != null) element.textContent = text;
    return element;
  }

  // The chart of `id`, created the first time only.
  function chart(id) {
    if (!charts[id]) charts[id] = window.echarts.init(byId(id), null, { renderer: "canvas" });
    return charts[id];
  }

  function empty(show) {
    return { show: show, text: labels.noData, left: "center", top: "middle", textStyle: { color: "#64748b", fontSize: 18, fontWeight: "normal" } };
  }

  function rateColor(rate) {
    return rate == null ? "#64748b" : rate >= 95 ? "#22c55e" : rate >= 85 ? "#eab308" : "#ef4444";
  }

  function drawHourly(hourly) {
    chart("chart-hourly").setOption({
      animationDuration: 300,
      title: empty(false),
      legend: { top: 0, textStyle: AXIS, data: [labels.tickets, labels.cases] },
      grid: { left: 44, right: 16, top: 34, bottom: 28 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: hourly.hours, axisLabel: AXIS },
      yAxis: { type: "value", minInterval: 1, axisLabel: AXIS, splitLine: GRID_LINE },
      series: [
        { name: labels.tickets, type: "bar", data: hourly.tickets, itemStyle: { color: "#3b82f6" }, barMaxWidth: 28 },
        { name: labels.cases, type: "line", data: hourly.cases, smooth: false, itemStyle: { color: "#fbbf24" }, lineStyle: { width: 3 } }
      ]
    });
  }

  function drawOnTime(rows) {
    var shown = rows.slice(0, 12).reverse();
    chart("chart-ontime").setOption({
      animationDuration: 300,
      title: empty(!rows.length),
      grid: { left: 8, right: 64, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: "item" },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: AXIS, splitLine: GRID_LINE },
      yAxis: { type: "category", data: shown.map(function (r) { return r.name; }), axisLabel: { color: "#e2e8f0", fontSize: 15, width: 150, overflow: "truncate" } },
      series: [{
        name: labels.onTime, type: "bar", barMaxWidth: 22,
        label: { show: true, position: "right", color: "#e2e8f0", fontSize: 15, formatter: "{c}%" },
        data: shown.map(function (r) { return { value: r.rate, itemStyle: { color: rateColor(r.rate) } }; })
      }]
    });
  }

  function drawRanking(rows) {
    var shown = rows.slice().reverse();
    chart("chart-ranking").setOption({
      animationDuration: 300,
      title: empty(!rows.length),
      grid: { left: 8, right: 64, top: 8, bottom: 24, containLabel: true },
      tooltip: { trigger: "item" },
      xAxis: { type: "value", min: 0, max: 100, axisLabel: AXIS, splitLine: GRID_LINE },
      yAxis: { type: "category", data: shown.map(function (r) { return r.rank + ". " + r.name; }), axisLabel: { color: "#e2e8f0", fontSize: 15, width: 170, overflow: "truncate" } },
      series: [{
        name: labels.satisfaction, type: "bar", barMaxWidth: 22,
        label: { show: true, position: "right", color: "#e2e8f0", fontSize: 15, formatter: "{c}%" },
        data: shown.map(function (r) { return { value: r.rate, itemStyle: { color: rateColor(r.rate) } }; })
      }]
    });
  }

  function drawRooms(rooms) {
    var rows = rooms.rows;
    byId("rooms-summary").textContent = fill(labels.rooms, { count: rooms.count, busy: rooms.busy });
    chart("chart-rooms").setOption({
      animationDuration: 300,
      title: empty(!rows.length),
      legend: { top: 0, textStyle: AXIS, data: [labels.waiting, labels.casesToday] },
      grid: { left: 44, right: 16, top: 34, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { color: "#e2e8f0", fontSize: 14, interval: 0, rotate: rows.length > 10 ? 30 : 0, width: 120, overflow: "truncate" } },
      yAxis: { type: "value", minInterval: 1, axisLabel: AXIS, splitLine: GRID_LINE },
      series: [
        { name: labels.waiting, type: "bar", data: rows.map(function (r) { return r.waiting; }), itemStyle: { color: "#f97316" }, barMaxWidth: 26 },
        { name: labels.casesToday, type: "bar", data: rows.map(function (r) { return r.cases; }), itemStyle: { color: "#22d3ee" }, barMaxWidth: 26 }
      ]
    });
  }

  // The feed is redrawn from the state (newest first, at most MAX_FEED rows): the old rows are
  // dropped, so the page holds the same number of nodes after a day as after a minute.
  function drawFeed(feed) {
    var rows = feed.slice(0, MAX_FEED).map(function (rating) {
      var item = node("li", (lastFeed.size && !lastFeed.has(rating.id) ? "is-new" : "") + (rating.level <= 2 ? " is-bad" : ""));
      item.dataset.rating = rating.id;
      item.appendChild(node("span", "sf-level", rating.label));
      var where = rating.window != null ? fill(labels.window, { number: rating.window }) : rating.window_name;
      item.appendChild(node("span", "sf-who", (rating.name || labels.anonymous) + (where ? " · " + where : "")));
      item.appendChild(node("span", "sf-at", rating.at));
      return item;
    });
    if (!rows.length) {
      var none = node("li");
      none.appendChild(node("span", "sf-empty", labels.noRatings));
      rows.push(none);
    }
    byId("screen-feed").replaceChildren.apply(byId("screen-feed"), rows);
    lastFeed = new Set(feed.slice(0, MAX_FEED).map(function (rating) { return rating.id; }));
  }

  function apply(state) {
    learnOffset(state.generated_at);
    byId("kpi-tickets").textContent = String(state.totals.tickets);
    byId("kpi-waiting").textContent = String(state.totals.waiting);
    byId("kpi-cases").textContent = String(state.totals.cases);
    byId("kpi-decided").textContent = String(state.totals.decided);
    byId("screen-updated").textContent = fill(labels.updated, { time: String(state.generated_at).slice(11, 19) });
    drawHourly(state.hourly);
    drawOnTime(state.on_time);
    drawRanking(state.ranking);
    drawRooms(state.rooms);
    drawFeed(state.feed);
    updates += 1;
    document.documentElement.dataset.screenUpdates = String(updates);
  }

  function status(text) {
    var line = byId("screen-status");
    line.textContent = text || "";
    line.hidden = !text;
  }

  function poll() {
    fetch(body.dataset.stateUrl, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (state) { status(""); apply(state); document.documentElement.dataset.screenLive = "poll"; })
      .catch(function () { status(labels.offline); });
  }

  function startPolling() {
    if (pollTimer) return;
    pollTimer = window.setInterval(poll, 1000 * Number(body.dataset.pollSeconds || 30));
    poll();
  }

  function connect() {
    if (!("EventSource" in window)) { startPolling(); return; }
    var failures = 0;
    var source = new EventSource(body.dataset.streamUrl);
    source.addEventListener("screen", function (event) {
      failures = 0;
      status("");
      apply(JSON.parse(event.data));
      document.documentElement.dataset.screenLive = "stream";
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

  // The hall's time (the offset of the server's local time, e.g. +08:00, from the state),
  // whatever the time zone of the computer behind the wall.
  var offsetMinutes = null;
  function learnOffset(generatedAt) {
    var match = /([+-])(\d{2}):(\d{2})$/.exec(String(generatedAt || ""));
    if (match) offsetMinutes = (match[1] === "-" ? -1 : 1) * (60 * Number(match[2]) + Number(match[3]));
  }

  function tick() {
    var pad = function (n) { return String(n).padStart(2, "0"); };
    var now = offsetMinutes == null ? new Date() : new Date(Date.now() + offsetMinutes * 60000);
    var utc = offsetMinutes != null;
    var part = function (local, universal) { return utc ? universal.call(now) : local.call(now); };
    var proto = Date.prototype;
    byId("screen-clock").textContent = part(proto.getFullYear, proto.getUTCFullYear) + "-" +
      pad(part(proto.getMonth, proto.getUTCMonth) + 1) + "-" + pad(part(proto.getDate, proto.getUTCDate)) + " " +
      pad(part(proto.getHours, proto.getUTCHours)) + ":" + pad(part(proto.getMinutes, proto.getUTCMinutes)) + ":" +
      pad(part(proto.getSeconds, proto.getUTCSeconds));
  }

  var resizeTimer = null;
  function resize() {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(function () {
      Object.keys(charts).forEach(function (id) { charts[id].resize(); });
    }, 200);
  }

  document.addEventListener("DOMContentLoaded", function () {
    tick();
    window.setInterval(tick, 1000);
    if (!window.echarts) { status(labels.offline); return; }
    apply(JSON.parse(byId("screen-state").textContent));
    window.addEventListener("resize", resize);
    // For the browser tests: draw a given state as if it had been pushed.
    window.govhallScreen = { apply: apply };
    connect();
  });
})();
