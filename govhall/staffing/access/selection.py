"""Who takes part in a window staff selection (issue 21 item 1), and fetching one by a
user-supplied id. Missing and unseen both raise Http404; a reader who is not the party of a
step is refused by the service (the transition table's `who`)."""

from __future__ import annotations

from django.http import Http404

from govhall.core.access import id_or_404
from govhall.core.roles import (
    SELECTION_APPROVER_ROLES,
    SELECTION_INTERVIEWER_ROLES,
    SELECTION_NOMINATOR_ROLES,
    SELECTION_READER_ROLES,
)
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Department, Staff
from govhall.staffing.models.assignment import Assignment
from govhall.staffing.models.selection import StaffSelection
from govhall.staffing.queries.selection import selections_visible
from govhall.staffing.selection_transitions import SelectionParty


def _staff_department_id(user: object) -> int | None:
    return (
        Staff.objects.filter(user_id=getattr(user, "pk", None) or 0)
        .values_list("department_id", flat=True)
        .first()
    )


def _in_subtree(user: object, center_id: int) -> bool:
    return centers_in_scope(user).filter(pk=center_id).exists()


def directs_center(user: object, center_id: int) -> bool:
    """A hall director of this center (or of a center above it): interviews, records the
    readiness steps and decides trials."""
    roles = scope_of(user).roles
    return bool(roles & SELECTION_INTERVIEWER_ROLES) and _in_subtree(user, center_id)


def nominating_department(user: object) -> Department | None:
    """The department `user` nominates for: a department leader's own, else None."""
    if not scope_of(user).roles & SELECTION_NOMINATOR_ROLES:
        return None
    staff = Staff.objects.select_related("department__center").filter(
        user_id=getattr(user, "pk", None) or 0
    )
    found = staff.first()
    return found.department if found is not None else None


def selection_parties(user: object, selection: StaffSelection) -> frozenset[str]:
    """The parties of the selection table `user` is: the leader of the nominating department,
    a hall director of its center (or above), the county leader in charge of it (or above)."""
    roles = scope_of(user).roles
    parties: set[str] = set()
    if roles & SELECTION_NOMINATOR_ROLES and _staff_department_id(user) == selection.department_id:
        parties.add(SelectionParty.DEPARTMENT.value)
    wider = roles & (SELECTION_INTERVIEWER_ROLES | SELECTION_APPROVER_ROLES)
    if wider and _in_subtree(user, selection.center_id):
        if wider & SELECTION_INTERVIEWER_ROLES:
            parties.add(SelectionParty.DIRECTOR.value)
        if wider & SELECTION_APPROVER_ROLES:
            parties.add(SelectionParty.COUNTY_LEADER.value)
    return frozenset(parties)


def can_read_selections(user: object) -> bool:
    """The menu's and the list page's question."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & SELECTION_READER_ROLES)


def access_selection(user: object, selection_id: object) -> StaffSelection:
    """A selection `user` reads; 404 for missing and unseen alike."""
    pk = id_or_404(selection_id)
    found = selections_visible(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def access_trial_assignment(user: object, assignment_id: object) -> Assignment:
    """An assignment whose trial `user` (a hall director of its center) decides; 404 else."""
    pk = id_or_404(assignment_id)
    found = Assignment.objects.select_related("user", "center", "department", "window").filter(
        pk=pk
    )
    assignment = found.first()
    if assignment is None or not directs_center(user, assignment.center_id):
        raise Http404
    return assignment
