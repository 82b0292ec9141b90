"""Where the actor stands for a front-desk change: hall management of a center, service at a
window now (A/B cover honoured), and the row locks every front-desk service takes."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.core.roles import Role, roles_of
from govhall.org.access import centers_in_scope, scope_of
from govhall.org.models import Center, Window
from govhall.staffing.queries.cover import posts_served_by

WINDOW_ROLES = frozenset({Role.CLERK, Role.WINDOW_HEAD})


def manages(actor: User | None, center: Center) -> bool:
    """Hall managers (director, administrator) of `center` or a center above it."""
    if actor is None:
        return False
    if getattr(actor, "is_superuser", False):
        return True
    return scope_of(actor).can_manage and centers_in_scope(actor).filter(pk=center.pk).exists()


def require_manager(actor: User | None, center: Center) -> None:
    if not manages(actor, center):
        raise ValidationError(_("Only the hall's management may do this."))


def works_in(actor: User | None, center: Center) -> bool:
    """Any staff member whose part of the tree holds `center`."""
    if actor is None:
        return False
    return centers_in_scope(actor).filter(pk=center.pk).exists()


def serves_window(actor: User | None, window: Window, at: datetime.datetime) -> bool:
    """The actor serves `window` at `at`: as A, designated cover, B, or its head."""
    if actor is None:
        return False
    if getattr(actor, "is_superuser", False):
        return True
    if not roles_of(actor) & WINDOW_ROLES:
        return False
    if window.head_id == actor.pk:
        return True
    return window.pk in windows_served(actor, at)


def windows_served(actor: User, at: datetime.datetime) -> frozenset[int]:
    """Ids of the windows whose posts `actor` serves at `at` (A/B cover honoured). Remembered on
    the actor object for that one moment: a console page asks it for every button it draws."""
    cached = getattr(actor, "_govhall_windows_served", None)
    if cached is not None and cached[0] == at:
        return frozenset(cached[1])
    ids = frozenset(post.window_id for post in posts_served_by(actor, at))
    actor._govhall_windows_served = (at, ids)  # type: ignore[attr-defined]
    return ids


def skip_locked_supported() -> bool:
    """PostgreSQL skips rows another window has locked; SQLite serializes writers instead."""
    return bool(connection.features.has_select_for_update_skip_locked)
