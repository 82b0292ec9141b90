"""The demo's joint meetings and emergencies (govhall/cli/demo/hallops.py) load through the
services and load once: a held meeting with three decisions (done, open, overdue), next month's
meeting planned, the plan in force, a drill and an incident."""

from __future__ import annotations

import pytest
from django.utils import timezone

from govhall.cli.demo.hallops import load_demo_hallops
from govhall.core.models import User
from govhall.hallops.models import (
    DecisionStatus,
    EmergencyEvent,
    EmergencyPlan,
    JointMeeting,
    MeetingDecision,
    MeetingStatus,
    PlanStatus,
)
from govhall.org.models import Center, Department

pytestmark = pytest.mark.django_db


def test_demo_loads_once(
    county: Center,
    department: Department,
    other_department: Department,
    director: User,
    dept_leader: User,
    guide: User,
) -> None:
    Department.objects.create(center=county, code="SW", name="县税务局")
    load_demo_hallops()
    load_demo_hallops()
    statuses = sorted(JointMeeting.objects.values_list("status", flat=True))
    assert statuses == [MeetingStatus.PLANNED, MeetingStatus.PUBLISHED]
    decisions = MeetingDecision.objects.order_by("id")
    assert [d.status for d in decisions] == [DecisionStatus.DONE, "open", "open"]
    assert decisions[0].closed_by == dept_leader
    assert decisions[2].due_on < timezone.localdate() <= decisions[1].due_on
    assert EmergencyPlan.objects.get().status == PlanStatus.PUBLISHED
    assert sorted(EmergencyEvent.objects.values_list("is_drill", flat=True)) == [False, True]
