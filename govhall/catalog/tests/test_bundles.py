"""一件事 bundles in the catalog (issue 19 item 5): the rules of a bundle (items of its center,
published, at least two, a promise between 1 and the longest legal limit), the merged
materials and form, and who manages them (the center subtree's managers; 404 for others)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from govhall.catalog.models import Bundle, FormField
from govhall.catalog.queries.bundles import merged_fields, merged_materials, public_bundles
from govhall.catalog.services.bundles import bundle_publish, bundle_save
from govhall.testing.factories import MaterialFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db


def _data(**changes):
    return {"code": "KBCG", "name": "开办餐馆", "promised_days": 5, **changes}


def test_the_rules_of_a_bundle(county, other_county, case_item, full_item, director):
    items = [case_item.pk, full_item.pk]
    longest = max(case_item.legal_days, full_item.legal_days)
    cases = [
        (_data(promised_days=0), items, "promised_days"),
        (_data(promised_days=longest + 1), items, "promised_days"),
        (_data(name=""), items, "name"),
        (_data(), [case_item.pk], "items"),
        (_data(), [case_item.pk, case_item.pk], "items"),
        (_data(), [case_item.pk, ServiceItemFactory(center=other_county).pk], "items"),
    ]
    for data, ids, field in cases:
        with pytest.raises(ValidationError) as refused:
            bundle_save(actor=director, center=county, data=data, item_ids=ids)
        assert field in refused.value.message_dict, (data, ids)
    assert not Bundle.objects.exists()
    bundle = bundle_save(
        actor=director, center=county, data=_data(promised_days=longest), item_ids=items[::-1]
    )
    assert list(bundle.bundle_items.values_list("item_id", flat=True)) == items[::-1]
    with pytest.raises(ValidationError):  # the code is unique
        bundle_save(actor=director, center=county, data=_data(), item_ids=items)
    # publishing needs every item published; hidden bundles leave the public list
    assert list(public_bundles(county)) == [bundle]
    bundle_publish(actor=director, bundle=bundle, published=False)
    assert not public_bundles(county).exists()


def test_merged_materials_and_form(county, case_item, full_item):
    MaterialFactory(item=full_item, name="食品安全管理制度", is_main=True, position=9)
    FormField.objects.create(item=case_item, key="shop_name", label="店铺名称", required=False)
    FormField.objects.create(item=full_item, key="shop_name", label="店名", required=True)
    FormField.objects.create(item=full_item, key="seats", label="座位数")
    bundle = bundle_save(
        actor=None, center=county, data=_data(), item_ids=[case_item.pk, full_item.pk]
    )
    groups = merged_materials(bundle)
    assert [g.name for g in groups] == ["申请书", "身份证明", "场所使用证明", "食品安全管理制度"]
    assert [len(g.members) for g in groups] == [2, 2, 2, 1]
    fields = merged_fields(bundle)
    assert [f.key for f in fields] == ["shop_name", "seats"]
    assert fields[0].required  # required by one item: required once


def test_only_the_subtree_managers_manage_bundles(
    county, case_item, full_item, director, outsider, clerk, client_as
):
    with pytest.raises(ValidationError):
        bundle_save(
            actor=outsider, center=county, data=_data(), item_ids=[case_item.pk, full_item.pk]
        )
    bundle = bundle_save(
        actor=director, center=county, data=_data(), item_ids=[case_item.pk, full_item.pk]
    )
    page = reverse("workbench:bundle_edit", args=[bundle.pk])
    assert client_as(director).get(page).status_code == 200
    assert client_as(director).get(reverse("workbench:bundles")).status_code == 200
    for user in (outsider, clerk):
        assert client_as(user).get(page).status_code == 404
    assert "KBCG" not in client_as(outsider).get(reverse("workbench:bundles")).content.decode()
    assert client_as(clerk).get(reverse("workbench:bundles")).status_code == 404
    response = client_as(director).post(
        page,
        {"name": "开办餐馆", "code": "KBCG", "promised_days": "99", "items": [case_item.pk]},
    )
    assert response.status_code == 422
    response = client_as(director).post(
        page,
        {
            "name": "开个餐馆",
            "code": "KBCG",
            "promised_days": "2",
            "items": [case_item.pk, full_item.pk],
            f"order_{case_item.pk}": "2",
            f"order_{full_item.pk}": "1",
        },
    )
    assert response.status_code == 302
    bundle.refresh_from_db()
    assert bundle.name == "开个餐馆"
    assert list(bundle.bundle_items.values_list("item_id", flat=True)) == [
        full_item.pk,
        case_item.pk,
    ]
