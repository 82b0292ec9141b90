"""Who sees the day's attendance board of their center: the question the pages and the menu
ask; fetching an attendance day and an attendance explanation by a user-supplied id.

Missing and forbidden both raise Http404. A day is reached only by its own person (to explain a
lapse of it). An explanation is read by its person and by the managers of its center subtree;
acting on it (`for_write`) is for those managers (the hall director), whose action the
service then checks against the explanation's table (a decided one is a conflict, not a 404).
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404

from govhall.core.roles import ATTENDANCE_BOARD_ROLES
from govhall.org.access.scope import scope_of
from govhall.staffing.models import Attendance, AttendanceExplanation
from govhall.staffing.queries.attendance import explanations_managed_filter


def can_see_attendance_board(user: object) -> bool:
    """Who see the day's board of their center (who signed in, late, missing)."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & ATTENDANCE_BOARD_ROLES)


def can_decide_attendance_explanations(user: object) -> bool:
    """The hall director (a manager of a center subtree) decides explanations of lapses."""
    return bool(scope_of(user).can_manage)


def access_attendance(user: object, attendance_id: object) -> Attendance:
    """One's own attendance day; 404 for missing and anyone else's alike."""
    try:
        return Attendance.objects.get(
            pk=int(str(attendance_id)), user_id=getattr(user, "pk", None) or 0
        )
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None


def access_attendance_explanation(
    user: object, explanation_id: object, *, for_write: bool = False
) -> AttendanceExplanation:
    """An explanation `user` may read, or decide with `for_write` (see the module text)."""
    reach = explanations_managed_filter(user)
    if not for_write:
        reach |= Q(attendance__user_id=getattr(user, "pk", None) or 0)
    qs = AttendanceExplanation.objects.filter(reach).select_related(
        "attendance", "attendance__user", "decided_by"
    )
    try:
        return qs.get(pk=int(str(explanation_id)))
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None
