"""Who sees the live supervision board, over which part of the hall, and who issues and reads
criticism notices (通报批评 / 效能告诫).

The board covers the user's center subtree (a county center supervises its towns and villages):
whole for hall directors, supervisors and system administrators; a department leader sees their
own department; a window head the windows they head.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from govhall.core.roles import OVERSIGHT_ROLES, RECORD_READER_ROLES, Role
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.access.standing import manages_center
from govhall.org.models import Center, Staff, Window
from govhall.supervision.models import CriticismNotice


def _holds(user: object, roles: frozenset[Role]) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & roles)


def can_view_board(user: object) -> bool:
    """Directors, supervisors, department leaders and window heads (OVERSIGHT_ROLES)."""
    return _holds(user, OVERSIGHT_ROLES)


@dataclass(frozen=True)
class BoardScope:
    """The part of the hall a user's board covers: their center subtree, narrowed to one
    department (department leaders) or to a set of windows (window heads)."""

    centers: QuerySet[Center]
    department_id: int | None = None
    window_ids: tuple[int, ...] | None = None

    def filter(self, prefix: str = "") -> Q:
        """The condition on rows (cases or alerts) with center, department and window fields."""
        condition = Q(**{f"{prefix}center__in": self.centers})
        if self.department_id is not None:
            condition &= Q(**{f"{prefix}department_id": self.department_id})
        if self.window_ids is not None:
            condition &= Q(**{f"{prefix}window_id__in": list(self.window_ids)})
        return condition


def board_scope(user: object) -> BoardScope | None:
    """None for those who may not see the board."""
    if not can_view_board(user):
        return None
    scope = scope_of(user)
    centers = centers_in_scope(user)
    if scope.everything or scope.roles & RECORD_READER_ROLES:
        return BoardScope(centers=centers)
    pk: int = getattr(user, "pk", None) or 0
    if Role.DEPT_LEADER in scope.roles:
        department_id = scope.department_id
        if department_id is None:
            # Also holding a role outside the departments (e.g. the guide's): still only their
            # own department's board; a leader without a department sees an empty board.
            department_id = (
                Staff.objects.filter(user_id=pk).values_list("department_id", flat=True).first()
            )
        if department_id is None:
            return BoardScope(centers=centers, window_ids=())
        return BoardScope(centers=centers, department_id=department_id)
    # A window head: the windows they head (none: an empty board).
    windows = Window.objects.filter(head_id=pk, center__in=centers).values_list("pk", flat=True)
    return BoardScope(centers=centers, window_ids=tuple(windows))


# --- criticism notices ---------------------------------------------------------------------------


def can_issue_criticism_notices(user: object) -> bool:
    """Hall directors (and system administrators) issue notices, each on alerts of a center they
    manage (`manages_center`, checked again by the service)."""
    return scope_of(user).can_manage


def can_read_criticism_notices(user: object) -> bool:
    """Management and supervisors read the notices of their subtree."""
    return _holds(user, RECORD_READER_ROLES)


def criticism_notices_in_scope(user: object) -> QuerySet[CriticismNotice]:
    if not can_read_criticism_notices(user):
        return CriticismNotice.objects.none()
    return CriticismNotice.objects.filter(center__in=centers_in_scope(user))


def access_criticism_notice(user: object, notice_id: object) -> CriticismNotice:
    """A notice the user may read: one of their subtree (readers), or one issued on them."""
    try:
        pk = int(str(notice_id))
    except ValueError:
        raise Http404 from None
    person = getattr(user, "pk", None)
    notice = (
        CriticismNotice.objects.filter(
            Q(pk__in=criticism_notices_in_scope(user).values("pk")) | Q(person_id=person),
            pk=pk,
        )
        .select_related("center", "person", "window", "issued_by")
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if notice is None:
        raise Http404
    return notice


def may_issue_on_center(user: object, center_id: int) -> bool:
    return can_issue_criticism_notices(user) and manages_center(user, center_id)
