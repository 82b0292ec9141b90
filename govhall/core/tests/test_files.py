"""Judging uploads by content (issue 19 item 2): an applicant's upload is a sound PDF, JPEG or
PNG; a renamed program, an oversized file, a zip bomb dressed as a PDF, an empty file, a
polyglot and an image declaring a huge canvas are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from govhall.core.files import (
    JPEG,
    PDF,
    PNG,
    applicant_file_check,
    file_kind_of,
    image_size,
    read_upload,
)
from govhall.testing.online_files import (
    EXE_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    jpeg_bytes,
    pdf_with_zip_bytes,
    png_bytes,
    upload_of,
    zip_bomb_bytes,
)


def test_sound_files_are_accepted_by_content():
    assert applicant_file_check(PDF_BYTES) == PDF
    assert applicant_file_check(PNG_BYTES) == PNG
    assert applicant_file_check(JPEG_BYTES) == JPEG
    assert image_size(png_bytes(640, 480), PNG) == (640, 480)
    assert image_size(jpeg_bytes(1024, 768), JPEG) == (1024, 768)


def _refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(ValidationError) as raised:
        applicant_file_check(data, **kwargs)
    return " ".join(raised.value.message_dict["file"])


def test_a_renamed_executable_is_refused():
    assert "PDF" in _refusal(EXE_BYTES)


def test_a_zip_bomb_disguised_as_pdf_is_refused():
    bomb = zip_bomb_bytes()
    assert len(bomb) < 200_000  # small on disk, 50 MB inflated
    _refusal(bomb)
    assert file_kind_of(bomb) is None


def test_a_pdf_with_an_archive_behind_is_refused():
    _refusal(pdf_with_zip_bytes())


def test_a_polyglot_starting_with_something_else_is_refused():
    _refusal(b"GIF89a" + PDF_BYTES)
    _refusal(b" " + PDF_BYTES)


def test_a_pdf_without_its_end_is_refused():
    _refusal(PDF_BYTES.replace(b"%%EOF", b"") + b"x" * 2000)
    _refusal(PDF_BYTES + b"x" * 2000)


def test_an_empty_file_is_refused():
    assert _refusal(b"")


def test_an_oversized_file_is_refused(settings):
    settings.GOVHALL_ONLINE_UPLOAD_MAX_BYTES = 2048
    big = PDF_BYTES[:-7] + b"x" * 3000 + b"\n%%EOF\n"
    _refusal(big)
    with pytest.raises(ValidationError):
        read_upload(upload_of(big), limit=2048)
    # Never more than limit + 1 bytes are read, whatever the upload claims.
    upload = upload_of(big)
    upload.size = 10
    assert len(read_upload(upload, limit=2048)) == 2049


def test_a_decompression_bomb_image_is_refused(settings):
    _refusal(png_bytes(20000, 20000))
    _refusal(jpeg_bytes(30000, 100))
    settings.GOVHALL_ONLINE_IMAGE_MAX_SIDE = 500
    _refusal(png_bytes(640, 480))


def test_a_broken_image_header_is_refused():
    _refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    _refusal(b"\xff\xd8\xff\xd9")
