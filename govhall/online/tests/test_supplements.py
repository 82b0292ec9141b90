"""A supplement answered online (issue 19 item 2): only the listed materials, checked by content;
the case goes back to pre-review with every department's task pending again."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from govhall.cases.models import Case
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.prereview import prereview_task_decide
from govhall.cases.statuses import CaseStatus, PrereviewStatus
from govhall.core.models import Event
from govhall.core.validation import Conflict
from govhall.online.services.supplements import supplement_materials, supplement_submit
from govhall.testing.online import make_account, sign_in_online
from govhall.testing.online_cases import JointOnline, joint_online_case
from govhall.testing.online_files import pdf_bytes, png_bytes, upload_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _asked(county, case_item, applicant_data, clerk) -> tuple[JointOnline, Case]:
    """A joint online case whose first material the clerk asked for (one-time notice)."""
    joint = joint_online_case(county, case_item, applicant_data)
    case = joint.case
    prereview_task_decide(
        actor=joint.second_clerk,
        task=case.prereview_tasks.get(department=joint.second),
        passed=True,
        opinion="",
    )
    material = case.materials.order_by("position", "id")[0]
    case = case_act(
        actor=clerk,
        case=case,
        action="request_supplement",
        params=action_params("request_supplement", {"missing": [material.pk]}),
    )
    return joint, case


def _owner(case: Case):  # type: ignore[no-untyped-def]
    account = make_account(name=case.applicant.name, id_number=case.applicant.id_number)
    account.applicant = case.applicant
    account.save(update_fields=["applicant"])
    return account


def test_the_listed_material_uploaded_sends_the_case_back_to_pre_review(
    media, county, case_item, applicant_data, clerk
):
    _joint, case = _asked(county, case_item, applicant_data, clerk)
    account = _owner(case)
    listed = supplement_materials(case)
    assert len(listed) == 1
    material = listed[0]
    fresh = supplement_submit(
        account=account, case_id=case.pk, files={material.pk: upload_of(pdf_bytes(), "x.pdf")}
    )
    assert fresh.status == CaseStatus.SUBMITTED
    material.refresh_from_db()
    assert material.received and material.file and material.content_type == "application/pdf"
    assert material.size == len(pdf_bytes()) and len(material.sha256) == 64
    assert not material.file.name.endswith("x.pdf")  # a random name, never the applicant's
    # every department pre-reviews again
    assert set(fresh.prereview_tasks.values_list("status", flat=True)) == {PrereviewStatus.PENDING}
    actions = set(Event.objects.for_object(fresh).values_list("action", flat=True))
    assert {"case.submit_supplement", "case_supplement.submit"} <= actions
    # the window that asked sees it again
    assert fresh.window_id is not None
    # and it cannot be sent twice
    with pytest.raises(Conflict):
        supplement_submit(
            account=account, case_id=case.pk, files={material.pk: upload_of(pdf_bytes())}
        )


def test_only_the_listed_materials_and_sound_files(media, county, case_item, applicant_data, clerk):
    _joint, case = _asked(county, case_item, applicant_data, clerk)
    account = _owner(case)
    material = supplement_materials(case)[0]
    other = case.materials.exclude(pk=material.pk)[0]
    refusals = [
        {},  # nothing uploaded
        {material.pk: upload_of(b"MZ\x90\x00" + b"\x00" * 200, "virus.pdf")},  # renamed exe
        {material.pk: upload_of(pdf_bytes()), other.pk: upload_of(png_bytes(), "a.png")},
    ]
    for files in refusals:
        with pytest.raises(ValidationError):
            supplement_submit(account=account, case_id=case.pk, files=files)
    case.refresh_from_db()
    assert case.status == CaseStatus.AWAITING_SUPPLEMENT
    material.refresh_from_db()
    assert not material.received and not material.file


def test_another_account_cannot_answer(media, county, case_item, applicant_data, clerk):
    _joint, case = _asked(county, case_item, applicant_data, clerk)
    stranger = make_account(name="李四")
    material = supplement_materials(case)[0]
    with pytest.raises(Http404):
        supplement_submit(
            account=stranger, case_id=case.pk, files={material.pk: upload_of(pdf_bytes())}
        )


def test_the_supplement_page(client, media, county, case_item, applicant_data, clerk):
    _joint, case = _asked(county, case_item, applicant_data, clerk)
    account = _owner(case)
    material = supplement_materials(case)[0]
    url = reverse("portal:apply_supplement", args=[case.pk])
    stranger = make_account(name="李四")
    sign_in_online(client, stranger)
    assert client.get(url).status_code == 404
    client.cookies.clear()
    sign_in_online(client, account)
    page = client.get(url)
    assert page.status_code == 200 and material.name in page.content.decode()
    refused = client.post(url, {f"material_{material.pk}": upload_of(b"not a pdf", "a.pdf")})
    assert refused.status_code == 422
    sent = client.post(url, {f"material_{material.pk}": upload_of(pdf_bytes(), "a.pdf")})
    assert sent.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
