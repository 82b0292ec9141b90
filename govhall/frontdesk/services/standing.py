"""Where the actor stands for a front-desk change: hall management of a center, work in it, and
the row locks every front-desk service takes. Service at a window now (A/B cover honoured) is
`govhall.staffing.queries.cover.serves_window`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center


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


def skip_locked_supported() -> bool:
    """PostgreSQL skips rows another window has locked; SQLite serializes writers instead."""
    return bool(connection.features.has_select_for_update_skip_locked)
