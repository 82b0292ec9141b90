"""Who sees and changes score sheets.

- Read: one's own sheets always; the sheets of one's scope for those who oversee a part of the
  hall (`can_read_staff`: management, supervisors, window heads, department leaders; department
  roles only their department).
- Write (entries, review, publish, weights): a hall manager of the sheet's center subtree
  (`manages_center`), never on their own sheet (`sheet_transitions`).

`access_sheet` raises Http404 for a missing sheet and for one the user may not read (or, with
`for_write`, change): another center's sheet is as missing as one that does not exist.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from govhall.assessment.models import ScoreSheet
from govhall.assessment.sheet_transitions import SHEET_TRANSITIONS, SheetParty
from govhall.core.validation import StateRefusal
from govhall.org.access.scope import (
    can_read_staff,
    can_use_workbench,
    centers_in_scope,
    scope_of,
)
from govhall.org.access.standing import manages_center


def can_read_assessment(user: object) -> bool:
    """The month's sheets of a scope, tiers, windows and departments."""
    return can_read_staff(user)


def can_see_own_sheets(user: object) -> bool:
    return can_use_workbench(user)


def can_manage_assessment(user: object) -> bool:
    """Manual entries, review, publication and the evaluation weights (of some center)."""
    return scope_of(user).can_manage


def sheets_in_scope(user: object) -> QuerySet[ScoreSheet]:
    """The sheets `user` may read: in scope when they oversee, plus their own."""
    own = Q(person_id=getattr(user, "pk", None) or 0)
    if not can_read_assessment(user):
        return ScoreSheet.objects.filter(own)
    scope = scope_of(user)
    if scope.everything:
        return ScoreSheet.objects.all()
    in_scope = Q(center__in=centers_in_scope(user))
    if scope.department_id is not None:
        in_scope &= Q(department_id=scope.department_id)
    return ScoreSheet.objects.filter(own | in_scope)


def is_own(user: object, sheet: ScoreSheet) -> bool:
    return sheet.person_id == getattr(user, "pk", None)


def parties_of(user: object, sheet: ScoreSheet) -> frozenset[str]:
    if manages_center(user, sheet.center_id):
        return frozenset({SheetParty.MANAGER.value})
    return frozenset()


def sheet_refusal(user: object, sheet: ScoreSheet, action: str) -> str:
    """Why `user` may not take `action` on `sheet` now ("" when allowed)."""
    row = SHEET_TRANSITIONS.row(sheet.status, action)
    if row is None:
        if action in SHEET_TRANSITIONS.actions():
            return StateRefusal(_("The sheet is no longer in a state for this."))
        return _("Unknown action.")
    if not (row.who & parties_of(user, sheet)):
        return _("Only a hall manager of the center may do this.")
    if row.guard == "not_own" and is_own(user, sheet):
        return _("Nobody changes their own score sheet.")
    return ""


def allowed_actions(user: object, sheet: ScoreSheet) -> list[str]:
    return [
        row.action
        for row in SHEET_TRANSITIONS.rows_from(sheet.status)
        if not sheet_refusal(user, sheet, row.action)
    ]


def can_change_sheet(user: object, sheet: ScoreSheet) -> bool:
    return manages_center(user, sheet.center_id) and not is_own(user, sheet)


def access_sheet(user: object, sheet_id: object, *, for_write: bool = False) -> ScoreSheet:
    try:
        pk = int(str(sheet_id))
    except ValueError:
        raise Http404 from None
    sheet = (
        sheets_in_scope(user)
        .select_related("person", "center", "department", "window")
        .filter(pk=pk)
        .first()
    )
    if sheet is None:
        raise Http404
    if for_write and not can_change_sheet(user, sheet):
        raise Http404
    return sheet
