"""Reads of joint meetings, open decisions and the emergency plan (issue 21 item 4)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet

from govhall.hallops.models import (
    PLAN_KINDS,
    DecisionStatus,
    EmergencyPlan,
    EmergencyPlanSection,
    JointMeeting,
    MeetingAttendance,
    MeetingDecision,
    PlanStatus,
)
from govhall.org.models import Department


@dataclass
class AttendanceLine:
    """One stationed department's line on a meeting: its record, if any."""

    department: Department
    record: MeetingAttendance | None


def attendance_lines(meeting: JointMeeting) -> list[AttendanceLine]:
    """Every active department of the meeting's center, with what was recorded for it (and the
    departments recorded then that are no longer active)."""
    records = {
        row.department_id: row
        for row in MeetingAttendance.objects.filter(meeting=meeting).select_related("department")
    }
    departments = list(
        Department.objects.filter(center_id=meeting.center_id, is_active=True).order_by("code")
    )
    known = {d.pk for d in departments}
    departments += [row.department for pk, row in records.items() if pk not in known]
    return [AttendanceLine(department=d, record=records.get(d.pk)) for d in departments]


def is_overdue(decision: MeetingDecision, today: datetime.date) -> bool:
    return decision.status == DecisionStatus.OPEN and decision.due_on < today


@dataclass
class DepartmentDecisions:
    department: Department
    decisions: list[MeetingDecision] = field(default_factory=list)
    overdue: int = 0


def open_decisions_board(
    decisions: QuerySet[MeetingDecision], today: datetime.date
) -> list[DepartmentDecisions]:
    """The open decisions by owner department: the departments with overdue ones first (most
    overdue first), each department's decisions by due date."""
    rows = (
        decisions.filter(status=DecisionStatus.OPEN)
        .select_related("department", "meeting", "meeting__center")
        .order_by("due_on", "id")
    )
    groups: dict[int, DepartmentDecisions] = {}
    for decision in rows:
        group = groups.setdefault(
            decision.department_id, DepartmentDecisions(department=decision.department)
        )
        group.decisions.append(decision)
        if decision.due_on < today:
            group.overdue += 1
    return sorted(
        groups.values(),
        key=lambda g: (-g.overdue, g.decisions[0].due_on, g.department.code),
    )


@dataclass
class CenterPlan:
    """The plan in force and the draft being written for one center, sections in kind order."""

    current: EmergencyPlan | None
    current_sections: list[EmergencyPlanSection]
    draft: EmergencyPlan | None
    draft_sections: list[EmergencyPlanSection]


def _sections(plan: EmergencyPlan | None) -> list[EmergencyPlanSection]:
    if plan is None:
        return []
    by_kind = {s.kind: s for s in plan.sections.prefetch_related("duty_people")}
    return [by_kind[kind] for kind in PLAN_KINDS if kind in by_kind]


def center_plan(plans: QuerySet[EmergencyPlan], center_id: int) -> CenterPlan:
    current = plans.filter(center_id=center_id, status=PlanStatus.PUBLISHED).first()
    draft = plans.filter(center_id=center_id, status=PlanStatus.DRAFT).first()
    return CenterPlan(
        current=current,
        current_sections=_sections(current),
        draft=draft,
        draft_sections=_sections(draft),
    )


@dataclass(frozen=True)
class DutyLine:
    kind_label: str
    people: str
    phone: str


def duty_lines(center_id: int) -> list[DutyLine]:
    """The duty people and phones of the plan in force in a center (for the hall-now panel)."""
    plan = EmergencyPlan.objects.filter(center_id=center_id, status=PlanStatus.PUBLISHED).first()
    return [
        DutyLine(
            kind_label=str(section.get_kind_display()),
            people="、".join(person.display_name for person in section.duty_people.all()),
            phone=section.phone,
        )
        for section in _sections(plan)
    ]
