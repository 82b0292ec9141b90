"""The rating office's pages: the scoped list with its filters and masked names, one rating with
the full view logged, and entering a rating taken by phone after a call-back."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models import Rating
from govhall.testing.factories import ServiceItemFactory, make_staff
from govhall.testing.rating_occasions import delivered_case, done_ticket
from govhall.testing.ratings import make_rating

pytestmark = pytest.mark.django_db

LIST = reverse("workbench:ratings")
ENTER = reverse("workbench:rating_enter")


@pytest.fixture
def rated(case_item, hall_window, clerk, county, other_department):  # type: ignore[no-untyped-def]
    mine = make_rating(
        delivered_case(case_item, hall_window, delivered_by=clerk),
        level=1,
        reason="attitude",
        rater_name="张三丰",
        rater_phone="13812345678",
    )
    other_item = ServiceItemFactory(center=county, department=other_department, name="不动产登记")
    theirs = make_rating(delivered_case(other_item, None), level=5)
    return {"mine": mine, "theirs": theirs}


def test_director_sees_the_subtree_masked(client_as, director, rated):
    html = client_as(director).get(LIST).content.decode()
    assert f'data-rating="{rated["mine"].pk}"' in html
    assert f'data-rating="{rated["theirs"].pk}"' in html
    assert "张*丰" in html and "138****5678" in html
    assert "张三丰" not in html and "13812345678" not in html


def test_department_leader_sees_only_their_department(client_as, dept_leader, rated):
    html = client_as(dept_leader).get(LIST).content.decode()
    assert f'data-rating="{rated["mine"].pk}"' in html
    assert f'data-rating="{rated["theirs"].pk}"' not in html
    detail = reverse("workbench:rating", args=[rated["theirs"].pk])
    assert client_as(dept_leader).get(detail).status_code == 404


def test_filters_bad_only_level_and_month(client_as, supervisor, rated):
    client = client_as(supervisor)
    html = client.get(LIST, {"bad_only": "on"}).content.decode()
    assert f'data-rating="{rated["mine"].pk}"' in html
    assert f'data-rating="{rated["theirs"].pk}"' not in html
    html = client.get(LIST, {"level": "5"}).content.decode()
    assert f'data-rating="{rated["mine"].pk}"' not in html
    assert f'data-rating="{rated["theirs"].pk}"' in html
    this_month = timezone.localdate().strftime("%Y-%m")
    assert (
        f'data-rating="{rated["mine"].pk}"'
        in client.get(LIST, {"month": this_month}).content.decode()
    )
    html = client.get(LIST, {"month": "2001-01"}).content.decode()
    assert "data-rating=" not in html


def test_the_detail_shows_the_citizen_in_full_and_logs_the_view(client_as, director, rated):
    rating = rated["mine"]
    html = client_as(director).get(reverse("workbench:rating", args=[rating.pk])).content.decode()
    assert "张三丰" in html and "13812345678" in html
    event = Event.objects.get(action=FeedbackEvent.VIEW_PERSONAL_DATA, object_id=str(rating.pk))
    assert event.actor == director


@pytest.mark.parametrize("who", ["clerk", "guide", "reviewer", "social_supervisor"])
def test_others_get_404(request, client_as, rated, who):
    client = client_as(request.getfixturevalue(who))
    assert client.get(LIST).status_code == 404
    assert client.get(ENTER).status_code == 404
    assert client.get(reverse("workbench:rating", args=[rated["mine"].pk])).status_code == 404


def test_an_outsider_sees_nothing_of_the_county(client_as, outsider, rated):
    client = client_as(outsider)
    assert "data-rating=" not in client.get(LIST).content.decode()
    assert client.get(reverse("workbench:rating", args=[rated["mine"].pk])).status_code == 404


def test_phone_entry_finds_the_case_and_records_the_rating(
    client_as, window_head, case_item, hall_window, clerk
):
    case = delivered_case(case_item, hall_window, delivered_by=clerk)
    client = client_as(window_head)
    html = client.get(ENTER, {"q": case.number}).content.decode()
    assert f'data-occasion="{case.pk}"' in html
    html = client.get(
        ENTER, {"q": case.number, "kind": "case", "occasion": case.pk}
    ).content.decode()
    assert 'id="phone-rating-form"' in html
    refused = client.post(
        f"{ENTER}?q={case.number}", {"kind": "case", "occasion": case.pk, "level": "2"}
    )
    assert refused.status_code == 422 and not Rating.objects.exists()
    response = client.post(
        f"{ENTER}?q={case.number}",
        {
            "kind": "case",
            "occasion": case.pk,
            "level": "2",
            "reason": "slow",
            "comment": "电话回访",
        },
    )
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert (rating.channel, rating.entered_by, rating.staff) == ("phone", window_head, clerk)
    again = client.post(
        f"{ENTER}?q={case.number}", {"kind": "case", "occasion": case.pk, "level": "5"}
    )
    assert again.status_code == 409


def test_phone_entry_finds_a_finished_ticket(client_as, director, queue_groups, hall_window, clerk):
    ticket = done_ticket(queue_groups["A"], hall_window, clerk)
    html = client_as(director).get(ENTER, {"q": ticket.number.lower()}).content.decode()
    assert f'data-kind="ticket" data-occasion="{ticket.pk}"' in html


def test_an_outsider_cannot_enter_a_rating_for_another_county(
    client_as, outsider, case_item, hall_window, clerk
):
    case = delivered_case(case_item, hall_window, delivered_by=clerk)
    client = client_as(outsider)
    html = client.get(ENTER, {"q": case.number}).content.decode()
    assert f'data-occasion="{case.pk}"' not in html
    posted = client.post(ENTER, {"kind": "case", "occasion": case.pk, "level": "5"})
    assert posted.status_code == 404 and not Rating.objects.exists()
    other_leader = make_staff(Role.DEPT_LEADER, outsider.staff.center, username="farleader")
    assert (
        client_as(other_leader)
        .post(ENTER, {"kind": "case", "occasion": case.pk, "level": "5"})
        .status_code
        == 404
    )
