"""The catalog's event names are registered (one tense, one list), and its rules find every
problem of a change before refusing it, with the generic messages of core.validation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import Authorization, ItemType, ReviewState, ServiceItem, StandardReview
from govhall.catalog.services.bundles import bundle_publish, bundle_save
from govhall.catalog.services.fees import fee_add, fee_remove, fee_update
from govhall.catalog.services.form_fields import (
    form_field_add,
    form_field_move,
    form_field_remove,
    form_field_update,
)
from govhall.catalog.services.imports import import_catalog
from govhall.catalog.services.item_windows import item_window_remove, item_window_set
from govhall.catalog.services.items import (
    item_create,
    item_publish,
    item_unpublish,
    item_update,
)
from govhall.catalog.services.joint_days import item_joint_days_set
from govhall.catalog.services.material_files import material_file_attach, material_file_remove
from govhall.catalog.services.materials import (
    material_add,
    material_move,
    material_remove,
    material_update,
)
from govhall.catalog.services.standard_list import (
    standard_adopt,
    standard_material_restore,
    standard_review_act,
)
from govhall.catalog.standard_transitions import ReviewAction
from govhall.core.events import is_registered, registered_events
from govhall.core.models import Event
from govhall.core.validation import too_long_message
from govhall.org.models.centers import CenterLevel
from govhall.testing.catalog_sheets import item_row, workbook_bytes
from govhall.testing.factories import CenterFactory, DepartmentFactory, WindowFactory
from govhall.testing.material_files import PDF_BYTES, upload_of

pytestmark = pytest.mark.django_db


def test_every_catalog_event_name_is_registered_with_its_label():
    names = registered_events()
    for event in CatalogEvent:
        assert names[event.value] == event.label


def test_every_event_the_catalog_writes_is_registered(
    director, county, department, other_department, settings, tmp_path
):
    department.code = "SCJG"
    department.save()
    # A town that adopts the item below (the org's own events are not the catalog's).
    town = CenterFactory(parent=county, level=CenterLevel.TOWN)
    office = DepartmentFactory(center=town, code="SHSW")
    before = set(Event.objects.values_list("pk", flat=True))
    item = item_create(
        actor=director,
        center=county,
        department=department,
        code="EV-1",
        name="事项",
        item_type=ItemType.LICENSING,
        legal_days=10,
        promised_days=2,
    ).item
    item_update(actor=director, item=item, name="事项二")
    item_unpublish(actor=director, item=item)
    item_publish(actor=director, item=item)
    first = material_add(actor=director, item=item, name="申请书")
    material_add(actor=director, item=item, name="身份证")
    material_update(actor=director, material=first, note="原件")
    material_move(actor=director, material=first, up=False)
    # Issue 18 item 5: the blank form of a material, uploaded then removed.
    settings.MEDIA_ROOT = tmp_path
    material_file_attach(
        actor=director, material=first, slot="blank_form", upload=upload_of(PDF_BYTES, "表.pdf")
    )
    material_file_remove(actor=director, material=first, slot="blank_form")
    material_remove(actor=director, material=first)
    # Issue 19 item 2: the online application form.
    shop = form_field_add(actor=director, item=item, data={"key": "shop", "label": "店名"})
    form_field_add(actor=director, item=item, data={"key": "phone", "label": "电话"})
    form_field_update(actor=director, field=shop, data={"label": "店铺名称"})
    form_field_move(actor=director, field=shop, up=False)
    form_field_remove(actor=director, field=shop)
    fee = fee_add(
        actor=director, item=item, name="工本费", standard_amount="10", standard_basis="文件"
    )
    fee_update(actor=director, fee=fee, standard_amount="12")
    fee_remove(actor=director, fee=fee)
    window = WindowFactory(center=county)
    item_window_set(actor=director, item=item, window=window, authorization=Authorization.PARTIAL)
    item_window_remove(actor=director, item=item, window=window)
    item_update(actor=director, item=item, joint_departments=[other_department])
    item_joint_days_set(actor=director, item=item, days={other_department.pk: 2})
    outcome = import_catalog(
        actor=director, center=county, source=workbook_bytes([item_row("EV-2")])
    )
    assert outcome.ok, outcome.problems
    # Issue 19 item 5: a bundle (一件事) of two items, changed, hidden and shown again.
    second = item_create(
        actor=director,
        center=county,
        department=department,
        code="EV-3",
        name="事项三",
        item_type=ItemType.LICENSING,
        legal_days=10,
        promised_days=2,
    ).item
    bundle = bundle_save(
        actor=director,
        center=county,
        data={"code": "YJS-EV", "name": "开办", "promised_days": 5},
        item_ids=[item.pk, second.pk],
    )
    bundle_save(
        actor=director,
        center=county,
        bundle=bundle,
        data={"code": "YJS-EV", "name": "开办餐馆", "promised_days": 5},
        item_ids=[item.pk, second.pk],
    )
    bundle_publish(actor=director, bundle=bundle, published=False)
    bundle_publish(actor=director, bundle=bundle, published=True)
    # Issue 21 item 5: a town adopts the item, omits a material and restores it; two changes of
    # the standard are reviewed, one applied, one kept.
    (local,) = standard_adopt(actor=director, center=town, standards=[item], department=office)
    material_remove(actor=director, material=local.materials.get(name="身份证"))
    standard_material_restore(
        actor=director, item=local, material=item.materials.get(name="身份证")
    )
    item_update(actor=director, item=item, conditions="新的申请条件")
    review = StandardReview.objects.get(item=local, state=ReviewState.PENDING)
    standard_review_act(actor=director, review=review, action=ReviewAction.APPLY)
    item_update(actor=director, item=item, promised_days=3)
    review = StandardReview.objects.get(item=local, state=ReviewState.PENDING)
    local.refresh_from_db()
    item_update(actor=director, item=local, promised_days=2)
    standard_review_act(actor=director, review=review, action=ReviewAction.KEEP)

    written = set(Event.objects.exclude(pk__in=before).values_list("action", flat=True))
    assert written == set(CatalogEvent.values)
    assert all(is_registered(action) for action in written)


def test_an_item_change_reports_every_problem_at_once(director, county, department):
    events = Event.objects.count()
    with pytest.raises(ValidationError) as caught:
        item_create(
            actor=director,
            center=county,
            department=department,
            code="",
            name="",
            item_type="nonsense",
            legal_days=5,
            promised_days=6,
            place="地" * 201,
            visits_required=3,
        )
    errors = caught.value.message_dict
    assert set(errors) == {"code", "name", "item_type", "promised_days", "place", "visits_required"}
    assert errors["place"] == [too_long_message(200)]
    assert not ServiceItem.objects.exists() and Event.objects.count() == events


def test_texts_are_stored_cleaned(director, county, department):
    item = item_create(
        actor=director,
        center=county,
        department=department,
        code="  CLEAN-1 ",
        name=" 名称\r\n第二行 ",
        item_type=ItemType.LICENSING,
        legal_days=10,
        promised_days=2,
        basis="  依据\r\n",
    ).item
    item.refresh_from_db()
    assert (item.code, item.name, item.basis) == ("CLEAN-1", "名称\n第二行", "依据")
    material = material_add(actor=director, item=item, name=" 申请书 ", note=" 备注\r\n ")
    assert (material.name, material.note) == ("申请书", "备注")


def test_material_and_fee_lengths_use_the_generic_message(director, county, department):
    item = item_create(
        actor=director,
        center=county,
        department=department,
        code="LEN-1",
        name="事项",
        item_type=ItemType.LICENSING,
        legal_days=10,
        promised_days=2,
    ).item
    with pytest.raises(ValidationError) as caught:
        material_add(actor=director, item=item, name="材" * 201, note="注" * 301, copies=0)
    errors = caught.value.message_dict
    assert errors["name"] == [too_long_message(200)]
    assert errors["note"] == [too_long_message(300)]
    assert "copies" in errors
    with pytest.raises(ValidationError) as caught:
        fee_add(
            actor=director,
            item=item,
            name="费",
            standard_amount="0",
            standard_basis="",
            unit="单" * 33,
        )
    assert set(caught.value.message_dict) == {"standard_amount", "standard_basis", "unit"}
    assert caught.value.message_dict["unit"] == [too_long_message(32)]
