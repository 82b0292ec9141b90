"""Fetching an absence (the where-and-until sign) or a cover record by a user-supplied id.

Missing and forbidden both raise Http404. An absence is read by the absent person and by its
deciders (the head of its window, a hall manager of its center subtree), the parties of
`govhall/staffing/absence_transitions.py`; it is decided (`for_write`) by a decider only, never
by the person. The service answers whether the decision is still possible, so an absence
already approved or ended is a conflict, never a 404. A cover record is read by anyone whose
scope holds its window.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.staffing.models import Absence, Delegation
from govhall.staffing.queries.cover import delegations_in_scope


def access_absence(user: object, absence_id: object, *, for_write: bool = False) -> Absence:
    """An absence of the user's own or one they decide (`for_write`: one they decide, not
    their own), in any status (see the module text)."""
    user_pk = getattr(user, "pk", None) or 0
    mine = Q(window__head_id=user_pk)
    if scope_of(user).can_manage:
        mine |= Q(center__in=centers_in_scope(user))
    mine = mine & ~Q(user_id=user_pk) if for_write else mine | Q(user_id=user_pk)
    try:
        return (
            Absence.objects.filter(mine)
            .select_related("user", "window", "center")
            .get(pk=int(str(absence_id)))
        )
    except (ValueError, Absence.DoesNotExist):
        raise Http404 from None


def access_delegation(
    user: object, delegation_id: object, *, for_write: bool = False
) -> Delegation:
    """A cover record of a window in the user's scope (records are printed, never changed)."""
    if for_write:
        raise Http404
    try:
        return delegations_in_scope(user).distinct().get(pk=int(str(delegation_id)))
    except (ValueError, Delegation.DoesNotExist):
        raise Http404 from None
