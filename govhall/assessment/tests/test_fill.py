"""Sheets fill from the alerts that count: B's deduction when B covered, an excused or withdrawn
alert gives the points back while the sheet is a draft, filling twice changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from govhall.assessment.models import EntryKind, ScoreEntry, ScoreSheet, SheetStatus
from govhall.assessment.services.fill import score_sheets_fill
from govhall.assessment.tasks import fill_score_sheets
from govhall.core.models import User
from govhall.org.models import Center, Window
from govhall.supervision.models import AlertStatus, WithdrawalReason
from govhall.supervision.services.raising import withdraw_alerts
from govhall.testing.assessment import raise_alert
from govhall.testing.cases import local

pytestmark = pytest.mark.django_db
MONTH = datetime.date(2025, 10, 1)
DAY = datetime.date(2025, 10, 14)


def sheet_of(user: User) -> ScoreSheet:
    return ScoreSheet.objects.get(person=user, month=MONTH)


def test_b_covering_takes_the_deduction_and_a_keeps_100(
    county: Center, window: Window, clerk: User, window_head: User
) -> None:
    alert = raise_alert(
        "post_empty.red", center=county, responsible=window_head, day=DAY, window=window
    )
    result = score_sheets_fill(month=DAY)
    b_sheet, a_sheet = sheet_of(window_head), sheet_of(clerk)
    assert b_sheet.score == Decimal("98.0")
    assert a_sheet.score == Decimal("100.0")
    entry = b_sheet.entries.get()
    assert (entry.kind, entry.alert_id, entry.points) == (EntryKind.ALERT, alert.pk, Decimal("-2"))
    assert entry.occurred_on == DAY
    assert b_sheet.window_id == window.pk and a_sheet.window_id == window.pk
    assert result.entries_added == 1 and result.sheets_opened >= 2


def test_fill_twice_changes_nothing(county: Center, window: Window, window_head: User) -> None:
    raise_alert("post_empty.red", center=county, responsible=window_head, day=DAY)
    score_sheets_fill(month=MONTH)
    again = score_sheets_fill(month=MONTH, centers=[county.pk])
    assert (again.sheets_opened, again.entries_added, again.entries_dropped) == (0, 0, 0)
    assert ScoreEntry.objects.count() == 1
    assert sheet_of(window_head).score == Decimal("98.0")


def test_an_alert_of_another_month_stays_out(
    county: Center, window: Window, window_head: User
) -> None:
    raise_alert("post_empty.red", center=county, responsible=window_head, day=DAY)
    score_sheets_fill(month=datetime.date(2025, 11, 1))
    assert not ScoreEntry.objects.exists()


def test_excused_alert_gives_the_points_back(
    county: Center, window: Window, window_head: User
) -> None:
    alert = raise_alert("post_empty.red", center=county, responsible=window_head, day=DAY)
    score_sheets_fill(month=MONTH)
    alert.status = AlertStatus.ACCEPTED
    alert.save(update_fields=["status"])
    result = score_sheets_fill(month=MONTH)
    assert result.entries_dropped == 1
    assert sheet_of(window_head).score == Decimal("100.0")
    assert not ScoreEntry.objects.exists()


def test_withdrawn_alert_gives_the_points_back(
    county: Center, window: Window, window_head: User
) -> None:
    alert = raise_alert("late_sign_in.yellow", center=county, responsible=window_head, day=DAY)
    score_sheets_fill(month=MONTH)
    assert sheet_of(window_head).score < 100
    withdraw_alerts(
        alert.rule,
        type(alert).objects.filter(pk=alert.pk),
        reason=WithdrawalReason.CORRECTED,
        moment=local(2025, 10, 20),
    )
    score_sheets_fill(month=MONTH)
    assert sheet_of(window_head).score == Decimal("100.0")


def test_a_published_sheet_keeps_its_entries(
    county: Center, window: Window, window_head: User
) -> None:
    alert = raise_alert("post_empty.red", center=county, responsible=window_head, day=DAY)
    score_sheets_fill(month=MONTH)
    ScoreSheet.objects.filter(person=window_head).update(status=SheetStatus.PUBLISHED)
    alert.status = AlertStatus.ACCEPTED
    alert.save(update_fields=["status"])
    raise_alert("post_empty.red", center=county, responsible=window_head, day=DAY)
    score_sheets_fill(month=MONTH)
    assert sheet_of(window_head).entries.count() == 1
    assert sheet_of(window_head).score == Decimal("98.0")


def test_a_responsible_without_window_gets_a_sheet_too(
    county: Center, window: Window, reviewer: User
) -> None:
    raise_alert("patrol_finding.yellow", center=county, responsible=reviewer, day=DAY)
    score_sheets_fill(month=MONTH)
    assert sheet_of(reviewer).score == Decimal("98.0")


def test_the_beat_task_fills_this_month_and_last_in_its_first_days(
    county: Center, window: Window, window_head: User
) -> None:
    raise_alert("post_empty.red", center=county, responsible=window_head, day=DAY)
    assert fill_score_sheets(today="2025-11-02") == 1
    assert sheet_of(window_head).score == Decimal("98.0")
    assert ScoreSheet.objects.filter(month=datetime.date(2025, 11, 1)).exists()
