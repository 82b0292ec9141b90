"""Reuse from the material library and electronic licences in an online draft (issue 19 item 4).

Entry points (for the signed-in `account`, acting for `application.acting_for` when an agent
applies):

def application_reuse_offers(application) -> dict[int, DraftOffer]
def application_material_from_library(*, account, application, material, entry_id, at=None)
        -> ApplicationFile
def application_material_from_licence(*, account, application, material, licence_id, at=None)
        -> ApplicationFile
def application_reuse_choices(*, account, application, data, at=None) -> dict[str, list[str]]

What is offered is THE reuse rule (`govhall.cases.queries.reuse`) and the licence rule
(`govhall.cases.queries.licences`), for the applicant the draft is for, and only once that
account (the enterprise's, for an agent) is verified: an unverified account could have typed
someone else's ID number. Choosing an entry or a licence replaces an uploaded file of that
material (the file is deleted once committed) and the other way round (`application_file_upload`
clears the choice). Submission checks them again (`case_submit_online`): an entry withdrawn or a
licence revoked meanwhile is refused there.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import ElectronicLicence
from govhall.cases.queries.licences import licence_for_material, licence_offers
from govhall.cases.queries.reuse import ReuseOffer, reusable_entry, reuse_offers
from govhall.catalog.models import Material
from govhall.core.events import record_event
from govhall.online.events import OnlineEvent
from govhall.online.models import ApplicantAccount, ApplicationFile, OnlineApplication
from govhall.online.services.applications import _delete_later, _lock, _material_of


@dataclass(frozen=True)
class DraftOffer:
    """What a draft's material may use instead of an upload."""

    library: ReuseOffer | None
    licence: ElectronicLicence | None


def _holder_number(application: OnlineApplication) -> str:
    """The ID number / USCC of the applicant the draft is for, when that account is verified."""
    holder = application.acting_for or application.account
    return holder.id_number if holder.verified_at is not None else ""


def application_reuse_offers(
    application: OnlineApplication, now: datetime.datetime | None = None
) -> dict[int, DraftOffer]:
    """Per material of the draft's item, the library entry and the licence it may use (two
    queries, plus the materials)."""
    number = _holder_number(application)
    if not number or application.item_id is None:
        return {}
    materials = list(Material.objects.filter(item_id=application.item_id))
    library = reuse_offers(id_number=number, materials=materials, now=now)
    licences = licence_offers(id_number=number, materials=materials, now=now)
    return {
        m.pk: DraftOffer(library.get(m.pk), licences.get(m.pk))
        for m in materials
        if m.pk in library or m.pk in licences
    }


def _choose(
    current: OnlineApplication,
    material: Material,
    *,
    entry_id: int | None,
    licence_id: int | None,
    at: datetime.datetime | None,
) -> ApplicationFile:
    row = ApplicationFile.objects.filter(application=current, material=material).first()
    old_name = row.file.name if row and row.file else ""
    if row is None:
        row = ApplicationFile(application=current, material=material)
    row.file = ""
    row.original_name = ""
    row.content_type = ""
    row.size = 0
    row.sha256 = ""
    row.library_entry_id = entry_id
    row.licence_id = licence_id
    row.uploaded_at = at or timezone.now()
    row.save()
    _delete_later(old_name)
    record_event(
        actor=None,
        action=OnlineEvent.MATERIAL_REUSE,
        obj=current,
        center_id=current.item.center_id if current.item else None,
        data={
            "account": current.account_id,
            "material": material.pk,
            "library_entry": entry_id,
            "licence": licence_id,
        },
    )
    return row


@transaction.atomic
def application_material_from_library(
    *,
    account: ApplicantAccount,
    application: OnlineApplication,
    material: Material | int,
    entry_id: int,
    at: datetime.datetime | None = None,
) -> ApplicationFile:
    """Use the library entry `entry_id` for `material` of the draft instead of an upload."""
    current = _lock(account, application)
    wanted = _material_of(current, material)
    number = _holder_number(current)
    entry = (
        reusable_entry(id_number=number, material=wanted, entry_id=entry_id, now=at)
        if number
        else None
    )
    if entry is None:
        raise ValidationError(
            {f"material_{wanted.pk}": [_("This material is not in your material library.")]}
        )
    return _choose(current, wanted, entry_id=entry.pk, licence_id=None, at=at)


@transaction.atomic
def application_material_from_licence(
    *,
    account: ApplicantAccount,
    application: OnlineApplication,
    material: Material | int,
    licence_id: int,
    at: datetime.datetime | None = None,
) -> ApplicationFile:
    """Let the valid electronic licence `licence_id` stand for `material` of the draft."""
    current = _lock(account, application)
    wanted = _material_of(current, material)
    number = _holder_number(current)
    licence = (
        licence_for_material(id_number=number, material=wanted, licence_id=licence_id, now=at)
        if number
        else None
    )
    if licence is None:
        raise ValidationError(
            {
                f"material_{wanted.pk}": [
                    _("No valid electronic licence of yours stands for this material.")
                ]
            }
        )
    return _choose(current, wanted, entry_id=None, licence_id=licence.pk, at=at)


def application_reuse_choices(
    *,
    account: ApplicantAccount,
    application: OnlineApplication,
    data: Any,
    skip: set[int] | frozenset[int] = frozenset(),
    at: datetime.datetime | None = None,
) -> dict[str, list[str]]:
    """The draft page's choices "use from my library" (`library_<material>` = entry id) and
    "use my electronic licence" (`licence_<material>` = licence id), applied for the materials
    not uploaded in the same post (`skip`); the refusals by field, empty when all went in."""
    errors: dict[str, list[str]] = {}
    for name in list(data.keys()):
        prefix = next((p for p in ("library_", "licence_") if name.startswith(p)), "")
        material_text, value = name.removeprefix(prefix), str(data.get(name) or "")
        if not prefix or not (material_text.isdigit() and value.isdigit()):
            continue
        material_id = int(material_text)
        if material_id in skip:
            continue
        current = ApplicationFile.objects.filter(
            application=application, material_id=material_id
        ).first()
        if current is not None:
            chosen = current.library_entry_id if prefix == "library_" else current.licence_id
            if str(chosen) == value:
                continue
        try:
            if prefix == "library_":
                application_material_from_library(
                    account=account,
                    application=application,
                    material=material_id,
                    entry_id=int(value),
                    at=at,
                )
            else:
                application_material_from_licence(
                    account=account,
                    application=application,
                    material=material_id,
                    licence_id=int(value),
                    at=at,
                )
        except ValidationError as refused:
            for key, messages in refused.message_dict.items():
                errors.setdefault(key, []).extend(str(m) for m in messages)
    return errors


__all__ = [
    "DraftOffer",
    "application_material_from_library",
    "application_material_from_licence",
    "application_reuse_choices",
    "application_reuse_offers",
]
