"""Fees charged on a case, never above the approved standard (seeds/001…, SPEC §6)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.cases.access.cases import cases_in_scope
from govhall.cases.case_transitions import AWAITING_DELIVERY, UNDECIDED_STATUSES
from govhall.cases.events import CaseEvent
from govhall.cases.models import Case, CaseFee
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import FeeItem
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.roles import MANAGER_ROLES, WINDOW_ROLES, roles_of
from govhall.core.validation import FieldErrors

# From acceptance to delivery (the order of CaseStatus): a fee is charged on an accepted case.
FEE_STATUSES = UNDECIDED_STATUSES | AWAITING_DELIVERY | {CaseStatus.DELIVERED}
RECEIPT_MAX = CaseFee._meta.get_field("receipt_number").max_length or 64
MAX_QUANTITY = 10_000


def may_record_fees(actor: User, case: Case) -> bool:
    """Window staff and hall management who can see the case."""
    if getattr(actor, "is_superuser", False):
        return True
    if not roles_of(actor) & (WINDOW_ROLES | MANAGER_ROLES):
        return False
    return cases_in_scope(actor).filter(pk=case.pk).exists()


@transaction.atomic
def case_fee_record(
    *,
    actor: User,
    case: Case,
    fee_item: FeeItem,
    quantity: int,
    amount: Decimal,
    receipt_number: str = "",
) -> CaseFee:
    """Record a fee charged on the case; refused above standard × quantity."""
    if not may_record_fees(actor, case):
        raise ValidationError(_("Only window staff or hall management can record fees."))
    if case.status not in FEE_STATUSES:
        raise ValidationError(
            _("Fees are recorded from acceptance to delivery; this case is %(status)s.")
            % {"status": case.get_status_display()}
        )
    errors = FieldErrors()
    if fee_item.item_id != case.item_id:
        errors.add("fee_item", _("This fee does not belong to the case's service item."))
    whole = isinstance(quantity, int) and not isinstance(quantity, bool)
    if not whole or not 1 <= quantity <= MAX_QUANTITY:
        errors.add(
            "quantity",
            _("The quantity must be a whole number from 1 to %(max)d.") % {"max": MAX_QUANTITY},
        )
    try:
        value = Decimal(str(amount))
    except (InvalidOperation, ValueError):
        value = None
    if value is None or not value.is_finite():
        errors.add("amount", _("Give the amount in yuan."))
    elif value < 0:
        errors.add("amount", _("The amount cannot be negative."))
    elif value != value.quantize(Decimal("0.01")):
        errors.add("amount", _("The amount has at most two decimals (fen)."))
    elif "fee_item" not in errors and "quantity" not in errors:
        ceiling = fee_item.standard_amount * quantity
        if value > ceiling:
            errors.add(
                "amount",
                _(
                    "¥%(amount)s is above the approved standard: at most ¥%(standard)s × "
                    "%(quantity)d = ¥%(ceiling)s."
                )
                % {
                    "amount": f"{value:.2f}",
                    "standard": f"{fee_item.standard_amount:.2f}",
                    "quantity": quantity,
                    "ceiling": f"{ceiling:.2f}",
                },
            )
    receipt_number = errors.text(
        "receipt_number",
        receipt_number,
        max_length=RECEIPT_MAX,
        too_long=_("The receipt number is too long (at most %(max)d characters).")
        % {"max": RECEIPT_MAX},
    )
    errors.raise_if_any()
    assert value is not None
    fee = CaseFee.objects.create(
        case=case,
        fee_item=fee_item,
        quantity=quantity,
        amount=value.quantize(Decimal("0.01")),
        recorded_by=actor,
        receipt_number=receipt_number,
    )
    record_event(
        actor=actor,
        action=CaseEvent.RECORD_FEE,
        obj=case,
        center_id=case.center_id,
        note=f"{fee_item.name} ¥{fee.amount}",
        data={
            "fee": fee.pk,
            "fee_item": fee_item.pk,
            "quantity": quantity,
            "amount": str(fee.amount),
            "standard": str(fee_item.standard_amount),
            "receipt_number": receipt_number,
        },
    )
    return fee
