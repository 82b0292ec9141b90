"""Calendar services: validation changes nothing; every change is logged, bumps the revision,
takes effect at once and tells the registered hooks."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from govhall.core.models import Event
from govhall.workdays.models import CalendarRevision, CenterDay, ScheduleDay, ScheduleYear
from govhall.workdays.queries.calendar import (
    build_calendar,
    calendar_for,
    current_revision,
    deadline_at,
    deadline_date,
    workdays_in_range,
)
from govhall.workdays.queries.work_calendar import CalendarCache, ScheduleEntry
from govhall.workdays.schedule_file import parse_schedule_file
from govhall.workdays.services.center_days import center_day_remove, center_day_set
from govhall.workdays.services.changes import (
    CalendarChange,
    on_calendar_change,
    remove_calendar_change_hook,
)
from govhall.workdays.services.schedules import schedule_import, schedule_remove

pytestmark = pytest.mark.django_db
D = datetime.date
EXAMPLE_2027 = Path(__file__).parent / "data" / "schedule_2027_example.txt"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def example_2027() -> list[ScheduleEntry]:
    parsed = parse_schedule_file(EXAMPLE_2027.name, EXAMPLE_2027.read_bytes(), year=2027)
    assert parsed.ok
    return parsed.entries


@pytest.fixture
def changes():
    seen: list[CalendarChange] = []
    hook = on_calendar_change(seen.append)
    yield seen
    remove_calendar_change_hook(hook)


def _state() -> tuple[int, int, int, int, int]:
    return (
        ScheduleYear.objects.count(),
        ScheduleDay.objects.count(),
        CenterDay.objects.count(),
        Event.objects.count(),
        current_revision(),
    )


def test_import_2027_changes_answers_at_once(
    admin_user, example_2027, changes, django_capture_on_commit_callbacks
):
    before = calendar_for(None)
    assert before.uncovered_years([2026, 2027]) == [2027]
    assert before.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
    # Another process: its cache only re-reads the revision every so often.
    other_process = CalendarCache()

    def other(refresh_seconds: float):  # type: ignore[no-untyped-def]
        return other_process.get(
            None,
            refresh_seconds=refresh_seconds,
            revision_reader=current_revision,
            builder=build_calendar,
        )

    assert other(3600).add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)

    with django_capture_on_commit_callbacks(execute=True):
        schedule = schedule_import(
            actor=admin_user, year=2027, days=example_2027, source="示例（非官方）"
        )

    after = calendar_for(None)
    assert after is not before
    assert after.uncovered_years([2026, 2027]) == []
    assert after.coverage(2027) == "imported"
    assert after.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert after.add_workdays(D(2026, 12, 30), 5) == D(2027, 1, 7)
    assert after.is_workday(D(2027, 2, 20))  # 春节调休 (Saturday)
    assert not after.is_workday(D(2027, 2, 8))
    assert deadline_date(None, D(2027, 2, 4), 1) == D(2027, 2, 15)
    # The other process keeps its calendar until it re-reads the revision, then switches.
    assert other(3600).add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert other(0).add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)

    assert schedule.days.count() == len(example_2027)
    event = Event.objects.for_object(schedule).get()
    assert (event.action, event.actor, event.center_id) == (
        "schedule.import",
        admin_user,
        None,
    )
    assert event.data["year"] == 2027
    assert CalendarRevision.objects.get(pk=1).value == 1
    assert changes == [
        CalendarChange(
            action="schedule.import",
            center_ids=None,
            years=frozenset({2027}),
            since=D(2027, 1, 1),
        )
    ]


def test_reimport_replaces_the_year_and_removal_restores_weekends(
    admin_user, example_2027, changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        schedule_import(actor=admin_user, year=2027, days=example_2027, source="v1")
    with django_capture_on_commit_callbacks(execute=True):
        schedule_import(
            actor=admin_user,
            year=2027,
            days=[ScheduleEntry(D(2027, 3, 1), False, "x")],
            source="v2",
        )
    assert ScheduleYear.objects.get().source == "v2"
    assert list(ScheduleDay.objects.values_list("date", flat=True)) == [D(2027, 3, 1)]
    calendar = calendar_for(None)
    assert calendar.is_workday(D(2027, 1, 1))  # no longer a holiday
    assert not calendar.is_workday(D(2027, 3, 1))

    with django_capture_on_commit_callbacks(execute=True):
        schedule_remove(actor=admin_user, year=2027)
    assert ScheduleYear.objects.count() == 0
    assert calendar_for(None).uncovered_years([2027]) == [2027]
    assert calendar_for(None).is_workday(D(2027, 3, 1))
    assert current_revision() == 3
    assert [c.action for c in changes] == ["schedule.import", "schedule.import", "schedule.remove"]
    assert Event.objects.filter(action="schedule.remove").count() == 1


def test_an_import_wins_over_the_package_for_its_year(
    admin_user, django_capture_on_commit_callbacks
):
    assert not calendar_for(None).is_workday(D(2026, 10, 7))  # package: National Day
    with django_capture_on_commit_callbacks(execute=True):
        schedule_import(
            actor=admin_user,
            year=2026,
            days=[ScheduleEntry(D(2026, 1, 1), False, "元旦")],
            source="",
        )
    assert calendar_for(None).is_workday(D(2026, 10, 7))
    assert calendar_for(None).coverage(2026) == "imported"


@pytest.mark.parametrize(
    ("year", "days", "field", "words"),
    [
        (2027, [], "days", "at least one"),
        (2027, [ScheduleEntry(D(2028, 1, 1), False)], "days", "not in 2027"),
        (
            2027,
            [ScheduleEntry(D(2027, 1, 1), False), ScheduleEntry(D(2027, 1, 1), False)],
            "days",
            "twice",
        ),
        (2027, [ScheduleEntry(D(2027, 2, 8), True, "周一")], "days", "Saturday or Sunday"),
        (2027, [ScheduleEntry(D(2027, 1, 1), False, "x" * 65)], "days", "64"),
        (
            2027,
            [ScheduleEntry(D(2027, 1, 1) + datetime.timedelta(n), False) for n in range(121)],
            "days",
            "at most 120",
        ),
        (2100, [ScheduleEntry(D(2100, 1, 1), False)], "year", "between"),
    ],
)
def test_bad_schedules_change_nothing(changes, year, days, field, words):
    state = _state()
    with pytest.raises(ValidationError) as caught:
        schedule_import(actor=None, year=year, days=days, source="")
    assert words in " ".join(caught.value.message_dict[field])
    assert _state() == state
    assert changes == []


def test_removing_a_year_that_was_not_imported_is_refused():
    with pytest.raises(ValidationError) as caught:
        schedule_remove(actor=None, year=2027)
    assert "2027" in caught.value.message_dict["year"][0]


def test_center_closure_and_extra_day(
    director, county, town, changes, django_capture_on_commit_callbacks
):
    # 2025-10-09 (Thursday) is the first working day after National Day.
    assert deadline_date(county.pk, D(2025, 9, 30), 1) == D(2025, 10, 9)
    with django_capture_on_commit_callbacks(execute=True):
        day = center_day_set(
            actor=director,
            center_id=county.pk,
            date=D(2025, 10, 9),
            kind=CenterDay.Kind.CLOSED,
            reason="停电检修",
        )
    assert deadline_date(county.pk, D(2025, 9, 30), 1) == D(2025, 10, 10)
    assert deadline_date(town.pk, D(2025, 9, 30), 1) == D(2025, 10, 9)  # only that center
    assert deadline_date(None, D(2025, 9, 30), 1) == D(2025, 10, 9)
    assert workdays_in_range(county.pk, D(2025, 10, 1), D(2025, 10, 31)) == 17
    event = Event.objects.for_object(day).get()
    assert (event.action, event.center_id, event.note) == (
        "center_day.set",
        county.pk,
        "停电检修",
    )
    assert changes[-1] == CalendarChange(
        action="center_day.set",
        center_ids=frozenset({county.pk}),
        years=frozenset({2025}),
        since=D(2025, 10, 9),
    )
    assert changes[-1].affects_center(county.pk) and not changes[-1].affects_center(town.pk)

    with django_capture_on_commit_callbacks(execute=True):
        center_day_set(
            actor=director,
            center_id=county.pk,
            date=D(2025, 10, 4),
            kind=CenterDay.Kind.EXTRA_WORKDAY,
            reason="集中办理",
        )
    assert calendar_for(county.pk).is_workday(D(2025, 10, 4))
    assert workdays_in_range(county.pk, D(2025, 10, 1), D(2025, 10, 31)) == 18

    with django_capture_on_commit_callbacks(execute=True):
        center_day_remove(actor=director, center_id=county.pk, date=D(2025, 10, 9))
    assert deadline_date(county.pk, D(2025, 9, 30), 1) == D(2025, 10, 4)
    assert current_revision() == 3
    assert Event.objects.filter(action="center_day.remove", center_id=county.pk).exists()
    assert [c.action for c in changes] == ["center_day.set", "center_day.set", "center_day.remove"]


@pytest.mark.parametrize(
    ("date", "kind", "reason", "field"),
    [
        (D(2025, 10, 9), CenterDay.Kind.CLOSED, "   ", "reason"),
        (D(2025, 10, 9), "holiday", "x", "kind"),
        (D(2025, 10, 1), CenterDay.Kind.CLOSED, "already a holiday", "date"),
        (D(2025, 10, 9), CenterDay.Kind.EXTRA_WORKDAY, "already working", "date"),
        (D(2100, 1, 4), CenterDay.Kind.CLOSED, "x", "date"),
        (D(2025, 10, 9), CenterDay.Kind.CLOSED, "x" * 201, "reason"),
    ],
)
def test_bad_center_days_change_nothing(county, changes, date, kind, reason, field):
    state = _state()
    with pytest.raises(ValidationError) as caught:
        center_day_set(actor=None, center_id=county.pk, date=date, kind=kind, reason=reason)
    assert field in caught.value.message_dict
    assert _state() == state
    assert changes == []


def test_removing_a_missing_center_day_is_refused(county):
    with pytest.raises(ValidationError):
        center_day_remove(actor=None, center_id=county.pk, date=D(2025, 10, 9))


def test_a_failing_hook_does_not_stop_the_others(
    county, changes, django_capture_on_commit_callbacks, caplog
):
    def broken(change: CalendarChange) -> None:
        raise RuntimeError("subscriber bug")

    on_calendar_change(broken)
    on_calendar_change(changes.append)  # registering twice is harmless
    try:
        with django_capture_on_commit_callbacks(execute=True):
            center_day_set(
                actor=None,
                center_id=county.pk,
                date=D(2025, 10, 9),
                kind=CenterDay.Kind.CLOSED,
                reason="停电",
            )
    finally:
        remove_calendar_change_hook(broken)
    assert len(changes) == 1
    assert "subscriber bug" in caplog.text
    assert CenterDay.objects.filter(center_id=county.pk).exists()


def test_hooks_are_not_called_when_the_transaction_rolls_back(county, changes):
    # Without committing (the test transaction is rolled back) nobody is told.
    center_day_set(
        actor=None,
        center_id=county.pk,
        date=D(2025, 10, 9),
        kind=CenterDay.Kind.CLOSED,
        reason="停电",
    )
    assert changes == []


def test_deadline_at_is_closing_time_of_the_nth_working_day(county):
    ends = deadline_at(county.pk, D(2025, 9, 30), 5, county.closing_time)
    assert timezone.localtime(ends).replace(tzinfo=None) == datetime.datetime(2025, 10, 14, 17, 30)
    same_day = deadline_at(county.pk, D(2025, 10, 14), 0, datetime.time(12, 0))
    assert timezone.localtime(same_day).replace(tzinfo=None) == datetime.datetime(
        2025, 10, 14, 12, 0
    )


def test_admin_shows_calendar_rows_but_refuses_changes(client, django_user_model):
    from govhall.workdays.models import CenterDay

    superuser = django_user_model.objects.create_superuser("root", password="x-root-pw-1")
    client.force_login(superuser)
    admin_client = client
    CenterDay.objects.create(center_id=1, date="2026-12-02", kind="closed", reason="停电检修")
    listing = admin_client.get("/admin/workdays/centerday/")
    assert listing.status_code == 200
    assert "停电检修" in listing.content.decode()
    assert admin_client.get("/admin/workdays/centerday/add/").status_code == 403
