"""Checking input in services: collect every error first, then refuse once or apply.

Every service that takes free input builds one `FieldErrors`, reads each value through it (text,
whole numbers, dates, choices, yes/no), and calls `raise_if_any()` before it writes anything. The
refusal is a `ValidationError` keyed by field, which the faces show next to the field and the API
answers as 422 with the same keys. Messages are generic on purpose (the field label is beside them).

A value that is fine but stands in the way of what exists (a code used already, a duplicate) is
filed with `conflict(...)`: when nothing else is wrong the refusal is a `Conflict` (409 in the
API); refused input always wins (422 with every message). A lifecycle's "why not" that is about
the object's state (already done, not in a state for it) is a `StateRefusal` message, which
`refusal_error` raises as a `Conflict`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

#: What a whole-form error is filed under (Django's NON_FIELD_ERRORS).
WHOLE_FORM = "__all__"


class Conflict(ValidationError):
    """The input was fine but the object is not where the actor saw it: it changed since the
    page was drawn (a stale version or status, someone acted first), the thing exists already,
    or it is already done. Nothing changed. Pages show it as a warning to reload; the API
    answers 409 (api/schemas.py, the error policy). Apps subclass it (`CaseConflict`...)."""


class StateRefusal(str):
    """A refusal message (a plain string wherever one is expected) saying that the object's state
    stands in the way, not the actor or the input: already done, or no longer in a state for the
    action. `refusal_error` raises it as a `Conflict`."""


def refusal_error(
    message: str, *, field: str | None = None, conflict: type[Conflict] = Conflict
) -> ValidationError:
    """The error a service raises for a refusal message (under `field` when given): `conflict`
    for a `StateRefusal`, else a plain ValidationError."""
    error_class = conflict if isinstance(message, StateRefusal) else ValidationError
    text = str(message)
    return error_class({field: [text]}) if field else error_class(text)


def clean_text(value: object) -> object:
    """Text as stored: no surrounding blanks, newlines as "\\n" (browsers send "\\r\\n").

    Anything that is not a string is returned unchanged for the rules to refuse.
    """
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def too_long_message(max_length: int) -> str:
    return _("This is too long (at most %(max)d characters).") % {"max": max_length}


class FieldErrors:
    """Errors by field, in the order found. Falsy while empty."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}
        self._conflicts = 0

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(str(message))

    def conflict(self, field: str, message: str) -> None:
        """An error that is a conflict, not refused input (the value exists already): when every
        error is one, `raise_if_any` raises a `Conflict`."""
        self.add(field, message)
        self._conflicts += 1

    def _count(self) -> int:
        return sum(len(messages) for messages in self.by_field.values())

    def merge(self, other: FieldErrors | Mapping[str, Iterable[str]] | ValidationError) -> None:
        """Take in the errors of another check (a dict, another collector or a refusal); its
        conflicts stay conflicts."""
        if isinstance(other, FieldErrors):
            self._conflicts += other._conflicts
            items: Iterable[tuple[str, Iterable[Any]]] = other.by_field.items()
        elif isinstance(other, ValidationError):
            if isinstance(other, Conflict):
                self._conflicts += len(other.messages)
            items = (
                other.message_dict.items()
                if hasattr(other, "error_dict")
                else [(WHOLE_FORM, other.messages)]
            )
        else:
            items = other.items()
        for field, messages in items:
            for message in messages:
                self.add(field, str(message))

    def raise_if_any(self) -> None:
        """Refuse with every error: a `Conflict` when all of them are conflicts, else a
        ValidationError (refused input wins)."""
        if self.by_field:
            if self._conflicts and self._conflicts == self._count():
                raise Conflict(self.by_field)
            raise ValidationError(self.by_field)

    # --- reading values ------------------------------------------------------------------------

    def text(
        self,
        field: str,
        value: object,
        *,
        max_length: int,
        required: str = "",
        too_long: str = "",
    ) -> str:
        """Stripped text; `required` is the message when it is blank (empty: optional)."""
        if value is not None and not isinstance(value, str):
            self.add(field, _("Enter text."))
            return ""
        text = str(clean_text(value or ""))
        if not text:
            if required:
                self.add(field, required)
        elif len(text) > max_length:
            self.add(field, too_long or too_long_message(max_length))
        return text

    def whole_number(
        self,
        field: str,
        value: object,
        *,
        required: str = "",
        minimum: int | None = None,
        maximum: int | None = None,
    ) -> int | None:
        """An int from an int or its decimal text, within [minimum, maximum] when given."""
        if value is None or value == "":
            if required:
                self.add(field, required)
            return None
        if isinstance(value, bool):
            self.add(field, _("Enter a whole number."))
            return None
        try:
            number = int(value) if isinstance(value, int) else int(str(value).strip())
        except ValueError:
            self.add(field, _("Enter a whole number."))
            return None
        if minimum is not None and number < minimum:
            self.add(field, _("Enter a number of at least %(minimum)d.") % {"minimum": minimum})
            return None
        if maximum is not None and number > maximum:
            self.add(field, _("Enter a number of at most %(maximum)d.") % {"maximum": maximum})
            return None
        return number

    def day(self, field: str, value: object, *, required: str = "") -> datetime.date | None:
        """A date from a date, an aware datetime (its local day) or YYYY-MM-DD text."""
        if value is None or value == "":
            if required:
                self.add(field, required)
            return None
        if isinstance(value, datetime.datetime):
            return timezone.localdate(value) if timezone.is_aware(value) else value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            self.add(field, _("Enter a date as YYYY-MM-DD."))
            return None

    def choice(
        self, field: str, value: object, choices: Iterable[object], *, message: str = ""
    ) -> Any:
        """`value` when it is one of `choices`, else None with an error."""
        allowed = list(choices)
        if value in allowed:
            return value
        self.add(field, message or _("Choose from the list."))
        return None

    def flag(self, field: str, value: object) -> bool | None:
        """Yes or no from a bool or the usual form spellings; None when absent."""
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        self.add(field, _("Answer yes or no."))
        return None
