import datetime

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.org.models import Window
from govhall.staffing.models.assignment import Assignment
from govhall.staffing.services.assignments import (
    add_months,
    allowed_leaving,
    assignment_check,
    assignment_start,
    earliest_regular_change,
    trial_end,
)
from govhall.testing.factories import WindowFactory, make_staff

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def window(county, department):
    window = WindowFactory(center=county, number=1)
    window.departments.add(department)
    return window


@pytest.fixture
def window2(county, department):
    window = WindowFactory(center=county, number=2)
    window.departments.add(department)
    return window


def station(user, department, window, starts_on):
    return Assignment.objects.create(
        user=user,
        center=department.center,
        department=department,
        window=window,
        starts_on=starts_on,
        trial_ends_on=trial_end(starts_on),
    )


def staff_at(window, department, n, starts_on=None):
    starts_on = starts_on or D(2024, 1, 1)
    people = []
    for _ in range(n):
        user = make_staff(Role.CLERK, department.center, department, window_staff=True)
        station(user, department, window, starts_on)
        people.append(user)
    return people


def test_first_assignment_has_no_previous_checks_and_a_month_trial(
    director, clerk, department, window
):
    assignment = assignment_start(
        actor=director, user=clerk, department=department, window=window, starts_on=D(2026, 7, 15)
    )
    assert assignment.trial_ends_on == D(2026, 8, 15)
    assert assignment.ends_on is None and assignment.override_reason == ""
    event = Event.objects.get(action="assignment.start")
    assert event.data["overridden_rules"] == [] and event.data["previous"] is None


def test_trial_end_clamps_to_month_end():
    assert trial_end(D(2026, 1, 31)) == D(2026, 2, 28)
    assert trial_end(D(2026, 12, 10)) == D(2027, 1, 10)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)


def test_change_closes_the_current_assignment_the_day_before(
    director, clerk, department, window, window2
):
    staff_at(window, department, 3)
    old = station(clerk, department, window, D(2025, 1, 1))
    new = assignment_start(
        actor=director, user=clerk, department=department, window=window2, starts_on=D(2026, 1, 5)
    )
    old.refresh_from_db()
    assert old.ends_on == D(2026, 1, 4)
    assert new.ends_on is None and new.trial_ends_on == D(2026, 2, 5)
    assert list(Assignment.objects.filter(user=clerk, ends_on__isnull=True)) == [new]


def test_one_year_rule_fails_before_a_year_and_passes_at_a_year(clerk, department, window):
    staff_at(window, department, 3)
    station(clerk, department, window, D(2025, 1, 10))
    rules = [v.rule for v in assignment_check(user=clerk, starts_on=D(2026, 1, 9))]
    assert rules == ["one_year"]
    assert assignment_check(user=clerk, starts_on=D(2026, 1, 10)) == []


def test_january_rule(clerk, department, window):
    staff_at(window, department, 3)
    station(clerk, department, window, D(2024, 1, 1))
    assert [v.rule for v in assignment_check(user=clerk, starts_on=D(2026, 2, 1))] == ["january"]
    assert assignment_check(user=clerk, starts_on=D(2026, 1, 31)) == []


def test_half_of_window_rule(director, department, window, window2):
    # 4 staff at the window: at most 2 may leave in one month.
    assert (allowed_leaving(1), allowed_leaving(2), allowed_leaving(4), allowed_leaving(5)) == (
        1,
        1,
        2,
        2,
    )
    first, second, third, _fourth = staff_at(window, department, 4)
    for person in (first, second):
        assert assignment_check(user=person, starts_on=D(2026, 1, 1)) == []
        assignment_start(
            actor=director,
            user=person,
            department=department,
            window=window2,
            starts_on=D(2026, 1, 1),
        )
    [violation] = assignment_check(user=third, starts_on=D(2026, 1, 20))
    assert violation.rule == "half_of_window" and violation.field == "window"
    # Next year's January is a new month with a fresh count.
    assert assignment_check(user=third, starts_on=D(2027, 1, 1)) == []


def test_broken_rule_is_refused_without_a_reason_and_nothing_changes(
    director, clerk, department, window, window2
):
    staff_at(window, department, 3)
    old = station(clerk, department, window, D(2025, 6, 1))
    with pytest.raises(ValidationError) as info:
        assignment_start(
            actor=director,
            user=clerk,
            department=department,
            window=window2,
            starts_on=D(2026, 3, 1),
        )
    errors = info.value.message_dict
    assert len(errors["starts_on"]) == 2  # one year and January
    assert "override_reason" in errors
    old.refresh_from_db()
    assert old.ends_on is None
    assert Assignment.objects.filter(user=clerk).count() == 1


def test_manager_override_is_logged(director, clerk, department, window, window2):
    staff_at(window, department, 3)
    station(clerk, department, window, D(2025, 6, 1))
    new = assignment_start(
        actor=director,
        user=clerk,
        department=department,
        window=window2,
        starts_on=D(2026, 3, 1),
        override_reason="窗口急需人员",
    )
    assert new.override_reason == "窗口急需人员"
    event = Event.objects.get(action="assignment.start", object_id=str(new.pk))
    assert event.note == "窗口急需人员"
    assert event.data["overridden_rules"] == ["one_year", "january"]


def test_non_manager_cannot_change(window_head, clerk, department, window):
    with pytest.raises(ValidationError, match="managers"):
        assignment_start(
            actor=window_head,
            user=clerk,
            department=department,
            window=window,
            starts_on=D(2026, 1, 1),
        )


def test_window_must_serve_the_department(director, clerk, department, other_department, county):
    other_window = WindowFactory(center=county, number=9)
    other_window.departments.add(other_department)
    with pytest.raises(ValidationError) as info:
        assignment_start(
            actor=director,
            user=clerk,
            department=department,
            window=other_window,
            starts_on=D(2026, 1, 1),
        )
    assert "window" in info.value.message_dict


def test_new_assignment_must_start_after_the_current(director, clerk, department, window):
    station(clerk, department, window, D(2026, 1, 1))
    with pytest.raises(ValidationError) as info:
        assignment_start(
            actor=director,
            user=clerk,
            department=department,
            window=window,
            starts_on=D(2026, 1, 1),
            override_reason="x",
        )
    assert "starts_on" in info.value.message_dict


def test_half_of_window_override_is_logged(director, department, window, window2):
    first, second = staff_at(window, department, 2)
    assignment_start(
        actor=director, user=first, department=department, window=window2, starts_on=D(2026, 1, 1)
    )
    with pytest.raises(ValidationError) as info:
        assignment_start(
            actor=director,
            user=second,
            department=department,
            window=window2,
            starts_on=D(2026, 1, 2),
        )
    assert "half" in info.value.message_dict["window"][0]
    moved = assignment_start(
        actor=director,
        user=second,
        department=department,
        window=window2,
        starts_on=D(2026, 1, 2),
        override_reason="窗口合并",
    )
    event = Event.objects.get(action="assignment.start", object_id=str(moved.pk))
    assert event.data["overridden_rules"] == ["half_of_window"]
    assert event.data["override_reason"] == "窗口合并"


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    size=st.integers(min_value=1, max_value=6),
    moves=st.lists(
        st.tuples(st.integers(min_value=0, max_value=5), st.integers(min_value=1, max_value=31)),
        max_size=8,
    ),
)
def test_half_of_window_never_exceeded_without_override(director, department, window2, size, moves):
    window = WindowFactory(center=department.center, number=100 + Window.objects.count())
    window.departments.add(department)
    people = staff_at(window, department, size)
    left = 0
    for index, day in moves:
        person = people[index % size]
        if Assignment.objects.filter(user=person, window=window, ends_on__isnull=True).exists():
            try:
                assignment_start(
                    actor=director,
                    user=person,
                    department=department,
                    window=window2,
                    starts_on=D(2026, 1, day),
                )
            except ValidationError as error:
                # Refused only because the limit is reached.
                assert left == allowed_leaving(size)
                assert set(error.message_dict) == {"window", "override_reason"}
            else:
                left += 1
    assert left <= allowed_leaving(size)
    assert Assignment.objects.filter(window=window, ends_on__isnull=False).count() == left


def test_earliest_regular_change(clerk, department, window):
    assert earliest_regular_change(station(clerk, department, window, D(2025, 1, 10))) == D(
        2026, 1, 10
    )
    other = make_staff(Role.CLERK, department.center, department)
    assert earliest_regular_change(station(other, department, window, D(2025, 3, 1))) == D(
        2027, 1, 1
    )


def test_only_window_staff_at_a_window(director, reviewer, department, window):
    with pytest.raises(ValidationError) as info:
        assignment_start(
            actor=director,
            user=reviewer,
            department=department,
            window=window,
            starts_on=D(2026, 1, 5),
        )
    assert "window staff" in info.value.message_dict["user"][0]
    # Stationed for the department without a window is fine.
    assert (
        assignment_start(
            actor=director, user=reviewer, department=department, starts_on=D(2026, 1, 5)
        ).window
        is None
    )
