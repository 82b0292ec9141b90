"""The missing-round scan fires exactly when a session of a working day passes without a round,
never twice, not on days off, not for centers without windows, and withdraws what stops holding."""

from __future__ import annotations

import datetime

import pytest

from govhall.core.models import OutboundMessage, User
from govhall.org.models import Center, Department
from govhall.supervision.models import Alert
from govhall.supervision.services.patrol_missing import scan_patrol_missing
from govhall.supervision.services.patrols import patrol_round_start
from govhall.supervision.services.scans import run_scans
from govhall.testing.patrols import DAY, SUNDAY, at, make_desk

pytestmark = pytest.mark.django_db

NEXT_DAY = DAY + datetime.timedelta(days=1)


@pytest.fixture
def hall(county: Center, department: Department, other_county: Center) -> Center:
    make_desk(county, department, 1, "1")  # other_county has no windows: never alerted
    return county


def live(center: Center | None = None) -> set[str]:
    alerts = Alert.objects.live().filter(rule__code="patrol_missing.yellow")
    if center is not None:
        alerts = alerts.filter(center=center)
    return set(alerts.values_list("subject_key", flat=True))


def key(center: Center, day: datetime.date, session: str) -> str:
    return f"round:{center.pk}:{day.isoformat()}:{session}"


def test_fires_when_a_session_passes_without_a_round_and_never_twice(hall: Center) -> None:
    assert scan_patrol_missing(now=at(DAY, 11, 59)).raised == 0
    assert live() == set()
    assert scan_patrol_missing(now=at(DAY, 12, 0)).raised == 1
    assert live() == {key(hall, DAY, "morning")}
    alert = Alert.objects.get()
    assert (alert.center, alert.occurred_on, alert.level) == (hall, DAY, "yellow")
    assert alert.responsible is None and alert.window is None
    assert scan_patrol_missing(now=at(DAY, 12, 30)).raised == 0
    assert scan_patrol_missing(now=at(DAY, 17, 29)).raised == 0
    assert scan_patrol_missing(now=at(DAY, 17, 30)).raised == 1
    assert live() == {key(hall, DAY, "morning"), key(hall, DAY, "afternoon")}
    assert scan_patrol_missing(now=at(DAY, 18, 0)).raised == 0
    assert Alert.objects.count() == 2
    # A full scan looks back over the past week too (its working days: Thu 9, Fri 10, the make-up
    # Saturday 11 and Mon 13 October), once.
    assert scan_patrol_missing(now=at(DAY, 18, 0), full=True).raised == 8
    assert scan_patrol_missing(now=at(DAY, 18, 0), full=True).raised == 0
    assert Alert.objects.count() == 10


def test_a_round_in_time_prevents_it(hall: Center, director: User) -> None:
    scan_patrol_missing(now=at(DAY, 9, 0))
    patrol_round_start(actor=director, center=hall, at=at(DAY, 9, 30))
    patrol_round_start(actor=director, center=hall, at=at(DAY, 15, 0))
    assert scan_patrol_missing(now=at(DAY, 12, 0)).raised == 0
    assert scan_patrol_missing(now=at(DAY, 17, 30)).raised == 0
    assert live() == set()


def test_catches_up_on_the_sessions_since_the_last_scan(hall: Center) -> None:
    scan_patrol_missing(now=at(DAY, 10, 0))
    assert scan_patrol_missing(now=at(NEXT_DAY, 9, 0)).raised == 2
    assert live() == {key(hall, DAY, "morning"), key(hall, DAY, "afternoon")}


def test_not_on_days_off(hall: Center) -> None:
    scan_patrol_missing(now=at(SUNDAY, 8, 0))
    assert scan_patrol_missing(now=at(SUNDAY, 23, 0)).raised == 0
    assert live() == set()


def test_withdrawn_when_the_round_turns_up(hall: Center, director: User) -> None:
    scan_patrol_missing(now=at(DAY, 8, 0))
    scan_patrol_missing(now=at(DAY, 12, 5))
    assert live() == {key(hall, DAY, "morning")}
    # A morning round recorded late (the inspector names the session).
    patrol_round_start(actor=director, center=hall, session="morning", at=at(DAY, 12, 10))
    result = scan_patrol_missing(now=at(DAY, 12, 20))
    assert (result.raised, result.withdrawn) == (0, 1)
    assert live() == set()
    assert scan_patrol_missing(now=at(DAY, 12, 30)).raised == 0


def test_registered_with_the_other_scans(hall: Center) -> None:
    run_scans(now=at(DAY, 8, 0))
    assert run_scans(now=at(DAY, 12, 0))["patrol_missing"] == 1
    assert run_scans(now=at(DAY, 12, 1))["patrol_missing"] == 0


def test_the_directors_are_told(
    hall: Center,
    director: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    director.phone = "13900000001"
    director.save(update_fields=["phone"])
    scan_patrol_missing(now=at(DAY, 8, 0))
    with django_capture_on_commit_callbacks(execute=True):
        scan_patrol_missing(now=at(DAY, 12, 0))
    sms = OutboundMessage.objects.get(purpose="supervision.alert")
    assert sms.to == "13900000001"
    assert hall.name in sms.text and DAY.isoformat() in sms.text
