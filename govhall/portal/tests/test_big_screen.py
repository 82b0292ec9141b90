"""The big screen's public doors (大屏, issue 18 item 3): the page, the stream (the whole state
on connect, then each change, then it ends), the JSON fallback, the shared cache and the
per-address limit."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache

from govhall.portal.screen import views as screen_views
from govhall.testing.cases import bare_case
from govhall.testing.ratings import make_rating

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def events(chunks) -> list[dict]:  # type: ignore[no-untyped-def]
    found = []
    for chunk in chunks:
        text = chunk.decode() if isinstance(chunk, bytes) else chunk
        for block in text.split("\n\n"):
            lines = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
            if lines.get("event") == "screen":
                found.append(json.loads(lines["data"]))
    return found


def test_page_draws_from_static_files_only(client, county, town):
    response = client.get(f"/screen/{county.code}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "vendor/echarts/echarts.min.js" in html and "portal/screen.js" in html
    assert 'id="screen-state"' in html and 'id="chart-hourly"' in html
    # No inline script besides the JSON data blocks (the CSP forbids them).
    assert html.count("<script") == html.count('type="application/json"') + 2
    assert " onclick=" not in html and " onload=" not in html
    assert client.get("/screen/nope/").status_code == 404


def test_state_json_masks_names_and_is_rate_limited(client, county, department, settings):
    settings.GOVHALL_RATE_SCREEN_STATE_PER_ADDRESS_MINUTE = 2
    case = bare_case(county=county, department=department)
    make_rating(case, rater_name="张三丰", rater_phone="13800001234")
    first = client.get(f"/screen/{county.code}/state.json")
    assert first.status_code == 200
    text = first.content.decode()
    assert "张*丰" in text and "张三丰" not in text and "13800001234" not in text
    assert set(first.json()) >= {"totals", "hourly", "on_time", "ranking", "rooms", "feed"}
    assert client.get(f"/screen/{county.code}/state.json").status_code == 200
    refused = client.get(f"/screen/{county.code}/state.json")
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1


def test_stream_sends_the_state_then_ends_and_shares_one_computation(
    client, county, settings, monkeypatch
):
    settings.GOVHALL_SCREEN_STREAM_SECONDS = 1
    # The cache is a bucket of the clock: a long one, so the test never straddles two buckets
    # (with 60 s it did now and then on a loaded machine: two computations).
    settings.GOVHALL_SCREEN_REFRESH_SECONDS = 3600
    calls = []
    real = screen_views.screen_state

    def counted(*args):  # type: ignore[no-untyped-def]
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(screen_views, "screen_state", counted)
    response = client.get(f"/screen/{county.code}/stream")
    assert response["Content-Type"].startswith("text/event-stream")
    sent = events(response.streaming_content)
    # The whole state on connect; unchanged within the interval: nothing more, then the end.
    assert len(sent) == 1 and sent[0]["center"] == county.name
    client.get(f"/screen/{county.code}/")
    client.get(f"/screen/{county.code}/state.json")
    assert len(calls) == 1  # every stream, page and poll shares the cached state


def test_stream_pushes_a_new_state_each_interval(client, county, settings):
    settings.GOVHALL_SCREEN_STREAM_SECONDS = 2
    settings.GOVHALL_SCREEN_REFRESH_SECONDS = 0.5
    sent = events(client.get(f"/screen/{county.code}/stream").streaming_content)
    assert len(sent) >= 3
    assert len({state["generated_at"] for state in sent}) >= 2
