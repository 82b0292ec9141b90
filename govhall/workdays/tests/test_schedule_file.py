"""Reading schedule files: every bad line is reported, and nothing is returned then."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import openpyxl
import pytest
from django.utils import translation

from govhall.workdays.schedule_file import (
    MAX_FILE_BYTES,
    parse_schedule_file,
    parse_schedule_text,
)

D = datetime.date
EXAMPLE_2027 = Path(__file__).parent / "data" / "schedule_2027_example.txt"


@pytest.fixture(autouse=True)
def _english():
    # Reasons are checked by their English wording; the default language is Chinese.
    with translation.override("en"):
        yield


def test_example_file_reads_ranges_chinese_words_and_header():
    parsed = parse_schedule_file(EXAMPLE_2027.name, EXAMPLE_2027.read_bytes(), year=2027)
    assert parsed.ok, parsed.problems
    by_date = {entry.date: entry for entry in parsed.entries}
    # 2027-02-05～2027-02-13 (full-width tilde) is nine holidays named 春节.
    spring = [by_date[D(2027, 2, 5) + datetime.timedelta(n)] for n in range(9)]
    assert {(e.is_workday, e.name) for e in spring} == {(False, "春节")}
    assert by_date[D(2027, 2, 20)].is_workday  # 班
    assert not by_date[D(2027, 5, 3)].is_workday  # "2027-05-01 至 2027-05-05,放假"
    assert by_date[D(2027, 5, 8)].is_workday  # 上班
    assert len(parsed.entries) == 3 + 9 + 1 + 3 + 1 + 5 + 1 + 1 + 1 + 1 + 7 + 1
    assert [e.date for e in parsed.entries] == sorted(by_date)


def test_every_bad_line_is_reported_and_nothing_returned():
    text = "\n".join(
        [
            "2027-01-01,holiday,元旦",  # 1 good
            "2027-13-01,holiday,x",  # 2 not a date
            "2027-02-01,maybe,x",  # 3 unknown type
            "2028-01-03,holiday,x",  # 4 other year
            "2027-01-01,holiday,again",  # 5 listed twice
            "2027-02-08,workday,周一补班",  # 6 make-up day on a Monday
            "2027-03-10~2027-03-01,holiday,x",  # 7 reversed range
            "2027-03-01~2027-05-01,holiday,x",  # 8 range too long
            "2027-03-02",  # 9 missing type
            "2027-03-03,holiday,x,extra",  # 10 too many columns
            "",
            "# a comment",
            "2027-10-01~2027-10-07，休，国庆节",  # 13 good (full-width commas)
        ]
    )
    parsed = parse_schedule_text(text, year=2027)
    assert not parsed.ok
    assert parsed.entries == []
    assert [p.line for p in parsed.problems] == [2, 3, 4, 5, 6, 7, 8, 9, 10]
    reasons = {p.line: p.reason for p in parsed.problems}
    assert "YYYY-MM-DD" in reasons[2] or "not a valid date" in reasons[2]
    assert "holiday" in reasons[3]
    assert "2027" in reasons[4]
    assert "line 1" in reasons[5]
    assert "Saturday or Sunday" in reasons[6]
    assert "before it starts" in reasons[7]
    assert "31" in reasons[8]
    assert "2027-02-08" in str(parsed.problems[4])


def test_duplicates_inside_overlapping_ranges_are_found():
    parsed = parse_schedule_text(
        "2027-02-05~2027-02-10,休,春节\n2027-02-10~2027-02-12,休,春节", year=2027
    )
    assert [p.line for p in parsed.problems] == [2]
    assert "2027-02-10" in parsed.problems[0].reason


def test_empty_file_is_a_problem():
    parsed = parse_schedule_text("# nothing\n\n", year=2027)
    assert not parsed.ok
    assert parsed.problems[0].line == 0


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_date_cells_and_text_ranges():
    data = _xlsx(
        [
            ["日期", "类型", "名称"],
            [datetime.datetime(2027, 1, 1), "休", "元旦"],
            ["2027-02-05~2027-02-07", "holiday", "春节"],
            [datetime.date(2027, 2, 20), "班", "春节调休"],
        ]
    )
    parsed = parse_schedule_file("2027.xlsx", data, year=2027)
    assert parsed.ok, parsed.problems
    assert [(e.date, e.is_workday) for e in parsed.entries] == [
        (D(2027, 1, 1), False),
        (D(2027, 2, 5), False),
        (D(2027, 2, 6), False),
        (D(2027, 2, 7), False),
        (D(2027, 2, 20), True),
    ]


def test_xlsx_bad_rows_are_reported_by_row_number():
    data = _xlsx([["date", "type"], ["2027-01-01", "休"], ["soon", "休"], [12345, "班"]])
    parsed = parse_schedule_file("2027.xlsx", data, year=2027)
    assert [p.line for p in parsed.problems] == [3, 4]


def test_wrong_kinds_of_file_are_refused_with_a_reason():
    assert (
        "xlsx" in parse_schedule_file("x.xlsx", b"PK\x03\x04broken", year=2027).problems[0].reason
    )
    assert (
        ".xls"
        in parse_schedule_file("x.xls", b"\xd0\xcf\x11\xe0rest", year=2027).problems[0].reason
    )
    too_big = b"2027-01-01,holiday,x\n" * (MAX_FILE_BYTES // 10)
    assert "too large" in parse_schedule_file("x.csv", too_big, year=2027).problems[0].reason


def test_gb18030_text_as_saved_by_chinese_excel():
    data = "2027-01-01,休,元旦\n".encode("gb18030")
    parsed = parse_schedule_file("2027.csv", data, year=2027)
    assert parsed.ok
    assert parsed.entries[0].name == "元旦"


@pytest.mark.parametrize("word", ["holiday", "休", "假", "放假", "OFF"])
def test_holiday_words(word):
    assert parse_schedule_text(f"2027-06-09,{word}", year=2027).entries[0].is_workday is False


@pytest.mark.parametrize("word", ["workday", "班", "上班", "补班"])
def test_workday_words(word):
    assert parse_schedule_text(f"2027-02-20,{word}", year=2027).entries[0].is_workday is True
