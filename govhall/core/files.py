"""Judging files by their content, never by their name (issue 18 item 5, issue 19 item 2).

Entry points:

def file_kind_of(data: bytes) -> FileKind | None          # PDF, DOC(X), XLS(X), JPEG, PNG
def check_file_bytes(data, *, field, limit, kinds=ALL_KINDS, refusal=None) -> FileKind
def read_upload(upload, *, limit, field="file") -> bytes  # at most limit + 1 bytes read
def applicant_file_check(data, *, field="file", limit=None) -> FileKind   # PDF, JPEG, PNG
def image_size(data: bytes, kind: FileKind) -> tuple[int, int] | None    # from the header
def store_checked(field_file, data: bytes, kind: FileKind) -> None  # under a random name
def stored_file_response(field_file, *, stem: str) -> FileResponse    # inline, nosniff, sandbox

The catalog's blank forms and samples accept every kind here; patrol photos JPEG and PNG; what
an applicant uploads online (`applicant_file_check`) only PDF, JPEG and PNG, more strictly:

- a PDF starts with "%PDF-" (nothing before it: no polyglot), ends with "%%EOF" within its last
  1 KB and carries no zip archive at its end (a zip bomb renamed .pdf is refused, so is a PDF
  with an archive glued behind it);
- a JPEG or PNG declares its width and height in its header, both at most
  `GOVHALL_ONLINE_IMAGE_MAX_SIDE` (a decompression bomb announces a huge canvas); nothing is
  decoded beyond the header (Pillow is not a dependency);
- at most `GOVHALL_ONLINE_UPLOAD_MAX_BYTES`, never empty.
"""

from __future__ import annotations

import io
import struct
import uuid
import zipfile
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


PDF = FileKind("pdf", "application/pdf")
DOC = FileKind("doc", "application/msword")
XLS = FileKind("xls", "application/vnd.ms-excel")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
JPEG = FileKind("jpg", "image/jpeg")
PNG = FileKind("png", "image/png")
ALL_KINDS: tuple[FileKind, ...] = (PDF, DOC, XLS, DOCX, XLSX, JPEG, PNG)
KINDS_BY_EXTENSION: dict[str, FileKind] = {kind.extension: kind for kind in ALL_KINDS}
IMAGE_KINDS: tuple[FileKind, ...] = (JPEG, PNG)
APPLICANT_KINDS: tuple[FileKind, ...] = (PDF, JPEG, PNG)

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An OLE2 compound file names its streams in UTF-16: Word keeps "WordDocument", Excel "Workbook"
# (or "Book" before Excel 97).
_WORD_STREAM = "WordDocument".encode("utf-16-le")
_EXCEL_STREAMS = ("Workbook".encode("utf-16-le"), "Book\x00".encode("utf-16-le"))
_MAX_OOXML_MEMBERS = 2000
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PDF_TAIL = 1024
_ZIP_END = b"PK\x05\x06"


def _ooxml_kind(data: bytes) -> FileKind | None:
    """DOCX or XLSX by the parts the zip package holds (only its directory is read)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if len(names) > _MAX_OOXML_MEMBERS or "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def file_kind_of(data: bytes) -> FileKind | None:
    """The type of a file judged by its content; None when it is none of the known ones."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(_PNG_SIGNATURE):
        return PNG
    if data.startswith(_OLE2):
        if _WORD_STREAM in data:
            return DOC
        if any(stream in data for stream in _EXCEL_STREAMS):
            return XLS
        return None
    if data.startswith(b"PK\x03\x04"):
        return _ooxml_kind(data)
    return None


def _too_big(limit: int) -> str:
    return _("The file is too big (at most %(limit)s).") % {"limit": filesizeformat(limit)}


def check_file_bytes(
    data: bytes,
    *,
    field: str = "file",
    limit: int,
    kinds: Collection[FileKind] = ALL_KINDS,
    refusal: str | None = None,
) -> FileKind:
    """The kind of `data`, or a ValidationError on `field`: too big, empty, or not one of
    `kinds` (`refusal` says which are accepted)."""
    if len(data) > limit:
        raise ValidationError({field: _too_big(limit)})
    if not data:
        raise ValidationError({field: _("The file is empty.")})
    kind = file_kind_of(data)
    if kind is None or kind not in kinds:
        raise ValidationError(
            {field: refusal or _("The file must be a PDF, Word, Excel, JPEG or PNG file.")}
        )
    return kind


def read_upload(upload: UploadedFile, *, limit: int, field: str = "file") -> bytes:
    """The bytes of an upload, refusing early by its declared size; never more than limit + 1
    bytes are read (the caller's check then refuses the oversized file)."""
    if (upload.size or 0) > limit:
        raise ValidationError({field: _too_big(limit)})
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    return bytes(data)


def _png_size(data: bytes) -> tuple[int, int] | None:
    # The first chunk is IHDR: length (4), "IHDR", width (4), height (4).
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


# JPEG start-of-frame markers carry the dimensions (not DHT C4, JPG C8, DAC CC).
_SOF_MARKERS = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_SCAN_LIMIT = 1024 * 1024


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    at = 2
    end = min(len(data), _JPEG_SCAN_LIMIT)
    while at + 4 <= end:
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2:
            return None
        if marker in _SOF_MARKERS:
            if at + 9 > len(data):
                return None
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return int(width), int(height)
        if marker == 0xDA:  # start of scan before any frame header
            return None
        at += 2 + length
    return None


def image_size(data: bytes, kind: FileKind) -> tuple[int, int] | None:
    """Width and height an image declares in its header; None when the header is broken."""
    if kind == PNG:
        return _png_size(data)
    if kind == JPEG:
        return _jpeg_size(data)
    return None


def applicant_upload_max_bytes() -> int:
    return int(settings.GOVHALL_ONLINE_UPLOAD_MAX_BYTES)


def applicant_file_check(data: bytes, *, field: str = "file", limit: int | None = None) -> FileKind:
    """What an applicant may upload online: a sound PDF, JPEG or PNG (see the module's doc)."""
    limit = applicant_upload_max_bytes() if limit is None else limit
    kind = check_file_bytes(
        data,
        field=field,
        limit=limit,
        kinds=APPLICANT_KINDS,
        refusal=_("The file must be a PDF, JPEG or PNG file."),
    )
    if kind == PDF:
        tail = data[-_PDF_TAIL:]
        if b"%%EOF" not in tail or _ZIP_END in tail:
            raise ValidationError({field: _("The PDF file is damaged or not a plain PDF.")})
        return kind
    size = image_size(data, kind)
    if size is None or 0 in size:
        raise ValidationError({field: _("The image file is damaged.")})
    side = int(settings.GOVHALL_ONLINE_IMAGE_MAX_SIDE)
    if max(size) > side:
        raise ValidationError(
            {
                field: _("The image is too large (at most %(side)d × %(side)d pixels).")
                % {"side": side}
            }
        )
    return kind


def store_checked(field_file: FieldFile, data: bytes, kind: FileKind) -> None:
    """Put checked `data` in a file field under a random name with the extension of its
    detected kind, never the uploader's name (the caller saves the row)."""
    field_file.save(f"{uuid.uuid4().hex}.{kind.extension}", ContentFile(data), save=False)


def stored_file_response(field_file: FieldFile, *, stem: str) -> FileResponse:
    """A file stored by `store_checked`, served inline as `<stem>.<ext>` with the content type of
    its kind, nosniff, no caching and a sandboxing CSP; Http404 when it is gone. The caller
    checks access first (and logs the view)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    kind = KINDS_BY_EXTENSION.get((field_file.name or "").rsplit(".", 1)[-1].lower())
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=f"{stem}.{kind.extension if kind else 'bin'}",
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response
