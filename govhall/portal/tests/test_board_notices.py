"""The display board's ticker (issue 18 item 5): the board state JSON carries the hall's notices
shown now, in order, and the server-sent stream sends a new state when they change."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.frontdesk.models import HallNotice
from govhall.portal.queue.views import _board_events

pytestmark = pytest.mark.django_db


def test_state_json_carries_the_notices_shown_now(client, county, town):
    now = timezone.now()
    hour = datetime.timedelta(hours=1)
    second = HallNotice.objects.create(
        center=county, title="医保业务延时办理", starts_at=now - hour, is_published=True, position=2
    )
    first = HallNotice.objects.create(
        center=county, title="免费复印服务", starts_at=now - hour, is_published=True, position=1
    )
    HallNotice.objects.create(center=county, title="草稿", starts_at=now - hour)
    HallNotice.objects.create(
        center=county,
        title="已结束",
        starts_at=now - 2 * hour,
        ends_at=now - hour,
        is_published=True,
    )
    HallNotice.objects.create(center=town, title="镇里的", starts_at=now - hour, is_published=True)
    state = client.get(reverse("portal:board_state", args=[county.code])).json()
    assert state["notices"] == [
        {"id": first.pk, "title": "免费复印服务"},
        {"id": second.pk, "title": "医保业务延时办理"},
    ]
    board = client.get(reverse("portal:board", args=[county.code])).content.decode()
    # The page draws its first state from the embedded JSON (json_script escapes non-ASCII).
    assert 'id="board-ticker"' in board and json.dumps("免费复印服务") in board


def test_the_stream_sends_a_new_state_when_a_notice_is_published(county, monkeypatch):
    monkeypatch.setattr("govhall.portal.queue.views.BOARD_POLL_SECONDS", 0)
    events = _board_events(county, 5)
    first = next(chunk for chunk in events if chunk.startswith("event: board"))
    assert json.loads(first.split("data: ", 1)[1])["notices"] == []
    HallNotice.objects.create(
        center=county, title="新公告", starts_at=timezone.now(), is_published=True
    )
    for chunk in events:
        if chunk.startswith("event: board"):
            assert json.loads(chunk.split("data: ", 1)[1])["notices"][0]["title"] == "新公告"
            break
    else:
        pytest.fail("no new state after the notice was published")
