"""A supplement answered online (issue 19 item 2): the clerk's one-time notice (一次性告知, the
existing rule: one per case) asked for materials; the applicant uploads exactly those, with the
same checks as any upload (`govhall.core.files.applicant_file_check`: PDF, JPEG or PNG judged by
content, size limited), and the case goes back to pre-review (the transition table's applicant
row `submit_supplement`, every department's pre-review task pending again).

Entry points:

def supplement_materials(case) -> list[CaseMaterial]          # what the notice asks for
def supplement_submit(*, account, case_id, files, at=None) -> Case

Files are stored under MEDIA_ROOT with random names (`CaseMaterial.file`) and served only
through access-checked views (the owner account; staff who see the case, logged).
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import Case, CaseMaterial
from govhall.cases.services.actions import case_supplement_submit
from govhall.cases.statuses import CaseStatus, Channel
from govhall.core.events import record_event
from govhall.core.files import (
    FileKind,
    applicant_file_check,
    applicant_upload_max_bytes,
    read_upload,
    store_checked,
)
from govhall.core.validation import Conflict, FieldErrors
from govhall.online.access.my_page import access_my_case
from govhall.online.events import OnlineEvent
from govhall.online.models import ApplicantAccount


def supplement_materials(case: Case) -> list[CaseMaterial]:
    """The materials the one-time notice lists (still missing on the case), in order."""
    if case.status != CaseStatus.AWAITING_SUPPLEMENT:
        return []
    return list(
        CaseMaterial.objects.filter(
            case_id=case.pk, received=False, pending=False, not_applicable=False
        ).order_by("position", "id")
    )


def answers_online(case: Case) -> bool:
    """The applicant may answer this case's supplement request online."""
    return case.channel == Channel.ONLINE and case.status == CaseStatus.AWAITING_SUPPLEMENT


def field_name(material: CaseMaterial) -> str:
    return f"material_{material.pk}"


@transaction.atomic
def supplement_submit(
    *,
    account: ApplicantAccount,
    case_id: int,
    files: Mapping[int, UploadedFile],
    at: datetime.datetime | None = None,
) -> Case:
    """Store one file per listed material (all of them, nothing else) and send the case back to
    pre-review. Http404 for a case not the account's; `Conflict` when the case no longer waits
    for a supplement; ValidationError (per material field) for a missing or refused file."""
    now = at or timezone.now()
    case = access_my_case(account, case_id)
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not answers_online(locked):
        raise Conflict(
            _("This case is not waiting for a supplement online (it is now “%(status)s”).")
            % {"status": CaseStatus(locked.status).label},
            code="status",
        )
    listed = {row.pk: row for row in supplement_materials(locked)}
    errors = FieldErrors()
    if any(pk not in listed for pk in files):
        errors.add("materials", _("Only the materials the one-time notice lists are uploaded."))
    checked: dict[int, tuple[bytes, FileKind]] = {}
    for pk, material in listed.items():
        upload = files.get(pk)
        key = field_name(material)
        if upload is None:
            errors.add(key, _("Upload %(name)s.") % {"name": material.name})
            continue
        try:
            data = read_upload(upload, limit=applicant_upload_max_bytes(), field=key)
            kind = applicant_file_check(data, field=key)
        except ValidationError as refused:
            errors.merge(refused)
            continue
        checked[pk] = (data, kind)
    if not listed:
        errors.add("materials", _("Nothing is listed to supplement on this case."))
    errors.raise_if_any()

    today = timezone.localdate(now)
    stored: list[CaseMaterial] = []
    try:
        for pk, (data, kind) in checked.items():
            material = listed[pk]
            store_checked(material.file, data, kind)
            stored.append(material)
            material.content_type = kind.content_type
            material.size = len(data)
            material.sha256 = hashlib.sha256(data).hexdigest()
            material.received = True
            material.received_on = today
            material.save(
                update_fields=["file", "content_type", "size", "sha256", "received", "received_on"]
            )
        fresh = case_supplement_submit(
            case=locked,
            note=_("Uploaded online by %(name)s.") % {"name": account.name},
            at=now,
        )
        record_event(
            actor=None,
            action=OnlineEvent.SUPPLEMENT_SUBMIT,
            obj=fresh,
            center_id=fresh.center_id,
            data={"account": account.pk, "materials": [listed[pk].name for pk in checked]},
        )
    except Exception:
        for material in stored:  # nothing stays on disk for a change that rolled back
            material.file.delete(save=False)
        raise
    return fresh
