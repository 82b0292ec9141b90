"""Issue 19 item 4: the applicant's material library. An accepted case keeps each received
material (one per name per case, with its file, the case, when and by whom); the library is THE
reuse rule at intake: an unexpired, not withdrawn entry for the same catalog material or the same
normalised name; the clerk sees when, on which case and by whom it was verified."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from govhall.cases.models import ApplicantMaterial, Case, CaseMaterial
from govhall.cases.queries.reuse import normalise_name, reuse_offers
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.intake import MaterialCheck, Outcome, case_receive
from govhall.cases.services.library import library_keep
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import Material
from govhall.core.models import Event
from govhall.testing.cases import intake_data
from govhall.testing.factories import MaterialFactory, ServiceItemFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2025, 9, 29, 10, tzinfo=TZ)
TUESDAY = datetime.datetime(2025, 9, 30, 10, tzinfo=TZ)


def all_in(item, **reused):
    return [
        MaterialCheck(
            material_id=m.pk, received=m.name not in reused, reused_from=reused.get(m.name)
        )
        for m in item.materials.all()
    ]


def receive(clerk, item, window, applicant, materials, at=MONDAY, outcome=Outcome.PROMISED):
    return case_receive(
        actor=clerk,
        item=item,
        window=window,
        applicant=applicant,
        materials=materials,
        outcome=outcome,
        at=at,
    )


@pytest.fixture
def earlier(clerk, case_item, hall_window, applicant_data) -> Case:
    case = receive(clerk, case_item, hall_window, applicant_data, all_in(case_item))
    assert case.status == CaseStatus.ACCEPTED
    return case


def test_an_accepted_case_keeps_its_received_materials(clerk, earlier):
    entries = list(ApplicantMaterial.objects.order_by("name"))
    assert {e.name for e in entries} == {"申请书", "场所使用证明", "身份证明"}
    for entry in entries:
        assert entry.applicant_id == earlier.applicant_id
        assert entry.verified_on_case_id == earlier.pk
        assert entry.verified_by_id == clerk.pk
        assert entry.verified_at == MONDAY
        assert entry.material_id is not None and entry.withdrawn_at is None
        assert entry.valid_until == MONDAY.date() + datetime.timedelta(days=365)
    event = Event.objects.get(action="library.keep", object_id=str(earlier.pk))
    assert set(event.data["materials"]) == {"申请书", "场所使用证明", "身份证明"}
    # Idempotent: one entry per material name per case.
    assert library_keep(case=earlier, actor=clerk) == []
    assert ApplicantMaterial.objects.count() == 3


def test_a_case_not_accepted_keeps_nothing(clerk, case_item, hall_window, applicant_data):
    missing = [
        MaterialCheck(material_id=m.pk, received=m.name != "场所使用证明")
        for m in case_item.materials.all()
    ]
    case = receive(
        clerk, case_item, hall_window, applicant_data, missing, outcome=Outcome.SUPPLEMENT
    )
    assert case.status == CaseStatus.AWAITING_SUPPLEMENT
    assert not ApplicantMaterial.objects.exists()
    # Once accepted, what was received then is kept.
    attachment = case.materials.get(name="场所使用证明")
    case = case_act(
        actor=clerk,
        case=case,
        action="receive_supplement",
        params=action_params("receive_supplement", {"received": [attachment.pk]}),
        at=MONDAY + datetime.timedelta(hours=1),
    )
    case_act(actor=clerk, case=case, action="accept", at=MONDAY + datetime.timedelta(hours=2))
    assert ApplicantMaterial.objects.filter(verified_on_case=case).count() == 3


def test_the_library_offers_by_catalog_material_or_normalised_name(
    county, department, applicant_data, earlier, case_item
):
    other = ServiceItemFactory(center=county, department=department, code="ITEM-OTHER")
    same_name = MaterialFactory(item=other, name=" 身份 证明 ", position=1)
    different = MaterialFactory(item=other, name="营业执照", position=2)
    offers = reuse_offers(
        id_number=applicant_data.id_number,
        materials=list(Material.objects.filter(pk__in=[same_name.pk, different.pk])),
        now=TUESDAY,
    )
    assert set(offers) == {same_name.pk}
    offer = offers[same_name.pk]
    assert offer.case_id == earlier.pk and offer.case_number == earlier.number
    assert offer.verified_on == MONDAY.date() and offer.verified_by
    assert normalise_name("身份证明") == normalise_name(" 身份　证明 ")


def test_withdrawn_expired_or_voided_entries_are_not_offered(
    clerk, applicant_data, earlier, case_item
):
    identity = case_item.materials.get(name="身份证明")
    materials = list(case_item.materials.all())

    def offered(now=TUESDAY):
        return reuse_offers(id_number=applicant_data.id_number, materials=materials, now=now)

    assert identity.pk in offered()
    ApplicantMaterial.objects.filter(name="身份证明").update(withdrawn_at=TUESDAY)
    assert identity.pk not in offered()
    entry = ApplicantMaterial.objects.get(name="申请书")
    application = case_item.materials.get(name="申请书")
    assert application.pk in offered()
    assert entry.valid_until is not None
    after_expiry = datetime.datetime.combine(
        entry.valid_until + datetime.timedelta(days=1), datetime.time(10), tzinfo=TZ
    )
    assert application.pk not in offered(after_expiry)
    Case.objects.filter(pk=earlier.pk).update(status=CaseStatus.VOIDED)
    assert offered() == {}


def test_reuse_at_intake_records_the_library_entry_and_is_not_kept_twice(
    clerk, case_item, hall_window, applicant_data, earlier
):
    case = receive(
        clerk,
        case_item,
        hall_window,
        applicant_data,
        all_in(case_item, 身份证明=earlier.pk),
        at=TUESDAY,
    )
    row = case.materials.get(name="身份证明")
    entry = ApplicantMaterial.objects.get(verified_on_case=earlier, name="身份证明")
    assert row.received and row.reused_from_id == earlier.pk and row.library_entry_id == entry.pk
    # The reused material is not kept again; the others, verified now, are.
    assert not ApplicantMaterial.objects.filter(verified_on_case=case, name="身份证明").exists()
    assert ApplicantMaterial.objects.filter(verified_on_case=case).count() == 2


def test_reuse_from_a_withdrawn_entry_is_refused(
    clerk, case_item, hall_window, applicant_data, earlier
):
    ApplicantMaterial.objects.filter(name="身份证明").update(withdrawn_at=MONDAY)
    with pytest.raises(ValidationError) as error:
        receive(
            clerk,
            case_item,
            hall_window,
            applicant_data,
            all_in(case_item, 身份证明=earlier.pk),
            at=TUESDAY,
        )
    assert "materials" in error.value.message_dict
    assert Case.objects.count() == 1


def test_online_reuse_names_the_library_entry(
    clerk, case_item, hall_window, applicant_data, earlier
):
    from govhall.cases.services.intake import case_submit_online

    entry = ApplicantMaterial.objects.get(name="身份证明")
    case_item.online_available = True
    case_item.save()
    checks = [
        MaterialCheck(
            material_id=m.pk,
            received=m.name != "身份证明",
            library_entry=entry.pk if m.name == "身份证明" else None,
        )
        for m in case_item.materials.all()
    ]
    case, created = case_submit_online(
        actor=clerk,
        item=case_item,
        applicant=applicant_data,
        materials=checks,
        idempotency_key=None,
        at=TUESDAY,
    )
    row = case.materials.get(name="身份证明")
    assert created and row.received and row.library_entry_id == entry.pk
    assert row.reused_from_id == earlier.pk


def test_the_clerk_sees_when_on_which_case_and_by_whom(
    client_as, clerk, case_item, hall_window, applicant_data
):
    earlier = case_receive(
        actor=clerk,
        item=case_item,
        window=hall_window,
        applicant=applicant_data,
        materials=all_in(case_item),
        outcome="promised",
    )
    identity = case_item.materials.get(name="身份证明")
    client = client_as(clerk)
    data = intake_data(case_item, key="k-lib", missing={"身份证明"})
    html = client.post(
        reverse("workbench:case_intake_proposal"),
        data,
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    offer = re.search(rf'<div class="reuse" id="reuse-{identity.pk}".*?</div>', html, re.S)
    assert offer is not None
    who = clerk.get_full_name() or clerk.username
    assert f"verified before on case {earlier.number}" in offer.group(0)
    assert f"by {who}" in offer.group(0)
    shown = {**data, f"reuse_offer_{identity.pk}": str(earlier.pk)}
    client.post(
        reverse("workbench:case_intake"),
        {**shown, f"reuse_{identity.pk}": str(earlier.pk)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    case = Case.objects.exclude(pk=earlier.pk).get()
    detail = client.get(
        reverse("workbench:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert f"reused from case {earlier.number}" in detail and who in detail
    assert CaseMaterial.objects.filter(case=case, library_entry__isnull=False).count() == 1
