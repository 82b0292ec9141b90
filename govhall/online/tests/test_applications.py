"""Online applications (issue 19 item 2): a draft keeps typed answers (checked by type), a stale
save is refused, uploads are judged by content, submit makes one case with the files on its
materials and the delivery choice, twice is once, and items not offered online are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govhall.cases.models import Case, CaseMaterial
from govhall.cases.statuses import CaseStatus, Channel
from govhall.catalog.models import FieldType, FormField
from govhall.catalog.services.form_fields import check_answers
from govhall.core.models import Event
from govhall.core.validation import Conflict
from govhall.online.events import OnlineEvent
from govhall.online.models import ApplicationFile, ApplicationStatus
from govhall.online.services.applications import (
    application_discard,
    application_file_upload,
    application_save,
    application_start,
    application_submit,
)
from govhall.testing.online import make_account
from govhall.testing.online_apply import GOOD_ANSWERS, offer_online
from govhall.testing.online_files import EXE_BYTES, JPEG_BYTES, PDF_BYTES, PNG_BYTES, upload_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(case_item):
    return offer_online(case_item)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _save(account, application, **changes):
    return application_save(
        account=account,
        application=application,
        version=application.version,
        answers=changes.get("answers", GOOD_ANSWERS),
        delivery_method=changes.get("delivery_method", "express"),
        delivery_address=changes.get("delivery_address", "县城建设路 1 号"),
    )


def _upload_all(account, application, item):
    for material in item.materials.filter(condition=""):
        application_file_upload(
            account=account,
            application=application,
            material=material,
            upload=upload_of(PDF_BYTES, "证件.pdf"),
        )


def test_answers_are_checked_by_type(item):
    fields = list(FormField.objects.filter(item=item))
    FormField.objects.create(
        item=item, position=3, key="opened", label="开业日期", field_type=FieldType.DATE
    )
    FormField.objects.create(
        item=item, position=4, key="staff", label="从业人数", field_type=FieldType.NUMBER
    )
    FormField.objects.create(
        item=item,
        position=5,
        key="owner_id",
        label="负责人身份证号",
        field_type=FieldType.ID_NUMBER,
    )
    fields = list(FormField.objects.filter(item=item))
    bad = {
        "contact_phone": "12345",
        "business": "卖烟花",
        "opened": "2026-13-01",
        "staff": "many",
        "owner_id": "110101199001011234",
    }
    cleaned, errors = check_answers(fields, bad, complete=False)
    assert set(errors.by_field) == {
        "field_contact_phone",
        "field_business",
        "field_opened",
        "field_staff",
        "field_owner_id",
    }
    _, errors = check_answers(fields, {}, complete=False)
    assert not errors  # a draft may be blank
    _, errors = check_answers(fields, {}, complete=True)
    assert {"field_shop_name", "field_business"} <= set(errors.by_field)
    assert "field_contact_phone" not in errors.by_field  # optional
    good = {
        **GOOD_ANSWERS,
        "opened": "2026-12-01",
        "staff": "3",
        "owner_id": make_account().id_number,
    }
    cleaned, errors = check_answers(fields, {**good, "smuggled": "x"}, complete=True)
    assert not errors and cleaned["staff"] == "3" and "smuggled" not in cleaned


def test_draft_save_resume_and_stale_version(item):
    account = make_account()
    application = application_start(account=account, item=item)
    assert application_start(account=account, item=item).pk == application.pk  # resumes
    saved = _save(account, application)
    assert saved.version == application.version + 1 and saved.form_data["shop_name"] == "老张面馆"
    with pytest.raises(Conflict):
        _save(account, application)  # the page showed the old version
    with pytest.raises(ValidationError) as refused:
        _save(account, saved, answers={"contact_phone": "123"})
    assert "field_contact_phone" in refused.value.message_dict


def test_item_not_offered_online_is_refused(case_item):
    with pytest.raises(ValidationError) as refused:
        application_start(account=make_account(), item=case_item)
    assert "item" in refused.value.message_dict


def test_uploads_are_judged_by_content_and_replaced(item, settings):
    account = make_account()
    application = application_start(account=account, item=item)
    material = item.materials.first()
    with pytest.raises(ValidationError):
        application_file_upload(
            account=account,
            application=application,
            material=material,
            upload=upload_of(EXE_BYTES, "scan.pdf"),
        )
    assert not ApplicationFile.objects.exists()
    first = application_file_upload(
        account=account,
        application=application,
        material=material,
        upload=upload_of(PNG_BYTES, "photo.pdf"),
    )
    assert first.content_type == "image/png" and first.file.name.startswith("online/")
    assert first.file.name.endswith(".png") and "photo" not in first.file.name
    second = application_file_upload(
        account=account,
        application=application,
        material=material,
        upload=upload_of(JPEG_BYTES, "photo.jpg"),
    )
    assert ApplicationFile.objects.count() == 1 and second.content_type == "image/jpeg"
    assert Event.objects.filter(action=OnlineEvent.FILE_UPLOAD).count() == 2


def test_submit_makes_one_case_with_files_and_delivery(item):
    account = make_account(name="李四")
    application = application_start(account=account, item=item)
    with pytest.raises(ValidationError) as refused:
        application_submit(account=account, application=application, version=application.version)
    assert any(key.startswith("material_") for key in refused.value.message_dict)
    assert Case.objects.count() == 0
    application = _save(account, application)
    _upload_all(account, application, item)
    case = application_submit(account=account, application=application, version=application.version)
    assert case.status == CaseStatus.SUBMITTED and case.channel == Channel.ONLINE
    assert case.applicant.name == "李四" and case.applicant.id_number == account.id_number
    assert (case.delivery_method, case.delivery_address) == ("express", "县城建设路 1 号")
    rows = CaseMaterial.objects.filter(case=case)
    with_files = rows.exclude(file="")
    assert with_files.count() == item.materials.filter(condition="").count()
    assert all(row.sha256 and row.content_type == "application/pdf" for row in with_files)
    assert rows.filter(not_applicable=True).count() == 1  # the conditional one, not uploaded
    # Twice is once (a double click, a retry with the old page).
    again = application_submit(
        account=account, application=application, version=application.version
    )
    assert again.pk == case.pk and Case.objects.count() == 1
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.case_id == case.pk


def test_discard_deletes_the_files(item):
    account = make_account()
    application = application_start(account=account, item=item)
    _upload_all(account, application, item)
    assert ApplicationFile.objects.count()
    discarded = application_discard(
        account=account, application=application, version=application.version
    )
    assert discarded.status == ApplicationStatus.DISCARDED and not ApplicationFile.objects.exists()


def test_someone_else_cannot_change_my_draft(item):
    mine = application_start(account=make_account(), item=item)
    with pytest.raises(ValidationError):
        _save(make_account(), mine)
