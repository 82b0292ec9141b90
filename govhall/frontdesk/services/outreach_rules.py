"""Who stands where for service beyond the counter (issue 21 item 6): the leader of a
department, the parties of a home visit (`visit_transitions.py`) and the refusals of its table,
so the pages, the API and the services ask one question."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.roles import OUTREACH_DESK_ROLES, Role, roles_of
from govhall.core.validation import StateRefusal
from govhall.frontdesk.models import HomeVisit, VisitStatus
from govhall.frontdesk.services.standing import manages, works_in
from govhall.frontdesk.visit_transitions import VISIT_TRANSITIONS, VisitAction, VisitParty
from govhall.org.access.scope import scope_of
from govhall.org.models import Center, Staff


def leads_department(actor: User | None, department_id: int | None, center: Center) -> bool:
    """`actor` is the leader (dept_leader role) of department `department_id` of `center`."""
    if actor is None or department_id is None or Role.DEPT_LEADER not in roles_of(actor):
        return False
    return Staff.objects.filter(
        user_id=actor.pk, department_id=department_id, center_id=center.pk
    ).exists()


def assigns_for(actor: User | None, department_id: int | None, center: Center) -> bool:
    """The department's leader, or a hall manager of the center (or above it)."""
    return manages(actor, center) or leads_department(actor, department_id, center)


def desk_of(actor: User | None, center: Center, department_id: int | None) -> bool:
    """Front-desk or window staff of the center (department staff: of that department)."""
    if actor is None:
        return False
    scope = scope_of(actor)
    if not (scope.everything or scope.roles & OUTREACH_DESK_ROLES):
        return False
    if scope.department_id is not None and scope.department_id != department_id:
        return False
    return works_in(actor, center)


def visit_parties(actor: User | None, visit: HomeVisit) -> frozenset[str]:
    parties: set[str] = set()
    if actor is None:
        return frozenset()
    center = visit.center
    if desk_of(actor, center, visit.department_id):
        parties.add(VisitParty.DESK.value)
    if assigns_for(actor, visit.department_id, center):
        parties.add(VisitParty.ASSIGNER.value)
    if visit.pk and visit.assigned.filter(pk=actor.pk).exists():
        parties.add(VisitParty.ASSIGNED.value)
    return frozenset(parties)


def visit_refusal(actor: User | None, visit: HomeVisit, action: str) -> str | None:
    """Why `actor` may not take `action` on `visit` now (the table and its parties), or None."""
    parties = visit_parties(actor, visit)
    if not parties & VISIT_TRANSITIONS.who_may(action):
        if action == VisitAction.SCHEDULE:
            return _("Only the department's leader or the hall's director names who goes.")
        if action == VisitAction.RECORD_RESULT:
            return _("Only the staff named to go, or who named them, record the result.")
        return _("You do not work at the front desk of this center.")
    row = VISIT_TRANSITIONS.row(visit.status, action)
    if row is None:
        return StateRefusal(
            _("This visit is %(status)s; this cannot be done now.")
            % {"status": VisitStatus(visit.status).label}
        )
    if not parties & row.who:
        return _("You may not do this to this visit.")
    return None


def visit_actions(
    actor: User | None, visit: HomeVisit, at: datetime.datetime | None = None
) -> list[Transition]:
    """The rows `actor` may take on `visit` now: the buttons and the API's `actions`."""
    del at  # no guard depends on the time
    return [
        row
        for row in VISIT_TRANSITIONS.rows_from(visit.status)
        if visit_refusal(actor, visit, row.action) is None
    ]
