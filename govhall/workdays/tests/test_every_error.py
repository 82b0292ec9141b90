"""Calendar services collect every error of a request before refusing it (issue 13)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from govhall.core.models import Event
from govhall.workdays.models import CenterDay, ScheduleYear
from govhall.workdays.queries.work_calendar import ScheduleEntry
from govhall.workdays.services.center_days import center_day_set
from govhall.workdays.services.schedules import MAX_SOURCE_LENGTH, schedule_import

pytestmark = pytest.mark.django_db


def test_schedule_import_reports_year_days_and_source_together(admin_user):
    events = Event.objects.count()
    with pytest.raises(ValidationError) as error:
        schedule_import(
            actor=admin_user,
            year=2100,  # outside the calendar
            days=[ScheduleEntry(datetime.date(2027, 1, 1), False, "元旦")],  # not in 2100
            source="x" * (MAX_SOURCE_LENGTH + 1),
        )
    assert {"year", "days", "source"} <= set(error.value.message_dict)
    assert not ScheduleYear.objects.exists()
    assert Event.objects.count() == events


def test_center_day_set_reports_kind_reason_and_date_together(director, county):
    with pytest.raises(ValidationError) as error:
        center_day_set(
            actor=director,
            center_id=county.pk,
            date=datetime.date(2100, 1, 4),
            kind="holiday",
            reason=" ",
        )
    assert {"kind", "reason", "date"} <= set(error.value.message_dict)
    assert not CenterDay.objects.exists()
