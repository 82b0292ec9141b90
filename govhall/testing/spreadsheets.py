"""Workbooks for the import limits: a small real one and a zip bomb made from it."""

from __future__ import annotations

import functools
import io
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import TypeVar

from openpyxl import Workbook

T = TypeVar("T")

BOMB_SHEET_BYTES = 200 * 1024 * 1024


def small_xlsx(rows: list[list[object]] | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows or [["a", "b"], [1, 2]]:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@functools.cache
def zip_bomb_xlsx() -> bytes:
    """A real workbook whose first sheet is replaced by 200 MB of zeros (about 200 KB packed)."""
    source = zipfile.ZipFile(io.BytesIO(small_xlsx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for member in source.infolist():
            if member.filename == "xl/worksheets/sheet1.xml":
                with bomb.open(member.filename, "w", force_zip64=True) as target:
                    chunk = b"0" * (1024 * 1024)
                    for _ in range(BOMB_SHEET_BYTES // len(chunk)):
                        target.write(chunk)
            else:
                bomb.writestr(member, source.read(member.filename))
    return buffer.getvalue()


def refused_uninflated(call: Callable[[], T]) -> T:
    """Runs `call`, which must meet a zip bomb (refuse it or report it), and checks it did so
    from the archive's directory, before inflating anything: its peak memory stays far below
    the 200 MB the sheet would take (a memory bound, not a timing, which a busy machine
    stretches)."""
    tracemalloc.start()
    try:
        return call()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 20 * 1024 * 1024, f"{peak:,} bytes at the peak"
