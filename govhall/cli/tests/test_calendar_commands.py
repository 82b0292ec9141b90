"""`govhall deadline`, `govhall workdays` and `govhall import-calendar`: exact output forms for
scripts, status 2 with a clear message on bad input."""

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
from django.utils import translation

from govhall.core.models import Event
from govhall.workdays.models import CenterDay, ScheduleDay, ScheduleYear
from govhall.workdays.services.center_days import center_day_set

EXAMPLE_2027 = (
    Path(__file__).resolve().parents[2]
    / "workdays"
    / "tests"
    / "data"
    / "schedule_2027_example.txt"
)
GOVHALL = Path(sys.executable).parent / "govhall"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def usage_error(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        run(*args)
    assert caught.value.returncode == 2
    return caught.value


@pytest.mark.django_db
class TestDeadline:
    def test_prints_the_end_date_first(self):
        out, err = run("deadline", "2025-09-30", "5")
        assert out.splitlines()[0] == "2025-10-14"
        assert err == ""

    @pytest.mark.parametrize(
        ("start", "n", "end"),
        [
            ("2025-01-24", "3", "2025-02-05"),
            ("2026-02-13", "2", "2026-02-24"),
            ("2025-10-03", "0", "2025-10-03"),
        ],
    )
    def test_across_holidays(self, start, n, end):
        assert run("deadline", start, n)[0].splitlines()[0] == end

    def test_center_overrides_apply_only_with_center(
        self, county, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            center_day_set(
                actor=None,
                center_id=county.pk,
                date=datetime.date(2025, 10, 14),
                kind=CenterDay.Kind.CLOSED,
                reason="停电",
            )
        assert run("deadline", "2025-09-30", "5", "--center", county.code)[0].startswith(
            "2025-10-15"
        )
        assert run("deadline", "2025-09-30", "5")[0].startswith("2025-10-14")

    def test_uncovered_year_warns_on_stderr_after_the_answer(self):
        out, err = run("deadline", "2026-12-31", "1")
        assert out.splitlines() == ["2027-01-01"]
        assert "2027" in err and "not loaded" in err

    @pytest.mark.parametrize(
        ("args", "words"),
        [
            (("2025-02-30", "5"), "2025-02-30"),
            (("30/09/2025", "5"), "YYYY-MM-DD"),
            (("2025-09-30", "-1"), "-1"),
            (("2025-09-30", "five"), "five"),
            (("2099-12-30", "5"), "2099"),
            (("1999-12-31", "1"), "outside"),
        ],
    )
    def test_bad_input_exits_2_with_a_clear_message(self, args, words):
        assert words in str(usage_error("deadline", *args))

    def test_unknown_center(self):
        assert "NOPE" in str(usage_error("deadline", "2025-09-30", "5", "--center", "NOPE"))


@pytest.mark.django_db
class TestWorkdays:
    def test_prints_the_count_first(self):
        assert run("workdays", "2025-10-01", "2025-10-31")[0].splitlines()[0] == "18"
        assert run("workdays", "2025-01-01", "2025-12-31")[0].splitlines()[0] == "248"
        assert run("workdays", "2025-10-01", "2025-10-01")[0].splitlines()[0] == "0"

    def test_center_closure_is_counted(self, county, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            center_day_set(
                actor=None,
                center_id=county.pk,
                date=datetime.date(2025, 10, 14),
                kind=CenterDay.Kind.CLOSED,
                reason="停电",
            )
        out, _err = run("workdays", "2025-10-01", "2025-10-31", "--center", county.code)
        assert out.splitlines()[0] == "17"

    def test_reversed_range_and_bad_dates(self):
        assert "reversed" in str(usage_error("workdays", "2025-10-31", "2025-10-01"))
        assert "2025-13-01" in str(usage_error("workdays", "2025-13-01", "2025-12-31"))
        assert "ZZ" in str(usage_error("workdays", "2025-10-01", "2025-10-31", "--center", "ZZ"))


@pytest.mark.django_db
class TestImportCalendar:
    def test_imports_a_file_and_answers_change(self, director, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            out, _err = run(
                "import_calendar", str(EXAMPLE_2027), "--year", "2027", "--user", director.username
            )
        assert "2027" in out
        schedule = ScheduleYear.objects.get(year=2027)
        assert (schedule.source, schedule.imported_by) == (EXAMPLE_2027.name, director)
        assert Event.objects.filter(action="schedule.import", actor=director).exists()
        out, err = run("deadline", "2026-12-31", "1")
        assert out.splitlines()[0] == "2027-01-04"
        assert err == ""

    def test_bad_file_reports_every_bad_line_and_imports_nothing(self, tmp_path):
        bad = tmp_path / "2027.csv"
        bad.write_text("2027-01-01,holiday,元旦\n2027-02-30,休,x\n2027-02-08,班,周一\n", "utf-8")
        err = io.StringIO()
        with pytest.raises(CommandError) as caught:
            call_command(
                "import_calendar", str(bad), "--year", "2027", stderr=err, stdout=io.StringIO()
            )
        assert caught.value.returncode == 2
        assert "Line 2" in err.getvalue() and "Line 3" in err.getvalue()
        assert not ScheduleYear.objects.exists() and not ScheduleDay.objects.exists()

    def test_wrong_year_missing_file_and_unknown_user(self, tmp_path):
        err = io.StringIO()
        with pytest.raises(CommandError) as caught:
            call_command(
                "import_calendar", str(EXAMPLE_2027), "--year", "2028", stderr=err, stdout=err
            )
        assert caught.value.returncode == 2
        assert "2027-01-01 is not in 2028" in err.getvalue()
        assert not ScheduleYear.objects.exists()
        assert "Cannot read" in str(
            usage_error("import_calendar", str(tmp_path / "none.csv"), "--year", "2027")
        )
        assert "ghost" in str(
            usage_error("import_calendar", str(EXAMPLE_2027), "--year", "2027", "--user", "ghost")
        )
        assert "between" in str(usage_error("import_calendar", str(EXAMPLE_2027), "--year", "1999"))


def test_real_console_command_exit_codes_and_output(tmp_path):
    """The installed `govhall` script in fresh processes against their own SQLite file.

    Independent runs go in parallel so the test stays quick: bad input needs no database.
    """
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(GOVHALL_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="govhall.settings")

    def start(*args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [str(GOVHALL), *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
        out, err = process.communicate(timeout=120)
        return process.returncode, out, err

    migrate = start("migrate", "workdays", "--noinput", "-v", "0")
    bad_date = start("deadline", "2025-02-30", "5")
    negative = start("deadline", "2025-09-30", "-3")
    for process in (bad_date, negative):
        code, out, err = finish(process)
        assert (code, out) == (2, ""), err
        assert "2025-02-30" in err or "-3" in err
    assert finish(migrate)[0] == 0

    deadline = start("deadline", "2025-09-30", "5")
    imported = start("import-calendar", str(EXAMPLE_2027), "--year", "2027")
    code, out, err = finish(deadline)
    assert (code, out.splitlines()[0]) == (0, "2025-10-14"), err
    code, out, err = finish(imported)
    assert code == 0, err
    # A new process sees the imported 2027 schedule: 2027-01-01 is 元旦 now, and no warning.
    assert finish(start("deadline", "2026-12-31", "1")) == (0, "2027-01-04\n", "")
