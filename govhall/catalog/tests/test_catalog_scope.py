"""Issue 12 audit: the catalog is changed by the managers of the item's center only.

The pages reach items through catalog.access (404 outside the subtree); the services check the
item's center once more, so no other caller (a later API, a job) can write another center's
catalog by naming its item.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govhall.catalog.models import Authorization, FeeItem, ItemType, Material, ServiceItem
from govhall.catalog.services.fees import fee_add, fee_remove, fee_update
from govhall.catalog.services.item_windows import item_window_remove, item_window_set
from govhall.catalog.services.items import item_create, item_unpublish, item_update
from govhall.catalog.services.materials import (
    material_add,
    material_move,
    material_remove,
    material_update,
)
from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.testing.factories import (
    FeeItemFactory,
    ItemWindowFactory,
    MaterialFactory,
    ServiceItemFactory,
    WindowFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_director(town):
    return make_staff(Role.DIRECTOR, town, username="towndirector")


@pytest.fixture
def county_item(county, department):
    return ServiceItemFactory(center=county, department=department, name="县事项")


def test_a_town_director_cannot_change_the_countys_catalog(
    town_director, outsider, county, department, county_item
):
    material = MaterialFactory(item=county_item, name="身份证")
    MaterialFactory(item=county_item, name="申请表")
    fee = FeeItemFactory(item=county_item)
    window = WindowFactory(center=county)
    link = ItemWindowFactory(item=county_item, window=window)
    events = Event.objects.count()
    calls = [
        lambda actor: item_create(
            actor=actor,
            center=county,
            department=department,
            code="11330100MB2025000X01000019999",
            name="外来事项",
            item_type=ItemType.LICENSING,
            legal_days=20,
            promised_days=5,
        ),
        lambda actor: item_update(actor=actor, item=county_item, name="被改"),
        lambda actor: item_unpublish(actor=actor, item=county_item),
        lambda actor: material_add(actor=actor, item=county_item, name="外来材料"),
        lambda actor: material_update(actor=actor, material=material, name="被改"),
        lambda actor: material_move(actor=actor, material=material, up=False),
        lambda actor: material_remove(actor=actor, material=material),
        lambda actor: fee_add(
            actor=actor, item=county_item, name="外来费", standard_amount="1", standard_basis="x"
        ),
        lambda actor: fee_update(actor=actor, fee=fee, name="被改"),
        lambda actor: fee_remove(actor=actor, fee=fee),
        lambda actor: item_window_set(
            actor=actor, item=county_item, window=window, authorization=Authorization.FULL
        ),
        lambda actor: item_window_remove(actor=actor, item=county_item, window=window),
    ]
    for actor in (town_director, outsider):
        for call in calls:
            with pytest.raises(ValidationError):
                call(actor)
    county_item.refresh_from_db()
    assert county_item.name == "县事项" and county_item.is_active
    assert ServiceItem.objects.count() == 1
    assert sorted(Material.objects.values_list("name", flat=True)) == ["申请表", "身份证"]
    assert list(FeeItem.objects.values_list("name", flat=True)) == ["工本费"]
    link.refresh_from_db()
    assert link.authorization == Authorization.PARTIAL
    assert Event.objects.count() == events


def test_managers_of_the_subtree_change_its_catalog(director, town_director, town):
    item = ServiceItemFactory(center=town)
    material_add(actor=director, item=item, name="县里加的材料")
    item_update(actor=town_director, item=item, name="镇里改名")
    item.refresh_from_db()
    assert item.name == "镇里改名" and item.materials.count() == 1


def test_a_town_director_cannot_import_into_the_countys_catalog(
    town_director, outsider, county, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from govhall.catalog.services.imports import catalog_import_start
    from govhall.core.models import Job

    settings.VAR_DIR = tmp_path
    for actor in (town_director, outsider):
        upload = SimpleUploadedFile("catalog.xlsx", b"PK\x03\x04 not read: refused first")
        with pytest.raises(ValidationError, match="管理人员"):
            catalog_import_start(actor=actor, center=county, upload=upload)
    assert not Job.objects.exists() and not list(tmp_path.rglob("*.xlsx"))
