"""Writing the event log. Every service function calls `record_event` inside its transaction."""

from __future__ import annotations

from typing import Any

from django.db import models

from govhall.core.models import Event, User


def record_event(
    *,
    actor: User | None,
    action: str,
    obj: models.Model,
    center_id: int | None = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> Event:
    actor_pk = actor.pk if actor is not None and actor.is_authenticated else None
    return Event.objects.create(
        actor_id=actor_pk,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        center_id=center_id,
        note=note,
        data=data or {},
    )
