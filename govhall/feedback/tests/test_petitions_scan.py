"""The petition overdue scan: each limit at its calendar-day boundary (weekends count), withdrawn
when done or when the rule is switched off, idempotent, registered with supervision."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govhall.feedback.models.petitions import LeaderReception, PetitionReview
from govhall.feedback.services.petition_scan import scan_petitions, subject_key
from govhall.feedback.services.petitions import (
    petition_accept,
    petition_close,
    petition_extend,
    petition_notify,
    petition_request_review,
    reception_receive,
)
from govhall.supervision.models import Alert, AlertRule
from govhall.supervision.services.scans import SCANS
from govhall.testing.petitions import local_moment, make_petition, set_fields
from govhall.testing.supervision import ensure_default_rules

FRIDAY = datetime.date(2026, 11, 6)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _rules(db: None) -> None:
    ensure_default_rules()  # the supervision rules, flushed by any transactional test before


def _live(petition, kind):  # type: ignore[no-untyped-def]
    return Alert.objects.live().filter(
        subject_key=subject_key(petition.pk, kind), rule__code="petition_overdue.yellow"
    )


def test_registered_with_the_supervision_scans():
    assert SCANS["petition_overdue"].run is scan_petitions


def test_answer_due_monday_after_a_friday_visit(director, county):
    petition = make_petition(director, county, day=FRIDAY)
    monday = datetime.date(2026, 11, 9)
    scan_petitions(now=local_moment(monday, 17))
    assert not _live(petition, "answer").exists()
    result = scan_petitions(now=local_moment(monday + DAY, 8))
    assert result.raised == 1
    alert = _live(petition, "answer").get()
    assert alert.responsible_id == director.pk and alert.due_on == monday
    assert scan_petitions(now=local_moment(monday + DAY, 9)).raised == 0  # idempotent
    petition_notify(actor=director, petition=petition, version=1, notice="告知")
    scan_petitions(now=local_moment(monday + DAY, 10))
    assert not _live(petition, "answer").exists()


def test_acceptance_day_fifteen_is_in_time_day_sixteen_overdue(director, county):
    petition = make_petition(director, county, day=FRIDAY)
    day15 = FRIDAY + 15 * DAY  # a Saturday: calendar days, weekends count
    assert day15.weekday() == 5
    scan_petitions(now=local_moment(day15, 18))
    assert not _live(petition, "acceptance").exists()
    scan_petitions(now=local_moment(day15 + DAY, 8))
    assert _live(petition, "acceptance").exists()
    petition_accept(actor=director, petition=petition, version=1, notice="受理")
    scan_petitions(now=local_moment(day15 + DAY, 9))
    assert not _live(petition, "acceptance").exists()


def test_closing_at_sixty_days_moved_by_the_extension(director, county):
    petition = make_petition(director, county)
    petition = petition_accept(actor=director, petition=petition, version=1, notice="受理")
    due = petition.close_due_on
    assert due is not None
    scan_petitions(now=local_moment(due, 18))
    assert not _live(petition, "closing").exists()
    scan_petitions(now=local_moment(due + DAY, 8))
    assert _live(petition, "closing").exists()
    petition_extend(actor=director, petition=petition, version=2, days=10, reason="复杂")
    scan_petitions(now=local_moment(due + DAY, 9))
    assert not _live(petition, "closing").exists()
    scan_petitions(now=local_moment(due + 11 * DAY, 9))
    assert _live(petition, "closing").exists()
    petition.refresh_from_db()
    petition_close(actor=director, petition=petition, version=petition.version, opinion="意见")
    scan_petitions(now=local_moment(due + 11 * DAY, 10))
    assert not _live(petition, "closing").exists()


def test_leader_reception_within_seven_days(director, dept_leader, county):
    petition = make_petition(director, county, day=FRIDAY, people_count=8, representatives=3)
    assert petition.reception_due_on == FRIDAY + 7 * DAY
    scan_petitions(now=local_moment(FRIDAY + 7 * DAY, 18))
    assert not _live(petition, "reception").exists()
    scan_petitions(now=local_moment(FRIDAY + 8 * DAY, 8))
    assert _live(petition, "reception").exists()
    reception = LeaderReception.objects.create(
        center=county, leader=dept_leader, day=FRIDAY + 8 * DAY
    )
    reception_receive(actor=director, reception=reception, petition=petition)
    scan_petitions(now=local_moment(FRIDAY + 8 * DAY, 12))
    assert not _live(petition, "reception").exists()


def test_review_answer_within_thirty_days(director, county):
    petition = make_petition(director, county)
    petition = petition_accept(actor=director, petition=petition, version=1, notice="受理")
    petition = petition_close(actor=director, petition=petition, version=2, opinion="意见")
    review = petition_request_review(actor=director, petition=petition, version=3, kind="review")
    scan_petitions(now=local_moment(review.due_on, 18))
    assert not _live(petition, "review").exists()
    scan_petitions(now=local_moment(review.due_on + DAY, 8))
    assert _live(petition, "review").exists()
    PetitionReview.objects.filter(pk=review.pk).update(answered_on=timezone.localdate(), answer="x")
    set_fields(petition, status="closed")
    scan_petitions(now=local_moment(review.due_on + DAY, 9))
    assert not _live(petition, "review").exists()


@pytest.mark.parametrize("active", [False])
def test_rule_switched_off_withdraws(director, county, active):
    petition = make_petition(director, county, day=FRIDAY)
    scan_petitions(now=local_moment(FRIDAY + 20 * DAY))
    assert _live(petition, "answer").exists() and _live(petition, "acceptance").exists()
    AlertRule.objects.filter(code="petition_overdue.yellow").update(is_active=active)
    scan_petitions(now=local_moment(FRIDAY + 20 * DAY, 11))
    assert not Alert.objects.live().filter(rule__code="petition_overdue.yellow").exists()
