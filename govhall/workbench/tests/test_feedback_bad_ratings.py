"""The bad-rating inbox pages (issue 15 item 1): who gets 200 or 404, masked lists, the full
view of the rater logged, the buttons of the table and the month's targets."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from govhall.core.models import Event, User
from govhall.feedback.models import FollowUpStatus, Rating
from govhall.org.models import Center, Department, Window
from govhall.testing.rating_follow_up import (
    RATER_NAME,
    RATER_PHONE,
    bad_rating,
    rated_case,
    rated_window,
)
from govhall.testing.ratings import make_rating

pytestmark = pytest.mark.django_db

READERS = ("director", "admin_user", "supervisor", "window_head", "dept_leader")
NOT_READERS = ("clerk", "reviewer", "approver", "guide", "social_supervisor", "outsider")


@pytest.fixture
def window(county: Center, department: Department, window_head: User) -> Window:
    return rated_window(county, department, window_head)


@pytest.fixture
def rating(window: Window, department: Department, clerk: User) -> Rating:
    case = rated_case(window, department, clerk)
    return bad_rating(case, rated_at=timezone.now() - datetime.timedelta(hours=1))


def _views(rating: Rating) -> int:
    return Event.objects.filter(
        action="feedback.view_personal_data", object_id=str(rating.pk)
    ).count()


@pytest.mark.parametrize("username", READERS + NOT_READERS)
def test_pages_answer_200_or_404_per_user(request, client_as, rating: Rating, username: str):
    """The outsider (a director of another county) has an inbox of their own, empty here, and
    gets 404 for this rating like those without the inbox."""
    client = client_as(request.getfixturevalue(username))
    reads = username in READERS or username == "outsider"
    for url in (reverse("workbench:bad_ratings"), reverse("workbench:bad_rating_targets")):
        assert client.get(url).status_code == (200 if reads else 404), url
    detail = reverse("workbench:bad_rating", kwargs={"rating_id": rating.pk})
    assert client.get(detail).status_code == (200 if username in READERS else 404)
    missing = reverse("workbench:bad_rating", kwargs={"rating_id": 10**9})
    assert client.get(missing).status_code == 404
    if username == "outsider":
        assert list(client.get(reverse("workbench:bad_ratings")).context["page_obj"]) == []


def test_list_is_masked_overdue_first(
    client_as, director: User, rating: Rating, window, department, clerk
):
    late = bad_rating(
        rated_case(window, department, clerk),
        rated_at=timezone.now() - datetime.timedelta(days=20),
    )
    page = client_as(director).get(reverse("workbench:bad_ratings"))
    body = page.content.decode()
    assert RATER_PHONE not in body and RATER_NAME not in body
    assert "139****1111" in body
    assert [row.pk for row in page.context["page_obj"]] == [late.pk, rating.pk]


def test_the_department_sees_the_rater_in_full_and_the_view_is_logged(
    client_as, window_head: User, supervisor: User, rating: Rating
) -> None:
    url = reverse("workbench:bad_rating", kwargs={"rating_id": rating.pk})
    body = client_as(supervisor).get(url).content.decode()
    assert RATER_PHONE not in body and _views(rating) == 0
    page = client_as(window_head).get(url)
    assert RATER_PHONE in page.content.decode() and _views(rating) == 1
    assert page.context["actions"] == ["call_back", "appeal"]
    assert page.context["full"] is True


def test_call_back_through_the_page_stale_and_refused(
    client_as, window_head: User, director: User, rating: Rating
) -> None:
    client = client_as(window_head)
    act = reverse(
        "workbench:bad_rating_action", kwargs={"rating_id": rating.pk, "action": "call_back"}
    )
    missing = client.post(act, {"version": "1", "call_back-justified": "yes"})
    assert missing.status_code == 400 and Rating.objects.get(pk=rating.pk).version == 1
    done = client.post(
        act, {"version": "1", "call_back-justified": "no", "call_back-note": "群众表示误点"}
    )
    assert done.status_code == 302
    rating.refresh_from_db()
    assert rating.follow_up == FollowUpStatus.VERIFIED and rating.justified is False
    stale = client.post(act, {"version": "1", "call_back-justified": "no", "call_back-note": "x"})
    assert stale.status_code == 409
    appeal = reverse(
        "workbench:bad_rating_action", kwargs={"rating_id": rating.pk, "action": "appeal"}
    )
    assert client.post(appeal, {"version": "2", "appeal-reason": "误评"}).status_code == 302
    # the department cannot decide its own appeal; the director can
    exclude = reverse(
        "workbench:bad_rating_action", kwargs={"rating_id": rating.pk, "action": "exclude"}
    )
    assert client.post(exclude, {"version": "3", "exclude-note": "同意"}).status_code == 400
    detail = client_as(director).get(
        reverse("workbench:bad_rating", kwargs={"rating_id": rating.pk})
    )
    assert detail.context["decide"] == ["exclude", "reject_appeal"]
    reject = reverse(
        "workbench:bad_rating_action", kwargs={"rating_id": rating.pk, "action": "reject_appeal"}
    )
    assert (
        client_as(director).post(reject, {"version": "3", "exclude-note": "不支持"}).status_code
        == 302
    )
    rating.refresh_from_db()
    assert rating.follow_up == FollowUpStatus.VERIFIED and rating.appeal_decision_note == "不支持"
    unknown = reverse(
        "workbench:bad_rating_action", kwargs={"rating_id": rating.pk, "action": "nope"}
    )
    assert client.post(unknown, {"version": "4"}).status_code == 404


def test_targets_page(client_as, director: User, rating: Rating) -> None:
    url = reverse("workbench:bad_rating_targets")
    month = timezone.localdate().strftime("%Y-%m")
    page = client_as(director).get(url, {"month": month})
    assert page.status_code == 200
    assert page.context["targets"].call_back.total == 1
    assert client_as(director).get(url, {"month": "2025-13"}).status_code == 404


def test_the_citizens_second_rating_shows_on_the_bad_rating(
    client_as, window_head: User, rating: Rating
) -> None:
    """Walk-through finding: after the re-rating link the department saw no trace of the
    citizen's second rating on the page it followed the 差评 on."""
    url = reverse("workbench:bad_rating", kwargs={"rating_id": rating.pk})
    assert 'id="rating-rerated"' not in client_as(window_head).get(url).content.decode()
    assert rating.case is not None
    make_rating(rating.case, level=4, supersedes=rating, rated_at=timezone.now())
    body = client_as(window_head).get(url).content.decode()
    assert 'id="rating-rerated"' in body and "满意" in body.split('id="rating-rerated"')[1][:80]
