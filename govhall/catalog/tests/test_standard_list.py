"""One item list across levels (issue 21 item 5, seeds/000… 篇2 二(二)): a town adopts the county's
standard items, deviates within the rule (shorter limits, omitted materials), and reviews a
change of the standard; the side-by-side comparison, its page and its API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from govhall.catalog.models import Material, ReviewState, ServiceItem, StandardReview
from govhall.catalog.queries.standard_list import (
    Deviation,
    adoption_rows,
    county_overview,
    item_comparison,
)
from govhall.catalog.services.items import item_update
from govhall.catalog.services.materials import material_add, material_remove, material_update
from govhall.catalog.services.standard_list import (
    review_actions,
    standard_adopt,
    standard_material_restore,
    standard_review_act,
)
from govhall.catalog.standard_transitions import ReviewAction
from govhall.cli.demo.people import TOWN
from govhall.cli.demo.standard_list import ADOPTED, load_demo_standard_list
from govhall.core.models import Event
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.org.models.centers import CenterLevel
from govhall.testing.factories import (
    CenterFactory,
    DepartmentFactory,
    MaterialFactory,
    ServiceItemFactory,
    make_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_office(town):  # type: ignore[no-untyped-def]
    return DepartmentFactory(center=town, code="SHSW", name="社会事务办公室")


@pytest.fixture
def town_director(town):  # type: ignore[no-untyped-def]
    return make_staff(Role.DIRECTOR, town)


@pytest.fixture
def standard(county, department):  # type: ignore[no-untyped-def]
    item = ServiceItemFactory(
        center=county, department=department, code="STD-1", legal_days=20, promised_days=8
    )
    MaterialFactory(item=item, name="申请书", position=0)
    MaterialFactory(item=item, name="身份证", position=1, form="copy")
    return item


@pytest.fixture
def local(town, town_office, town_director, standard):  # type: ignore[no-untyped-def]
    return standard_adopt(
        actor=town_director, center=town, standards=[standard], department=town_office
    )[0]


def test_adopting_copies_the_standard(local, standard, town):
    assert local.code == f"STD-1-{town.code}"
    assert local.standard == standard and local.standard_revision == standard.revision == 1
    assert (local.name, local.legal_days, local.promised_days) == (standard.name, 20, 8)
    assert local.place == town.address
    names = list(local.materials.values_list("name", "standard_material__item"))
    assert names == [("申请书", standard.pk), ("身份证", standard.pk)]
    assert Event.objects.filter(action="standard.adopt", object_id=str(local.pk)).exists()
    assert item_comparison(local).deviations == 0


def test_adopting_twice_or_outside_the_scope_is_refused(
    local, standard, town, town_office, town_director, county
):
    with pytest.raises(Conflict):
        standard_adopt(
            actor=town_director, center=town, standards=[standard], department=town_office
        )
    other_town = CenterFactory(
        code="330102", name="别镇便民服务中心", level=CenterLevel.TOWN, parent=county
    )
    other_office = DepartmentFactory(center=other_town)
    with pytest.raises(ValidationError):  # a town director can't adopt into another town
        standard_adopt(
            actor=town_director, center=other_town, standards=[standard], department=other_office
        )
    with pytest.raises(ValidationError) as caught:  # the county's department is not the town's
        standard_adopt(
            actor=None, center=other_town, standards=[standard], department=standard.department
        )
    assert "department" in caught.value.message_dict


@pytest.mark.parametrize(("days", "ok"), [(8, True), (5, True), (9, False)])
def test_the_promised_limit_may_be_shorter_never_longer(local, town_director, days, ok):
    if ok:
        item_update(actor=town_director, item=local, promised_days=days)
        local.refresh_from_db()
        assert local.promised_days == days
        status = item_comparison(local).fields
        row = next(r for r in status if r.name == "promised_days")
        assert row.status == (Deviation.SAME if days == 8 else Deviation.SHORTER)
    else:
        with pytest.raises(ValidationError) as caught:
            item_update(actor=town_director, item=local, promised_days=days)
        message = caught.value.message_dict["promised_days"][0]
        assert "8" in message
        local.refresh_from_db()
        assert local.promised_days == 8


def test_a_step_limit_counts_its_default(local, town_director):
    item_update(actor=town_director, item=local, limit_review_days=2)  # default 3: shorter
    with pytest.raises(ValidationError):
        item_update(actor=town_director, item=local, limit_review_days=4)


def test_governed_fields_stay_local_fields_change(local, town_director):
    with pytest.raises(ValidationError) as caught:
        item_update(actor=town_director, item=local, name="别的名称")
    assert "name" in caught.value.message_dict
    item_update(actor=town_director, item=local, phone="0571-1", place="二楼")


def test_a_material_may_be_omitted_never_added(local, town_director, standard):
    first = local.materials.get(name="申请书")
    material_remove(actor=town_director, material=first)
    rows = {row.name: row.status for row in item_comparison(local).materials}
    assert rows == {"申请书": Deviation.OMITTED, "身份证": Deviation.SAME}
    with pytest.raises(ValidationError):
        material_add(actor=town_director, item=local, name="村委会证明")
    with pytest.raises(ValidationError):
        material_update(actor=town_director, material=local.materials.get(), copies=3)
    material_update(actor=town_director, material=local.materials.get(), note="本地说明")
    restored = standard_material_restore(
        actor=town_director, item=local, material=standard.materials.get(name="申请书")
    )
    assert restored.standard_material is not None
    assert restored.standard_material.name == "申请书"


def test_a_governed_change_raises_the_revision_and_asks_for_review(
    local, standard, director, town_director
):
    item_update(actor=director, item=standard, place="三楼")  # a local field: no revision
    standard.refresh_from_db()
    assert standard.revision == 1
    item_update(actor=director, item=standard, promised_days=6)
    material_add(actor=director, item=standard, name="承诺书")
    standard.refresh_from_db()
    assert standard.revision == 3
    review = StandardReview.objects.get(item=local)  # one pending review, extended
    assert (review.from_revision, review.to_revision) == (1, 3)
    assert review.changed_fields == ["promised_days", "materials"]
    comparison = item_comparison(local)
    assert comparison.outdated
    statuses = {row.name: row.status for row in comparison.fields}
    assert statuses["promised_days"] == Deviation.OUTDATED
    assert {row.name: row.status for row in comparison.materials}["承诺书"] == Deviation.OUTDATED
    # Keeping 8 days against a standard of 6 is not allowed: only apply.
    assert review_actions(town_director, review) == [ReviewAction.APPLY]
    with pytest.raises(ValidationError):
        standard_review_act(actor=town_director, review=review, action=ReviewAction.KEEP)
    standard_review_act(actor=town_director, review=review, action=ReviewAction.APPLY)
    local.refresh_from_db()
    assert local.promised_days == 6 and local.standard_revision == 3
    assert list(local.materials.values_list("name", flat=True)) == ["申请书", "身份证", "承诺书"]
    review.refresh_from_db()
    assert review.state == ReviewState.APPLIED
    assert not item_comparison(local).outdated
    assert Event.objects.filter(action="standard.review_apply").count() == 1
    with pytest.raises(Conflict):  # reviewed already
        standard_review_act(actor=town_director, review=review, action=ReviewAction.APPLY)


def test_keeping_an_allowed_deviation(local, standard, director, town_director, other_department):
    item_update(actor=town_director, item=local, promised_days=3)
    material_remove(actor=town_director, material=local.materials.get(name="身份证"))
    item_update(actor=director, item=standard, promised_days=6)
    review = StandardReview.objects.get(item=local, state=ReviewState.PENDING)
    assert set(review_actions(town_director, review)) == {ReviewAction.APPLY, ReviewAction.KEEP}
    standard_review_act(actor=town_director, review=review, action=ReviewAction.KEEP)
    local.refresh_from_db()
    assert local.promised_days == 3 and local.standard_revision == 2
    assert Event.objects.filter(action="standard.review_keep").exists()
    overview = county_overview(standard.center)
    assert [row.standard for row in overview] == [standard]
    assert overview[0].deviating == 1 and overview[0].behind == 0


def test_only_a_manager_of_the_local_center_reviews(local, standard, director, town, county):
    item_update(actor=director, item=standard, promised_days=6)
    review = StandardReview.objects.get(item=local)
    stranger = make_staff(
        Role.DIRECTOR,
        CenterFactory(code="330103", name="三镇", level=CenterLevel.TOWN, parent=county),
    )
    assert review_actions(stranger, review) == []
    with pytest.raises(ValidationError):
        standard_review_act(actor=stranger, review=review, action=ReviewAction.APPLY)
    assert ServiceItem.objects.get(pk=local.pk).promised_days == 8
    assert Material.objects.filter(item=local).count() == 2


# --- pages and API -------------------------------------------------------------------------------


def test_the_pages_adopt_compare_and_review(
    client_as, town, town_office, town_director, standard, director
):
    client = client_as(town_director)
    page = client.get(reverse("workbench:standard_adopt", args=[town.pk]))
    assert page.status_code == 200 and standard.name in page.content.decode()
    refused = client.post(reverse("workbench:standard_adopt", args=[town.pk]), {"items": []})
    assert refused.status_code == 422
    assert not ServiceItem.objects.filter(center=town).exists()
    done = client.post(
        reverse("workbench:standard_adopt", args=[town.pk]),
        {"items": [standard.pk], "department": town_office.pk},
    )
    assert done.status_code == 302
    local = ServiceItem.objects.get(center=town, standard=standard)
    item_update(actor=director, item=standard, promised_days=6)
    listing = client.get(reverse("workbench:standard_list")).content.decode()
    assert "标准事项有变更，待审核" in listing
    assert "标准事项有变更，待审核" in client.get(reverse("workbench:items")).content.decode()
    compare = client.get(reverse("workbench:standard_compare", args=[local.pk]))
    assert compare.status_code == 200 and "应用标准" in compare.content.decode()
    review = StandardReview.objects.get(item=local)
    client.post(reverse("workbench:standard_review", args=[review.pk, "apply"]))
    review.refresh_from_db()
    assert review.state == ReviewState.APPLIED
    # Another town's director sees none of it.
    other = make_staff(
        Role.DIRECTOR,
        CenterFactory(code="330104", name="四镇", level=CenterLevel.TOWN, parent=town.parent),
    )
    client = client_as(other)
    assert client.get(reverse("workbench:standard_compare", args=[local.pk])).status_code == 404
    assert client.get(reverse("workbench:standard_adopt", args=[town.pk])).status_code == 404


def test_the_api_adopts_compares_and_reviews(
    client_as, town, town_office, town_director, standard, director, clerk
):
    client = client_as(town_director)
    url = "/api/v1/catalog/standard/adopt"
    body = {"center_id": town.pk, "department_id": town_office.pk, "item_ids": [standard.pk]}
    made = client.post(url, body, content_type="application/json")
    assert made.status_code == 201, made.content
    local_id = made.json()[0]["id"]
    again = client.post(url, body, content_type="application/json")
    assert again.status_code == 409
    item_update(actor=director, item=standard, promised_days=6)
    compared = client.get(f"/api/v1/catalog/standard/items/{local_id}").json()
    assert compared["outdated"] and compared["review"]["actions"] == ["apply"]
    row = next(r for r in compared["fields"] if r["field"] == "promised_days")
    assert (row["standard"], row["local"], row["status"]) == ("6", "8", "outdated")
    review_id = compared["review"]["id"]
    kept = client.post(f"/api/v1/catalog/standard/reviews/{review_id}/keep")
    assert kept.status_code == 422 and "6" in kept.json()["detail"]
    applied = client.post(f"/api/v1/catalog/standard/reviews/{review_id}/apply")
    assert applied.status_code == 200 and not applied.json()["outdated"]
    assert client_as(clerk).get(f"/api/v1/catalog/standard/items/{local_id}").status_code == 404


def test_the_demo_town_adopts_five_items_one_review_pending(county):
    # The demo's county items and town (the whole demo hall is slow to build): same names.
    town = CenterFactory(
        code=TOWN, name="城关镇便民服务中心", level=CenterLevel.TOWN, parent=county
    )
    for code in ("SHSW", "LDBZ", "NYNC"):
        DepartmentFactory(center=town, code=code)
    department = DepartmentFactory(center=county, code="RS")
    for name, _code in ADOPTED:
        item = ServiceItemFactory(center=county, department=department, name=name)
        MaterialFactory(item=item, name="居民户口簿")
        MaterialFactory(item=item, name="申请表")
    assert load_demo_standard_list() == 5
    from_town = ServiceItem.objects.filter(center=town, standard__isnull=False)
    deviating = {row.item.name for row in adoption_rows(from_town) if row.deviations}
    assert deviating == {"乡村建设规划许可证核发", "城乡居民基本养老保险参保登记", "社会保障卡申领"}
    pending = StandardReview.objects.filter(item__in=from_town, state=ReviewState.PENDING)
    assert [review.standard.name for review in pending] == ["社会保障卡申领"]
    assert load_demo_standard_list() == 0  # idempotent
    assert StandardReview.objects.filter(item__in=from_town).count() == 1
