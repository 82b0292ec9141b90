"""Who may see and change which organization objects.

Every list and lookup is scoped to the user's center subtree and, for department roles, to their
own department. `access_*` helpers are the only way views fetch an object by a user-supplied
id: missing and forbidden both raise Http404, so outsiders learn nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from govhall.core.roles import (
    ALL_ROLES,
    DEPARTMENT_ROLES,
    MANAGER_ROLES,
    OVERSIGHT_ROLES,
    Role,
    is_system_admin,
    roles_of,
)
from govhall.org.models import Center, Department, Post, Staff, Window

M = TypeVar("M", bound=Model)


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


def _require_write(user: object, for_write: bool) -> None:
    if for_write and not scope_of(user).can_manage:
        raise Http404


def _get_or_404(qs: QuerySet[M], object_id: object) -> M:
    try:
        return qs.get(pk=int(str(object_id)))
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None


def access_center(user: object, center_id: object, *, for_write: bool = False) -> Center:
    _require_write(user, for_write)
    center: Center = _get_or_404(centers_in_scope(user), center_id)
    return center


def access_department(
    user: object, department_id: object, *, for_write: bool = False
) -> Department:
    _require_write(user, for_write)
    department: Department = _get_or_404(
        departments_in_scope(user).select_related("center"), department_id
    )
    return department


def access_window(user: object, window_id: object, *, for_write: bool = False) -> Window:
    _require_write(user, for_write)
    window: Window = _get_or_404(
        windows_in_scope(user).select_related("center").distinct(), window_id
    )
    return window


def access_post(user: object, post_id: object, *, for_write: bool = False) -> Post:
    _require_write(user, for_write)
    qs = Post.objects.filter(window__in=windows_in_scope(user)).select_related(
        "window", "window__center"
    )
    post: Post = _get_or_404(qs.distinct(), post_id)
    return post


def access_staff(user: object, staff_id: object, *, for_write: bool = False) -> Staff:
    """A staff record in scope; for writing also within the user's standing (else 404)."""
    _require_write(user, for_write)
    staff: Staff = _get_or_404(
        staff_in_scope(user).select_related("user", "center", "department"), staff_id
    )
    if for_write and not can_manage_person(user, staff):
        raise Http404
    return staff


# --- standing: whose accounts a user may change -------------------------------------------------
#
# The one place for the rule "nobody manages a user above their own standing". org.services
# enforce it on every write of a staff account; pages and the admin use it to offer only what
# is allowed. `actor` None is the system (the CLI, the demo loader, migrations): always allowed.


def is_superuser(user: object) -> bool:
    return bool(getattr(user, "is_superuser", False)) and bool(getattr(user, "is_active", False))


def grantable_roles(actor: object | None) -> frozenset[Role]:
    """Roles `actor` may give (or take): nobody grants a management role they do not hold.

    The system and system administrators grant every role; a hall director every role but the
    system administrator's; anyone else none.
    """
    if actor is None or is_system_admin(actor):
        return ALL_ROLES
    scope = scope_of(actor)
    if not scope.can_manage:
        return frozenset()
    return frozenset(role for role in Role if role not in MANAGER_ROLES or role in scope.roles)


def manages_center(actor: object | None, center_id: object) -> bool:
    """Is `actor` a manager of this center (a center of their own subtree)? The rule for a
    center's own records: its closures and extra days, its hours, its departments and windows.
    A parent center or another county is never "managed" from below."""
    if actor is None:
        return True
    scope = scope_of(actor)
    if not scope.can_manage:
        return False
    try:
        pk = int(str(center_id))
    except ValueError:
        return False
    return centers_in_scope(actor).filter(pk=pk).exists()


def _above_standing(actor: object, target: object, target_roles: frozenset[Role]) -> bool:
    if getattr(target, "is_superuser", False):
        return not is_superuser(actor)  # only a superuser changes a superuser
    if getattr(target, "is_staff", False) or Role.ADMIN in target_roles:
        return not is_system_admin(actor)  # administrators: only system administrators
    return not target_roles <= grantable_roles(actor)


def can_manage_person(actor: object | None, staff: Staff) -> bool:
    """May `actor` change this person's account (details, roles, password, active flag)?

    Only within the actor's center subtree, and only people whose every role the actor may
    grant; administrators and superusers only by a system administrator (superusers only by a
    superuser).
    """
    if actor is None:
        return True
    if not manages_center(actor, staff.center_id):
        return False
    return not _above_standing(actor, staff.user, roles_of(staff.user))


def manageable_staff_ids(actor: object | None, staff: Iterable[Staff]) -> set[int]:
    """The ids among `staff` (a page, with `user__groups` prefetched) `actor` may change."""
    members = list(staff)
    if actor is None:
        return {member.pk for member in members}
    scope = scope_of(actor)
    if not scope.can_manage:
        return set()
    if scope.everything:
        in_scope = {member.center_id for member in members}
    else:
        in_scope = set(
            centers_in_scope(actor)
            .filter(pk__in={member.center_id for member in members})
            .values_list("pk", flat=True)
        )
    allowed = set()
    for member in members:
        if member.center_id not in in_scope:
            continue
        names = {group.name for group in member.user.groups.all()}
        roles = frozenset(Role(name) for name in names if name in Role.values)
        if not _above_standing(actor, member.user, roles):
            allowed.add(member.pk)
    return allowed
