"""Issue 16 item 9: a county-wide closure or extra working day applied to the centers below in
one step; each level keeps its own entries; permission on every center; one calendar change."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.org.models.centers import CenterLevel
from govhall.testing.factories import CenterFactory, make_staff
from govhall.workdays.access import calendar as calendar_access
from govhall.workdays.models import CenterDay
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.services.center_days import (
    center_day_cascade,
    center_day_remove,
    center_day_set,
)
from govhall.workdays.services.changes import (
    CalendarChange,
    on_calendar_change,
    remove_calendar_change_hook,
)

pytestmark = pytest.mark.django_db
D = datetime.date
CLOSED_DAY = D(2025, 10, 9)  # a Thursday, a working day


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def changes():
    seen: list[CalendarChange] = []
    hook = on_calendar_change(seen.append)
    yield seen
    remove_calendar_change_hook(hook)


@pytest.fixture
def village(town):
    return CenterFactory(
        code="33010101", name="示例村便民服务站", level=CenterLevel.VILLAGE, parent=town
    )


def _cascade(actor, center, **overrides):
    data = {"date": CLOSED_DAY, "kind": "closed", "reason": "台风"} | overrides
    return center_day_cascade(actor=actor, center_id=center.pk, **data)


def test_a_county_closure_reaches_every_center_below_in_one_step(
    county, town, village, other_county, director, changes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = _cascade(director, county)
    assert result.day.center_id == county.pk
    assert result.applied == [town.pk, village.pk]
    assert result.kept == []
    for center in (county, town, village):
        assert not calendar_for(center.pk).is_workday(CLOSED_DAY)
    assert calendar_for(other_county.pk).is_workday(CLOSED_DAY)
    copies = CenterDay.objects.filter(center_id__in=[town.pk, village.pk])
    assert {(c.cascaded_from, c.kind, c.reason) for c in copies} == {(county.pk, "closed", "台风")}
    assert CenterDay.objects.get(center_id=county.pk).cascaded_from is None
    # One event per touched center, each naming the origin; one calendar change for the set.
    events = Event.objects.filter(action="center_day.set")
    assert sorted(e.center_id or 0 for e in events) == sorted([county.pk, town.pk, village.pk])
    assert all(e.data["cascaded_from"] == county.pk for e in events.exclude(center_id=county.pk))
    assert len(changes) == 1
    assert changes[0].center_ids == frozenset({county.pk, town.pk, village.pk})
    assert changes[0].since == CLOSED_DAY


def test_a_lower_levels_own_entry_for_the_day_is_kept(
    county, town, village, director, changes, django_capture_on_commit_callbacks
):
    center_day_set(actor=None, center_id=town.pk, date=CLOSED_DAY, kind="closed", reason="镇停电")
    with django_capture_on_commit_callbacks(execute=True):
        result = _cascade(director, county)
    assert result.applied == [village.pk]
    assert result.kept == [town.pk]
    own = CenterDay.objects.get(center_id=town.pk)
    assert (own.reason, own.cascaded_from) == ("镇停电", None)
    assert changes[-1].center_ids == frozenset({county.pk, village.pk})
    assert not Event.objects.filter(
        action="center_day.set", center_id=town.pk, data__cascaded_from=county.pk
    ).exists()


def test_a_second_cascade_replaces_its_own_copies_and_a_lower_level_can_take_a_day_over(
    county, town, village, director
):
    _cascade(director, county)
    result = _cascade(director, county, reason="台风红色预警")
    assert result.applied == [town.pk, village.pk]
    assert set(CenterDay.objects.values_list("reason", flat=True)) == {"台风红色预警"}
    # The town makes the day its own: from then on the county's cascades leave it alone.
    center_day_set(actor=None, center_id=town.pk, date=CLOSED_DAY, kind="closed", reason="镇自定")
    assert CenterDay.objects.get(center_id=town.pk).cascaded_from is None
    result = _cascade(director, county, reason="第三次")
    assert result.kept == [town.pk]
    assert CenterDay.objects.get(center_id=town.pk).reason == "镇自定"
    # Each level still adds its own days.
    center_day_set(
        actor=None, center_id=village.pk, date=D(2025, 10, 10), kind="closed", reason="村停电"
    )
    assert not calendar_for(village.pk).is_workday(D(2025, 10, 10))
    assert calendar_for(town.pk).is_workday(D(2025, 10, 10))


def test_an_extra_working_day_cascades_too(
    county, town, village, director, django_capture_on_commit_callbacks
):
    saturday = D(2025, 10, 18)
    assert calendar_for(village.pk).is_workday(saturday) is False
    with django_capture_on_commit_callbacks(execute=True):
        _cascade(director, county, date=saturday, kind="extra_workday", reason="集中办证日")
    assert calendar_for(village.pk).is_workday(saturday)
    assert calendar_for(town.pk).is_workday(saturday)


def test_without_the_option_nothing_below_changes(county, town, village, director):
    center_day_set(
        actor=director, center_id=county.pk, date=CLOSED_DAY, kind="closed", reason="停电"
    )
    assert CenterDay.objects.filter(center_id__in=[town.pk, village.pk]).count() == 0
    assert calendar_for(town.pk).is_workday(CLOSED_DAY)


def test_a_center_out_of_scope_refuses_all_and_names_it(
    county, town, village, director, changes, django_capture_on_commit_callbacks, monkeypatch
):
    real_rule = calendar_access._center_rule
    monkeypatch.setattr(
        calendar_access,
        "_center_rule",
        lambda actor, center_id: center_id != village.pk and real_rule(actor, center_id),
    )
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        _cascade(director, county)
    assert village.name in " ".join(error.value.messages)
    assert town.name not in " ".join(error.value.messages)
    assert CenterDay.objects.count() == 0
    assert not Event.objects.filter(action="center_day.set").exists()
    assert changes == []


def test_a_town_manager_cannot_cascade_from_the_county(county, town, village):
    town_director = make_staff(Role.DIRECTOR, town, username="town_director")
    with pytest.raises(ValidationError):
        _cascade(town_director, county)
    result = _cascade(town_director, town)  # but from their own town, to its villages
    assert result.applied == [village.pk]
    assert CenterDay.objects.filter(center_id=county.pk).count() == 0


def test_bad_input_changes_nothing_below(county, town, village, director, changes):
    with pytest.raises(ValidationError):
        _cascade(director, county, reason="")
    with pytest.raises(ValidationError):
        _cascade(director, county, date=D(2025, 10, 4), kind="closed")  # a holiday anyway
    assert CenterDay.objects.count() == 0


def test_removing_with_the_option_removes_only_the_copies(
    county, town, village, director, changes, django_capture_on_commit_callbacks
):
    _cascade(director, county)
    center_day_set(actor=None, center_id=town.pk, date=CLOSED_DAY, kind="closed", reason="镇自定")
    with django_capture_on_commit_callbacks(execute=True):
        center_day_remove(actor=director, center_id=county.pk, date=CLOSED_DAY, include_below=True)
    assert list(CenterDay.objects.values_list("center_id", "reason")) == [(town.pk, "镇自定")]
    assert calendar_for(village.pk).is_workday(CLOSED_DAY)
    assert changes[-1].center_ids == frozenset({county.pk, village.pk})
