"""Fetching a leave by a user-supplied id, and the center of a team calendar.

Missing and forbidden both raise Http404. A user reads a leave whose details they may see
(`leave_details_filter`: they asked for it, they head a window where the requester holds a
post, or they manage its center subtree). To act on it (`for_write`) they must be its requester
or one who may still decide it (`decidable_filter`: a window head who has not endorsed it yet,
a manager), or one who decided or endorsed it already. Which action is allowed now is the
service's answer, so a decision the leave no longer allows (someone decided first, it was
cancelled, the actor's own second click) is a conflict, never a 404.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404

from govhall.org.access.lookups import access_center
from govhall.org.access.scope import scope_of
from govhall.org.models import Center
from govhall.staffing.models.leave import Leave
from govhall.staffing.queries.leave import decidable_filter, leave_details_filter


def access_leave(user: object, leave_id: object, *, for_write: bool = False) -> Leave:
    """A leave `user` may read, or act on with `for_write` (see the module text); 404 for
    missing and forbidden alike."""
    pk = getattr(user, "pk", None) or 0
    # One who decided or endorsed it keeps reaching it, so a second click is refused as
    # decided already (409), not a silent 404 (issue 17 item 5).
    reach = (
        Q(user_id=pk) | decidable_filter(user) | Q(head_approved_by_id=pk) | Q(decided_by_id=pk)
        if for_write
        else leave_details_filter(user)
    )
    qs = Leave.objects.filter(reach).select_related("user", "center", "decided_by")
    try:
        return qs.get(pk=int(str(leave_id)))
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None


def access_team_calendar(user: object, center_id: object | None) -> tuple[Center, int | None]:
    """The center (and department, for department roles) whose team calendar `user` sees:
    `center_id` within their scope, else their own center; 404 for people without a scope."""
    scope = scope_of(user)
    if scope.nothing:
        raise Http404
    if center_id not in (None, ""):
        center = access_center(user, center_id)
    elif scope.root is not None:
        center = scope.root
    else:
        raise Http404
    return center, scope.department_id
