import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govhall.core.models import Event
from govhall.org.models import Center
from govhall.org.models.centers import CenterLevel
from govhall.org.services.centers import center_create, center_update
from govhall.testing.factories import CenterFactory

pytestmark = pytest.mark.django_db


def _events(action: str) -> int:
    return Event.objects.filter(action=action).count()


def test_create_sets_materialized_path_and_logs(director, county):
    town = center_create(
        actor=director, code="T1", name="甲镇便民服务中心", level=CenterLevel.TOWN, parent=county
    )
    assert county.path == f"/{county.pk}/"
    assert town.path == f"/{county.pk}/{town.pk}/"
    event = Event.objects.for_object(town).get()
    assert (event.action, event.actor, event.center_id) == ("center.create", director, town.pk)


def test_create_refuses_a_center_above_its_parent(director, town):
    before = Center.objects.count()
    with pytest.raises(ValidationError) as error:
        center_create(actor=director, code="X", name="X", level=CenterLevel.COUNTY, parent=town)
    assert "parent" in error.value.message_dict
    assert Center.objects.count() == before


def test_create_refuses_a_used_code(director, county):
    with pytest.raises(ValidationError) as error:
        center_create(actor=None, code=county.code, name="重复", level=CenterLevel.COUNTY)
    assert county.code in error.value.message_dict["code"][0]


def test_update_changes_fields_and_records_what_changed(director, county):
    center_update(
        actor=director,
        center=county,
        name="新名称",
        phone="0571-1234",
        morning_opens=datetime.time(9, 0),
    )
    county.refresh_from_db()
    assert (county.name, county.phone, county.morning_opens) == (
        "新名称",
        "0571-1234",
        datetime.time(9, 0),
    )
    event = Event.objects.filter(action="center.update").get()
    assert event.actor == director
    assert event.center_id == county.pk
    assert event.data["changed"]["morning_opens"] == ["08:30", "09:00"]
    assert event.data["changed"]["name"][1] == "新名称"


def test_update_without_changes_writes_nothing(director, county):
    center_update(actor=director, center=county, name=county.name)
    assert _events("center.update") == 0


@pytest.mark.parametrize(
    ("fields", "field_in_error"),
    [
        ({"morning_closes": datetime.time(8, 30)}, "morning_closes"),
        ({"morning_closes": datetime.time(15, 0)}, "afternoon_opens"),
        ({"afternoon_closes": datetime.time(14, 0)}, "afternoon_closes"),
        ({"early_arrival_minutes": 61}, "early_arrival_minutes"),
    ],
)
def test_update_refuses_bad_hours_and_changes_nothing(director, county, fields, field_in_error):
    with pytest.raises(ValidationError) as error:
        center_update(actor=director, center=county, name="不应保存", **fields)
    assert field_in_error in error.value.message_dict
    stored = Center.objects.get(pk=county.pk)
    assert stored.name == "示例县政务服务中心"
    assert (stored.morning_opens, stored.afternoon_closes) == (
        datetime.time(8, 30),
        datetime.time(17, 30),
    )
    assert stored.early_arrival_minutes == 10
    assert _events("center.update") == 0


times = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(a=times, b=times, c=times, d=times, minutes=st.integers(min_value=0, max_value=90))
def test_hours_are_accepted_exactly_when_ordered(county, a, b, c, d, minutes):
    before = Center.objects.get(pk=county.pk)
    acceptable = a < b <= c < d and minutes <= 60
    try:
        center_update(
            actor=None,
            center=Center.objects.get(pk=county.pk),
            morning_opens=a,
            morning_closes=b,
            afternoon_opens=c,
            afternoon_closes=d,
            early_arrival_minutes=minutes,
        )
    except ValidationError:
        assert not acceptable
        after = Center.objects.get(pk=county.pk)
        assert (after.morning_opens, after.morning_closes, after.afternoon_opens) == (
            before.morning_opens,
            before.morning_closes,
            before.afternoon_opens,
        )
    else:
        assert acceptable
        after = Center.objects.get(pk=county.pk)
        assert (after.morning_opens, after.afternoon_closes, after.early_arrival_minutes) == (
            a,
            d,
            minutes,
        )


def test_moving_a_center_moves_its_whole_subtree_in_one_update(director, county, town):
    villages = [
        CenterFactory(code=f"V{i}", level=CenterLevel.VILLAGE, parent=town) for i in range(12)
    ]
    other = CenterFactory(code="OTHER", level=CenterLevel.COUNTY)
    with CaptureQueriesContext(connection) as queries:
        center_update(actor=None, center=town, parent=other)  # the system: another county
    path_updates = [
        q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "org_center"')
    ]
    # One UPDATE for the town's own fields, one for the paths of the whole subtree.
    assert len(path_updates) == 2
    town.refresh_from_db()
    assert town.parent == other
    assert town.path == f"{other.path}{town.pk}/"
    for village in villages:
        village.refresh_from_db()
        assert village.path == f"{other.path}{town.pk}/{village.pk}/"
    assert set(Center.objects.subtree_of(other)) == {other, town, *villages}
    assert set(Center.objects.subtree_of(county)) == {county}
    assert town.path == f"{other.path}{town.pk}/"  # the caller's object is up to date


def test_a_center_cannot_move_under_its_own_descendant(director, county, town):
    village = CenterFactory(code="V1", level=CenterLevel.VILLAGE, parent=town)
    for new_parent in (town, village):
        with pytest.raises(ValidationError) as error:
            center_update(actor=None, center=county, parent=new_parent)
        assert "parent" in error.value.message_dict
    with pytest.raises(ValidationError):
        center_update(actor=director, center=county, parent=county)
    county.refresh_from_db()
    assert county.parent is None
    assert county.path == f"/{county.pk}/"
    assert _events("center.update") == 0


def test_level_change_is_checked_against_parent_and_children(director, county, town):
    with pytest.raises(ValidationError) as error:
        center_update(actor=director, center=county, level=CenterLevel.TOWN)
    assert "level" in error.value.message_dict  # its towns would be as high as itself
    with pytest.raises(ValidationError) as error:
        center_update(actor=director, center=town, level=CenterLevel.CITY)
    assert "parent" in error.value.message_dict  # a city cannot sit under a county
    center_update(actor=director, center=town, level=CenterLevel.VILLAGE)
    town.refresh_from_db()
    assert town.level == CenterLevel.VILLAGE


def test_moving_to_the_top_gives_a_root_path(director, county, town):
    center_update(actor=None, center=town, parent=None)  # the top of the tree: the system
    town.refresh_from_db()
    assert town.path == f"/{town.pk}/"
