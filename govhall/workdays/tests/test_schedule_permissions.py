"""Issue 12 item 2: the national schedule belongs to the system; a center's managers change only
the closures and extra days of their own subtree."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.org.models.centers import CenterLevel
from govhall.testing.factories import CenterFactory, make_staff
from govhall.workdays.models import CenterDay, ScheduleYear
from govhall.workdays.queries.work_calendar import ScheduleEntry
from govhall.workdays.services.center_days import center_day_remove, center_day_set
from govhall.workdays.services.schedules import schedule_import, schedule_remove

pytestmark = pytest.mark.django_db

D = datetime.date
CLOSED = CenterDay.Kind.CLOSED
WORKDAY = D(2025, 10, 14)  # a Tuesday
DAYS = [ScheduleEntry(D(2027, 1, 1), False, "元旦")]


@pytest.fixture
def town_director(town):
    return make_staff(Role.DIRECTOR, town, username="towndirector")


@pytest.fixture
def village(town):
    return CenterFactory(code="330101001", level=CenterLevel.VILLAGE, parent=town)


@pytest.fixture
def root(county):
    return make_staff(None, county, username="root", is_superuser=True, is_staff=True)


def close(actor, center, date=WORKDAY):
    return center_day_set(actor=actor, center_id=center.pk, date=date, kind=CLOSED, reason="停电")


@pytest.mark.parametrize("who", ["town_director", "director", "clerk", "outsider"])
def test_managers_below_the_system_cannot_import_the_national_schedule(request, who):
    actor = request.getfixturevalue(who)
    with pytest.raises(ValidationError):
        schedule_import(actor=actor, year=2027, days=DAYS, source="伪造")
    assert not ScheduleYear.objects.exists()
    assert not Event.objects.filter(action="schedule.import").exists()


@pytest.mark.parametrize("who", ["town_director", "director"])
def test_managers_below_the_system_cannot_remove_the_national_schedule(request, who):
    schedule_import(actor=None, year=2027, days=DAYS, source="国办发明电")
    with pytest.raises(ValidationError):
        schedule_remove(actor=request.getfixturevalue(who), year=2027)
    assert ScheduleYear.objects.filter(year=2027).exists()


def test_system_administrators_and_the_system_manage_the_national_schedule(
    admin_user, root, director
):
    schedule_import(actor=admin_user, year=2027, days=DAYS, source="v1")
    schedule_import(actor=root, year=2027, days=DAYS, source="v2")
    schedule_remove(actor=admin_user, year=2027)
    schedule_import(actor=None, year=2027, days=DAYS, source="CLI")
    # The CLI imports as the system and records the user it names.
    schedule = schedule_import(actor=director, year=2027, days=DAYS, source="CLI", system=True)
    assert schedule.imported_by == director


def test_a_town_director_cannot_close_the_county_or_another_county(
    town_director, county, other_county
):
    for center in (county, other_county):
        with pytest.raises(ValidationError):
            close(town_director, center)
    assert not CenterDay.objects.exists()


def test_a_town_director_manages_his_town_and_the_rooms_below(town_director, town, village):
    close(town_director, town)
    close(town_director, village)
    center_day_remove(actor=town_director, center_id=village.pk, date=WORKDAY)
    assert list(CenterDay.objects.values_list("center_id", flat=True)) == [town.pk]


def test_a_county_director_manages_his_county_and_its_towns(director, county, town):
    close(director, county)
    close(director, town)
    assert CenterDay.objects.count() == 2


def test_a_director_cannot_touch_another_countys_days(director, outsider, county, other_county):
    with pytest.raises(ValidationError):
        close(director, other_county)
    close(outsider, other_county)
    with pytest.raises(ValidationError):
        center_day_remove(actor=director, center_id=other_county.pk, date=WORKDAY)
    assert CenterDay.objects.filter(center_id=other_county.pk).exists()


def test_a_town_director_cannot_remove_the_countys_closure(town_director, director, county):
    close(director, county)
    with pytest.raises(ValidationError):
        center_day_remove(actor=town_director, center_id=county.pk, date=WORKDAY)
    assert CenterDay.objects.filter(center_id=county.pk).exists()


def test_staff_who_do_not_manage_cannot_change_their_own_centers_days(clerk, guide, county):
    for actor in (clerk, guide):
        with pytest.raises(ValidationError):
            close(actor, county)
    assert not CenterDay.objects.exists()


def test_the_system_sets_any_centers_days(other_county):
    close(None, other_county)
    assert CenterDay.objects.filter(center_id=other_county.pk).exists()
