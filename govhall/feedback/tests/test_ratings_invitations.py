"""The SMS invitation to rate a delivered case: after N working days (a weekend and a holiday
counted out), within the supplementary limit, once per case, never for a rated case, one query
choosing the cases, and never twice with two workers."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govhall.core.models import OutboundMessage
from govhall.feedback.models import RatingInvitation
from govhall.feedback.services.rating_invitations import rating_invitations_send
from govhall.feedback.services.rating_tokens import read_token
from govhall.feedback.tasks import send_rating_invitations
from govhall.testing.cases import local
from govhall.testing.rating_occasions import delivered_case
from govhall.testing.ratings import make_rating
from govhall.workdays.models import CenterDay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _defaults(settings):  # type: ignore[no-untyped-def]
    settings.GOVHALL_RATING_INVITATION_WORKDAYS = 1
    settings.GOVHALL_RATING_SUPPLEMENT_DAYS = 7
    settings.GOVHALL_PUBLIC_URL = "https://zwfw.example.gov.cn"


def run(now, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        return rating_invitations_send(now=now)


def test_invited_exactly_one_working_day_after_delivery(
    case_item, hall_window, clerk, django_capture_on_commit_callbacks
):
    # Delivered Tuesday 2026-12-01 15:00: due from Wednesday's first moment, not on Tuesday.
    case = delivered_case(case_item, hall_window, delivered=local(2026, 12, 1, 15))
    assert run(local(2026, 12, 1, 23), django_capture_on_commit_callbacks) == 0
    assert run(local(2026, 12, 2, 0), django_capture_on_commit_callbacks) == 1
    sms = OutboundMessage.objects.get(purpose="rating.invitation")
    assert sms.to == case.applicant.phone and case.number in sms.text
    link, via = sms.text.split("https://zwfw.example.gov.cn/rate/")[1].split("/?")
    assert via == "via=sms"
    assert read_token(link) == ("case", case.pk)
    assert RatingInvitation.objects.get().case == case
    # never twice
    assert run(local(2026, 12, 3), django_capture_on_commit_callbacks) == 0
    assert OutboundMessage.objects.filter(purpose="rating.invitation").count() == 1


def test_over_a_weekend_the_working_day_is_monday(
    case_item, hall_window, django_capture_on_commit_callbacks
):
    delivered_case(case_item, hall_window, delivered=local(2026, 12, 4, 16))  # Friday
    assert run(local(2026, 12, 6, 20), django_capture_on_commit_callbacks) == 0  # Sunday
    assert run(local(2026, 12, 7, 8), django_capture_on_commit_callbacks) == 1  # Monday


def test_a_closed_day_of_the_center_is_not_a_working_day(
    county, case_item, hall_window, django_capture_on_commit_callbacks
):
    CenterDay.objects.create(
        center_id=county.pk, date=datetime.date(2026, 12, 2), kind="closed", reason="停电"
    )
    delivered_case(case_item, hall_window, delivered=local(2026, 12, 1, 15))
    assert run(local(2026, 12, 2, 12), django_capture_on_commit_callbacks) == 0
    assert run(local(2026, 12, 3, 0), django_capture_on_commit_callbacks) == 1


def test_rated_cases_and_cases_past_the_limit_get_no_invitation(
    case_item, hall_window, django_capture_on_commit_callbacks
):
    rated = delivered_case(case_item, hall_window, delivered=local(2026, 12, 1, 15))
    make_rating(rated, level=5)
    delivered_case(case_item, hall_window, delivered=local(2026, 11, 23, 15))  # 8 days before
    on_limit = delivered_case(case_item, hall_window, delivered=local(2026, 11, 24, 9))
    assert run(local(2026, 12, 1, 16), django_capture_on_commit_callbacks) == 1
    assert list(RatingInvitation.objects.values_list("case_id", flat=True)) == [on_limit.pk]


def test_the_cases_are_chosen_in_a_fixed_number_of_queries(
    case_item, hall_window, django_capture_on_commit_callbacks
):
    def selects(count: int, day: int) -> int:
        for hour in range(count):
            delivered_case(case_item, hall_window, delivered=local(2026, 12, day, 8 + hour))
        with CaptureQueriesContext(connection) as queries:
            run(local(2026, 12, day + 1, 9), django_capture_on_commit_callbacks)
        return len([q for q in queries.captured_queries if q["sql"].startswith("SELECT")])

    selects(1, 1)  # the calendar is built and cached
    assert selects(1, 2) == selects(6, 3)
    assert RatingInvitation.objects.count() == 8


def test_the_celery_task_runs_the_round(case_item, hall_window, settings):
    five_days_ago = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=5)
    delivered_case(case_item, hall_window, delivered=five_days_ago)
    assert send_rating_invitations.apply().get() in (0, 1)
    assert "rating-invitations" in settings.CELERY_BEAT_SCHEDULE
