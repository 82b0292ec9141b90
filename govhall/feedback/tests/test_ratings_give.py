"""Giving a rating (rating_give): occasions, who served, one rating per occasion, the
supplementary limit, bad ratings and their follow-up dates and messages, re-ratings, phone
entry by the rating office."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from govhall.cases.statuses import CaseStatus
from govhall.core.models import Event, OutboundMessage
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models import FollowUpStatus, Rating, RatingChannel
from govhall.feedback.services.ratings import RatingConflict, rating_give
from govhall.frontdesk.models import TicketStatus
from govhall.testing.cases import local, make_case
from govhall.testing.factories import make_staff
from govhall.testing.rating_occasions import delivered_case, done_ticket

pytestmark = pytest.mark.django_db

# Friday 2026-12-04, 10:00 local: a plain working week around it.
FRIDAY = local(2026, 12, 4)


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def case(case_item, hall_window, clerk, clerk_b):  # type: ignore[no-untyped-def]
    # Received by clerk, delivered by clerk_b (the B post covering that day).
    return delivered_case(
        case_item, hall_window, delivered=FRIDAY, delivered_by=clerk_b, received_by=clerk
    )


def give(case, level=5, *, now=None, **kwargs):  # type: ignore[no-untyped-def]
    values = {"actor": None, "channel": RatingChannel.QR_CODE, "now": now or FRIDAY}
    values.update(kwargs)
    return rating_give(kind="case", occasion_id=case.pk, level=level, **values)


def test_a_delivered_case_is_rated_with_its_details_and_the_clerk_who_delivered_it(
    case, clerk_b, hall_window, case_item, department
):
    rating = give(case, 5, now=FRIDAY + datetime.timedelta(seconds=60))
    assert rating.occasion == f"case:{case.pk}"
    assert (rating.center, rating.case, rating.item) == (case.center, case, case_item)
    assert (rating.department, rating.window, rating.staff) == (department, hall_window, clerk_b)
    assert rating.follow_up == FollowUpStatus.NONE and rating.reason == ""
    assert rating.is_supplementary is False
    # known from the case: a real-name rating
    assert rating.rater_name == case.applicant.name
    assert rating.rater_phone == case.applicant.phone
    event = Event.objects.get(action=FeedbackEvent.RATING_GIVE, object_id=str(rating.pk))
    assert event.data["level"] == 5 and event.data["channel"] == "qr_code"


def test_without_a_delivery_event_the_person_serving_the_window_now_is_named(
    case_item, hall_window, clerk, clerk_b
):
    # Received by the B staff; the A staff (clerk) serves the window's post now.
    case = delivered_case(case_item, hall_window, delivered=FRIDAY, received_by=clerk_b)
    assert give(case).staff == clerk


def test_a_case_not_delivered_yet_is_refused(case_item, hall_window):
    case = make_case(case_item, hall_window, status=CaseStatus.CERTIFICATE_READY)
    with pytest.raises(ValidationError) as refused:
        give(case)
    assert "not delivered yet" in str(refused.value.message_dict["occasion"])
    assert not Rating.objects.exists()


def test_a_missing_occasion_is_404():
    with pytest.raises(Http404):
        rating_give(actor=None, kind="case", occasion_id=999999, level=5, channel="qr_code")
    with pytest.raises(Http404):
        rating_give(actor=None, kind="appointment", occasion_id=1, level=5, channel="qr_code")


def test_a_finished_ticket_is_rated_with_the_clerk_who_called_it(
    queue_groups, hall_window, clerk_b, department
):
    ticket = done_ticket(queue_groups["A"], hall_window, clerk_b, finished=FRIDAY)
    rating = rating_give(
        actor=None,
        kind="ticket",
        occasion_id=ticket.pk,
        level=4,
        channel=RatingChannel.WINDOW_SCREEN,
        now=FRIDAY + datetime.timedelta(seconds=30),
    )
    assert (rating.ticket, rating.window, rating.staff) == (ticket, hall_window, clerk_b)
    assert rating.department == department and rating.occasion == f"ticket:{ticket.pk}"


def test_a_ticket_not_finished_is_refused(queue_groups, hall_window, clerk):
    ticket = done_ticket(queue_groups["A"], hall_window, clerk, status=TicketStatus.SERVING)
    with pytest.raises(ValidationError) as refused:
        rating_give(actor=None, kind="ticket", occasion_id=ticket.pk, level=5, channel="qr_code")
    assert "not finished yet" in str(refused.value)


def test_a_second_rating_of_the_same_occasion_is_a_conflict(case):
    give(case, 5)
    with pytest.raises(RatingConflict) as refused:
        give(case, 1, reason="attitude")
    assert isinstance(refused.value, Conflict)
    assert "rated already" in str(refused.value.message_dict["occasion"])
    assert Rating.objects.count() == 1


def test_screen_seconds_boundary_makes_a_rating_supplementary(case, settings):
    settings.GOVHALL_RATING_SCREEN_SECONDS = 120
    first = give(case, now=FRIDAY + datetime.timedelta(seconds=120))
    assert first.is_supplementary is False
    Rating.objects.all().delete()
    late = give(case, now=FRIDAY + datetime.timedelta(seconds=121))
    assert late.is_supplementary is True


def test_supplementary_rating_on_the_seventh_day_is_taken_the_eighth_refused(case, settings):
    settings.GOVHALL_RATING_SUPPLEMENT_DAYS = 7
    # Delivered Friday 12-04 10:00; the 7th calendar day is Friday 12-11 (late evening too).
    with pytest.raises(ValidationError) as refused:
        give(case, now=local(2026, 12, 12, 0))
    assert "has passed" in str(refused.value.message_dict["occasion"])
    rating = give(case, now=local(2026, 12, 11, 23))
    assert rating.is_supplementary is True


def test_a_bad_rating_needs_a_reason_and_other_needs_text(case):
    with pytest.raises(ValidationError) as refused:
        give(case, 2)
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        give(case, 1, reason="not-a-reason")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        give(case, 1, reason="other")
    assert "comment" in refused.value.message_dict
    assert not Rating.objects.exists()
    assert give(case, 1, reason="other", comment="没人理我").reason == "other"


def test_a_good_rating_carries_no_reason(case):
    assert give(case, 3, reason="attitude").reason == ""


def test_bad_input_is_refused_by_field(case):
    with pytest.raises(ValidationError) as refused:
        give(case, 6, channel="pigeon", rater_phone="12345", comment="x" * 501)
    assert set(refused.value.message_dict) == {"level", "channel", "rater_phone", "comment"}


def test_a_bad_rating_opens_the_follow_up_and_tells_leaders_and_the_window_head(
    case, county, department, dept_leader, window_head, django_capture_on_commit_callbacks
):
    dept_leader.phone = "13900000001"
    dept_leader.save()
    window_head.phone = "13900000002"
    window_head.save()
    other = make_staff(Role.DEPT_LEADER, county, None, username="otherleader", phone="13900000003")
    assert other
    with django_capture_on_commit_callbacks(execute=True):
        rating = give(case, 2, reason="slow", comment="等了很久")
    assert rating.follow_up == FollowUpStatus.OPEN
    # Friday: call back by Monday's closing time, rectify by the next Friday's.
    assert rating.call_back_due_at == local(2026, 12, 7, 17) + datetime.timedelta(minutes=30)
    assert rating.rectify_due_at == local(2026, 12, 11, 17) + datetime.timedelta(minutes=30)
    sent = OutboundMessage.objects.filter(purpose="rating.bad")
    assert sorted(sent.values_list("to", flat=True)) == ["13900000001", "13900000002"]
    assert "Dissatisfied" in sent.first().text  # type: ignore[union-attr]


def test_a_bad_rating_on_a_saturday_is_called_back_by_monday(case_item, hall_window, clerk):
    case = delivered_case(case_item, hall_window, delivered=FRIDAY, delivered_by=clerk)
    rating = give(case, 1, reason="attitude", now=local(2026, 12, 5, 9))
    assert rating.call_back_due_at.date() == datetime.date(2026, 12, 7)  # type: ignore[union-attr]


def test_re_rating_only_after_the_follow_up_is_closed_and_only_once(case, clerk_b):
    bad = give(case, 1, reason="attitude", rater_name="李四", rater_phone="13700000000")
    with pytest.raises(Conflict):
        give(case, 5, supersedes=bad)
    Rating.objects.filter(pk=bad.pk).update(follow_up=FollowUpStatus.CLOSED)
    later = FRIDAY + datetime.timedelta(days=20)  # past the supplementary limit: still taken
    again = give(case, 4, supersedes=bad, now=later)
    assert again.supersedes == bad and again.staff == clerk_b and again.case == case
    assert (again.rater_name, again.rater_phone) == ("李四", "13700000000")
    assert again.is_supplementary is False
    assert list(Rating.objects.counting()) == [again]
    with pytest.raises(RatingConflict):
        give(case, 5, supersedes=bad, now=later)


def test_a_re_rating_must_be_of_the_same_occasion(case, case_item, hall_window, clerk):
    bad = give(case, 1, reason="attitude")
    Rating.objects.filter(pk=bad.pk).update(follow_up=FollowUpStatus.CLOSED)
    other = delivered_case(case_item, hall_window, delivered=FRIDAY, delivered_by=clerk)
    with pytest.raises(Http404):
        give(other, 5, supersedes=bad)


def test_phone_entry_is_for_the_rating_office_of_the_occasions_scope(
    case, director, clerk, outsider, county, other_department
):
    phone = {"channel": RatingChannel.PHONE_CALL_BACK}
    for who in (None, clerk, outsider):
        with pytest.raises(Http404):
            give(case, 4, actor=who, **phone)
    other_leader = make_staff(Role.DEPT_LEADER, county, other_department, username="bdcleader")
    with pytest.raises(Http404):
        give(case, 4, actor=other_leader, **phone)
    rating = give(case, 4, actor=director, **phone)
    assert rating.entered_by == director and rating.channel == "phone"


def test_a_department_leader_enters_for_their_own_department(case, dept_leader):
    rating = give(case, 3, actor=dept_leader, channel=RatingChannel.PHONE_CALL_BACK)
    assert rating.entered_by == dept_leader
