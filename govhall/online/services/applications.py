"""Applying online (issue 19 item 2): a draft an applicant fills in and uploads to, then submits.

Entry points (each for the signed-in `account`, acting for the enterprise `acting_for` when an
agent applies; the pages pass `request.online_account` and the session's `acting_for`):

def application_start(*, account, item, acting_for=None) -> OnlineApplication
def application_start_bundle(*, account, bundle, acting_for=None) -> OnlineApplication
def application_save(*, account, application, version, answers, delivery_method,
                     delivery_address) -> OnlineApplication
def application_file_upload(*, account, application, material, upload) -> ApplicationFile
def application_file_remove(*, account, application, material) -> None
def application_discard(*, account, application, version) -> OnlineApplication
def application_submit(*, account, application, version, at=None) -> Case

Rules:
- only items the catalog offers online (`govhall.catalog.queries.online_forms.online_refusal`:
  published and `online_available`); one open draft per account and item (starting again
  resumes it);
- the form's answers are checked by type on every save (blanks allowed in a draft) and for
  completeness on submit (`govhall.catalog.services.form_fields.check_answers`);
- each save posts the version the page showed; a stale one is refused (Conflict, 409) and the
  page reloads the draft;
- uploads are judged by content (`govhall.core.files.applicant_file_check`: PDF, JPEG, PNG, at
  most GOVHALL_ONLINE_UPLOAD_MAX_BYTES), stored under MEDIA_ROOT/online/ with a random name;
  one per material: a new upload replaces the old one (deleted once committed);
- submit needs every answer required, a file (or a library entry / licence, issue 19 item 4)
  for every material without a condition (a conditional material without one is "not
  applicable"), and a delivery choice (express with an address). It makes the case with
  `case_submit_online` for the applicant of the account (or the enterprise acted for), puts the
  files on the case's materials and the delivery choice on the case, all in one transaction.
  Submitting twice gives the same case.

Issue 19 item 5 (一件事): a draft for a bundle (`bundle` set, `item` None) has the bundle's
shared form (`catalog.queries.bundles.merged_fields`: a key asked once) and one upload per
merged material (stored on the group's representative material); submit makes the
`CaseBundle` and one case per item in one transaction (`case_bundle_submit_online`), each case
with the files of its own materials; `application_submit` then answers the first case (the
application's `case_bundle` holds them all).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import Case
from govhall.cases.services.bundles import case_bundle_submit_online
from govhall.cases.services.intake import ApplicantData, MaterialCheck, case_submit_online
from govhall.cases.services.online_files import SubmittedFile, case_material_files_attach
from govhall.cases.statuses import ApplicantKind, DeliveryMethod
from govhall.catalog.models import Bundle, FormField, Material, ServiceItem
from govhall.catalog.queries.bundles import bundle_refusal, merged_fields, merged_materials
from govhall.catalog.queries.online_forms import form_fields_of, online_refusal
from govhall.catalog.services.form_fields import check_answers
from govhall.core.events import record_event
from govhall.core.files import (
    applicant_file_check,
    applicant_upload_max_bytes,
    read_upload,
    store_checked,
)
from govhall.core.validation import Conflict, FieldErrors, StateRefusal, refusal_error
from govhall.online.events import OnlineEvent
from govhall.online.models import (
    AccountKind,
    ApplicantAccount,
    ApplicationFile,
    ApplicationStatus,
    OnlineApplication,
)

ADDRESS_MAX = OnlineApplication._meta.get_field("delivery_address").max_length or 300
NAME_MAX = ApplicationFile._meta.get_field("original_name").max_length or 200


def _stale() -> Conflict:
    return Conflict(
        {"version": [_("The draft was changed in another window; it has been reloaded.")]}
    )


def _check_owner(account: ApplicantAccount, application: OnlineApplication) -> None:
    """A programming error guard: the pages fetch drafts with `access_application` first."""
    if application.account_id != account.pk:
        raise ValidationError(_("This application is not yours."))


def _lock(
    account: ApplicantAccount, application: OnlineApplication, *, draft: bool = True
) -> OnlineApplication:
    current = (
        # of=self: PostgreSQL refuses FOR UPDATE on the nullable side of the item's outer join
        OnlineApplication.objects.select_for_update(of=("self",))
        .select_related("item", "item__center", "bundle", "bundle__center")
        .get(pk=application.pk)
    )
    _check_owner(account, current)
    if draft and current.status != ApplicationStatus.DRAFT:
        raise refusal_error(StateRefusal(_("This application is no longer a draft.")))
    return current


def _record(application: OnlineApplication, action: str, **data: object) -> None:
    item = application.item
    owner = item or application.bundle
    record_event(
        actor=None,
        action=action,
        obj=application,
        center_id=owner.center_id if owner else None,
        data={"account": application.account_id, **data},
    )


@transaction.atomic
def application_start(
    *,
    account: ApplicantAccount,
    item: ServiceItem,
    acting_for: ApplicantAccount | None = None,
) -> OnlineApplication:
    """The open draft of `account` for `item` (acting for the same enterprise), or a new one."""
    refusal = online_refusal(item)
    if refusal:
        raise ValidationError({"item": [refusal]})
    ApplicantAccount.objects.select_for_update().filter(pk=account.pk).first()
    draft = OnlineApplication.objects.filter(
        account=account, item=item, acting_for=acting_for, status=ApplicationStatus.DRAFT
    ).first()
    if draft is not None:
        return draft
    draft = OnlineApplication.objects.create(
        account=account, acting_for=acting_for, item=item, delivery_method=DeliveryMethod.PICKUP
    )
    _record(draft, OnlineEvent.APPLICATION_SAVE, item=item.pk, created=True)
    return draft


@transaction.atomic
def application_start_bundle(
    *,
    account: ApplicantAccount,
    bundle: Bundle,
    acting_for: ApplicantAccount | None = None,
) -> OnlineApplication:
    """The open draft of `account` for the 一件事 `bundle`, or a new one (issue 19 item 5)."""
    refusal = bundle_refusal(bundle, online=True)
    if refusal:
        raise ValidationError({"bundle": [refusal]})
    ApplicantAccount.objects.select_for_update().filter(pk=account.pk).first()
    draft = OnlineApplication.objects.filter(
        account=account, bundle=bundle, acting_for=acting_for, status=ApplicationStatus.DRAFT
    ).first()
    if draft is not None:
        return draft
    draft = OnlineApplication.objects.create(
        account=account,
        acting_for=acting_for,
        bundle=bundle,
        delivery_method=DeliveryMethod.PICKUP,
    )
    _record(draft, OnlineEvent.APPLICATION_SAVE, bundle=bundle.pk, created=True)
    return draft


def application_fields(application: OnlineApplication) -> list[FormField]:
    """The form of a draft: its item's, or its bundle's shared form."""
    if application.bundle_id is not None:
        assert application.bundle is not None
        return merged_fields(application.bundle)
    assert application.item is not None
    return form_fields_of(application.item)


def application_materials(application: OnlineApplication) -> list[Material]:
    """The materials a draft uploads, one each: its item's, or its bundle's merged set (each
    group's representative)."""
    if application.bundle_id is not None:
        assert application.bundle is not None
        return [group.representative for group in merged_materials(application.bundle)]
    assert application.item is not None
    return list(application.item.materials.order_by("position", "id"))


def _delivery(
    errors: FieldErrors, method: object, address: object, *, complete: bool
) -> tuple[str, str]:
    chosen = errors.choice(
        "delivery_method",
        method or "",
        DeliveryMethod.values if complete else [*DeliveryMethod.values, ""],
        message=_("Choose pickup at the window or express mail."),
    )
    text = errors.text("delivery_address", address, max_length=ADDRESS_MAX)
    if complete and chosen == DeliveryMethod.EXPRESS and not text:
        errors.add("delivery_address", _("Enter the address the result is mailed to."))
    return str(chosen or ""), text if chosen == DeliveryMethod.EXPRESS else ""


@transaction.atomic
def application_save(
    *,
    account: ApplicantAccount,
    application: OnlineApplication,
    version: object,
    answers: Mapping[str, object],
    delivery_method: object,
    delivery_address: object,
) -> OnlineApplication:
    """Keep the draft's answers and delivery choice (blanks allowed, wrong answers refused)."""
    current = _lock(account, application)
    if str(version) != str(current.version):
        raise _stale()
    cleaned, errors = check_answers(application_fields(current), answers, complete=False)
    method, address = _delivery(errors, delivery_method, delivery_address, complete=False)
    errors.raise_if_any()
    current.form_data = cleaned
    current.delivery_method = method
    current.delivery_address = address
    current.version += 1
    current.save(
        update_fields=["form_data", "delivery_method", "delivery_address", "version", "updated_at"]
    )
    _record(current, OnlineEvent.APPLICATION_SAVE, version=current.version)
    return current


def _material_of(application: OnlineApplication, material: Material | int) -> Material:
    pk = material.pk if isinstance(material, Material) else material
    if application.bundle_id is not None:
        offered = {m.pk: m for m in application_materials(application)}
        bundled = offered.get(pk) if isinstance(pk, int) else None
        if bundled is None:
            raise ValidationError({"material": [_("This material is not asked for by the item.")]})
        return bundled
    found = Material.objects.filter(item_id=application.item_id, pk=pk).first()
    if found is None:
        raise ValidationError({"material": [_("This material is not asked for by the item.")]})
    return found


def _delete_later(name: str) -> None:
    if not name:
        return
    storage = ApplicationFile._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def application_file_upload(
    *,
    account: ApplicantAccount,
    application: OnlineApplication,
    material: Material | int,
    upload: UploadedFile,
    at: datetime.datetime | None = None,
) -> ApplicationFile:
    """Upload (or replace) the file of one material of a draft, judged by its content."""
    current = _lock(account, application)
    wanted = _material_of(current, material)
    field = f"material_{wanted.pk}"
    data = read_upload(upload, limit=applicant_upload_max_bytes(), field=field)
    kind = applicant_file_check(data, field=field)
    row = ApplicationFile.objects.filter(application=current, material=wanted).first()
    old_name = row.file.name if row and row.file else ""
    if row is None:
        row = ApplicationFile(application=current, material=wanted)
    row.original_name = (upload.name or "").rsplit("/", 1)[-1][:NAME_MAX]
    row.content_type = kind.content_type
    row.size = len(data)
    row.sha256 = hashlib.sha256(data).hexdigest()
    row.library_entry = None
    row.licence = None
    row.uploaded_at = at or timezone.now()
    store_checked(row.file, data, kind)
    stored = row.file.name
    try:
        row.save()
    except Exception:
        row.file.storage.delete(stored)
        raise
    _delete_later(old_name)
    _record(
        current,
        OnlineEvent.FILE_UPLOAD,
        material=wanted.pk,
        type=kind.extension,
        bytes=len(data),
        replaced=bool(old_name),
    )
    return row


@transaction.atomic
def application_file_remove(
    *, account: ApplicantAccount, application: OnlineApplication, material: Material | int
) -> None:
    current = _lock(account, application)
    wanted = _material_of(current, material)
    row = ApplicationFile.objects.filter(application=current, material=wanted).first()
    if row is None:
        return
    name = row.file.name if row.file else ""
    row.delete()
    _delete_later(name)
    _record(current, OnlineEvent.FILE_REMOVE, material=wanted.pk)


@transaction.atomic
def application_discard(
    *, account: ApplicantAccount, application: OnlineApplication, version: object
) -> OnlineApplication:
    """Give a draft up: its files are deleted, the row is kept (status discarded)."""
    current = _lock(account, application)
    if str(version) != str(current.version):
        raise _stale()
    for row in ApplicationFile.objects.filter(application=current):
        _delete_later(row.file.name if row.file else "")
    ApplicationFile.objects.filter(application=current).delete()
    current.status = ApplicationStatus.DISCARDED
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    _record(current, OnlineEvent.APPLICATION_DISCARD)
    return current


def applicant_of(account: ApplicantAccount, acting_for: ApplicantAccount | None) -> ApplicantData:
    """Who the case is for: the enterprise an agent acts for (the agent as its contact), or the
    citizen's own account."""
    holder = acting_for or account
    if holder.kind == AccountKind.ENTERPRISE:
        return ApplicantData(
            kind=ApplicantKind.ENTERPRISE,
            name=holder.name,
            id_number=holder.id_number,
            phone=account.phone if acting_for else holder.phone,
            legal_representative=holder.legal_representative,
            contact_name=account.name if acting_for else "",
        )
    return ApplicantData(
        kind=ApplicantKind.PERSON, name=holder.name, id_number=holder.id_number, phone=holder.phone
    )


def _idempotency_key(application: OnlineApplication) -> str:
    """A key only this application makes (the server's secret in it: nobody can take it first)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"online-application:{application.pk}".encode(), "sha256"
    ).hexdigest()
    return f"online-{application.pk}-{digest[:24]}"


def required_materials(item: ServiceItem) -> list[Material]:
    """The materials a submission must carry: those without a condition."""
    return [m for m in item.materials.order_by("position", "id") if not m.condition]


@transaction.atomic
def application_submit(
    *,
    account: ApplicantAccount,
    application: OnlineApplication,
    version: object,
    at: datetime.datetime | None = None,
) -> Case:
    """Submit a draft: the case waiting for pre-review at a window. A second submit of the same
    draft (a double click, a retry) answers the case the first one made."""
    current = _lock(account, application, draft=False)
    if current.status == ApplicationStatus.SUBMITTED and current.case is not None:
        return current.case
    if current.status == ApplicationStatus.SUBMITTED and current.case_bundle_id is not None:
        first = Case.objects.filter(bundle_id=current.case_bundle_id).order_by("pk").first()
        if first is not None:
            return first
    if current.status != ApplicationStatus.DRAFT:
        raise refusal_error(StateRefusal(_("This application is no longer a draft.")))
    if str(version) != str(current.version):
        raise _stale()
    if current.bundle_id is not None:
        return _submit_bundle(account, current, at)
    item = current.item
    assert item is not None
    errors = FieldErrors()
    refusal = online_refusal(item)
    if refusal:
        errors.add("item", refusal)
    answers, answer_errors = check_answers(form_fields_of(item), current.form_data, complete=True)
    errors.merge(answer_errors)
    method, address = _delivery(
        errors, current.delivery_method, current.delivery_address, complete=True
    )
    files = {
        row.material_id: row
        for row in ApplicationFile.objects.filter(application=current).select_related("material")
    }
    for material in required_materials(item):
        row = files.get(material.pk)
        if row is None or not (row.file or row.library_entry_id or row.licence_id):
            errors.add(f"material_{material.pk}", _("Upload this material."))
    errors.raise_if_any()
    handed_in = {
        pk for pk, row in files.items() if row.file or row.library_entry_id or row.licence_id
    }
    checks = [
        MaterialCheck(
            material_id=material.pk,
            received=material.pk in handed_in,
            not_applicable=bool(material.condition) and material.pk not in handed_in,
            # Issue 19 item 4: checked again now (an entry withdrawn, a licence revoked since)
            library_entry=getattr(files.get(material.pk), "library_entry_id", None),
            licence=getattr(files.get(material.pk), "licence_id", None),
        )
        for material in item.materials.all()
    ]
    case, _created = case_submit_online(
        actor=None,  # type: ignore[arg-type]  # an applicant, nobody of the staff
        item=item,
        applicant=applicant_of(account, current.acting_for),
        materials=checks,
        idempotency_key=_idempotency_key(current),
        at=at,
    )
    case_material_files_attach(
        case=case,
        files=[
            SubmittedFile(
                material_id=row.material_id,
                file_name=row.file.name if row.file else "",
                content_type=row.content_type,
                size=row.size,
                sha256=row.sha256,
                library_entry_id=row.library_entry_id,
                licence_id=row.licence_id,
            )
            for row in files.values()
            if row.material_id in handed_in
        ],
    )
    Case.objects.filter(pk=case.pk).update(delivery_method=method, delivery_address=address)
    case.delivery_method, case.delivery_address = method, address
    current.form_data = answers
    current.status = ApplicationStatus.SUBMITTED
    current.case = case
    current.submitted_at = at or timezone.now()
    current.version += 1
    current.save(
        update_fields=["form_data", "status", "case", "submitted_at", "version", "updated_at"]
    )
    _record(current, OnlineEvent.APPLICATION_SUBMIT, case=case.pk, number=case.number)
    return case


def _submit_bundle(
    account: ApplicantAccount, current: OnlineApplication, at: datetime.datetime | None
) -> Case:
    """Submit a bundle draft (issue 19 item 5): all its cases or none."""
    bundle = current.bundle
    assert bundle is not None
    errors = FieldErrors()
    refusal = bundle_refusal(bundle, online=True)
    if refusal:
        errors.add("bundle", refusal)
    answers, answer_errors = check_answers(merged_fields(bundle), current.form_data, complete=True)
    errors.merge(answer_errors)
    method, address = _delivery(
        errors, current.delivery_method, current.delivery_address, complete=True
    )
    files = {
        row.material_id: row
        for row in ApplicationFile.objects.filter(application=current).select_related("material")
    }
    groups = merged_materials(bundle)
    handed_in = {
        pk for pk, row in files.items() if row.file or row.library_entry_id or row.licence_id
    }
    for group in groups:
        if group.required and group.representative.pk not in handed_in:
            errors.add(f"material_{group.representative.pk}", _("Upload this material."))
    errors.raise_if_any()
    checks = []
    for group in groups:
        pk = group.representative.pk
        row = files.get(pk)
        checks.append(
            MaterialCheck(
                material_id=pk,
                received=pk in handed_in,
                not_applicable=pk not in handed_in,
                library_entry=getattr(row, "library_entry_id", None),
                # a licence stands only for the material that names its item
                licence=getattr(row, "licence_id", None),
            )
        )
    application, _created = case_bundle_submit_online(
        actor=None,
        bundle=bundle,
        applicant=applicant_of(account, current.acting_for),
        materials=checks,
        idempotency_key=_idempotency_key(current),
        at=at,
    )
    cases = list(Case.objects.filter(bundle=application).select_related("item").order_by("pk"))
    by_group = {group.representative.pk: group for group in groups}
    for case in cases:
        attached = []
        for pk, row in files.items():
            if pk not in handed_in or pk not in by_group:
                continue
            for member in by_group[pk].members:
                if member.item_id != case.item_id:
                    continue
                attached.append(
                    SubmittedFile(
                        material_id=member.pk,
                        file_name=row.file.name if row.file else "",
                        content_type=row.content_type,
                        size=row.size,
                        sha256=row.sha256,
                        library_entry_id=row.library_entry_id,
                        licence_id=row.licence_id if member.licence_item_id else None,
                    )
                )
        case_material_files_attach(case=case, files=attached)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        delivery_method=method, delivery_address=address
    )
    current.form_data = answers
    current.status = ApplicationStatus.SUBMITTED
    current.case_bundle = application
    current.submitted_at = at or timezone.now()
    current.version += 1
    current.save(
        update_fields=[
            "form_data",
            "status",
            "case_bundle",
            "submitted_at",
            "version",
            "updated_at",
        ]
    )
    _record(
        current,
        OnlineEvent.APPLICATION_SUBMIT,
        case_bundle=application.pk,
        number=application.number,
    )
    return cases[0]
