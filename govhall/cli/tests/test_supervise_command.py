"""`govhall supervise --as-of …`: the demo's clock moved forward raises reminder, yellow and red
once each, prints what each scan raised and withdrew, and refuses a bad date with status 2."""

from __future__ import annotations

import datetime
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone, translation

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.cli.management.commands.supervise import parse_moment
from govhall.core.models import User
from govhall.org.models import Window
from govhall.supervision.models import Alert
from govhall.supervision.services.scans import SCANS
from govhall.testing.cases import accepted_case
from govhall.testing.supervision import changed, ensure_default_rules, live, promise

GOVHALL = Path(sys.executable).parent / "govhall"


@pytest.fixture
def case(db: None, case_item: ServiceItem, hall_window: Window, clerk: User) -> Case:
    ensure_default_rules()
    # 5 promised working days after Tue 2025-09-30: due Tue 2025-10-14.
    return promise(accepted_case(case_item, hall_window, received_by=clerk), 5)


def supervise(*args: str, language: str = "en") -> str:
    out = io.StringIO()
    with translation.override(language):
        call_command("supervise", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_moving_the_clock_forward_raises_each_level_once(case: Case, clerk: User) -> None:
    out = supervise("--as-of", "2025-10-10")
    assert "Supervision scans as of 2025-10-10 18:00" in out
    assert "Promised deadline of a case: 0 raised, 0 withdrawn" in out
    assert live(case) == set()

    out = supervise("--as-of", "2025-10-13")  # one working day left, 80% used
    assert "Promised deadline of a case: 2 raised, 0 withdrawn" in out
    assert "Reminder" in out and "Yellow card" in out and case.number in out
    assert f"responsible: {clerk.display_name}" in out
    assert live(case) == {"reminder", "yellow"}

    out = supervise("--as-of", "2025-10-15T09:30")  # overdue
    assert "as of 2025-10-15 09:30" in out
    assert "Promised deadline of a case: 1 raised, 0 withdrawn" in out
    assert "Red card" in out and "−2.0 points" in out
    assert live(case) == {"reminder", "yellow", "red"}

    out = supervise("--as-of", "2025-10-16", "--full")  # never twice, even a full scan
    assert "(full)" in out and "Promised deadline of a case: 0 raised, 0 withdrawn" in out
    assert case.number not in out  # other scans may raise theirs
    assert Alert.objects.filter(case=case).count() == 3


def test_what_was_withdrawn_is_listed_with_its_reason(case: Case) -> None:
    supervise("--as-of", "2025-10-15")
    changed(case, status=CaseStatus.APPROVED)
    out = supervise("--as-of", "2025-10-15")
    assert "Promised deadline of a case: 0 raised, 3 withdrawn" in out
    assert "Withdrawn:" in out and "why: The case was decided or closed" in out
    assert out.count(case.number) == 3


def test_the_list_is_cut_at_the_limit(case: Case) -> None:
    out = supervise("--as-of", "2025-10-15", "--limit", "1")
    assert out.count(case.number) == 1
    assert "more (--limit)" in out


def test_chinese_by_default(case: Case) -> None:
    out = supervise("--as-of", "2025-10-15", language="zh-hans")
    assert "监察" in out and "红牌" in out


def test_each_scan_is_named_by_the_label_the_registry_keeps(case: Case) -> None:
    out = supervise("--as-of", "2025-10-10", language="zh-hans")
    for name, scan in SCANS.items():
        with translation.override("zh-hans"):
            label = str(scan.label)
        with translation.override("en"):
            assert str(scan.label) != label  # translated
        assert label in out and name not in out
    assert "岗位与考勤" in out and "前台（首问、非工作时间预约）" in out


def test_without_as_of_it_scans_now(case: Case) -> None:
    out = supervise()
    assert f"as of {timezone.localtime():%Y-%m-%d}" in out
    assert live(case) == {"reminder", "yellow", "red"}  # long overdue by today


@pytest.mark.parametrize("text", ["2025-13-01", "tomorrow", "2025-10-15T25:00", "15.10.2025"])
def test_a_bad_date_is_refused_with_status_2(text: str) -> None:
    with pytest.raises(CommandError) as caught, translation.override("en"):
        parse_moment(text)
    assert caught.value.returncode == 2
    assert f"--as-of: {text} is not a date or a time" in str(caught.value)


def test_parse_moment_reads_a_day_and_a_time() -> None:
    tz = timezone.get_current_timezone()
    assert parse_moment("2026-12-15") == datetime.datetime(2026, 12, 15, 18, 0, tzinfo=tz)
    assert parse_moment("2026-12-15T09:30") == datetime.datetime(2026, 12, 15, 9, 30, tzinfo=tz)


def test_the_console_command_prints_no_traceback_on_a_bad_date(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GOVHALL_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="govhall.settings")
    done = subprocess.run(
        [str(GOVHALL), "supervise", "--as-of", "2026-02-30"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "2026-02-30" in done.stderr and "YYYY-MM-DD" in done.stderr
