"""Staff roles (SPEC: Users). Each role is a Django group of the same name."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GUIDE = "guide", _("Front-desk guide")
    CLERK = "clerk", _("Window clerk")
    WINDOW_HEAD = "window_head", _("Window head / chief representative")
    REVIEWER = "reviewer", _("Back-office reviewer")
    APPROVER = "approver", _("Back-office approver")
    DIRECTOR = "director", _("Hall director / management office")
    SUPERVISOR = "supervisor", _("Supervisor")
    DEPT_LEADER = "dept_leader", _("Department leader")
    SOCIAL_SUPERVISOR = "social_supervisor", _("Social supervisor")
    ADMIN = "admin", _("System administrator")


# Roles whose work is limited to their own department inside their center subtree.
DEPARTMENT_ROLES = frozenset(
    {Role.CLERK, Role.WINDOW_HEAD, Role.REVIEWER, Role.APPROVER, Role.DEPT_LEADER}
)
# Roles that manage the hall: organization, catalog, calendar.
MANAGER_ROLES = frozenset({Role.DIRECTOR, Role.ADMIN})


def roles_of(user: object) -> frozenset[Role]:
    """The roles of a user, cached on the user object for the request."""
    cached = getattr(user, "_govhall_roles", None)
    if cached is not None:
        return cached
    if not getattr(user, "is_authenticated", False):
        roles: frozenset[Role] = frozenset()
    else:
        names = set(user.groups.values_list("name", flat=True))  # type: ignore[attr-defined]
        roles = frozenset(Role(name) for name in names if name in Role.values)
    user._govhall_roles = roles  # type: ignore[attr-defined]
    return roles


def has_role(user: object, *wanted: Role) -> bool:
    return bool(roles_of(user) & set(wanted))


def is_system_admin(user: object) -> bool:
    """A system administrator: an active Django superuser or an active holder of the admin
    role. Only they change administrators and the national holiday schedule (issue 12)."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    return bool(getattr(user, "is_superuser", False)) or Role.ADMIN in roles_of(user)
