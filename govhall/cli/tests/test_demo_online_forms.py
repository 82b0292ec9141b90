"""Demo online application forms (issue 19 item 2): the food business permit and two more county
items are offered online with a typed form, and loading again changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from govhall.catalog.models import FieldType, FormField, ServiceItem
from govhall.catalog.queries.online_forms import online_refusal
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.cli.demo.online_forms import FORMS, load_demo_online_forms
from govhall.testing.demo_hall import DemoHall

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(demo_hall: DemoHall, django_db_blocker: Any) -> DemoHall:
    return demo_hall


def test_food_business_permit_is_offered_online_with_a_form(loaded: DemoHall) -> None:
    for name, fields in FORMS.items():
        item = ServiceItem.objects.get(center__code=COUNTY_CODE, name=name)
        assert online_refusal(item) is None, name
        keys = list(FormField.objects.filter(item=item).values_list("key", flat=True))
        assert keys == [field["key"] for field in fields]
    permit = ServiceItem.objects.get(center__code=COUNTY_CODE, name="食品经营许可")
    types = set(FormField.objects.filter(item=permit).values_list("field_type", flat=True))
    assert {FieldType.CHOICE, FieldType.ID_NUMBER, FieldType.DATE, FieldType.NUMBER} <= types
    assert load_demo_online_forms() == 0
