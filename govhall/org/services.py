"""Changes to the organization (SPEC §3). Every change is atomic and logged."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.org.models import LEVEL_RANK, Center, CenterLevel


def _check_parent(level: str, parent: Center | None) -> None:
    if parent is None:
        return
    if LEVEL_RANK[CenterLevel(parent.level)] >= LEVEL_RANK[CenterLevel(level)]:
        raise ValidationError(
            {
                "parent": _("A %(level)s center cannot be placed under a %(parent)s center.")
                % {"level": CenterLevel(level).label, "parent": CenterLevel(parent.level).label}
            }
        )


@transaction.atomic
def center_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    level: str,
    parent: Center | None = None,
    **fields: Any,
) -> Center:
    """Create a center under `parent` and set its materialized path."""
    _check_parent(level, parent)
    center = Center(code=code, name=name, level=level, parent=parent, **fields)
    center.full_clean(exclude=["path"])
    center.save()
    center.path = f"{parent.path if parent else '/'}{center.pk}/"
    center.save(update_fields=["path"])
    record_event(actor=actor, action="center.create", obj=center, center_id=center.pk)
    return center
