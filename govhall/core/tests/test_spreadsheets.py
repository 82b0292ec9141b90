"""Spreadsheets in and out (issue 12 items 6 and 7): formula neutralising and import limits."""

from __future__ import annotations

import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from govhall.core.spreadsheets import (
    CellBudget,
    SpreadsheetRefused,
    check_xlsx_archive,
    neutralise_formula,
    neutralise_row,
    restore_neutralised,
)
from govhall.testing.spreadsheets import refused_uninflated, small_xlsx, zip_bomb_xlsx


@pytest.fixture(autouse=True)
def _english():
    # Messages are checked by their English wording; the default language is Chinese.
    with translation.override("en"):
        yield


# --- formula neutralising -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+86 138 0000 0000", "'+86 138 0000 0000"),
        ("-", "'-"),
        ("-5", "'-5"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=x", "''=x"),
        ("''+x", "'''+x"),
        ("'quoted", "'quoted"),
        ("'", "'"),
        ("普通文字", "普通文字"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_neutralise_and_restore_round_trip(value, written):
    assert neutralise_formula(value) == written
    assert restore_neutralised(written) == value


def test_neutralise_row_leaves_numbers_alone():
    assert neutralise_row(["=1+1", 5, -3, None, 1.5]) == ["'=1+1", 5, -3, None, 1.5]


# --- the zip's directory ------------------------------------------------------------------------


def test_a_normal_workbook_passes():
    check_xlsx_archive(io.BytesIO(small_xlsx()))


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    data = zip_bomb_xlsx()
    assert len(data) < 1024 * 1024  # small on the wire …
    stream = io.BytesIO(data)
    with pytest.raises(SpreadsheetRefused) as refused:
        refused_uninflated(lambda: check_xlsx_archive(stream))
    assert "zip bomb" in str(refused.value)  # … 1000 times bigger unpacked
    assert stream.tell() == 0


def test_the_unpacked_size_is_capped_whatever_the_ratio(settings):
    settings.GOVHALL_IMPORT_MAX_COMPRESSION_RATIO = 10_000
    check_xlsx_archive(io.BytesIO(zip_bomb_xlsx()))
    settings.GOVHALL_IMPORT_MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
    with pytest.raises(SpreadsheetRefused, match="MB"):
        check_xlsx_archive(io.BytesIO(zip_bomb_xlsx()))


def test_too_many_members_and_not_a_zip_are_refused(settings):
    settings.GOVHALL_IMPORT_MAX_ZIP_MEMBERS = 4
    with pytest.raises(SpreadsheetRefused):
        check_xlsx_archive(io.BytesIO(small_xlsx()))
    with pytest.raises(SpreadsheetRefused):
        check_xlsx_archive(io.BytesIO(b"PK\x03\x04 not really a zip"))


# --- while reading ------------------------------------------------------------------------------


def _rows(data: bytes) -> list[tuple[object, ...]]:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return list(CellBudget().rows(workbook.worksheets[0]))
    finally:
        workbook.close()


def test_cells_columns_and_cell_length_are_capped(settings):
    data = small_xlsx([["x"] * 5 for _ in range(10)])
    assert len(_rows(data)) == 10
    settings.GOVHALL_IMPORT_MAX_CELLS = 49
    with pytest.raises(SpreadsheetRefused, match="49"):
        _rows(data)
    settings.GOVHALL_IMPORT_MAX_CELLS = 1000
    settings.GOVHALL_IMPORT_MAX_COLUMNS = 4
    with pytest.raises(SpreadsheetRefused, match="row 1 has 5 columns"):
        _rows(data)
    settings.GOVHALL_IMPORT_MAX_COLUMNS = 10
    settings.GOVHALL_IMPORT_MAX_CELL_CHARS = 10
    with pytest.raises(SpreadsheetRefused, match="B2"):
        _rows(small_xlsx([["ok", "ok"], ["ok", "y" * 11]]))
