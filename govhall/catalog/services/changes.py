"""What every catalog change shares: who may make it, which fields it takes, and how it records
what changed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.access.standing import manages_center


def require_catalog_manager(actor: User | None, center_id: int) -> None:
    """Only the managers of the item's center (its subtree's managers) change its catalog;
    `actor` None is the system (imports from the CLI, the demo loader)."""
    if not manages_center(actor, center_id):
        raise ValidationError(_("Only the managers of this center may change its catalog."))


def check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    """A programming error, not bad input: a service was called with a field it does not take."""
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


def jsonable(value: object) -> object:
    """A value as the event log stores it in "changed": [before, after]."""
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def max_length_of(model: type[models.Model], name: str) -> int:
    """The model field's max_length: the text rules read it from the model, never a copy."""
    length = getattr(model._meta.get_field(name), "max_length", None)
    assert isinstance(length, int), f"{model.__name__}.{name} has no max_length"
    return length


def whole_number_between(
    errors: FieldErrors, field: str, value: object, *, minimum: int, maximum: int, message: str
) -> int | None:
    """`value` when it is an int from `minimum` to `maximum`, else None with `message`.

    Stricter than `FieldErrors.whole_number`: the services take numbers, not their text (the
    forms and the spreadsheet reading parse text first), so "5" is refused here.
    """
    if isinstance(value, int) and not isinstance(value, bool) and minimum <= value <= maximum:
        return value
    errors.add(field, message)
    return None
