"""Fees of an item, each with its approved standard (收费标准): add, change, remove.

A fee needs a positive approved standard and its basis (seeds/001…: nothing may be charged
above it); an item marked free of charge has no fee items. Adding a fee marks the item as
charging; removing its last fee marks it free again (nothing may be charged without a standard).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import FeeItem, ServiceItem
from govhall.catalog.services.changes import (
    check_fields,
    jsonable,
    max_length_of,
    require_catalog_manager,
)
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors

FEE_FIELDS = frozenset({"name", "standard_amount", "standard_basis", "unit"})


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


def fee_rule_errors(fee: FeeItem) -> FieldErrors:
    """Problems with a fee's own values (texts cleaned, the amount rounded to fen in place);
    no database access."""
    errors = FieldErrors()
    fee.name = errors.text(
        "name",
        fee.name,
        max_length=max_length_of(FeeItem, "name"),
        required=_("Enter the name of the fee."),
    )
    amount = parse_amount(fee.standard_amount)
    if amount is None or amount <= 0:
        errors.add(
            "standard_amount",
            _("Enter the approved standard: an amount in yuan above 0."),
        )
    elif amount != amount.quantize(Decimal("0.01")) or amount >= Decimal("1e10"):
        errors.add(
            "standard_amount",
            _("The approved standard has at most two decimals and is below 10,000,000,000 yuan."),
        )
    else:
        fee.standard_amount = amount.quantize(Decimal("0.01"))
    fee.standard_basis = errors.text(
        "standard_basis",
        fee.standard_basis,
        max_length=max_length_of(FeeItem, "standard_basis"),
        required=_("Enter the basis of the approved standard (the pricing document)."),
    )
    fee.unit = errors.text(
        "unit",
        fee.unit,
        max_length=max_length_of(FeeItem, "unit"),
        required=_("Enter the unit the fee is charged per."),
    )
    return errors


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
    fee_rule_errors(fee).raise_if_any()
    fee.save()
    if item.fee_free:
        ServiceItem.objects.filter(pk=item.pk).update(fee_free=False)
        item.fee_free = False
    record_event(
        actor=actor,
        action=CatalogEvent.FEE_ADD,
        obj=item,
        center_id=item.center_id,
        data={"fee": fee.pk, "name": fee.name, "standard_amount": str(fee.standard_amount)},
    )
    return fee


@transaction.atomic
def fee_update(*, actor: User | None, fee: FeeItem, **fields: Any) -> FeeItem:
    check_fields(fields, FEE_FIELDS)
    current = FeeItem.objects.select_for_update().select_related("item").get(pk=fee.pk)
    require_catalog_manager(actor, current.item.center_id)
    before = {name: getattr(current, name) for name in fields}
    for name, value in fields.items():
        setattr(current, name, value)
    fee_rule_errors(current).raise_if_any()
    changed = {
        name: [jsonable(before[name]), jsonable(getattr(current, name))]
        for name in fields
        if before[name] != getattr(current, name)
    }
    if changed:
        current.save()
        record_event(
            actor=actor,
            action=CatalogEvent.FEE_UPDATE,
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
        action=CatalogEvent.FEE_REMOVE,
        obj=item,
        center_id=item.center_id,
        data={"fee": fee.pk, "name": fee.name, "standard_amount": str(fee.standard_amount)},
    )
    fee.delete()
    if not item.fees.exists():
        # Nothing may be charged without an approved standard: no fee items means free.
        ServiceItem.objects.filter(pk=item.pk).update(fee_free=True)
