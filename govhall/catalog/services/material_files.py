"""The blank form (空白表格) and the filled-in sample (填写样本) a material offers for download
(issue 18 item 5).

Entry points:
def material_file_check(upload: UploadedFile, *, field: str = "file") -> FileKind
def material_file_attach(*, actor, material, slot, upload) -> Material
def material_file_remove(*, actor, material, slot) -> Material
def download_name(material, slot) -> str

A file is accepted by its content, never by its name: PDF, Word (DOC/DOCX), Excel (XLS/XLSX),
JPEG or PNG, at most `GOVHALL_MATERIAL_FILE_MAX_BYTES`. It is stored under MEDIA_ROOT
(catalog/forms/ or catalog/samples/) with a random name and the extension of its detected type;
the public downloads it as "<material name>（空白表格）.pdf" through the portal, only while the
item is published. Only the managers of the item's center subtree change the files.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.catalog.events import CatalogEvent
from govhall.catalog.models import Material
from govhall.catalog.services.changes import require_catalog_manager
from govhall.core.events import record_event
from govhall.core.files import (  # the one home for judging file types (issue 19 item 2)
    KINDS_BY_EXTENSION,
    FileKind,
    read_upload,
    store_checked,
)
from govhall.core.files import check_file_bytes as core_check_file_bytes
from govhall.core.models import User

# The two file fields of a material, in the order pages and the spreadsheet show them.
SLOTS: tuple[str, ...] = ("blank_form", "sample")


def max_file_bytes() -> int:
    return int(settings.GOVHALL_MATERIAL_FILE_MAX_BYTES)


def check_file_bytes(data: bytes, *, field: str = "file") -> FileKind:
    """The kind of `data`, or a ValidationError on `field` (too big, or not an accepted type)."""
    return core_check_file_bytes(data, field=field, limit=max_file_bytes())


def _read_upload(upload: UploadedFile, *, field: str) -> bytes:
    return read_upload(upload, limit=max_file_bytes(), field=field)


def _check_slot(slot: str) -> None:
    if slot not in SLOTS:
        raise TypeError(f"unknown material file slot: {slot}")


def _delete_later(name: str) -> None:
    """Delete a replaced or removed file once the change is committed."""
    if not name:
        return
    field = Material._meta.get_field("blank_form")
    storage = field.storage
    transaction.on_commit(lambda: storage.delete(name))


def store_file(material: Material, slot: str, data: bytes, kind: FileKind) -> None:
    """Put `data` in the material's `slot` under a random name (the caller saves the row)."""
    store_checked(getattr(material, slot), data, kind)


@transaction.atomic
def material_file_attach(
    *, actor: User | None, material: Material, slot: str, upload: UploadedFile
) -> Material:
    """Attach (or replace) the blank form or the filled-in sample of a material."""
    _check_slot(slot)
    current = Material.objects.select_for_update().select_related("item").get(pk=material.pk)
    require_catalog_manager(actor, current.item.center_id)
    data = _read_upload(upload, field=slot)
    kind = check_file_bytes(data, field=slot)
    old_name = getattr(current, slot).name or ""
    store_file(current, slot, data, kind)
    stored = getattr(current, slot).name
    # A file written before a failed save would be left behind: remove it then.
    try:
        current.save(update_fields=[slot])
    except Exception:
        getattr(current, slot).storage.delete(stored)
        raise
    _delete_later(old_name)
    record_event(
        actor=actor,
        action=CatalogEvent.MATERIAL_FILE_ATTACH,
        obj=current.item,
        center_id=current.item.center_id,
        data={
            "material": current.pk,
            "name": current.name,
            "slot": slot,
            "type": kind.extension,
            "bytes": len(data),
            "replaced": bool(old_name),
        },
    )
    return current


@transaction.atomic
def material_file_remove(*, actor: User | None, material: Material, slot: str) -> Material:
    """Remove the blank form or the filled-in sample of a material (nothing to do: no event)."""
    _check_slot(slot)
    current = Material.objects.select_for_update().select_related("item").get(pk=material.pk)
    require_catalog_manager(actor, current.item.center_id)
    old_name = getattr(current, slot).name or ""
    if not old_name:
        return current
    setattr(current, slot, "")
    current.save(update_fields=[slot])
    _delete_later(old_name)
    record_event(
        actor=actor,
        action=CatalogEvent.MATERIAL_FILE_REMOVE,
        obj=current.item,
        center_id=current.item.center_id,
        data={"material": current.pk, "name": current.name, "slot": slot},
    )
    return current


_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def slot_label(slot: str) -> str:
    return _("blank form") if slot == "blank_form" else _("filled-in sample")


def kind_of_stored(name: str) -> FileKind | None:
    """The kind of a stored file by the extension the upload gave it (its content was checked)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return KINDS_BY_EXTENSION.get(extension)


def download_name(material: Material, slot: str) -> str:
    """The name the public's browser saves the file as: "<material>（空白表格）.pdf"."""
    _check_slot(slot)
    kind = kind_of_stored(getattr(material, slot).name or "")
    base = _UNSAFE_IN_NAME.sub(" ", material.name).strip()[:80] or "material"
    extension = f".{kind.extension}" if kind else ""
    return (
        _("%(material)s (%(file_kind)s)")
        % {
            "material": base,
            "file_kind": slot_label(slot),
        }
        + extension
    )
