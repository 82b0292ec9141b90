"""Each case knows when it entered its current step (issue 14 item 2): set at intake and on every
status change by the engine, backfilled by the migration; the limits' arithmetic."""

from __future__ import annotations

import datetime
import importlib
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from govhall.cases.models import Case
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.intake import MaterialCheck, Outcome, case_receive
from govhall.cases.statuses import CaseStatus
from govhall.cases.steps import step_cutoff, step_of, step_over_limit
from govhall.core.events import record_event
from govhall.core.models import Event
from govhall.testing.cases import accepted_case, local, make_case
from govhall.workdays.queries.calendar import calendar_for

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
FRIDAY = datetime.datetime(2025, 9, 26, 10, tzinfo=TZ)


def test_intake_starts_the_step_and_every_status_change_restarts_it(
    case_item, clerk, reviewer, hall_window, applicant_data
):
    case = case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        outcome=Outcome.PROMISED,
        materials=[
            MaterialCheck(material_id=m.pk, received=True) for m in case_item.materials.all()
        ],
        at=FRIDAY,
    )
    assert case.status == CaseStatus.ACCEPTED and case.step_started_at == FRIDAY
    later = FRIDAY + datetime.timedelta(days=3)
    case = case_act(actor=clerk, case=case, action="review", at=later)
    assert case.status == CaseStatus.AWAITING_APPROVAL and case.step_started_at == later
    even_later = later + datetime.timedelta(hours=2)
    case = case_act(
        actor=clerk,
        case=case,
        action="suspend",
        params=action_params("suspend", {"reason": "现场核查"}),
        at=even_later,
    )
    assert case.step_started_at == even_later


def test_an_action_that_keeps_the_status_keeps_the_step(case_item, hall_window, director):
    case = accepted_case(case_item, hall_window, step_started_at=local(2025, 9, 30))
    case = case_act(
        actor=director,
        case=case,
        action="extend",
        params=action_params("extend", {"days": 2, "reason": "需专家评审"}),
        at=local(2025, 10, 9),
    )
    assert case.extension_days == 2
    assert case.step_started_at == local(2025, 9, 30)


def test_step_over_limit_counts_working_days_of_the_calendar(case_item, hall_window):
    case = make_case(
        case_item, hall_window, status=CaseStatus.RECEIVED, step_started_at=local(2025, 9, 29)
    )
    assert step_of(case) == "acceptance"
    assert not step_over_limit(case, local(2025, 9, 30, 17))
    assert step_over_limit(case, local(2025, 10, 1))  # holiday, but Tuesday went by
    calendar = calendar_for(None)
    assert step_cutoff(calendar, datetime.date(2025, 10, 9), 1) == local(2025, 9, 30, 0)
    case.status = CaseStatus.SUSPENDED
    assert step_of(case) is None and not step_over_limit(case, local(2026, 1, 5))


def test_the_migration_backfills_from_the_last_status_event(case_item, hall_window):
    quiet = make_case(case_item, hall_window, status=CaseStatus.RECEIVED)
    acted = make_case(case_item, hall_window, status=CaseStatus.ACCEPTED)
    record_event(actor=None, action="case.accept", obj=acted, center_id=acted.center_id)
    record_event(actor=None, action="case.view_personal_data", obj=acted)
    Case.objects.update(step_started_at=local(2020, 1, 1))
    migration = importlib.import_module(
        "govhall.cases.migrations.0003_case_step_started_timeout_default"
    )
    migration.backfill(apps, None)
    quiet.refresh_from_db()
    acted.refresh_from_db()
    assert quiet.step_started_at == quiet.received_at
    assert acted.step_started_at == Event.objects.get(action="case.accept").at
