"""Who reads the statistics, and over which part of the hall.

Those who oversee a part of the hall (OVERSIGHT_ROLES: directors, admins, supervisors, window
heads, department leaders) read the figures of their center subtree; department roles only
their own department's. A town director sees the town and its villages, never the county.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from govhall.core.models import User
from govhall.core.roles import OVERSIGHT_ROLES
from govhall.org.access.scope import centers_in_scope, scope_of, staff_in_scope
from govhall.org.models import Center


@dataclass(frozen=True)
class StatsScope:
    centers: QuerySet[Center]  # the centers whose figures the user reads (a subquery)
    department_id: int | None  # department roles: only this department
    everything: bool = False


def can_view_stats(user: object) -> bool:
    scope = scope_of(user)
    return scope.everything or (scope.root is not None and bool(scope.roles & OVERSIGHT_ROLES))


def stats_scope(user: object) -> StatsScope:
    """The part of the hall `user` reads figures of (nothing when `can_view_stats` is False)."""
    scope = scope_of(user)
    if not can_view_stats(user):
        return StatsScope(centers=Center.objects.none(), department_id=None)
    return StatsScope(
        centers=centers_in_scope(user),
        department_id=scope.department_id,
        everything=scope.everything,
    )


def stats_staff(user: object) -> QuerySet[User]:
    """The staff members `user` may pick on the figures (dimension rows and the staff filter):
    those working in the centers (and, for department roles, the department) of their stats
    scope; nobody when `can_view_stats` is False."""
    if not can_view_stats(user):
        return User.objects.none()
    return User.objects.filter(pk__in=staff_in_scope(user).values("user_id"))
