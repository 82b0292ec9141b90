"""Catalog rules: every rule refuses bad input with a field-keyed message and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from govhall.catalog.models import Authorization, FeeItem, ItemType, ItemWindow, ServiceItem
from govhall.catalog.services.fees import fee_add, fee_remove, fee_update
from govhall.catalog.services.item_windows import item_window_remove, item_window_set
from govhall.catalog.services.items import item_create, item_publish, item_unpublish, item_update
from govhall.catalog.services.materials import (
    material_add,
    material_move,
    material_remove,
    material_reorder,
    material_update,
)
from govhall.core.models import Event
from govhall.core.validation import Conflict
from govhall.org.models.centers import CenterLevel
from govhall.testing.factories import (
    CenterFactory,
    DepartmentFactory,
    FeeItemFactory,
    ServiceItemFactory,
    WindowFactory,
)

pytestmark = pytest.mark.django_db

CODE = "11330100MB2025000X01000010000"


def create(director, county, department, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "actor": director,
        "center": county,
        "department": department,
        "code": CODE,
        "name": "个体工商户设立登记",
        "item_type": ItemType.LICENSING,
        "legal_days": 15,
        "promised_days": 3,
    }
    values.update(overrides)
    return item_create(**values)


def refused(field: str, call, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
    """Run a service call that must fail on `field`; return the messages for that field."""
    items_before = ServiceItem.objects.count()
    events_before = Event.objects.count()
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    assert field in caught.value.message_dict, caught.value.message_dict
    assert ServiceItem.objects.count() == items_before
    assert Event.objects.count() == events_before
    return " ".join(caught.value.message_dict[field])


def test_create_saves_item_joint_departments_and_event(
    director, county, department, other_department
):
    result = create(director, county, department, joint_departments=[other_department])
    item = ServiceItem.objects.get(code=CODE)
    assert result.item == item
    assert result.warnings == []
    assert list(item.joint_departments.all()) == [other_department]
    event = Event.objects.for_object(item).get()
    assert (event.action, event.actor, event.center_id) == ("item.create", director, county.pk)


def test_promised_above_forty_percent_is_a_warning_not_an_error(director, county, department):
    result = create(director, county, department, legal_days=20, promised_days=9)
    assert result.item.pk is not None
    assert len(result.warnings) == 1
    assert "40%" in result.warnings[0]
    assert result.item.promised_share_exceeded
    # Exactly 40% is within the rule.
    update = item_update(actor=director, item=result.item, promised_days=8)
    assert update.warnings == []


def test_code_must_be_unique(director, county, department):
    ServiceItemFactory(center=county, department=department, code=CODE)
    message = refused("code", create, director, county, department)
    assert CODE in message


def test_a_taken_code_alone_is_a_conflict_and_bad_input_wins(director, county, department):
    ServiceItemFactory(center=county, department=department, code=CODE)
    with pytest.raises(Conflict) as taken:
        create(director, county, department)
    assert list(taken.value.message_dict) == ["code"] and CODE in taken.value.messages[0]
    with pytest.raises(ValidationError) as both:
        create(director, county, department, name="")
    assert not isinstance(both.value, Conflict)
    assert {"code", "name"} <= set(both.value.message_dict)


@pytest.mark.parametrize("code", ["", "has space", "斜/杠", "x" * 65])
def test_code_must_be_present_and_url_safe(director, county, department, code):
    refused("code", create, director, county, department, code=code)


def test_name_is_required(director, county, department):
    refused("name", create, director, county, department, name="   ")


def test_type_must_be_known(director, county, department):
    refused("item_type", create, director, county, department, item_type="tax")


def test_department_must_be_in_the_items_center(director, county, other_county):
    foreign = DepartmentFactory(center=other_county)
    message = refused("department", create, director, county, foreign)
    assert str(foreign.name) in message


def test_joint_departments_same_center_and_not_the_lead(director, county, department, other_county):
    foreign = DepartmentFactory(center=other_county)
    refused("joint_departments", create, director, county, department, joint_departments=[foreign])
    refused(
        "joint_departments", create, director, county, department, joint_departments=[department]
    )


def test_promised_may_not_exceed_legal(director, county, department):
    message = refused("promised_days", create, director, county, department, promised_days=16)
    assert "15" in message and "16" in message


@pytest.mark.parametrize("days", [-1, 1000, "5", 2.5, None])
def test_days_must_be_whole_numbers_in_range(director, county, department, days):
    refused("legal_days", create, director, county, department, legal_days=days)


def test_on_the_spot_items_promise_at_most_one_day(director, county, department):
    refused("promised_days", create, director, county, department, on_the_spot=True)
    result = create(director, county, department, on_the_spot=True, promised_days=0)
    assert result.item.on_the_spot


@pytest.mark.parametrize("visits", [3, -1])
def test_visits_required_is_zero_to_two(director, county, department, visits):
    refused("visits_required", create, director, county, department, visits_required=visits)


def test_deciding_level_must_be_above_the_center(director, county, department):
    refused("deciding_level", create, director, county, department, deciding_level=CenterLevel.TOWN)
    refused(
        "deciding_level", create, director, county, department, deciding_level=CenterLevel.COUNTY
    )
    result = create(director, county, department, deciding_level=CenterLevel.CITY)
    assert result.item.deciding_level == CenterLevel.CITY


def test_update_records_changes_and_refuses_bad_values(director, county, department):
    item = create(director, county, department).item
    refused("promised_days", item_update, actor=director, item=item, promised_days=20)
    item.refresh_from_db()
    assert item.promised_days == 3
    item_update(actor=director, item=item, name="个体工商户设立登记（新）", promised_days=5)
    assert item.name == "个体工商户设立登记（新）"
    # The update and, since a governed field changed, the standard's new revision (issue 21).
    actions = list(Event.objects.for_object(item).values_list("action", flat=True)[:2])
    assert actions == ["standard.revise", "item.update"]
    event = Event.objects.for_object(item).filter(action="item.update").first()
    assert event is not None
    assert event.data["changed"]["promised_days"] == [3, 5]


def test_update_refuses_a_stale_form(director, county, department):
    item = create(director, county, department).item
    stale = item.updated_at
    item_update(actor=director, item=item, name="新名称")
    with pytest.raises(Conflict):
        item_update(actor=director, item=item, name="旧表单", expected_updated_at=stale)
    assert ServiceItem.objects.get(pk=item.pk).name == "新名称"


def test_publish_and_unpublish_are_logged(director, county, department):
    item = create(director, county, department).item
    item_unpublish(actor=director, item=item)
    assert not ServiceItem.objects.get(pk=item.pk).is_active
    item_publish(actor=director, item=item)
    assert ServiceItem.objects.get(pk=item.pk).is_active
    actions = list(Event.objects.for_object(item).values_list("action", flat=True))
    assert actions[:2] == ["item.publish", "item.unpublish"]


# --- materials -------------------------------------------------------------------------------


def test_materials_add_update_reorder_remove(director, county, department):
    item = create(director, county, department).item
    first = material_add(actor=director, item=item, name="申请书")
    second = material_add(actor=director, item=item, name="身份证", form="copy", is_main=False)
    assert (first.position, second.position) == (0, 1)
    material_update(actor=director, material=second, copies=2)
    second.refresh_from_db()
    assert second.copies == 2
    material_move(actor=director, material=second, up=True)
    assert list(item.materials.values_list("name", flat=True)) == ["身份证", "申请书"]
    material_reorder(actor=director, item=item, material_ids=[first.pk, second.pk])
    assert list(item.materials.values_list("name", flat=True)) == ["申请书", "身份证"]
    material_remove(actor=director, material=first)
    assert list(item.materials.values_list("name", flat=True)) == ["身份证"]
    actions = set(Event.objects.for_object(item).values_list("action", flat=True))
    assert {"material.add", "material.update", "material.reorder", "material.remove"} <= actions


@pytest.mark.parametrize(
    ("field", "values"),
    [("name", {"name": ""}), ("copies", {"copies": 0}), ("form", {"form": "scan"})],
)
def test_material_rules(director, county, department, field, values):
    item = create(director, county, department).item
    arguments = {"name": "申请书", **values}
    refused(field, material_add, actor=director, item=item, **arguments)
    assert not item.materials.exists()


def test_reorder_must_list_every_material(director, county, department):
    item = create(director, county, department).item
    first = material_add(actor=director, item=item, name="申请书")
    material_add(actor=director, item=item, name="身份证")
    with pytest.raises(ValidationError):
        material_reorder(actor=director, item=item, material_ids=[first.pk])


# --- fees ------------------------------------------------------------------------------------


def test_adding_a_fee_marks_the_item_charging_and_removing_the_last_makes_it_free(
    director, county, department
):
    item = create(director, county, department).item
    assert item.fee_free
    fee = fee_add(
        actor=director,
        item=item,
        name="工本费",
        standard_amount="10",
        standard_basis="发改价格〔2019〕1号",
    )
    assert fee.standard_amount == Decimal("10.00")
    assert not ServiceItem.objects.get(pk=item.pk).fee_free
    fee_update(actor=director, fee=fee, standard_amount=Decimal("12.50"))
    assert FeeItem.objects.get(pk=fee.pk).standard_amount == Decimal("12.50")
    fee_remove(actor=director, fee=fee)
    assert ServiceItem.objects.get(pk=item.pk).fee_free
    actions = set(Event.objects.for_object(item).values_list("action", flat=True))
    assert {"fee.add", "fee.update", "fee.remove"} <= actions


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("standard_amount", {"standard_amount": "0"}),
        ("standard_amount", {"standard_amount": "-5"}),
        ("standard_amount", {"standard_amount": "abc"}),
        ("standard_amount", {"standard_amount": "1.005"}),
        ("standard_basis", {"standard_basis": " "}),
        ("name", {"name": ""}),
    ],
)
def test_fee_needs_a_positive_standard_and_its_basis(director, county, department, field, values):
    item = create(director, county, department).item
    arguments = {"name": "工本费", "standard_amount": "10", "standard_basis": "文件", **values}
    refused(field, fee_add, actor=director, item=item, **arguments)
    assert not item.fees.exists()
    assert ServiceItem.objects.get(pk=item.pk).fee_free


def test_an_item_with_fees_cannot_be_marked_free(director, county, department):
    item = ServiceItemFactory(center=county, department=department, fee_free=False)
    FeeItemFactory(item=item)
    refused("fee_free", item_update, actor=director, item=item, fee_free=True)
    assert not ServiceItem.objects.get(pk=item.pk).fee_free


def test_charging_without_fee_items_is_a_warning(director, county, department):
    result = create(director, county, department, fee_free=False)
    assert any("fee" in w or "收费" in w for w in result.warnings)


# --- windows ---------------------------------------------------------------------------------


def test_window_set_changes_authorization_and_remove(director, county, department):
    item = create(director, county, department).item
    window = WindowFactory(center=county, number=7)
    item_window_set(actor=director, item=item, window=window, authorization=Authorization.FULL)
    item_window_set(actor=director, item=item, window=window, authorization=Authorization.LIMITED)
    link = ItemWindow.objects.get(item=item)
    assert link.authorization == Authorization.LIMITED
    item_window_remove(actor=director, item=item, window=window)
    assert not ItemWindow.objects.filter(item=item).exists()
    actions = list(Event.objects.for_object(item).values_list("action", flat=True))
    assert actions[:3] == ["item_window.remove", "item_window.set", "item_window.set"]


def test_window_must_be_in_the_items_center_and_open(director, county, department, other_county):
    item = create(director, county, department).item
    foreign = WindowFactory(center=other_county)
    refused(
        "window", item_window_set, actor=director, item=item, window=foreign, authorization="full"
    )
    closed = WindowFactory(center=county, is_active=False)
    refused(
        "window", item_window_set, actor=director, item=item, window=closed, authorization="full"
    )
    window = WindowFactory(center=county)
    refused(
        "authorization",
        item_window_set,
        actor=director,
        item=item,
        window=window,
        authorization="total",
    )
    assert not ItemWindow.objects.exists()


def test_a_town_item_may_escalate_to_the_county(director, county, town):
    department = DepartmentFactory(center=town)
    result = item_create(
        actor=director,
        center=town,
        department=department,
        code="TOWN-1",
        name="农村宅基地审批",
        item_type=ItemType.LICENSING,
        legal_days=20,
        promised_days=8,
        deciding_level=CenterLevel.COUNTY,
    )
    assert result.item.center == town


def test_other_centers_can_exist(db):
    # Codes are unique across centers, not per center.
    first = CenterFactory()
    second = CenterFactory()
    ServiceItemFactory(center=first, code="SAME")
    with pytest.raises(ValidationError):
        item_create(
            actor=None,
            center=second,
            department=DepartmentFactory(center=second),
            code="SAME",
            name="x",
            item_type=ItemType.LICENSING,
            legal_days=1,
            promised_days=0,
        )
