"""Demo My page (issue 19 item 3): the demo citizen account gets messages about its cases,
once."""

from __future__ import annotations

import pytest

from govhall.cli.demo.departments import COUNTY_CODE
from govhall.cli.demo.online_accounts import CITIZEN_PHONE
from govhall.cli.demo.online_my_page import load_demo_my_page
from govhall.online.models import AccountMessage
from govhall.testing.factories import CenterFactory, ServiceItemFactory
from govhall.testing.my_page import case_of, link
from govhall.testing.online import make_account

pytestmark = pytest.mark.django_db


def test_demo_citizen_gets_messages_once() -> None:
    assert load_demo_my_page() is None  # no demo hall, no demo account: nothing
    county = CenterFactory(code=COUNTY_CODE)
    account = make_account(phone=CITIZEN_PHONE)
    case = case_of(link(account), ServiceItemFactory(center=county))
    assert load_demo_my_page() == account
    assert list(AccountMessage.objects.filter(account=account).values_list("case", flat=True)) == [
        case.pk
    ]
    load_demo_my_page()
    assert AccountMessage.objects.filter(account=account).count() == 1
