// The display board (叫号显示屏): draws the board state (JSON) and keeps it live through
// server-sent events, falling back to polling state.json. Every call not seen before (recalls
// included) is spoken in Mandarin ("请 A012 号到 5 号窗口办理") and recorded in
// window.govhallSpoken, whether or not the browser can speak.
(function () {
  "use strict";
  window.govhallSpoken = window.govhallSpoken || [];

  var body = document.body;
  var byId = function (id) { return document.getElementById(id); };
  var labels = JSON.parse(byId("board-labels").textContent);
  var seen = new Set();
  var soundOn = false;
  var announceTimer = null;
  var pollTimer = null;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, key) { return values[key] == null ? "" : String(values[key]); });
  }

  function node(tag, className, text) {
    var element = document.createElement(tag);
    if (className) element.className = className;
    if (text != null) element.textContent = text;
    return element;
  }

  function layout(count) {
    var cols = count <= 2 ? Math.max(count, 1) : count <= 4 ? 2 : count <= 9 ? 3 : count <= 16 ? 4 : count <= 25 ? 5 : 6;
    var box = byId("board-windows");
    box.style.setProperty("--cols", cols);
    box.style.setProperty("--rows", Math.max(1, Math.ceil(count / cols)));
  }

  function windowCard(row, fresh) {
    var state = row.away ? "away" : row.paused ? "paused" : row.ticket ? row.status : "idle";
    var card = node("div", "board-window is-" + state + (fresh ? " is-new" : ""));
    card.dataset.window = row.number;
    card.appendChild(node("div", "bw-head", fill(labels.window, { number: row.number })));
    card.appendChild(node("div", "bw-number", row.ticket || "—"));
    var line = "";
    if (row.ticket) line = row.group;
    if (row.away) line = labels.away + (row.back_by ? " · " + fill(labels.backBy, { time: row.back_by }) : "");
    else if (row.paused && !row.ticket) line = labels.paused;
    card.appendChild(node("div", "bw-group", line || "\u00a0"));
    return card;
  }

  function render(state, freshWindows) {
    layout(state.windows.length);
    byId("board-windows").replaceChildren.apply(
      byId("board-windows"),
      state.windows.map(function (row) { return windowCard(row, freshWindows.has(row.number)); })
    );
    var calls = state.calls.map(function (call) {
      var item = node("li");
      item.dataset.call = call.id;
      item.appendChild(node("span", "bc-number", call.number));
      item.appendChild(node("span", "bc-window", fill(labels.window, { number: call.window })));
      item.appendChild(node("span", "bc-time", call.at.slice(0, 5)));
      return item;
    });
    if (!calls.length) {
      var empty = node("li");
      empty.appendChild(node("span", "bc-empty", labels.noCalls));
      calls.push(empty);
    }
    byId("board-calls").replaceChildren.apply(byId("board-calls"), calls);
    renderRankings(state.rankings);
    renderNotices(state.notices);
    layoutGroups(state.groups.length);
    byId("board-groups").replaceChildren.apply(
      byId("board-groups"),
      state.groups.map(function (group) {
        var item = node("li");
        item.dataset.group = group.letter;
        item.appendChild(node("span", "bg-letter", group.letter));
        item.appendChild(node("span", "bg-name", group.name));
        item.appendChild(node("span", "bg-count", String(group.waiting)));
        return item;
      })
    );
    byId("board-total").textContent = String(state.waiting);
  }

  // The waiting counts take the room the last calls leave: one column when the groups fit at a
  // readable size (2.6vh), else two (2.2vh); still too many, the rankings strip gives way.
  // board.css sizes their text to the rows left.
  function layoutGroups(count) {
    var list = byId("board-groups");
    var panel = list.closest(".board-panel");
    var line = window.innerHeight * 1.3;
    var room = function () { return panel.clientHeight - window.innerHeight * 0.05; };
    var cols = count * line * 0.026 <= room() ? 1 : 2;
    var rankings = byId("board-rankings-panel");
    if (cols === 2 && !rankings.hidden && Math.ceil(count / 2) * line * 0.022 > room()) {
      rankings.hidden = true;
    }
    list.style.setProperty("--group-cols", cols);
    list.style.setProperty("--group-rows", Math.max(1, Math.ceil(count / cols)));
  }

  // This month's best windows by satisfaction (好差评), a small strip; hidden while empty.
  function renderRankings(rankings) {
    var rows = (rankings && rankings.windows) || [];
    byId("board-rankings-panel").hidden = !rows.length;
    byId("board-rankings").replaceChildren.apply(
      byId("board-rankings"),
      rows.map(function (row) {
        var item = node("li");
        item.dataset.window = row.number;
        item.appendChild(node("span", "br-rank", String(row.rank)));
        item.appendChild(node("span", "br-name", row.name));
        item.appendChild(node("span", "br-rate", row.rate == null ? "—" : row.rate + "%"));
        return item;
      })
    );
  }

  // The hall's notices (公告) scroll along the bottom; redrawn only when they change, so the
  // scrolling does not restart on every state.
  var noticeKey = null;
  function renderNotices(notices) {
    var rows = notices || [];
    var key = rows.map(function (row) { return row.id + ":" + row.title; }).join("|");
    if (key === noticeKey) return;
    noticeKey = key;
    var ticker = byId("board-ticker");
    ticker.hidden = !rows.length;
    byId("board-ticker-track").replaceChildren.apply(
      byId("board-ticker-track"),
      rows.map(function (row) {
        var item = node("span", "bt-item", row.title);
        item.dataset.notice = row.id;
        return item;
      })
    );
    byId("board-ticker-track").style.setProperty("--ticker-seconds", Math.max(20, key.length * 0.4) + "s");
  }

  function chineseVoice() {
    if (!("speechSynthesis" in window)) return null;
    var voices = window.speechSynthesis.getVoices() || [];
    return voices.find(function (v) { return /^zh[-_]CN/i.test(v.lang); }) ||
      voices.find(function (v) { return /^zh/i.test(v.lang); }) || null;
  }

  function speak(text) {
    window.govhallSpoken.push(text);
    if (!soundOn || !("speechSynthesis" in window) || typeof SpeechSynthesisUtterance === "undefined") return;
    try {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = "zh-CN";
      utterance.rate = 0.9;
      var voice = chineseVoice();
      if (voice) utterance.voice = voice;
      window.speechSynthesis.speak(utterance);
    } catch (_error) { /* no speech here: the call is still shown and recorded */ }
  }

  function announce(text) {
    var banner = byId("board-announce");
    if (!banner) {
      banner = node("div", "board-announce");
      banner.id = "board-announce";
      banner.setAttribute("role", "status");
      body.appendChild(banner);
    }
    banner.textContent = text;
    banner.hidden = false;
    window.clearTimeout(announceTimer);
    announceTimer = window.setTimeout(function () { banner.hidden = true; }, 6000);
  }

  // `speakNew` is false for the state drawn into the page: what was called before the board
  // opened is shown, not spoken.
  function apply(state, speakNew) {
    var fresh = state.calls.filter(function (call) { return !seen.has(call.id); }).reverse();
    var freshWindows = new Set();
    fresh.forEach(function (call) {
      seen.add(call.id);
      if (speakNew) freshWindows.add(call.window);
    });
    render(state, freshWindows);
    if (speakNew) {
      fresh.forEach(function (call) { speak(call.speech); });
      if (fresh.length) announce(fresh[fresh.length - 1].speech);
    }
    document.documentElement.dataset.boardCalls = String(seen.size);
  }

  function status(text) {
    var line = byId("board-status");
    line.textContent = text || "";
    line.hidden = !text;
  }

  function poll() {
    fetch(body.dataset.stateUrl, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (state) { status(""); apply(state, true); document.documentElement.dataset.boardLive = "poll"; })
      .catch(function () { status(labels.offline); });
  }

  function startPolling() {
    if (pollTimer) return;
    pollTimer = window.setInterval(poll, 1000);
    poll();
  }

  function connect() {
    if (!("EventSource" in window)) { startPolling(); return; }
    var failures = 0;
    var source = new EventSource(body.dataset.streamUrl);
    source.addEventListener("board", function (event) {
      failures = 0;
      status("");
      apply(JSON.parse(event.data), true);
      document.documentElement.dataset.boardLive = "stream";
    });
    source.addEventListener("error", function () {
      // The server ends each stream after a while and the browser reconnects by itself; only
      // repeated failures mean the stream is unavailable here.
      failures += 1;
      if (failures >= 3) status(labels.offline);
      if (source.readyState === EventSource.CLOSED || failures >= 6) {
        source.close();
        startPolling();
      }
    });
  }

  function tick() {
    var now = new Date();
    var pad = function (n) { return String(n).padStart(2, "0"); };
    byId("board-clock").textContent = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()) +
      " " + pad(now.getHours()) + ":" + pad(now.getMinutes()) + ":" + pad(now.getSeconds());
  }

  function enableSound() {
    soundOn = true;
    byId("board-sound").hidden = true;
    if ("speechSynthesis" in window && typeof SpeechSynthesisUtterance !== "undefined") {
      try {
        // Speaking once inside the click unlocks speech for the calls that follow.
        var unlock = new SpeechSynthesisUtterance(" ");
        unlock.lang = "zh-CN";
        unlock.volume = 0;
        window.speechSynthesis.speak(unlock);
      } catch (_error) { /* nothing to unlock */ }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    apply(JSON.parse(byId("board-state").textContent), false);
    byId("board-sound-button").addEventListener("click", enableSound);
    byId("board-sound").addEventListener("click", enableSound);
    tick();
    window.setInterval(tick, 1000);
    connect();
  });
})();
