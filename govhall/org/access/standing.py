"""Standing: who manages which center, and whose accounts a user may change.

The one place for the rule "nobody manages a user above their own standing". org.services
enforce it on every write of a staff account; pages and the admin use it to offer only what
is allowed. `actor` None is the system (the CLI, the demo loader, migrations): always allowed.
"""

from __future__ import annotations

from collections.abc import Iterable

from govhall.core.roles import ALL_ROLES, MANAGER_ROLES, Role, is_system_admin, roles_of
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Staff


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
