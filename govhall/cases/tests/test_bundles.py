"""一件事 applications (issue 19 item 5): one application makes the linked cases atomically (a
refusal or a failure on any item leaves nothing), twice is once, and the bundle's promise runs
from the first acceptance by the center calendar."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from govhall.cases.models import Case, CaseBundle, CaseMaterial, PrereviewTask
from govhall.cases.services import bundles as bundle_services
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.bundles import case_bundle_receive, case_bundle_submit_online
from govhall.cases.services.intake import MaterialCheck
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.catalog.services.bundles import bundle_save
from govhall.testing.cases import PERSON_ID
from govhall.workdays.queries.calendar import calendar_for

pytestmark = pytest.mark.django_db

AT = timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 0))  # a Wednesday


@pytest.fixture
def bundle(county, case_item, full_item):
    data = {"code": "YJS-REST", "name": "开办餐馆", "promised_days": 3}
    return bundle_save(actor=None, center=county, data=data, item_ids=[case_item.pk, full_item.pk])


def _checks(item, **overrides):
    """Checks of the merged materials (named by the first item's materials)."""
    return [
        MaterialCheck(material_id=m.pk, received=overrides.get(m.name, True))
        for m in item.materials.all()
    ]


def test_window_intake_makes_linked_accepted_cases_and_the_promise(
    bundle, case_item, full_item, hall_window, clerk, applicant_data
):
    application, created = case_bundle_receive(
        actor=clerk,
        bundle=bundle,
        window=hall_window,
        applicant=applicant_data,
        materials=_checks(case_item),
        idempotency_key="k-1",
        at=AT,
    )
    assert created and application.number.startswith(f"YJS{bundle.center.code}20260304")
    cases = list(Case.objects.filter(bundle=application).order_by("pk"))
    assert [c.item_id for c in cases] == [case_item.pk, full_item.pk]
    assert all(c.status == CaseStatus.ACCEPTED for c in cases)
    # each case has its own materials, all received (copied from the shared set)
    for case in cases:
        rows = CaseMaterial.objects.filter(case=case)
        assert rows.count() == 3 and all(r.received for r in rows)
    expected = calendar_for(bundle.center_id).add_workdays(AT.date(), 3)
    assert application.promised_due_on == expected
    # the same key again: the same application, nothing new
    again, created = case_bundle_receive(
        actor=clerk,
        bundle=bundle,
        window=hall_window,
        applicant=applicant_data,
        materials=_checks(case_item),
        idempotency_key="k-1",
        at=AT,
    )
    assert again == application and not created
    assert Case.objects.count() == 2 and CaseBundle.objects.count() == 1


def test_a_missing_main_material_refuses_the_whole_bundle(
    bundle, case_item, hall_window, clerk, applicant_data
):
    with pytest.raises(ValidationError) as refused:
        case_bundle_receive(
            actor=clerk,
            bundle=bundle,
            window=hall_window,
            applicant=applicant_data,
            materials=_checks(case_item, 身份证明=False),
            at=AT,
        )
    assert "身份证明" in str(refused.value.message_dict["bundle"])
    assert not Case.objects.exists() and not CaseBundle.objects.exists()


def test_a_failure_on_the_second_item_leaves_nothing(
    bundle, case_item, applicant_data, monkeypatch
):
    real = bundle_services.intake.case_submit_online
    calls = []

    def failing(**kwargs):
        calls.append(kwargs["item"])
        if len(calls) == 2:
            raise ValidationError("forced")
        return real(**kwargs)

    monkeypatch.setattr(bundle_services.intake, "case_submit_online", failing)
    ServiceItem.objects.update(online_available=True)
    with pytest.raises(ValidationError) as refused:
        case_bundle_submit_online(
            actor=None,
            bundle=bundle,
            applicant=applicant_data,
            materials=_checks(case_item),
            idempotency_key="online-1",
            at=AT,
        )
    assert len(calls) == 2 and "forced" in str(refused.value)
    assert not Case.objects.exists() and not CaseBundle.objects.exists()
    assert not PrereviewTask.objects.exists()


def test_online_cases_wait_for_prereview_and_the_promise_starts_at_acceptance(
    bundle, case_item, full_item, applicant_data, clerk, hall_window
):
    ServiceItem.objects.update(online_available=True)
    application, created = case_bundle_submit_online(
        actor=None,
        bundle=bundle,
        applicant=applicant_data,
        materials=_checks(case_item),
        idempotency_key="online-2",
    )
    cases = list(Case.objects.filter(bundle=application))
    assert created and len(cases) == 2
    assert all(c.status == CaseStatus.SUBMITTED for c in cases)
    assert PrereviewTask.objects.filter(case__in=cases).count() >= 2
    assert application.promised_due_on is None  # nothing accepted yet
    # the first acceptance (pre-review passed, then accepted) starts the promise
    first = next(c for c in cases if c.item_id == case_item.pk)
    first = case_act(actor=clerk, case=first, action="prereview_pass")
    first = case_act(
        actor=clerk,
        case=first,
        action="accept",
        params=action_params("accept", {"kind": "promised"}),
    )
    application.refresh_from_db()
    assert application.promised_due_on == calendar_for(bundle.center_id).add_workdays(
        timezone.localdate(first.accepted_at), 3
    )


def test_api_window_intake_and_public_list(
    bundle, case_item, hall_window, clerk, clerk_b, client_as, client
):
    listed = client.get("/api/v1/catalog/bundles", {"center": bundle.center.code}).json()
    assert [b["code"] for b in listed] == [bundle.code]
    assert [m["name"] for m in listed[0]["materials"]] == ["申请书", "身份证明", "场所使用证明"]
    applicant = {"kind": "person", "name": "张三丰", "id_number": PERSON_ID, "phone": "13812345678"}
    body = {
        "bundle_code": bundle.code,
        "window_id": hall_window.pk,
        "applicant": applicant,
        "materials": [{"material_id": m.pk, "received": True} for m in case_item.materials.all()],
    }
    api = client_as(clerk)

    def post(data, **headers):
        return api.post("/api/v1/cases/bundles", data, content_type="application/json", **headers)

    missing = dict(body, materials=body["materials"][:1])
    assert post(missing).status_code == 422 and not CaseBundle.objects.exists()
    first = post(body, HTTP_IDEMPOTENCY_KEY="w-1")
    assert first.status_code == 201, first.content
    assert len(first.json()["cases"]) == 2 and first.json()["promised_due_on"]
    assert post(body, HTTP_IDEMPOTENCY_KEY="w-1").status_code == 200
    assert CaseBundle.objects.count() == 1
    other = client_as(clerk_b).post(
        "/api/v1/cases/bundles", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="w-1"
    )
    assert other.status_code == 409
