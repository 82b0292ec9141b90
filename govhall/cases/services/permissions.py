"""Who may take which action on a case, now.

Entry points:
def available_actions(actor: User, case: Case) -> list[Transition]   # buttons to show
def refusal(actor: User, case: Case, action: str) -> str | None       # why not, translated

An action is allowed when (1) the transition table has a row for the case's status and the
action, (2) one of the actor's roles is named by the row *and* the actor stands where that role
acts on this case, and (3) the row's guard holds. Where a role acts:

- clerk: the case's window is among the windows the clerk serves now (A/B cover honoured,
  `govhall.staffing.queries.cover.served_window_ids`); a case with no window yet (online) —
  any window the clerk serves that serves the item;
- window head: the case's window is headed by them, or as for a clerk;
- reviewer / approver: the case's department is theirs; for `receive_result` also an approver
  whose center is the one the case was forwarded to, or above it;
- director / admin: the case's center, or the center it was forwarded to, is in their subtree;
- superuser: anywhere.
"""

from __future__ import annotations

import datetime
from functools import cached_property

from django.utils.translation import gettext as _

from govhall.cases.case_transitions import (
    Action,
    Transition,
    transition_for,
    transitions_from,
)
from govhall.cases.models import Case
from govhall.cases.services.guards import guard_refusal
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ItemWindow
from govhall.core.models import User
from govhall.core.roles import BACK_OFFICE_ROLES, MANAGER_ROLES, WINDOW_ROLES, Role, roles_of
from govhall.org.models import Center, Staff
from govhall.staffing.queries.cover import headed_window_ids, served_window_ids


class Standing:
    """Where one actor stands towards one case; each fact is read once, when first needed."""

    def __init__(self, actor: User | None, case: Case, at: datetime.datetime | None = None) -> None:
        self.actor = actor
        self.case = case
        self.at = at  # the moment of the action (cover is judged then); None: now

    @cached_property
    def roles(self) -> frozenset[Role]:
        return roles_of(self.actor) if self.actor is not None else frozenset()

    @cached_property
    def superuser(self) -> bool:
        actor = self.actor
        return actor is not None and bool(getattr(actor, "is_superuser", False)) and actor.is_active

    @cached_property
    def staff(self) -> Staff | None:
        if self.actor is None:
            return None
        return Staff.objects.select_related("center").filter(user_id=self.actor.pk).first()

    @cached_property
    def served_window_ids(self) -> frozenset[int]:
        return served_window_ids(self.actor, self.at) if self.actor is not None else frozenset()

    @cached_property
    def headed_window_ids(self) -> frozenset[int]:
        return headed_window_ids(self.actor) if self.actor is not None else frozenset()

    def _serves_item(self, window_ids: frozenset[int]) -> bool:
        if not window_ids:
            return False
        return ItemWindow.objects.filter(
            item_id=self.case.item_id, window_id__in=window_ids
        ).exists()

    @cached_property
    def as_clerk(self) -> bool:
        if self.case.window_id is None:
            return self._serves_item(self.served_window_ids)
        return self.case.window_id in self.served_window_ids

    @cached_property
    def as_window_head(self) -> bool:
        if self.case.window_id is None:
            if self._serves_item(self.headed_window_ids):
                return True
        elif self.case.window_id in self.headed_window_ids:
            return True
        return self.as_clerk

    @cached_property
    def in_department(self) -> bool:
        return self.staff is not None and self.staff.department_id == self.case.department_id

    def _center_path(self, center_id: int | None) -> str:
        if center_id is None:
            return ""
        if self.case.center_id == center_id:
            return self.case.center.path
        if self.case.escalated_to_id == center_id and self.case.escalated_to is not None:
            return self.case.escalated_to.path
        return Center.objects.filter(pk=center_id).values_list("path", flat=True).first() or ""

    def _in_subtree(self, center_id: int | None) -> bool:
        if self.staff is None or center_id is None:
            return False
        path = self._center_path(center_id)
        return bool(path) and path.startswith(self.staff.center.path)

    @cached_property
    def above_escalation(self) -> bool:
        """The case was forwarded to the actor's center or a center below it."""
        return self._in_subtree(self.case.escalated_to_id)

    @cached_property
    def in_management_scope(self) -> bool:
        return self._in_subtree(self.case.center_id) or self.above_escalation

    @cached_property
    def manages(self) -> bool:
        """Hall management (director/admin) of the case's center or the center it went to."""
        return self.superuser or (bool(self.roles & MANAGER_ROLES) and self.in_management_scope)

    def stands_as(self, role: Role, action: str) -> bool:
        if role == Role.CLERK:
            return self.as_clerk
        if role == Role.WINDOW_HEAD:
            return self.as_window_head
        if role == Role.REVIEWER:
            return self.in_department
        if role == Role.APPROVER:
            if self.in_department:
                return True
            return action == Action.RECEIVE_RESULT and self.above_escalation
        if role in MANAGER_ROLES:
            return self.in_management_scope
        return False

    def place_refusal(self, row: Transition) -> str | None:
        """None when one of the actor's roles may take the row's action here; else why not."""
        if row.system:
            return _("Only the system takes this action (timeout default).")
        if self.superuser:
            return None
        allowed = row.roles
        if row.action == Action.REQUEST_SUPPLEMENT:
            # The one-time rule (一次性告知): the window gives the first notice; a second one on
            # the same case is management's override, whatever the status.
            if self.case.supplement_notices:
                allowed = row.roles & MANAGER_ROLES
                if not self.roles & allowed:
                    return _(
                        "A one-time notice was already issued for this case; a second one "
                        "needs a manager's override with a reason."
                    )
            else:
                allowed = row.roles & WINDOW_ROLES
        mine = self.roles & allowed
        if not mine:
            return _("Your role may not “%(action)s” on a case.") % {
                "action": Action(row.action).label
            }
        for role in sorted(mine):
            if self.stands_as(role, row.action):
                return None
        if mine & WINDOW_ROLES:
            if self.case.window_id is None:
                return _("None of the windows you serve now handles this item.")
            return _("This case is at %(window)s, which you do not serve now.") % {
                "window": str(self.case.window)
            }
        if mine & BACK_OFFICE_ROLES:
            return _("This case belongs to %(department)s, not to your department.") % {
                "department": str(self.case.department)
            }
        return _("This case belongs to a center outside yours.")


def status_refusal(case: Case, action: str) -> str:
    return _("This case is now “%(status)s”: “%(action)s” is not possible; reload the page.") % {
        "status": CaseStatus(case.status).label,
        "action": Action(action).label if action in Action.values else action,
    }


def refusal_for(standing: Standing, action: str) -> str | None:
    case = standing.case
    row = transition_for(case.status, action)
    if row is None:
        return status_refusal(case, action)
    place = standing.place_refusal(row)
    if place is not None:
        return place
    return guard_refusal(row.guard, case, standing.actor)


def refusal(actor: User, case: Case, action: str) -> str | None:
    """Why `actor` may not take `action` on `case` now (translated), or None when they may."""
    return refusal_for(Standing(actor, case), action)


def available_actions(actor: User, case: Case) -> list[Transition]:
    """The rows of the transition table `actor` may take on `case` now (the buttons to show)."""
    standing = Standing(actor, case)
    return [
        row
        for row in transitions_from(case.status)
        if standing.place_refusal(row) is None and guard_refusal(row.guard, case, actor) is None
    ]


def manages(actor: User, case: Case) -> bool:
    """Whether `actor` is hall management of `case` (overrides, joint review meetings)."""
    return Standing(actor, case).manages
