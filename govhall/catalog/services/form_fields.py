"""The online application form of an item (issue 19 item 2): its fields, and checking answers.

Entry points:

def form_field_add(*, actor, item, data: dict) -> FormField
def form_field_update(*, actor, field: FormField, data: dict) -> FormField
def form_field_remove(*, actor, field: FormField) -> None
def form_field_move(*, actor, field: FormField, up: bool) -> None
def form_field_errors(data: dict, *, item, field=None) -> tuple[dict, FieldErrors]  # no writes
def choices_of(field: FormField) -> list[str]
def check_answers(fields, answers, *, complete: bool) -> tuple[dict[str, str], FieldErrors]

`data` keys: key (a slug: lowercase letters, digits, "_" or "-", starting with a letter), label,
field_type (FieldType), required, choices (one per line; a choice field needs at least two),
help_text. Only the managers of the item's center subtree change its form (the catalog's rule,
`require_catalog_manager`); `actor` None is the system (spreadsheet import by the CLI, demo).

Answers are text as a browser sends them, checked by type: a number, a date (YYYY-MM-DD), one of
the options, a mobile number and an ID number by `govhall.core.idnumbers`. A draft is checked
with `complete=False` (wrong answers refused, blanks allowed); a submission with `complete=True`
(required fields answered). Errors are filed under "field_<key>".
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import FieldType, FormField, ServiceItem
from govhall.catalog.services.changes import check_fields, require_catalog_manager
from govhall.core import idnumbers
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors

FIELDS = frozenset({"key", "label", "field_type", "required", "choices", "help_text"})
KEY_RE = re.compile(r"^[a-z][a-z0-9_-]{0,39}$")
LABEL_MAX = FormField._meta.get_field("label").max_length or 100
HELP_MAX = FormField._meta.get_field("help_text").max_length or 200
CHOICES_MAX = 50
CHOICE_MAX_LENGTH = 100
ANSWER_MAX = {FieldType.TEXTAREA: 2000}
ANSWER_DEFAULT_MAX = 200


def choices_of(field: FormField) -> list[str]:
    return [line.strip() for line in (field.choices or "").splitlines() if line.strip()]


def form_field_errors(
    data: Mapping[str, Any], *, item: ServiceItem | None, field: FormField | None = None
) -> tuple[dict[str, Any], FieldErrors]:
    """The cleaned values of a form field and the errors (nothing written). With `item` None
    (the spreadsheet import, which replaces an item's fields) the key is not looked up."""
    errors = FieldErrors()
    key = errors.text("key", data.get("key"), max_length=40, required=_("Enter a key."))
    if key and not KEY_RE.match(key):
        errors.add(
            "key",
            _(
                "A key is lowercase letters, digits, '_' or '-', starting with a letter "
                "(at most 40)."
            ),
        )
    elif key and item is not None:
        taken = FormField.objects.filter(item=item, key=key)
        if field is not None:
            taken = taken.exclude(pk=field.pk)
        if taken.exists():
            errors.conflict("key", _("The item's form has a field with this key already."))
    label = errors.text(
        "label", data.get("label"), max_length=LABEL_MAX, required=_("Enter a label.")
    )
    field_type = errors.choice(
        "field_type", data.get("field_type") or FieldType.TEXT, FieldType.values
    )
    required = errors.flag("required", data.get("required"))
    help_text = errors.text("help_text", data.get("help_text"), max_length=HELP_MAX)
    raw_choices = errors.text("choices", data.get("choices"), max_length=CHOICES_MAX * 101)
    options = [line.strip() for line in raw_choices.splitlines() if line.strip()]
    if field_type == FieldType.CHOICE:
        if len(options) < 2:
            errors.add("choices", _("A choice field needs at least two options, one per line."))
        elif len(options) != len(set(options)):
            errors.add("choices", _("Each option is listed once."))
        elif any(len(option) > CHOICE_MAX_LENGTH for option in options):
            errors.add("choices", _("An option is at most 100 characters."))
    else:
        options = []
    values = {
        "key": key,
        "label": label,
        "field_type": field_type or FieldType.TEXT,
        "required": bool(required) if required is not None else True,
        "choices": "\n".join(options),
        "help_text": help_text,
    }
    return values, errors


def _record(actor: User | None, action: str, field: FormField, **data: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        obj=field.item,
        center_id=field.item.center_id,
        data={"form_field": field.pk, "key": field.key, "label": field.label, **data},
    )


@transaction.atomic
def form_field_add(*, actor: User | None, item: ServiceItem, data: Mapping[str, Any]) -> FormField:
    check_fields(dict(data), FIELDS)
    require_catalog_manager(actor, item.center_id)
    ServiceItem.objects.select_for_update().filter(pk=item.pk).first()
    values, errors = form_field_errors(data, item=item)
    errors.raise_if_any()
    last = item.form_fields.order_by("-position").values_list("position", flat=True).first()
    field = FormField.objects.create(item=item, position=0 if last is None else last + 1, **values)
    _record(actor, CatalogEvent.FORM_FIELD_ADD, field, type=field.field_type)
    return field


@transaction.atomic
def form_field_update(
    *, actor: User | None, field: FormField, data: Mapping[str, Any]
) -> FormField:
    check_fields(dict(data), FIELDS)
    current = FormField.objects.select_for_update().select_related("item").get(pk=field.pk)
    require_catalog_manager(actor, current.item.center_id)
    values, errors = form_field_errors(
        {name: data.get(name, getattr(current, name)) for name in FIELDS},
        item=current.item,
        field=current,
    )
    errors.raise_if_any()
    changed = {
        name: [getattr(current, name), value]
        for name, value in values.items()
        if getattr(current, name) != value
    }
    if not changed:
        return current
    for name, value in values.items():
        setattr(current, name, value)
    current.save(update_fields=list(values))
    _record(actor, CatalogEvent.FORM_FIELD_UPDATE, current, changed=changed)
    return current


@transaction.atomic
def form_field_remove(*, actor: User | None, field: FormField) -> None:
    item = field.item
    require_catalog_manager(actor, item.center_id)
    _record(actor, CatalogEvent.FORM_FIELD_REMOVE, field)
    field.delete()


@transaction.atomic
def form_field_move(*, actor: User | None, field: FormField, up: bool) -> None:
    """Move a field one place up or down in its item's form."""
    item = field.item
    require_catalog_manager(actor, item.center_id)
    fields = list(
        FormField.objects.select_for_update().filter(item=item).order_by("position", "id")
    )
    index = [f.pk for f in fields].index(field.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(fields):
        return
    fields[index], fields[other] = fields[other], fields[index]
    for position, each in enumerate(fields):
        each.position = position
    FormField.objects.bulk_update(fields, ["position"])
    _record(actor, CatalogEvent.FORM_FIELD_MOVE, field, order=[f.pk for f in fields])


# --- answers -----------------------------------------------------------------------------------


def answer_name(field: FormField) -> str:
    """The name of the field's input on a page and of its errors."""
    return f"field_{field.key}"


def _check_one(field: FormField, text: str) -> str | None:
    """The error of a non-blank answer, or None."""
    if len(text) > ANSWER_MAX.get(FieldType(field.field_type), ANSWER_DEFAULT_MAX):
        return _("The answer is too long.")
    if field.field_type == FieldType.NUMBER:
        try:
            number = Decimal(text)
        except InvalidOperation:
            return _("Enter a number.")
        if not number.is_finite():
            return _("Enter a number.")
    elif field.field_type == FieldType.DATE:
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            return _("Enter a date as YYYY-MM-DD.")
    elif field.field_type == FieldType.CHOICE:
        if text not in choices_of(field):
            return _("Choose from the list.")
    elif field.field_type == FieldType.PHONE:
        return idnumbers.phone_error(text)
    elif field.field_type == FieldType.ID_NUMBER:
        return idnumbers.id_number_error(text)
    return None


def _normalized(field: FormField, text: str) -> str:
    if field.field_type == FieldType.PHONE:
        return idnumbers.normalize(text)
    if field.field_type == FieldType.ID_NUMBER:
        return idnumbers.normalize(text)
    return text


def check_answers(
    fields: Iterable[FormField], answers: Mapping[str, object], *, complete: bool
) -> tuple[dict[str, str], FieldErrors]:
    """The cleaned answers by field key (only the form's keys) and the errors."""
    errors = FieldErrors()
    cleaned: dict[str, str] = {}
    for field in fields:
        raw = answers.get(field.key)
        if raw is not None and not isinstance(raw, (str, int, float)):
            errors.add(answer_name(field), _("Enter text."))
            continue
        text = str(raw if raw is not None else "").replace("\r\n", "\n").strip()
        if not text:
            if complete and field.required:
                errors.add(answer_name(field), _("This field is required."))
            continue
        problem = _check_one(field, text)
        if problem:
            errors.add(answer_name(field), problem)
            continue
        cleaned[field.key] = _normalized(field, text)
    return cleaned, errors
