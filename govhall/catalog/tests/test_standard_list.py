"""One item list across levels (issue 21 item 5, seeds/000… 篇2 二(二)): a town adopts the county's
standard items, deviates within the rule (shorter limits, omitted materials), and reviews a
change of the standard; the side-by-side comparison, its page and its API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govhall.catalog.models import Material, ReviewState, ServiceItem, StandardReview
from govhall.catalog.queries.standard_list import Deviation, county_overview, item_comparison
from govhall.catalog.services.items import item_update
from govhall.catalog.services.materials import material_add, material_remove, material_update
from govhall.catalog.services.standard_list import (
    review_actions,
    standard_adopt,
    standard_material_restore,
    standard_review_act,
)
from govhall.catalog.standard_transitions import ReviewAction
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
