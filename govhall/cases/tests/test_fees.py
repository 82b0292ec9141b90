"""Fees per case, never above the item's approved standard."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from govhall.cases.models import CaseFee
from govhall.cases.services.fees import case_fee_record
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import FeeItem, ServiceItem
from govhall.core.models import Event, User
from govhall.org.models import Window
from govhall.testing.cases import accepted_case, make_case
from govhall.testing.factories import FeeItemFactory


@pytest.fixture
def fee(case_item: ServiceItem) -> FeeItem:
    return case_item.fees.get()  # ¥10.00 per piece


def test_fee_at_the_standard_is_recorded(
    case_item: ServiceItem, hall_window: Window, clerk: User, fee: FeeItem
) -> None:
    case = accepted_case(case_item, hall_window)
    recorded = case_fee_record(
        actor=clerk,
        case=case,
        fee_item=fee,
        quantity=3,
        amount=Decimal("30.00"),
        receipt_number=" 2025-000123 ",
    )
    assert (recorded.quantity, recorded.amount) == (3, Decimal("30.00"))
    assert recorded.receipt_number == "2025-000123"
    assert recorded.recorded_by == clerk
    event = Event.objects.get(action="case.record_fee")
    assert event.object_id == str(case.pk)
    assert event.actor_id == clerk.pk
    assert event.data == {
        "fee": recorded.pk,
        "fee_item": fee.pk,
        "quantity": 3,
        "amount": "30.00",
        "standard": "10.00",
        "receipt_number": "2025-000123",
    }


def test_below_the_standard_and_free_are_allowed(
    case_item: ServiceItem, hall_window: Window, director: User, fee: FeeItem
) -> None:
    case = accepted_case(case_item, hall_window, status=CaseStatus.CERTIFICATE_READY)
    case_fee_record(actor=director, case=case, fee_item=fee, quantity=1, amount=Decimal("5"))
    case_fee_record(actor=director, case=case, fee_item=fee, quantity=1, amount=Decimal("0"))
    assert list(case.fees.values_list("amount", flat=True)) == [Decimal("5.00"), Decimal("0.00")]


def test_above_the_standard_is_refused(
    case_item: ServiceItem, hall_window: Window, clerk: User, fee: FeeItem
) -> None:
    case = accepted_case(case_item, hall_window)
    with pytest.raises(ValidationError) as refused:
        case_fee_record(actor=clerk, case=case, fee_item=fee, quantity=2, amount=Decimal("20.01"))
    (message,) = refused.value.message_dict["amount"]
    assert "above the approved standard" in message
    assert "¥10.00 × 2 = ¥20.00" in message
    assert not CaseFee.objects.exists()
    assert not Event.objects.filter(action="case.record_fee").exists()


@pytest.mark.parametrize(
    ("quantity", "amount", "field"),
    [
        (0, Decimal("0"), "quantity"),
        (True, Decimal("1"), "quantity"),
        (1, Decimal("-1"), "amount"),
        (1, Decimal("1.005"), "amount"),
        (1, "abc", "amount"),
    ],
)
def test_bad_quantities_and_amounts_are_refused(
    quantity: Any,
    amount: Any,
    field: str,
    case_item: ServiceItem,
    hall_window: Window,
    clerk: User,
    fee: FeeItem,
) -> None:
    case = accepted_case(case_item, hall_window)
    with pytest.raises(ValidationError) as refused:
        case_fee_record(actor=clerk, case=case, fee_item=fee, quantity=quantity, amount=amount)
    assert field in refused.value.message_dict
    assert not CaseFee.objects.exists()


def test_fee_of_another_item_is_refused(
    case_item: ServiceItem, full_item: ServiceItem, hall_window: Window, clerk: User
) -> None:
    case = accepted_case(case_item, hall_window)
    foreign = FeeItemFactory(item=full_item, standard_amount=Decimal("100.00"))
    with pytest.raises(ValidationError, match="does not belong to the case's service item"):
        case_fee_record(actor=clerk, case=case, fee_item=foreign, quantity=1, amount=Decimal(1))
    assert not CaseFee.objects.exists()


@pytest.mark.parametrize(
    "status", [CaseStatus.RECEIVED, CaseStatus.AWAITING_SUPPLEMENT, CaseStatus.WITHDRAWN]
)
def test_fees_only_from_acceptance_to_delivery(
    status: str, case_item: ServiceItem, hall_window: Window, clerk: User, fee: FeeItem
) -> None:
    case = make_case(case_item, hall_window, status=status, kind="")
    with pytest.raises(ValidationError, match="from acceptance to delivery"):
        case_fee_record(actor=clerk, case=case, fee_item=fee, quantity=1, amount=Decimal(10))
    assert not CaseFee.objects.exists()


def test_fees_refused_to_outsiders_and_back_office(
    case_item: ServiceItem,
    hall_window: Window,
    outsider: User,
    reviewer: User,
    guide: User,
    fee: FeeItem,
) -> None:
    case = accepted_case(case_item, hall_window)
    for actor in (outsider, reviewer, guide):
        with pytest.raises(ValidationError, match="Only window staff or hall management"):
            case_fee_record(actor=actor, case=case, fee_item=fee, quantity=1, amount=Decimal(10))
    assert not CaseFee.objects.exists()
