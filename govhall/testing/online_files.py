"""Files an applicant uploads online in tests and the demo (issue 19 item 2): a sound PDF, PNG
and JPEG, and the ones that must be refused."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "material") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% "
        + text.encode()
        + b"\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = b"".join(b"\x00" + b"\x00" * min(width, 16) for _ in range(min(height, 16)))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes(width: int = 2, height: int = 2) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + sof0 + b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" + b"\xff\xd9"


PDF_BYTES = pdf_bytes()
PNG_BYTES = png_bytes()
JPEG_BYTES = jpeg_bytes()
# Refused: a Windows program renamed .pdf, a zip bomb renamed .pdf (zeros compress ~1000:1),
# an empty file, a polyglot (a program with a PDF inside), a PDF with an archive glued behind.
EXE_BYTES = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode." + PDF_BYTES


def zip_bomb_bytes(inflated: int = 50 * 1024 * 1024) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.bin", b"\x00" * inflated)
    return buffer.getvalue()


def pdf_with_zip_bytes() -> bytes:
    return PDF_BYTES + zip_bomb_bytes(1024 * 1024)


def upload_of(data: bytes, name: str = "file.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")
