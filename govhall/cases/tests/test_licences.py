"""Issue 19 item 4: electronic licences. Delivering an approved case of an item that issues
licences issues one (number, GB/T 36904-style identifier with its check character, validity,
issuer, verification token); revocation by the issuing department's leader or management with a
reason; a valid licence of the applicant stands for a material at intake without an upload; the
licence prints as an A4 PDF; the API lists licences in scope and verifies one publicly."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govhall.cases.licence_render import licence_pdf, licence_verify_url
from govhall.cases.models import Case, ElectronicLicence
from govhall.cases.queries.licences import EXPIRED, REVOKED, VALID, licence_offers, licence_state
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.intake import ApplicantData, MaterialCheck, Outcome, case_receive
from govhall.cases.services.licences import check_character, identifier_is_valid, licence_revoke
from govhall.cases.statuses import CaseStatus
from govhall.core.models import Event
from govhall.core.validation import Conflict
from govhall.testing.factories import MaterialFactory

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")
MONDAY = datetime.datetime(2025, 9, 29, 10, tzinfo=TZ)
LATER = MONDAY + datetime.timedelta(hours=2)
OTHER = ApplicantData(
    kind="person", name="李四", id_number="11010519491231002X", phone="13800000000"
)


def deliver(clerk, item, window, applicant, at=MONDAY):
    """An immediate case approved at the window, its certificate made, delivered."""
    case = case_receive(
        actor=clerk,
        item=item,
        window=window,
        applicant=applicant,
        materials=[MaterialCheck(material_id=m.pk, received=True) for m in item.materials.all()],
        outcome=Outcome.IMMEDIATE,
        at=at,
    )
    assert case.status == CaseStatus.APPROVED
    case = case_act(
        actor=clerk,
        case=case,
        action="make_certificate",
        params=action_params("make_certificate", {"certificate_number": "JY1"}),
        at=at + datetime.timedelta(minutes=10),
    )
    last4 = applicant.id_number[-4:]
    return case_act(
        actor=clerk,
        case=case,
        action="deliver",
        params=action_params(
            "deliver", {"method": "pickup", "recipient_name": applicant.name, "id_last4": last4}
        ),
        at=at + datetime.timedelta(minutes=20),
    )


@pytest.fixture
def licensing_item(immediate_item):
    immediate_item.issues_licence = True
    immediate_item.licence_valid_years = 5
    immediate_item.save()
    return immediate_item


@pytest.fixture
def licence(clerk, licensing_item, hall_window, applicant_data) -> ElectronicLicence:
    case = deliver(clerk, licensing_item, hall_window, applicant_data)
    assert case.status == CaseStatus.DELIVERED
    return ElectronicLicence.objects.get(case=case)


def test_delivering_an_approval_issues_one_licence(
    clerk, licence, licensing_item, department, county, applicant_data
):
    assert licence.holder.id_number == applicant_data.id_number
    assert licence.item == licensing_item and licence.department == department
    assert licence.number == f"{department.code}-2025-00001"
    assert licence.valid_from == MONDAY.date()
    assert licence.valid_until == datetime.date(2030, 9, 28)
    assert len(licence.verify_token) >= 40 and licence.issued_by == clerk
    issuer, type_code, serial, check = licence.identifier.split(".")
    assert issuer == f"{county.code}{department.code}".upper().replace("-", "")
    assert type_code == licensing_item.code.upper().replace("-", "")
    assert serial == "202500001" and check == check_character(issuer + type_code + serial)
    assert identifier_is_valid(licence.identifier)
    # One changed character breaks the check.
    broken = licence.identifier[:-3] + ("2" if licence.identifier[-3] != "2" else "3")
    assert not identifier_is_valid(broken + licence.identifier[-2:])
    assert Event.objects.filter(action="licence.issue", object_id=str(licence.pk)).exists()
    assert licence_state(licence, MONDAY) == VALID
    assert licence_state(licence, datetime.date(2030, 9, 29)) == EXPIRED


def test_serials_count_per_department_and_year(clerk, licence, licensing_item, hall_window):
    second = deliver(clerk, licensing_item, hall_window, OTHER, at=MONDAY + datetime.timedelta(1))
    assert second.licence.number.endswith("-2025-00002")
    assert second.licence.identifier != licence.identifier


def test_no_licence_for_items_that_issue_none_or_for_a_denial(
    clerk, immediate_item, hall_window, applicant_data
):
    case = deliver(clerk, immediate_item, hall_window, applicant_data)
    assert case.status == CaseStatus.DELIVERED
    assert not ElectronicLicence.objects.exists()


def test_the_issuing_department_leader_revokes_with_a_reason(licence, dept_leader, clerk, outsider):
    for who in (clerk, outsider):
        with pytest.raises(ValidationError):
            licence_revoke(actor=who, licence=licence, reason="吊销")
    with pytest.raises(ValidationError) as error:
        licence_revoke(actor=dept_leader, licence=licence, reason=" ")
    assert "reason" in error.value.message_dict
    licence.refresh_from_db()
    assert licence.revoked_at is None
    revoked = licence_revoke(actor=dept_leader, licence=licence, reason="以欺骗手段取得", at=LATER)
    assert revoked.revoked_at == LATER and licence_state(revoked) == REVOKED
    event = Event.objects.get(action="licence.revoke", object_id=str(licence.pk))
    assert event.note == "以欺骗手段取得" and event.actor == dept_leader
    with pytest.raises(Conflict):
        licence_revoke(actor=dept_leader, licence=revoked, reason="again")


def test_a_director_of_the_center_revokes_too(licence, director):
    assert licence_revoke(actor=director, licence=licence, reason="注销").revoked_at is not None


# --- a licence accepted as a material -----------------------------------------------------------


@pytest.fixture
def needing_item(case_item, licensing_item):
    """食品经营许可 asks for the licence of the item above (营业执照 in the demo)."""
    return MaterialFactory(
        item=case_item,
        name="个体户名称变更证明",
        is_main=True,
        position=5,
        licence_item=licensing_item,
    ).item


def _checks(item, licence_id):
    return [
        MaterialCheck(
            material_id=m.pk,
            received=m.licence_item_id is None,
            licence=licence_id if m.licence_item_id else None,
        )
        for m in item.materials.all()
    ]


def test_a_valid_licence_stands_for_the_material_without_an_upload(
    clerk, licence, needing_item, hall_window, applicant_data
):
    material = needing_item.materials.get(licence_item__isnull=False)
    offers = licence_offers(
        id_number=applicant_data.id_number, materials=needing_item.materials.all(), now=LATER
    )
    assert offers == {material.pk: licence}
    case = case_receive(
        actor=clerk,
        item=needing_item,
        window=hall_window,
        applicant=applicant_data,
        materials=_checks(needing_item, licence.pk),
        outcome=Outcome.PROMISED,
        at=LATER,
    )
    assert case.status == CaseStatus.ACCEPTED
    row = case.materials.get(material=material)
    assert row.received and row.licence_id == licence.pk and not row.file
    event = Event.objects.get(action="case.receive", object_id=str(case.pk))
    assert event.data["licences"] == {material.name: licence.pk}


def test_a_revoked_or_someone_elses_licence_does_not_stand_for_it(
    clerk, dept_leader, licence, needing_item, hall_window, applicant_data
):
    with pytest.raises(ValidationError):
        case_receive(
            actor=clerk,
            item=needing_item,
            window=hall_window,
            applicant=OTHER,
            materials=_checks(needing_item, licence.pk),
            outcome=Outcome.PROMISED,
            at=LATER,
        )
    licence_revoke(actor=dept_leader, licence=licence, reason="注销", at=LATER)
    assert (
        licence_offers(
            id_number=applicant_data.id_number, materials=needing_item.materials.all(), now=LATER
        )
        == {}
    )
    with pytest.raises(ValidationError) as error:
        case_receive(
            actor=clerk,
            item=needing_item,
            window=hall_window,
            applicant=applicant_data,
            materials=_checks(needing_item, licence.pk),
            outcome=Outcome.PROMISED,
            at=LATER,
        )
    assert "materials" in error.value.message_dict
    assert Case.objects.count() == 1


def test_the_intake_page_offers_the_licence_and_the_case_page_shows_it(
    client_as, clerk, licence, needing_item
):
    from govhall.testing.cases import intake_data

    material = needing_item.materials.get(licence_item__isnull=False)
    client = client_as(clerk)
    data = intake_data(needing_item, key="k-lic", missing={material.name})
    html = client.post(
        reverse("workbench:case_intake_proposal"),
        data,
        HTTP_HX_REQUEST="true",
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert f'data-licence="{licence.number}"' in html
    shown = {
        **data,
        f"licence_offer_{material.pk}": str(licence.pk),
        f"licence_{material.pk}": str(licence.pk),
    }
    response = client.post(reverse("workbench:case_intake"), shown, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    case = Case.objects.exclude(pk=licence.case_id).get()
    assert case.materials.get(material=material).licence_id == licence.pk
    detail = client.get(reverse("workbench:case", args=[case.pk])).content.decode()
    assert f'data-licence="{licence.number}"' in detail


# --- the PDF, the staff page and the API --------------------------------------------------------


def test_the_licence_prints_as_a_pdf_with_its_verification_address(licence):
    url = licence_verify_url(licence)
    assert url.endswith(f"/licences/verify/{licence.verify_token}/")
    data = licence_pdf(licence, verify_url=url)
    assert data.startswith(b"%PDF") and len(data) > 2000


def test_the_staff_page_lists_in_scope_and_revokes(
    client_as, licence, dept_leader, clerk, outsider
):
    page = client_as(clerk).get(reverse("workbench:licences"))
    html = page.content.decode()
    assert page.status_code == 200 and licence.number in html
    assert licence.holder.id_number not in html  # masked
    assert "licence_revoke" not in html and f"/licences/{licence.pk}/revoke/" not in html
    assert (
        client_as(clerk)
        .post(reverse("workbench:licence_revoke", args=[licence.pk]), {"reason": "x"})
        .status_code
        == 404
    )
    pdf = client_as(clerk).get(reverse("workbench:licence_pdf", args=[licence.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    leader = client_as(dept_leader)
    assert (
        f"/licences/{licence.pk}/revoke/"
        in leader.get(reverse("workbench:licences")).content.decode()
    )
    leader.post(reverse("workbench:licence_revoke", args=[licence.pk]), {"reason": "注销"})
    licence.refresh_from_db()
    assert licence.revoked_at is not None and licence.revoke_reason == "注销"
    stranger = client_as(outsider)
    assert licence.number not in stranger.get(reverse("workbench:licences")).content.decode()


def test_the_staff_list_costs_a_fixed_number_of_queries(
    client_as, clerk, licensing_item, hall_window, applicant_data
):
    deliver(clerk, licensing_item, hall_window, applicant_data)
    client = client_as(clerk)
    client.get(reverse("workbench:licences"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("workbench:licences"))
    deliver(clerk, licensing_item, hall_window, OTHER, at=MONDAY + datetime.timedelta(1))
    with CaptureQueriesContext(connection) as two:
        client.get(reverse("workbench:licences"))
    assert len(two) == len(one)
    with CaptureQueriesContext(connection) as api_one:
        client.get("/api/v1/licences/")
    deliver(
        clerk,
        licensing_item,
        hall_window,
        ApplicantData(
            kind="person", name="王五", id_number="110105194912310038", phone="13800000001"
        ),
        at=MONDAY + datetime.timedelta(2),
    )
    with CaptureQueriesContext(connection) as api_two:
        client.get("/api/v1/licences/")
    assert len(api_two) == len(api_one)


def test_the_api_lists_by_holder_in_scope_and_masks_ids(client_as, clerk, licence, applicant_data):
    client = client_as(clerk)
    body = client.get("/api/v1/licences/", {"holder": applicant_data.id_number}).json()
    assert body["count"] == 1
    row = body["items"][0]
    assert row["number"] == licence.number and row["state"] == "valid"
    assert row["holder_id_number"] != applicant_data.id_number
    assert client.get("/api/v1/licences/", {"holder": OTHER.id_number}).json()["count"] == 0


def test_the_api_revokes_for_the_leader_only(client_as, clerk, dept_leader, licence):
    url = f"/api/v1/licences/{licence.pk}/revoke"
    assert (
        client_as(clerk).post(url, {"reason": "x"}, content_type="application/json").status_code
        == 404
    )
    leader = client_as(dept_leader)
    assert leader.post(url, {"reason": ""}, content_type="application/json").status_code == 422
    ok = leader.post(url, {"reason": "注销"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "revoked"
    assert leader.post(url, {"reason": "again"}, content_type="application/json").status_code == 409
