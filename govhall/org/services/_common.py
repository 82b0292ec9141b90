"""What the organization services share: applying changes, field checks, locks and the
"who may change this center" rule (org.access.standing)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.access.standing import manages_center
from govhall.org.models import Center

M = TypeVar("M", bound=models.Model)


def reject_unknown(fields: Iterable[str], allowed: frozenset[str]) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        # A programming error, not bad user input.
        raise TypeError(f"cannot change {', '.join(unknown)}")


def _event_value(value: object) -> object:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def apply_changes(obj: models.Model, fields: dict[str, Any]) -> dict[str, list[object]]:
    """Set `fields` on `obj`; return {field: [old, new]} for the ones that really change."""
    changed: dict[str, list[object]] = {}
    for name, new in fields.items():
        old = getattr(obj, name)
        if isinstance(new, str):
            new = new.strip()
        if old != new:
            changed[name] = [_event_value(old), _event_value(new)]
            setattr(obj, name, new)
    return changed


def others(qs: models.QuerySet[M], obj: M | None) -> models.QuerySet[M]:
    """`qs` without `obj` (when it is a stored row)."""
    return qs.exclude(pk=obj.pk) if obj is not None and obj.pk is not None else qs


def name_of(user: User) -> str:
    return user.full_name or user.username


def model_errors(obj: models.Model, errors: FieldErrors, *, exclude: Sequence[str] = ()) -> None:
    """Field validation (lengths, choices, blanks) into `errors`, except on the fields our own
    rules already refused (a field is told once)."""
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        errors.merge({f: msgs for f, msgs in exc.message_dict.items() if f not in errors})


def require_center_manager(actor: User | None, center: Center) -> None:
    """The actor manages `center` (a center of their subtree); `actor` None is the system."""
    if not manages_center(actor, center.pk):
        raise ValidationError(
            _("Only the managers of %(center)s may change its organization.")
            % {"center": center.name}
        )


def lock_rows(model: type[M], ids: Iterable[int | None]) -> dict[int, M]:
    """Lock rows of one model in primary-key order (a fixed order, so no deadlocks).

    On SQLite this is a no-op; there write transactions are serialized anyway.
    """
    wanted = sorted({pk for pk in ids if pk is not None})
    if not wanted:
        return {}
    rows = model._default_manager.select_for_update().filter(pk__in=wanted).order_by("pk")
    return {row.pk: row for row in rows}
