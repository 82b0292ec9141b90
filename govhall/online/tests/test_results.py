"""Results reach the applicant online (issue 19 item 2): messages on the page of each verified
account of the applicant (with the SMS), notices as PDFs for the owner only, and the choice of
pickup or express until the result is handed over."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse

from govhall.cases.models import Case
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.statuses import CaseStatus
from govhall.core.models import Event, OutboundMessage
from govhall.core.roles import Role
from govhall.core.validation import Conflict
from govhall.online.models import AccountMessage
from govhall.online.services.results import delivery_choose
from govhall.testing.factories import make_staff
from govhall.testing.online import make_account, sign_in_online
from govhall.testing.online_cases import submit_online
from govhall.testing.online_files import pdf_bytes
from govhall.workbench.cases.forms import action_form

pytestmark = pytest.mark.django_db


def _owner(case: Case, *, verified: bool = True, phone: str | None = None):  # type: ignore[no-untyped-def]
    account = make_account(
        name=case.applicant.name,
        id_number=case.applicant.id_number if verified else None,
        verified=verified,
        phone=phone,
    )
    account.applicant = case.applicant
    account.save(update_fields=["applicant"])
    return account


def _act(clerk, case, action, values=None):  # type: ignore[no-untyped-def]
    return case_act(
        actor=clerk, case=case, action=action, params=action_params(action, values or {})
    )


def test_a_pre_review_return_reaches_each_verified_account(
    django_capture_on_commit_callbacks, full_item, applicant_data, clerk
):
    case = submit_online(full_item, applicant_data)
    owner = _owner(case)
    unverified = _owner(case, verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        _act(clerk, case, "prereview_return", {"reason": "照片不清晰"})
    mine = AccountMessage.objects.get(account=owner)
    assert mine.case_id == case.pk and "照片不清晰" in mine.text and mine.title
    assert not AccountMessage.objects.filter(account=unverified).exists()
    assert OutboundMessage.objects.filter(purpose="case.prereview_returned").count() == 1


def test_supplement_acceptance_decision_and_delivery_are_told(
    django_capture_on_commit_callbacks, immediate_item, applicant_data, clerk
):
    case = submit_online(immediate_item, applicant_data)
    owner = _owner(case)
    with django_capture_on_commit_callbacks(execute=True):
        case = _act(clerk, case, "prereview_pass")
        case = _act(clerk, case, "accept", {"kind": "immediate"})
        case = _act(clerk, case, "deny", {"reason": "不符合条件", "basis": "某条例第三条"})
    titles = list(
        AccountMessage.objects.filter(account=owner).order_by("id").values_list("text", flat=True)
    )
    assert len(titles) == 2 and "已受理" in titles[0] and "不予许可" in titles[1]
    # the applicant chooses express with an address; the clerk's form shows it
    with pytest.raises(ValidationError) as error:
        delivery_choose(account=owner, case_id=case.pk, method="express", address="")
    assert "address" in error.value.message_dict
    delivery_choose(account=owner, case_id=case.pk, method="express", address="县府路1号")
    case.refresh_from_db()
    assert (case.delivery_method, case.delivery_address) == ("express", "县府路1号")
    assert Event.objects.for_object(case).filter(action="case_delivery.choose").exists()
    form = action_form("deliver", case=case)
    assert "县府路1号" in str(form.fields["method"].help_text)
    assert form.fields["method"].initial == "express"
    with django_capture_on_commit_callbacks(execute=True):
        case = _act(
            clerk,
            case,
            "deliver",
            {"method": "express", "recipient_name": "张三丰", "tracking_number": "SF123"},
        )
    assert case.status == CaseStatus.DELIVERED
    last = AccountMessage.objects.filter(account=owner).order_by("-id").first()
    assert last is not None and "SF123" in last.text
    assert OutboundMessage.objects.filter(purpose="case.delivered").count() == 1
    with pytest.raises(Conflict):  # handed over: nothing to choose any more
        delivery_choose(account=owner, case_id=case.pk, method="pickup")


def test_notice_pdfs_for_the_owner_only(client, full_item, applicant_data, clerk):
    case = submit_online(full_item, applicant_data)
    owner = _owner(case)
    case = _act(clerk, case, "prereview_return", {"reason": "照片不清晰"})
    notice = case.notices.get()
    url = reverse("portal:my_case_notice_pdf", args=[case.pk, notice.pk])
    assert client.get(url).status_code == 302  # not signed in: the sign-in page
    stranger = make_account(name="李四")
    sign_in_online(client, stranger)
    assert client.get(url).status_code == 404
    assert client.get(reverse("portal:my_case_results", args=[case.pk])).status_code == 404
    client.cookies.clear()
    sign_in_online(client, owner)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF")
    assert Event.objects.for_object(case).filter(action="case_result.download").count() == 1
    page = client.get(reverse("portal:my_case_results", args=[case.pk])).content.decode()
    assert url in page
    # a notice id of another case is not found under this case
    other = submit_online(full_item, applicant_data, key="other")
    other = _act(clerk, other, "prereview_return", {"reason": "缺件"})
    wrong = reverse("portal:my_case_notice_pdf", args=[case.pk, other.notices.get().pk])
    assert client.get(wrong).status_code == 404


def test_the_staff_file_view_is_scoped_and_logged(
    client, settings, tmp_path, full_item, applicant_data, clerk, other_county
):
    settings.MEDIA_ROOT = tmp_path
    case = submit_online(full_item, applicant_data)
    material = case.materials.all()[0]
    material.file.save("abc.pdf", ContentFile(pdf_bytes()), save=False)
    material.content_type = "application/pdf"
    material.save()
    url = reverse("workbench:case_material_file", args=[case.pk, material.pk])
    outsider = make_staff(Role.CLERK, other_county, username="far_clerk", window_staff=True)
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(clerk)
    response = client.get(url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert Event.objects.for_object(case).filter(action="case.view_personal_data").exists()
