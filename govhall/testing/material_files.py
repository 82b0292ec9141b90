"""Small files of each kind a material's blank form or sample may be (issue 18 item 5), and
files that must be refused, for tests and the demo."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 32
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32 + b"\xff\xd9"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
DOC_BYTES = _OLE2 + b"\x00" * 56 + "WordDocument".encode("utf-16-le") + b"\x00" * 64
XLS_BYTES = _OLE2 + b"\x00" * 56 + "Workbook".encode("utf-16-le") + b"\x00" * 64


def _package(*members: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in members:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX_BYTES = _package("[Content_Types].xml", "word/document.xml")
XLSX_BYTES = _package("[Content_Types].xml", "xl/workbook.xml")
# Refused: a program, a plain zip, text dressed up with a ".pdf" name, an OLE2 file of neither.
EXE_BYTES = b"MZ\x90\x00" + b"\x00" * 60
PLAIN_ZIP_BYTES = _package("notes.txt")
TEXT_BYTES = "这是一段文字，不是表格。".encode()
OTHER_OLE2_BYTES = _OLE2 + b"\x00" * 120


def upload_of(data: bytes, name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
