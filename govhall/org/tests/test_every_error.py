"""Organization services collect every error of a request before refusing it (issue 13): the
page shows all of them at once, on their fields, and nothing is written."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from govhall.core.models import Event, User
from govhall.core.validation import Conflict
from govhall.org.models import Center, Window
from govhall.org.models.centers import CenterLevel
from govhall.org.services.centers import center_create
from govhall.org.services.staff import staff_create, staff_deactivate
from govhall.org.services.windows import window_create
from govhall.testing.factories import WindowFactory

pytestmark = pytest.mark.django_db


def test_center_create_reports_our_rules_and_field_checks_together(director, county):
    before, events = Center.objects.count(), Event.objects.count()
    with pytest.raises(ValidationError) as error:
        center_create(
            actor=director,
            code=county.code,  # taken
            name="中" * 101,  # longer than the field
            level=CenterLevel.TOWN,
            parent=county,
            morning_opens=datetime.time(12, 0),
            morning_closes=datetime.time(8, 0),  # closes before it opens
        )
    assert {"code", "name", "morning_closes"} <= set(error.value.message_dict)
    assert Center.objects.count() == before
    assert Event.objects.count() == events


def test_window_create_reports_number_and_name_together(director, county):
    WindowFactory(center=county, number=5)
    with pytest.raises(ValidationError) as error:
        window_create(actor=director, center=county, number=5, name="窗" * 101)
    assert {"number", "name"} <= set(error.value.message_dict)
    assert Window.objects.filter(center=county).count() == 1


def test_staff_create_reports_every_field_at_once(director, county):
    with pytest.raises(ValidationError) as error:
        staff_create(
            actor=director,
            center=county,
            username="newperson",
            full_name="  ",
            roles=["no_such_role"],
            title="长" * 65,  # longer than the field
        )
    assert {"full_name", "roles", "title"} <= set(error.value.message_dict)
    assert not User.objects.filter(username="newperson").exists()


def test_a_taken_window_number_alone_is_a_conflict(director, county):
    WindowFactory(center=county, number=5)
    with pytest.raises(Conflict) as taken:
        window_create(actor=director, center=county, number=5, name="综合窗口")
    assert list(taken.value.message_dict) == ["number"]
    assert Window.objects.filter(center=county).count() == 1


def test_disabling_an_account_twice_is_a_conflict(director, clerk):
    staff_deactivate(actor=director, staff=clerk.staff, reason="调离")
    events = Event.objects.count()
    with pytest.raises(Conflict, match="该账号已停用"):
        staff_deactivate(actor=director, staff=clerk.staff, reason="调离")
    assert Event.objects.count() == events
