"""The national schedule's .xlsx import obeys the spreadsheet import limits (issue 12 item 7)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import translation

from govhall.testing.spreadsheets import refused_uninflated, zip_bomb_xlsx
from govhall.workdays.schedule_file import MAX_FILE_BYTES, SCHEDULE_MAX_CELLS, parse_schedule_file


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_zip_bomb_schedule_is_refused_before_it_is_unpacked():
    data = zip_bomb_xlsx()
    assert len(data) < MAX_FILE_BYTES  # passes the upload size check
    parsed = refused_uninflated(lambda: parse_schedule_file("2027.xlsx", data, year=2027))
    assert not parsed.ok and not parsed.entries
    assert "MB" in parsed.problems[0].reason  # the schedule's own, tighter size limit


def test_a_schedule_over_the_cell_limit_is_refused(settings):
    rows: list[list[object]] = [["2027-01-01", "休", "元旦"]]
    settings.GOVHALL_IMPORT_MAX_CELLS = 2
    parsed = parse_schedule_file("2027.xlsx", _xlsx(rows), year=2027)
    assert not parsed.ok and "more than 2 cells" in parsed.problems[0].reason
    settings.GOVHALL_IMPORT_MAX_CELLS = 10**9
    assert parse_schedule_file("2027.xlsx", _xlsx(rows), year=2027).ok
    assert SCHEDULE_MAX_CELLS < 10**9  # the schedule's own cap applies below the setting


def test_an_over_long_cell_is_refused(settings):
    settings.GOVHALL_IMPORT_MAX_CELL_CHARS = 64
    parsed = parse_schedule_file("2027.xlsx", _xlsx([["2027-01-01", "休", "元" * 65]]), year=2027)
    assert not parsed.ok and "C1" in parsed.problems[0].reason
