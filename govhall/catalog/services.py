"""Changes to the service catalog (SPEC §5). Every change is atomic, validated and logged.

Rules (field-keyed `ValidationError`, nothing changes when one fails):

- the implementation code is required, unique, and made of letters, digits, ``-``, ``_``, ``.``
  (it appears in URLs and spreadsheets);
- name and type are required; the lead department is stationed in the item's center; joint
  departments are stationed there too and are not the lead department;
- time limits are whole working days from 0 to `MAX_DAYS`; the promised limit never exceeds the
  legal limit (error); above `PROMISED_SHARE_WARNING` of the legal limit it is a warning
  (seeds/002…: 承诺时限原则上不超过法定时限的40%);
- an item done on the spot (即办, SPEC §4: finished the same day) promises at most
  `ON_THE_SPOT_MAX_PROMISED_DAYS` working day: 0 is "the same day"; 1 leaves room for an
  application accepted just before closing;
- visits required is 0, 1 or 2; the deciding level (for escalated items) is optional but, when
  set, is a level above the item's center;
- fee items need a positive approved standard and its basis (seeds/001…: nothing may be charged
  above it); an item marked free of charge has no fee items. Adding a fee marks the item as
  charging; removing its last fee marks it free again (nothing may be charged without a standard);
- a window serving an item belongs to the item's center.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from govhall.catalog.models import (
    PROMISED_SHARE_WARNING,
    Authorization,
    FeeItem,
    ItemType,
    ItemWindow,
    Material,
    ServiceItem,
)
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.org.access import manages_center
from govhall.org.models import LEVEL_RANK, Center, CenterLevel, Department, Window

MAX_DAYS = 999
ON_THE_SPOT_MAX_PROMISED_DAYS = 1
MAX_COPIES = 99
CODE_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")

# Fields `item_create`/`item_update` accept besides the named parameters.
ITEM_FIELDS = frozenset(
    {
        "code",
        "name",
        "item_type",
        "department",
        "basis",
        "conditions",
        "procedure",
        "legal_days",
        "promised_days",
        "on_the_spot",
        "fee_free",
        "place",
        "phone",
        "online_available",
        "visits_required",
        "deciding_level",
        "overdue_defaults_to_approval",
        "is_active",
    }
)
MATERIAL_FIELDS = frozenset({"name", "is_main", "form", "copies", "source", "note", "position"})
FEE_FIELDS = frozenset({"name", "standard_amount", "standard_basis", "unit"})

Errors = dict[str, list[str]]

ITEM_TEXT_FIELDS = ("code", "name", "basis", "conditions", "procedure", "place", "phone")
MATERIAL_TEXT_FIELDS = ("name", "source", "note")
FEE_TEXT_FIELDS = ("name", "standard_basis", "unit")


@dataclass
class ItemSaveResult:
    """A saved item and the warnings the user should see (they do not stop the save)."""

    item: ServiceItem
    warnings: list[str] = field(default_factory=list)


# --- rules shared by the forms, the services and the spreadsheet import -------------------------


def clean_text(value: object) -> object:
    """Text as stored: no surrounding blanks, newlines as "\\n" (browsers send "\\r\\n").

    Anything that is not a string is left for the rules to refuse.
    """
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def _clean_texts(obj: object, names: Sequence[str]) -> None:
    for name in names:
        setattr(obj, name, clean_text(getattr(obj, name)) or "")


def _add(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _is_whole_number(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def item_rule_errors(item: ServiceItem, center_level: str) -> Errors:
    """Problems with an item's own values; no database access (the import calls it per row)."""
    errors: Errors = {}
    code = item.code or ""
    if not code:
        _add(errors, "code", _("Enter the implementation code."))
    elif not CODE_PATTERN.match(code):
        _add(
            errors,
            "code",
            _("The implementation code may contain only letters, digits, '-', '_' and '.'."),
        )
    if not (item.name or "").strip():
        _add(errors, "name", _("Enter the name of the item."))
    if item.item_type not in ItemType.values:
        _add(errors, "item_type", _("Choose the type of the item."))
    days_ok = True
    for name, label in (
        ("legal_days", _("legal time limit")),
        ("promised_days", _("promised time limit")),
    ):
        value = getattr(item, name)
        if not _is_whole_number(value) or not 0 <= value <= MAX_DAYS:
            days_ok = False
            _add(
                errors,
                name,
                _("The %(label)s must be a whole number of working days from 0 to %(max)d.")
                % {"label": label, "max": MAX_DAYS},
            )
    if days_ok and item.promised_days > item.legal_days:
        _add(
            errors,
            "promised_days",
            _(
                "The promised time limit (%(promised)d working days) cannot exceed the legal "
                "time limit (%(legal)d working days)."
            )
            % {"promised": item.promised_days, "legal": item.legal_days},
        )
    if days_ok and item.on_the_spot and item.promised_days > ON_THE_SPOT_MAX_PROMISED_DAYS:
        _add(
            errors,
            "promised_days",
            _(
                "An item done on the spot is finished the same day: its promised time limit "
                "can be at most %(max)d working day."
            )
            % {"max": ON_THE_SPOT_MAX_PROMISED_DAYS},
        )
    if not _is_whole_number(item.visits_required) or item.visits_required not in (0, 1, 2):
        _add(errors, "visits_required", _("Visits required must be 0, 1 or 2."))
    if item.deciding_level:
        if item.deciding_level not in CenterLevel.values:
            _add(errors, "deciding_level", _("Choose a valid deciding level."))
        elif (
            center_level in CenterLevel.values
            and LEVEL_RANK[CenterLevel(item.deciding_level)]
            >= LEVEL_RANK[CenterLevel(center_level)]
        ):
            _add(
                errors,
                "deciding_level",
                _(
                    "The deciding level of an escalated item must be above the level of its "
                    "center (%(level)s)."
                )
                % {"level": CenterLevel(center_level).label},
            )
    # Lengths and other field-level checks of the model (no foreign keys: they would query).
    try:
        item.clean_fields(
            exclude=[
                "center",
                "department",
                "code",
                "name",
                "item_type",
                "legal_days",
                "promised_days",
                "visits_required",
                "deciding_level",
            ]
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            for message in messages:
                _add(errors, key, message)
    if item.code and len(item.code) > 64:
        _add(errors, "code", _("The implementation code can have at most 64 characters."))
    if item.name and len(item.name) > 200:
        _add(errors, "name", _("The name can have at most 200 characters."))
    return errors


def item_warnings(item: ServiceItem, *, fee_count: int) -> list[str]:
    """Warnings to show on save and in lists; they never stop a save."""
    warnings: list[str] = []
    if item.promised_share_exceeded:
        warnings.append(
            _(
                "The promised time limit (%(promised)d working days) is above %(share)d%% of the "
                "legal time limit (%(legal)d working days); the rule is at most %(max)d days."
            )
            % {
                "promised": item.promised_days,
                "legal": item.legal_days,
                "share": int(PROMISED_SHARE_WARNING * 100),
                "max": int(PROMISED_SHARE_WARNING * item.legal_days),
            }
        )
    if not item.fee_free and fee_count == 0:
        warnings.append(
            _(
                "The item is marked as charging fees but has no fee item with an approved "
                "standard yet."
            )
        )
    return warnings


def joint_department_errors(
    center: Center, lead_id: int | None, joint: Sequence[Department]
) -> list[str]:
    messages: list[str] = []
    foreign = [d for d in joint if d.center_id != center.pk]
    if foreign:
        messages.append(
            _("Joint departments must be stationed in %(center)s: %(names)s is not.")
            % {"center": center.name, "names": "、".join(d.name for d in foreign)}
        )
    if lead_id is not None and any(d.pk == lead_id for d in joint):
        messages.append(_("The lead department cannot also be a joint department."))
    return messages


def department_error(center: Center, department: Department | None) -> str | None:
    if department is None:
        return _("Choose the department.")
    if department.center_id != center.pk:
        return _("The department %(department)s is not stationed in %(center)s.") % {
            "department": department.name,
            "center": center.name,
        }
    return None


def code_taken_message(code: str) -> str:
    return _("Another item already uses the implementation code %(code)s.") % {"code": code}


def _validate_item(
    item: ServiceItem,
    *,
    center: Center,
    joint: Sequence[Department] | None,
    has_fees: bool,
) -> None:
    _clean_texts(item, ITEM_TEXT_FIELDS)
    errors = item_rule_errors(item, center.level)
    department = item.department if item.department_id is not None else None
    message = department_error(center, department)
    if message:
        _add(errors, "department", message)
    if joint is not None:
        for message in joint_department_errors(center, item.department_id, joint):
            _add(errors, "joint_departments", message)
    if (
        "code" not in errors
        and ServiceItem.objects.filter(code=item.code).exclude(pk=item.pk).exists()
    ):
        _add(errors, "code", code_taken_message(item.code))
    if item.fee_free and has_fees:
        _add(
            errors,
            "fee_free",
            _("The item has fee items; remove them before marking it free of charge."),
        )
    if errors:
        raise ValidationError(errors)


def require_catalog_manager(actor: User | None, center_id: int) -> None:
    """Only the managers of the item's center (its subtree's managers) change its catalog;
    `actor` None is the system (imports from the CLI, the demo loader)."""
    if not manages_center(actor, center_id):
        raise ValidationError(_("Only the managers of this center may change its catalog."))


def _check_fields(fields: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


# --- items ---------------------------------------------------------------------------------------


@transaction.atomic
def item_create(
    *,
    actor: User | None,
    center: Center,
    department: Department,
    code: str,
    name: str,
    item_type: str,
    legal_days: int,
    promised_days: int,
    joint_departments: Iterable[Department] = (),
    **fields: Any,
) -> ItemSaveResult:
    require_catalog_manager(actor, center.pk)
    _check_fields(fields, ITEM_FIELDS)
    joint = list(joint_departments)
    item = ServiceItem(
        center=center,
        department=department,
        code=code,
        name=name,
        item_type=item_type,
        legal_days=legal_days,
        promised_days=promised_days,
        **fields,
    )
    _validate_item(item, center=center, joint=joint, has_fees=False)
    item.save()
    if joint:
        item.joint_departments.set(joint)
    record_event(
        actor=actor,
        action="item.create",
        obj=item,
        center_id=center.pk,
        data={"code": item.code, "joint_departments": [d.pk for d in joint]},
    )
    return ItemSaveResult(item=item, warnings=item_warnings(item, fee_count=0))


@transaction.atomic
def item_update(
    *,
    actor: User | None,
    item: ServiceItem,
    joint_departments: Iterable[Department] | None = None,
    **fields: Any,
) -> ItemSaveResult:
    """Change an item's fields (and joint departments when given).

    `expected_updated_at` (optional) guards against overwriting a concurrent edit: when the
    stored item changed since the form was loaded, nothing is saved.
    """
    require_catalog_manager(actor, item.center_id)
    expected_updated_at = fields.pop("expected_updated_at", None)
    _check_fields(fields, ITEM_FIELDS)
    current = ServiceItem.objects.select_for_update().select_related("center").get(pk=item.pk)
    if expected_updated_at is not None and current.updated_at != expected_updated_at:
        raise ValidationError(
            _("Someone else changed this item in the meantime. Reload the page and try again.")
        )
    changed: dict[str, list[object]] = {}
    for name, value in fields.items():
        old = getattr(current, name)
        if old != value:
            changed[name] = [_jsonable(old), _jsonable(value)]
        setattr(current, name, value)
    joint = list(joint_departments) if joint_departments is not None else None
    fee_count = current.fees.count()
    _validate_item(current, center=current.center, joint=joint, has_fees=fee_count > 0)
    if joint is not None:
        before = set(current.joint_departments.values_list("pk", flat=True))
        after = {d.pk for d in joint}
        if before != after:
            changed["joint_departments"] = [sorted(before), sorted(after)]
            current.joint_departments.set(joint)
    if changed:
        current.save()
        record_event(
            actor=actor,
            action="item.update",
            obj=current,
            center_id=current.center_id,
            data={"changed": changed},
        )
        # The caller's object reflects the saved state.
        item.refresh_from_db()
    return ItemSaveResult(item=current, warnings=item_warnings(current, fee_count=fee_count))


def _set_published(actor: User | None, item: ServiceItem, published: bool) -> ServiceItem:
    require_catalog_manager(actor, item.center_id)
    current = ServiceItem.objects.select_for_update().get(pk=item.pk)
    if current.is_active != published:
        current.is_active = published
        current.save(update_fields=["is_active", "updated_at"])
        record_event(
            actor=actor,
            action="item.publish" if published else "item.unpublish",
            obj=current,
            center_id=current.center_id,
        )
    item.is_active = published
    return current


@transaction.atomic
def item_publish(*, actor: User | None, item: ServiceItem) -> ServiceItem:
    """Show the item in the public guides."""
    return _set_published(actor, item, True)


@transaction.atomic
def item_unpublish(*, actor: User | None, item: ServiceItem) -> ServiceItem:
    """Hide the item from the public guides (its history and cases stay)."""
    return _set_published(actor, item, False)


# --- materials -----------------------------------------------------------------------------------


def material_rule_errors(material: Material) -> Errors:
    """Problems with a material's own values; no database access."""
    errors: Errors = {}
    if not (material.name or "").strip():
        _add(errors, "name", _("Enter the name of the material."))
    if material.form not in Material.Form.values:
        _add(errors, "form", _("Choose original, copy, or original and copy."))
    if not _is_whole_number(material.copies) or not 1 <= material.copies <= MAX_COPIES:
        _add(
            errors,
            "copies",
            _("The number of copies must be a whole number from 1 to %(max)d.")
            % {"max": MAX_COPIES},
        )
    try:
        material.clean_fields(
            exclude=["item", "name", "form", "copies", "position", "blank_form", "sample"]
        )
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            for message in messages:
                _add(errors, key, message)
    if material.name and len(material.name) > 200:
        _add(errors, "name", _("The name can have at most 200 characters."))
    return errors


def _validate_material(material: Material) -> None:
    _clean_texts(material, MATERIAL_TEXT_FIELDS)
    errors = material_rule_errors(material)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def material_add(
    *,
    actor: User | None,
    item: ServiceItem,
    name: str,
    is_main: bool = True,
    form: str = Material.Form.ORIGINAL,
    copies: int = 1,
    source: str = "",
    note: str = "",
) -> Material:
    require_catalog_manager(actor, item.center_id)
    last = item.materials.aggregate(last=Max("position"))["last"]
    material = Material(
        item=item,
        position=0 if last is None else last + 1,
        name=name,
        is_main=is_main,
        form=form,
        copies=copies,
        source=source,
        note=note,
    )
    _validate_material(material)
    material.save()
    record_event(
        actor=actor,
        action="material.add",
        obj=item,
        center_id=item.center_id,
        data={"material": material.pk, "name": material.name, "is_main": material.is_main},
    )
    return material


@transaction.atomic
def material_update(*, actor: User | None, material: Material, **fields: Any) -> Material:
    _check_fields(fields, MATERIAL_FIELDS - {"position"})
    current = Material.objects.select_for_update().select_related("item").get(pk=material.pk)
    require_catalog_manager(actor, current.item.center_id)
    changed = {
        name: [_jsonable(getattr(current, name)), _jsonable(value)]
        for name, value in fields.items()
        if getattr(current, name) != value
    }
    for name, value in fields.items():
        setattr(current, name, value)
    _validate_material(current)
    if changed:
        current.save()
        record_event(
            actor=actor,
            action="material.update",
            obj=current.item,
            center_id=current.item.center_id,
            data={"material": current.pk, "changed": changed},
        )
    return current


@transaction.atomic
def material_remove(*, actor: User | None, material: Material) -> None:
    item = material.item
    require_catalog_manager(actor, item.center_id)
    record_event(
        actor=actor,
        action="material.remove",
        obj=item,
        center_id=item.center_id,
        data={"material": material.pk, "name": material.name},
    )
    material.delete()


@transaction.atomic
def material_reorder(
    *, actor: User | None, item: ServiceItem, material_ids: Sequence[int]
) -> list[Material]:
    """Put the item's materials in the given order (every material of the item, once)."""
    require_catalog_manager(actor, item.center_id)
    materials = {m.pk: m for m in Material.objects.select_for_update().filter(item=item)}
    if sorted(material_ids) != sorted(materials):
        raise ValidationError(_("The new order must list every material of the item exactly once."))
    ordered = [materials[pk] for pk in material_ids]
    for position, material in enumerate(ordered):
        material.position = position
    Material.objects.bulk_update(ordered, ["position"])
    record_event(
        actor=actor,
        action="material.reorder",
        obj=item,
        center_id=item.center_id,
        data={"order": list(material_ids)},
    )
    return ordered


@transaction.atomic
def material_move(*, actor: User | None, material: Material, up: bool) -> None:
    """Move a material one place up or down in its item's list."""
    require_catalog_manager(actor, material.item.center_id)
    ids = list(material.item.materials.order_by("position", "id").values_list("pk", flat=True))
    index = ids.index(material.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ids):
        return
    ids[index], ids[other] = ids[other], ids[index]
    material_reorder(actor=actor, item=material.item, material_ids=ids)


# --- fees ----------------------------------------------------------------------------------------


def parse_amount(value: object) -> Decimal | None:
    """A yuan amount with at most two decimals, or None when it is not one."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not amount.is_finite():
        return None
    return amount


def fee_rule_errors(fee: FeeItem) -> Errors:
    """Problems with a fee's own values; no database access."""
    errors: Errors = {}
    if not (fee.name or "").strip():
        _add(errors, "name", _("Enter the name of the fee."))
    amount = parse_amount(fee.standard_amount)
    if amount is None or amount <= 0:
        _add(
            errors,
            "standard_amount",
            _("Enter the approved standard: an amount in yuan above 0."),
        )
    elif amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e10"):
        _add(
            errors,
            "standard_amount",
            _("The approved standard has at most two decimals and is below 10,000,000,000 yuan."),
        )
    else:
        fee.standard_amount = amount.quantize(Decimal("0.01"))
    if not (fee.standard_basis or "").strip():
        _add(
            errors,
            "standard_basis",
            _("Enter the basis of the approved standard (the pricing document)."),
        )
    if not (fee.unit or "").strip():
        _add(errors, "unit", _("Enter the unit the fee is charged per."))
    for name, limit in (("name", 200), ("standard_basis", 300), ("unit", 32)):
        value = getattr(fee, name) or ""
        if len(value) > limit:
            _add(
                errors,
                name,
                _("This value can have at most %(max)d characters.") % {"max": limit},
            )
    return errors


def _validate_fee(fee: FeeItem) -> None:
    _clean_texts(fee, FEE_TEXT_FIELDS)
    errors = fee_rule_errors(fee)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def fee_add(
    *,
    actor: User | None,
    item: ServiceItem,
    name: str,
    standard_amount: Decimal | str | int,
    standard_basis: str,
    unit: str = "件",
) -> FeeItem:
    require_catalog_manager(actor, item.center_id)
    fee = FeeItem(
        item=item,
        name=name,
        standard_amount=standard_amount,
        standard_basis=standard_basis,
        unit=unit,
    )
    _validate_fee(fee)
    fee.save()
    if item.fee_free:
        ServiceItem.objects.filter(pk=item.pk).update(fee_free=False)
        item.fee_free = False
    record_event(
        actor=actor,
        action="fee.add",
        obj=item,
        center_id=item.center_id,
        data={"fee": fee.pk, "name": fee.name, "standard_amount": str(fee.standard_amount)},
    )
    return fee


@transaction.atomic
def fee_update(*, actor: User | None, fee: FeeItem, **fields: Any) -> FeeItem:
    _check_fields(fields, FEE_FIELDS)
    current = FeeItem.objects.select_for_update().select_related("item").get(pk=fee.pk)
    require_catalog_manager(actor, current.item.center_id)
    before = {name: getattr(current, name) for name in fields}
    for name, value in fields.items():
        setattr(current, name, value)
    _validate_fee(current)
    changed = {
        name: [_jsonable(before[name]), _jsonable(getattr(current, name))]
        for name in fields
        if before[name] != getattr(current, name)
    }
    if changed:
        current.save()
        record_event(
            actor=actor,
            action="fee.update",
            obj=current.item,
            center_id=current.item.center_id,
            data={"fee": current.pk, "changed": changed},
        )
    return current


@transaction.atomic
def fee_remove(*, actor: User | None, fee: FeeItem) -> None:
    item = ServiceItem.objects.select_for_update().get(pk=fee.item_id)
    require_catalog_manager(actor, item.center_id)
    record_event(
        actor=actor,
        action="fee.remove",
        obj=item,
        center_id=item.center_id,
        data={"fee": fee.pk, "name": fee.name, "standard_amount": str(fee.standard_amount)},
    )
    fee.delete()
    if not item.fees.exists():
        # Nothing may be charged without an approved standard: no fee items means free.
        ServiceItem.objects.filter(pk=item.pk).update(fee_free=True)


# --- windows -------------------------------------------------------------------------------------


def window_errors(item: ServiceItem, window: Window, authorization: str) -> Errors:
    errors: Errors = {}
    if window.center_id != item.center_id:
        _add(
            errors,
            "window",
            _("Window %(number)d is not in the item's center.") % {"number": window.number},
        )
    elif not window.is_active:
        _add(errors, "window", _("Window %(number)d is closed.") % {"number": window.number})
    if authorization not in Authorization.values:
        _add(errors, "authorization", _("Choose full, partial or limited authorization."))
    return errors


@transaction.atomic
def item_window_set(
    *, actor: User | None, item: ServiceItem, window: Window, authorization: str
) -> ItemWindow:
    """Let `window` serve `item` with the given authorization (adds or changes the link)."""
    require_catalog_manager(actor, item.center_id)
    errors = window_errors(item, window, authorization)
    if errors:
        raise ValidationError(errors)
    link, created = ItemWindow.objects.select_for_update().get_or_create(
        item=item, window=window, defaults={"authorization": authorization}
    )
    previous = None if created else link.authorization
    if not created and link.authorization != authorization:
        link.authorization = authorization
        link.save(update_fields=["authorization"])
    if created or previous != authorization:
        record_event(
            actor=actor,
            action="item_window.set",
            obj=item,
            center_id=item.center_id,
            data={
                "window": window.pk,
                "number": window.number,
                "authorization": authorization,
                "previous": previous,
            },
        )
    return link


@transaction.atomic
def item_window_remove(*, actor: User | None, item: ServiceItem, window: Window) -> None:
    require_catalog_manager(actor, item.center_id)
    deleted, _rows = ItemWindow.objects.filter(item=item, window=window).delete()
    if deleted:
        record_event(
            actor=actor,
            action="item_window.remove",
            obj=item,
            center_id=item.center_id,
            data={"window": window.pk, "number": window.number},
        )
