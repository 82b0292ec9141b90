"""The materials' blank forms and samples travelling with a catalog workbook (issue 18 item 5).

A file cannot live in a cell, so the 材料 sheet names it: the columns 空白表格文件 and
填写样本文件 hold a file name, and the files themselves come in a .zip uploaded with the
workbook (any folders inside the zip are ignored; a name is matched against each member's own
name). On import, for each named file:

- a member of the zip with that name: checked by content like an upload in the workbench
  (PDF, Word, Excel, JPEG, PNG; at most GOVHALL_MATERIAL_FILE_MAX_BYTES) and attached;
- else the name of the file the same item's material has now in that column (the name export
  wrote): kept as it is, so a workbook edited and imported again without the zip keeps its files;
- else a problem of that row ("no file of that name in the zip"), and nothing is imported.

An empty cell leaves the material without that file. A workbook without these columns (older
templates) keeps each material's files when the item has a material of the same name. Export
writes the stored file names in the columns, and `export_material_files` zips those files under
the same names, so the workbook and the zip import back to the same catalog with the same files.
"""

from __future__ import annotations

import contextlib
import io
import unicodedata
import uuid
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from govhall.catalog.models import Material
from govhall.catalog.services.material_files import SLOTS, max_file_bytes
from govhall.org.models import Center

# The column of each slot in the 材料 sheet (field name in format.MATERIAL_COLUMNS).
FILE_COLUMN_OF_SLOT = {"blank_form": "blank_form_file", "sample": "sample_file"}


def _clean_name(name: str) -> str:
    """A member's own name (no folders), as typed in a cell: NFC, no surrounding spaces."""
    return unicodedata.normalize("NFC", PurePosixPath(name.replace("\\", "/")).name.strip())


def _member_name(info: zipfile.ZipInfo) -> str:
    """Zips made on Chinese Windows name members in GBK without saying so (no UTF-8 flag)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    return _clean_name(name)


class FilesArchive:
    """The zip of files uploaded with a workbook, read member by member with limits."""

    def __init__(self, source: str | Path | bytes) -> None:
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError):
            raise ValidationError(
                {"attachments": _("The files must come as a .zip archive.")}
            ) from None
        if len(infos) > settings.GOVHALL_IMPORT_MAX_ZIP_MEMBERS:
            raise ValidationError(
                {
                    "attachments": _("The zip holds more than %(n)d files.")
                    % {"n": settings.GOVHALL_IMPORT_MAX_ZIP_MEMBERS}
                }
            )
        self._members: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if not info.is_dir():
                self._members.setdefault(_member_name(info), info)

    def __contains__(self, name: str) -> bool:
        return _clean_name(name) in self._members

    def read(self, name: str) -> bytes:
        """The member's bytes, at most one byte over the file limit (a bomb stops there)."""
        info = self._members[_clean_name(name)]
        limit = max_file_bytes()
        if info.file_size > limit:
            raise ValidationError(
                _("The file is too big (at most %(limit)s).") % {"limit": filesizeformat(limit)}
            )
        with self._zip.open(info) as member:
            return member.read(limit + 1)


def check_files_upload(upload: UploadedFile) -> None:
    """Refuse, before keeping it, an upload that is not a zip or is too big."""
    limit = settings.GOVHALL_MATERIAL_FILES_ZIP_MAX_BYTES
    if (upload.size or 0) > limit:
        raise ValidationError(
            {
                "attachments": _("The zip is too big (at most %(limit)s).")
                % {"limit": filesizeformat(limit)}
            }
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if not head.startswith(b"PK\x03\x04"):
        raise ValidationError({"attachments": _("The files must come as a .zip archive.")})


def stored_files(center: Center, codes: Iterable[str]) -> dict[tuple[str, str, str], str]:
    """The files the materials of these items have now: (code, slot, file name) → stored name,
    and (code, slot, "=" + material name) → stored name for workbooks without file columns."""
    found: dict[tuple[str, str, str], str] = {}
    materials = (
        Material.objects.filter(item__center=center, item__code__in=list(codes))
        .exclude(blank_form="", sample="")
        .values_list("item__code", "name", *SLOTS)
    )
    for code, name, *names in materials:
        for slot, stored in zip(SLOTS, names, strict=True):
            if stored:
                found[(code, slot, _clean_name(stored))] = stored
                found.setdefault((code, slot, "=" + name), stored)
    return found


def new_file(data: bytes, extension: str) -> ContentFile[bytes]:
    """A file the import attaches: written to storage when its material row is inserted."""
    return ContentFile(data, name=f"{uuid.uuid4().hex}.{extension}")


def export_name(stored: str) -> str:
    """What the workbook's cell says for a stored file (its own name)."""
    return _clean_name(stored) if stored else ""


def export_material_files(center: Center) -> bytes:
    """A zip of every blank form and sample of the center's materials, named as the exported
    workbook names them (files missing from storage are left out)."""
    buffer = io.BytesIO()
    materials = Material.objects.filter(item__center=center).exclude(blank_form="", sample="")
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        written: set[str] = set()
        for material in materials.only(*SLOTS).iterator():
            for slot in SLOTS:
                field = getattr(material, slot)
                name = export_name(field.name or "")
                if not name or name in written:
                    continue
                try:
                    with field.open("rb") as handle:
                        archive.writestr(name, handle.read())
                except OSError:
                    continue
                written.add(name)
    return buffer.getvalue()
