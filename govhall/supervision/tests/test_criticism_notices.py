"""Criticism notices (通报批评 / 效能告诫): a director issues one on a person resting on their live
alerts; it is numbered per center, kind and year; everything else is refused with nothing
written; the printable page carries the center's name and the seal line."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.supervision.models import AlertStatus, CriticismNotice
from govhall.supervision.services.notices import criticism_notice_issue
from govhall.testing.factories import make_staff
from govhall.testing.parallel import run_at_once
from govhall.testing.supervision_board import put_alert

FACTS = "2026年12月1日，该同志受理的食品经营许可件超过承诺时限未办结。"
DECISION = "给予通报批评，扣减当月考核2分，限期整改。"
YEAR = timezone.localdate().year
NEW = reverse("workbench:criticism_notice_new")
LIST = reverse("workbench:criticism_notices")
API = "/api/v1/supervision/notices/"


@pytest.fixture
def alerts(county, department, hall_window, clerk):
    return [
        put_alert("red", county, department=department, window=hall_window, responsible=clerk),
        put_alert("yellow", county, department=department, window=hall_window, responsible=clerk),
    ]


def issue(actor, person, alerts, **overrides):
    values = {
        "actor": actor,
        "person_id": person.pk,
        "kind": "criticism",
        "alert_ids": [a.pk for a in alerts],
        "facts": FACTS,
        "decision": DECISION,
    }
    values.update(overrides)
    return criticism_notice_issue(**values)


def test_director_issues_a_numbered_notice_with_its_event(director, clerk, alerts, hall_window):
    notice = issue(director, clerk, alerts)
    assert notice.number == f"330100通报〔{YEAR}〕1号"
    assert notice.person == clerk and notice.window == hall_window
    assert set(notice.alerts.all()) == set(alerts)
    event = Event.objects.get(action="criticism_notice.issue")
    assert event.actor == director and event.object_id == str(notice.pk)
    assert event.data["alerts"] == sorted(a.pk for a in alerts)
    second = issue(director, clerk, alerts[:1])
    assert second.number == f"330100通报〔{YEAR}〕2号"
    warning = issue(director, clerk, alerts[:1], kind="warning")
    assert warning.number == f"330100告诫〔{YEAR}〕1号"


def test_numbers_run_per_center_and_start_again_each_year(director, clerk, town, alerts):
    town_alert = put_alert("red", town, responsible=clerk)
    assert issue(director, clerk, [town_alert]).number == f"330101通报〔{YEAR}〕1号"
    assert issue(director, clerk, alerts).number == f"330100通报〔{YEAR}〕1号"
    next_year = timezone.now() + datetime.timedelta(days=366)
    later = issue(director, clerk, alerts, now=next_year)
    assert later.number == f"330100通报〔{timezone.localdate(next_year).year}〕1号"


def test_a_number_taken_by_hand_is_skipped(director, clerk, alerts):
    first = issue(director, clerk, alerts)
    CriticismNotice.objects.filter(pk=first.pk).update(number=f"330100通报〔{YEAR}〕2号")
    assert issue(director, clerk, alerts).number == f"330100通报〔{YEAR}〕3号"


@pytest.mark.parametrize("username", ["supervisor", "window_head", "dept_leader", "clerk"])
def test_only_managers_issue_notices(request, username, clerk, alerts):
    with pytest.raises(Http404):
        issue(request.getfixturevalue(username), clerk, alerts)
    assert not CriticismNotice.objects.exists()


def test_refusals_write_nothing(director, outsider, clerk, clerk_b, county, other_county, alerts):
    def refused(actor, person, grounds, **overrides) -> dict[str, list[str]]:
        with pytest.raises(ValidationError) as caught:
            issue(actor, person, grounds, **overrides)
        return caught.value.message_dict

    # Another county's director: our alerts are "not found" for them.
    assert "alerts" in refused(outsider, clerk, alerts)
    # The alerts must be the person's own.
    assert "alerts" in refused(director, clerk_b, alerts)
    # Live and not excused.
    withdrawn = put_alert("red", county, responsible=clerk, withdrawn=True)
    assert "alerts" in refused(director, clerk, [withdrawn])
    excused = put_alert("red", county, responsible=clerk, status=AlertStatus.ACCEPTED)
    assert "alerts" in refused(director, clerk, [excused])
    # One center per notice (a director of a city would manage both).
    far = put_alert("red", other_county, responsible=clerk)
    assert "alerts" in refused(director, clerk, [alerts[0], far])
    # Every field at once.
    errors = refused(director, clerk, [], kind="scold", facts=" ", decision="")
    assert {"kind", "facts", "decision", "alerts"} <= set(errors)
    assert "facts" in refused(director, clerk, alerts, facts="x" * 4001)
    assert not CriticismNotice.objects.exists()
    assert not Event.objects.filter(action="criticism_notice.issue").exists()


def test_the_page_issues_and_shows_the_printable_notice(client_as, director, clerk, alerts, county):
    client = client_as(director)
    chooser = client.get(NEW)
    assert chooser.status_code == 200 and clerk in chooser.context["people"]
    form = client.get(NEW, {"person": clerk.pk, "alert": alerts[0].pk})
    assert form.status_code == 200
    assert form.context["form"].initial["alerts"] == [str(alerts[0].pk)]
    bad = client.post(NEW, {"person": clerk.pk, "kind": "criticism", "facts": FACTS})
    assert bad.status_code == 400 and not CriticismNotice.objects.exists()
    done = client.post(
        NEW,
        {
            "person": clerk.pk,
            "kind": "criticism",
            "alerts": [a.pk for a in alerts],
            "facts": FACTS,
            "decision": DECISION,
        },
    )
    notice = CriticismNotice.objects.get()
    assert done.status_code == 302
    assert done["Location"] == reverse("workbench:criticism_notice", args=[notice.pk])
    printed = client.get(done["Location"])
    html = printed.content.decode()
    assert printed.status_code == 200
    assert "size: A4" in html  # the shared A4 page (templates/print/a4_sheet.css), inline
    assert "notice-print.css" in html and "data-print" in html
    assert county.name in html and notice.number in html and FACTS in html and DECISION in html
    assert "（盖章）" in html
    assert notice.number in client.get(LIST).content.decode()


def test_who_reads_the_printed_notice(
    client_as, director, clerk, clerk_b, supervisor, guide, outsider, alerts
):
    notice = issue(director, clerk, alerts)
    url = reverse("workbench:criticism_notice", args=[notice.pk])
    for user, status in (
        (supervisor, 200),
        (clerk, 200),  # the person it was issued on
        (clerk_b, 404),
        (guide, 404),
        (outsider, 404),
    ):
        assert client_as(user).get(url).status_code == status, user.username
    assert client_as(clerk).get(LIST).status_code == 404
    assert client_as(guide).get(NEW).status_code == 404


def test_api_lists_reads_and_issues(client_as, director, outsider, clerk, alerts):
    client = client_as(director)
    created = client.post(
        API,
        {
            "person_id": clerk.pk,
            "kind": "warning",
            "alert_ids": [a.pk for a in alerts],
            "facts": FACTS,
            "decision": DECISION,
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["number"] == f"330100告诫〔{YEAR}〕1号"
    assert body["person"]["id"] == clerk.pk
    assert body["alert_ids"] == sorted(a.pk for a in alerts)
    listed = client.get(API).json()
    assert [row["id"] for row in listed["items"]] == [body["id"]]
    assert client.get(f"{API}{body['id']}").json()["number"] == body["number"]
    refused = client.post(
        API,
        {"person_id": clerk.pk, "kind": "x", "alert_ids": [], "facts": "", "decision": ""},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert {"kind", "alerts", "facts", "decision"} <= set(refused.json()["errors"])
    other = client_as(outsider)
    assert other.get(f"{API}{body['id']}").status_code == 404
    assert other.get(API).json()["items"] == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
def test_notices_issued_at_once_get_consecutive_numbers(county, department, clerk):
    director = make_staff(Role.DIRECTOR, county, username="director_race")
    grounds = [put_alert("red", county, department=department, responsible=clerk)]
    results = run_at_once([lambda: issue(director, clerk, grounds) for _ in range(4)])
    assert all(isinstance(r, CriticismNotice) for r in results), results
    numbers = sorted(CriticismNotice.objects.values_list("number", flat=True))
    assert numbers == sorted(f"330100通报〔{YEAR}〕{n}号" for n in range(1, 5))
