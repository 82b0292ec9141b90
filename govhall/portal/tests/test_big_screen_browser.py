"""The big screen in chromium at 1920×1080 (大屏, issue 18 item 3): the charts render from the
pushed state without console errors, nothing scrolls, and left running with many pushed
updates the page keeps the same chart instances, the same number of DOM nodes and a flat JS
heap (measured through the DevTools protocol after a forced garbage collection)."""

from __future__ import annotations

import datetime
import time

import pytest
from django.utils import timezone

from govhall.frontdesk.models import ServiceGroup, Ticket, TicketStatus
from govhall.org.models.centers import CenterLevel
from govhall.stats.services.rollups import rebuild
from govhall.testing.cases import bare_case
from govhall.testing.factories import CenterFactory, WindowFactory
from govhall.testing.ratings import make_rating

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STREAM_SECONDS = 3
CHARTS = ("chart-hourly", "chart-ontime", "chart-ranking", "chart-rooms")

# Pushes `count` states made from the page's own one, each with a new feed, new room loads and
# new hourly figures, the way the stream would over days; yields to the browser now and then.
DRIVE = """async (count) => {
  const base = JSON.parse(document.getElementById('screen-state').textContent);
  let next = 100000 + Number(document.documentElement.dataset.driven || 0);
  for (let i = 0; i < count; i++) {
    const state = structuredClone(base);
    state.generated_at = '2026-03-10T10:00:' + String(i % 60).padStart(2, '0') + '.000+08:00';
    state.totals.waiting = i % 17;
    state.hourly.tickets = state.hourly.tickets.map((n, h) => (n + i + h) % 23);
    state.feed = Array.from({length: 12}, (_, k) => ({
      id: next + k, level: 1 + ((i + k) % 5), label: '满意', name: '张*', window: 1 + k % 3,
      window_name: '综合', at: '10:0' + (k % 10)}));
    next += 3;
    state.rooms.rows = state.rooms.rows.slice(0, 1 + i % state.rooms.rows.length)
      .map((r, k) => ({...r, waiting: (i + k) % 9, cases: (i * 3 + k) % 11}));
    window.govhallScreen.apply(state);
    if (i % 25 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  document.documentElement.dataset.driven = String(next - 100000);
  await new Promise((resolve) => setTimeout(resolve, 600));  // animations end
}"""

CHART_IDS = """(ids) => ids.map((id) => {
  const chart = window.echarts.getInstanceByDom(document.getElementById(id));
  return chart ? chart.id : null;
})"""


def busy_county(county, department):  # type: ignore[no-untyped-def]
    now = timezone.now()
    group = ServiceGroup.objects.create(center=county, letter="A", name="综合受理")
    for n in range(6):
        taken = now - datetime.timedelta(minutes=20 * n)
        Ticket.objects.create(
            center=county,
            group=group,
            service_date=timezone.localdate(),
            serial=n + 1,
            number=f"A{n + 1:03d}",
            token=f"screen{n:018d}",
            taken_at=taken,
            queued_at=taken,
            status=TicketStatus.WAITING if n % 2 else TicketStatus.DONE,
        )
    for n in range(4):
        room = CenterFactory(
            code=f"3301{n:02d}7",
            name=f"第{n + 1}镇便民服务中心",
            level=CenterLevel.TOWN,
            parent=county,
        )
        ServiceGroup.objects.create(center=room, letter="A", name="综合")
    windows = [WindowFactory(center=county, number=n + 1, name="综合窗口") for n in range(3)]
    for n in range(5):
        case = bare_case(
            county=county,
            department=department,
            number=f"3301002026{n:010d}",
            received_at=now - datetime.timedelta(minutes=5 * n),
            status="approved",
            decided_at=now - datetime.timedelta(minutes=n),
            promised_due_on=timezone.localdate() if n % 2 else None,
        )
        make_rating(
            case,
            window=windows[n % 3],
            level=5 - n % 3,
            rated_at=now,
            rater_name=f"王小{n}",
            occasion=f"s:{n}",
        )
    rebuild(center_ids=[county.pk])


def metrics(session) -> dict[str, float]:  # type: ignore[no-untyped-def]
    session.send("HeapProfiler.collectGarbage")
    session.send("HeapProfiler.collectGarbage")
    found = session.send("Performance.getMetrics")["metrics"]
    return {m["name"]: m["value"] for m in found}


def test_big_screen_renders_and_stays_flat(chromium, live_server, settings, county, department):
    settings.GOVHALL_SCREEN_REFRESH_SECONDS = 0.2
    settings.GOVHALL_SCREEN_STREAM_SECONDS = STREAM_SECONDS
    settings.GOVHALL_RATE_SCREEN_STATE_PER_ADDRESS_MINUTE = 1000  # a reconnect every 3 s here
    busy_county(county, department)
    context = chromium.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    context.set_default_timeout(30_000)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{live_server.url}/screen/{county.code}/")
        # Pushed states arrive through the stream (no reload).
        page.wait_for_function("() => Number(document.documentElement.dataset.screenUpdates) >= 4")
        assert page.evaluate("() => document.documentElement.dataset.screenLive") == "stream"
        for chart_id in CHARTS:
            box = page.locator(f"#{chart_id} canvas").bounding_box()
            assert box is not None and box["width"] > 300 and box["height"] > 200, chart_id
        assert page.locator("#screen-feed li").count() == 5
        feed = page.locator("#screen-feed").inner_text()
        assert "王*0" in feed and "王小0" not in feed
        assert page.locator("#kpi-tickets").inner_text() == "6"
        assert page.evaluate(
            "() => document.documentElement.scrollHeight <= innerHeight"
            " && document.documentElement.scrollWidth <= innerWidth"
        )
        page.screenshot(path="/tmp/sd-screen-1920.png")

        session = context.new_cdp_session(page)
        session.send("Performance.enable")
        charts = page.evaluate(CHART_IDS, list(CHARTS))
        page.evaluate(DRIVE, 60)  # warm up: caches, fonts, compiled code
        before = metrics(session)
        for _ in range(2):
            page.evaluate(DRIVE, 120)
        # Real pushes keep coming meanwhile (and the stream ended and reconnected).
        pushed = int(page.evaluate("() => document.documentElement.dataset.screenUpdates"))
        page.wait_for_function(
            "(n) => Number(document.documentElement.dataset.screenUpdates) >= n", arg=pushed + 5
        )
        after = metrics(session)
        assert page.evaluate(CHART_IDS, list(CHARTS)) == charts  # setOption, never re-init
        assert page.locator("#screen-feed li").count() <= 20
        assert after["Nodes"] <= before["Nodes"] + 50, (before["Nodes"], after["Nodes"])
        growth = after["JSHeapUsedSize"] - before["JSHeapUsedSize"]
        assert growth < 2_000_000, (before["JSHeapUsedSize"], after["JSHeapUsedSize"])
        assert page.evaluate("() => document.documentElement.dataset.screenLive") == "stream"
        assert errors == []
        page.goto("about:blank")
        time.sleep(STREAM_SECONDS + 0.6)  # the open stream ends before the database goes
    finally:
        context.close()
