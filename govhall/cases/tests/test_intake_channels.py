"""Issue 18 item 1: where a window case came from — the window itself, a 12345 hotline order or
an assignment by a higher level (上级交办); online cases come only from online submission."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from govhall.cases.events import CaseEvent
from govhall.cases.models import Case
from govhall.cases.services.intake import MaterialCheck, Outcome, case_receive
from govhall.cases.statuses import Channel
from govhall.core.models import Event
from govhall.testing.cases import PERSON_ID, intake_data

pytestmark = pytest.mark.django_db

FRIDAY = datetime.datetime(2025, 9, 26, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
BASE = "/api/v1/cases"


def _checks(item):
    return [MaterialCheck(material_id=m.pk, received=True) for m in item.materials.all()]


@pytest.fixture
def receive(clerk, hall_window, applicant_data, case_item):
    def _receive(**kwargs):
        return case_receive(
            actor=clerk,
            item=case_item,
            window=hall_window,
            applicant=applicant_data,
            materials=_checks(case_item),
            outcome=Outcome.PROMISED,
            at=FRIDAY,
            **kwargs,
        )

    return _receive


def test_a_window_case_is_a_window_case_by_default(receive):
    case = receive()
    assert case.channel == Channel.WINDOW
    event = Event.objects.get(action=CaseEvent.RECEIVE, object_id=str(case.pk))
    assert event.data["channel"] == "window"


@pytest.mark.parametrize("channel", [Channel.HOTLINE, Channel.ASSIGNED])
def test_a_hotline_or_assigned_case_keeps_where_it_came_from(receive, channel):
    case = receive(channel=channel)
    case.refresh_from_db()
    assert case.channel == channel
    event = Event.objects.get(action=CaseEvent.RECEIVE, object_id=str(case.pk))
    assert event.data["channel"] == channel


@pytest.mark.parametrize("channel", [Channel.ONLINE, "fax", ""])
def test_online_and_unknown_channels_are_refused_and_nothing_is_made(receive, channel):
    with pytest.raises(ValidationError) as refused:
        receive(channel=channel)
    assert "channel" in refused.value.message_dict
    assert Case.objects.count() == 0


def _body(item, window, **extra):
    return {
        "item_id": item.pk,
        "window_id": window.pk,
        "applicant": {
            "kind": "person",
            "name": "张三丰",
            "id_number": PERSON_ID,
            "phone": "13800138000",
        },
        "materials": [{"material_id": m.pk, "received": True} for m in item.materials.all()],
        "outcome": "promised",
        **extra,
    }


def test_the_api_takes_the_channel_and_refuses_online(client_as, clerk, case_item, hall_window):
    client = client_as(clerk)
    answer = client.post(
        f"{BASE}/",
        _body(case_item, hall_window, channel="hotline"),
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["channel"] == "hotline"
    refused = client.post(
        f"{BASE}/",
        _body(case_item, hall_window, channel="online"),
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert Case.objects.count() == 1


def test_the_intake_page_offers_three_sources_and_the_case_page_and_list_show_it(
    client_as, clerk, case_item
):
    client = client_as(clerk)
    en = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = client.get(reverse("workbench:case_intake"), {"item": case_item.pk}, **en)
    html = page.content.decode()
    assert 'name="channel"' in html
    for value in ("window", "hotline", "assigned"):
        assert f'value="{value}"' in html.split('name="channel"', 1)[1].split("</select>", 1)[0]
    assert 'value="online"' not in html.split('name="channel"', 1)[1].split("</select>", 1)[0]
    data = {**intake_data(case_item), "channel": "assigned"}
    assert client.post(reverse("workbench:case_intake"), data, **en).status_code == 302
    case = Case.objects.get()
    assert case.channel == Channel.ASSIGNED
    detail = client.get(reverse("workbench:case", args=[case.pk]), **en).content.decode()
    assert 'data-channel="assigned"' in detail and "Assigned by a higher level" in detail
    listed = client.get(reverse("workbench:cases"), {"channel": "assigned"}, **en)
    assert case.number in listed.content.decode()
    assert 'data-channel="assigned"' in listed.content.decode()
