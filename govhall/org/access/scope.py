"""The part of the center tree a user works in, and what of the organization they see.

Every list and lookup is scoped to the user's center subtree and, for department roles, to their
own department.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from govhall.core.roles import DEPARTMENT_ROLES, MANAGER_ROLES, OVERSIGHT_ROLES, Role, roles_of
from govhall.org.models import Center, Department, Staff, Window


@dataclass(frozen=True)
class Scope:
    """The part of the center tree a user works in."""

    root: Center | None  # None with everything=True (superuser); None otherwise means nothing
    department_id: int | None  # set for department roles: only this department's objects
    roles: frozenset[Role]
    everything: bool = False

    @property
    def can_manage(self) -> bool:
        """Hall managers change organization, catalog and calendar of their subtree."""
        return self.everything or bool(self.roles & MANAGER_ROLES)

    @property
    def nothing(self) -> bool:
        return not self.everything and self.root is None


def _pk_of(user: object) -> int:
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else 0


def scope_of(user: object) -> Scope:
    cached = getattr(user, "_govhall_scope", None)
    if cached is not None:
        return cached
    roles = roles_of(user)
    if not getattr(user, "is_authenticated", False):
        scope = Scope(root=None, department_id=None, roles=frozenset())
    elif getattr(user, "is_superuser", False):
        staff = Staff.objects.select_related("center").filter(user_id=_pk_of(user)).first()
        scope = Scope(
            root=staff.center if staff else None, department_id=None, roles=roles, everything=True
        )
    else:
        staff = Staff.objects.select_related("center").filter(user_id=_pk_of(user)).first()
        if staff is None or not roles:
            # A login without a workplace or without any role sees nothing.
            scope = Scope(root=None, department_id=None, roles=roles)
        else:
            department_bound = (
                bool(roles) and roles <= DEPARTMENT_ROLES and staff.department_id is not None
            )
            scope = Scope(
                root=staff.center,
                department_id=staff.department_id if department_bound else None,
                roles=roles,
            )
    user._govhall_scope = scope  # type: ignore[attr-defined]
    return scope


def can_use_workbench(user: object) -> bool:
    """Works in the hall: a staff member with a workplace and a role, or a superuser. The pages
    every role opens (centers, the calendar, one's own leave and attendance) ask this."""
    return not scope_of(user).nothing


def centers_in_scope(user: object) -> QuerySet[Center]:
    scope = scope_of(user)
    if scope.everything:
        return Center.objects.all()
    if scope.root is None:
        return Center.objects.none()
    return Center.objects.subtree_of(scope.root)


def departments_in_scope(user: object) -> QuerySet[Department]:
    scope = scope_of(user)
    qs = Department.objects.filter(center__in=centers_in_scope(user))
    if scope.department_id is not None:
        qs = qs.filter(pk=scope.department_id)
    return qs


def windows_in_scope(user: object) -> QuerySet[Window]:
    scope = scope_of(user)
    qs = Window.objects.filter(center__in=centers_in_scope(user))
    if scope.department_id is not None:
        qs = qs.filter(departments=scope.department_id)
    return qs


# Who may read the staff list of their scope (the hall's people are not everyone's business):
# those who oversee a part of the hall (OVERSIGHT_ROLES).


def can_read_staff(user: object) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & OVERSIGHT_ROLES)


def staff_in_scope(user: object) -> QuerySet[Staff]:
    """Staff records the user may see: none unless `can_read_staff`."""
    scope = scope_of(user)
    if not can_read_staff(user):
        return Staff.objects.none()
    qs = Staff.objects.filter(center__in=centers_in_scope(user))
    if scope.department_id is not None:
        qs = qs.filter(department_id=scope.department_id)
    return qs
