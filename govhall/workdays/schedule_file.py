"""Reading a year's national schedule (放假安排) from a text/CSV file or an .xlsx spreadsheet.

Format: one day or range of days per line, three columns separated by a comma (ASCII or
full-width) or a tab: the date or range, the type, and an optional name.

    # 2027 example; lines starting with # are comments, blank lines are ignored
    date,type,name
    2027-01-01~2027-01-03,holiday,元旦
    2027-02-05～2027-02-13,休,春节
    2027-02-20,班,春节调休

- date: YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD or YYYY年M月D日); a range is two full dates
  joined by ~, ～ or 至, both ends included, at most 31 days.
- type: holiday (also 休, 假, 休息, 放假, off, rest) or workday (also 班, 上班, 补班, work) —
  a make-up working day (调休上班), which must fall on a Saturday or Sunday.
- name: free text up to 64 characters without commas (元旦, 春节调休, ...).
- an optional header line whose first column is "date" or "日期" is skipped.

An .xlsx file uses the same three columns on its first sheet (date cells or text).
Either every line is good and the days are returned, or every bad line is reported with its
reason and nothing should be imported.
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from govhall.core.spreadsheets import (
    CellBudget,
    ImportLimits,
    SpreadsheetRefused,
    check_xlsx_archive,
    import_limits,
)
from govhall.workdays.queries.work_calendar import END, EPOCH, ScheduleEntry

MAX_FILE_BYTES = 256 * 1024
MAX_RANGE_DAYS = 31
MAX_NAME_LENGTH = 64
# A year's schedule is about 30 lines: the general import limits, made tighter for it (the import
# runs in the request, not as a job).
SCHEDULE_MAX_CELLS = 20_000
SCHEDULE_MAX_UNCOMPRESSED_BYTES = 8 * 1024 * 1024

HOLIDAY_WORDS = frozenset({"holiday", "off", "rest", "休", "假", "休息", "放假", "节假日"})
WORKDAY_WORDS = frozenset({"workday", "work", "working day", "班", "上班", "补班", "调休上班"})
HEADER_WORDS = frozenset({"date", "dates", "日期", "日期范围"})

_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_RANGE_SEPARATOR = re.compile(r"\s*(?:~|～|至)\s*")
_FIELD_SEPARATOR = re.compile(r"\s*[,，\t]\s*")


@dataclass(frozen=True)
class LineProblem:
    line: int  # 1-based line (or spreadsheet row); 0 for the file as a whole
    text: str
    reason: str

    def __str__(self) -> str:
        if self.line == 0:
            return self.reason
        return _("Line %(line)s (%(text)s): %(reason)s") % {
            "line": self.line,
            "text": self.text,
            "reason": self.reason,
        }


@dataclass
class ParsedSchedule:
    entries: list[ScheduleEntry] = field(default_factory=list)
    problems: list[LineProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _LineError(Exception):
    pass


def _parse_date(text: str) -> datetime.date:
    match = _DATE.match(text.strip())
    if not match:
        raise _LineError(
            _("%(text)s is not a date; write it as YYYY-MM-DD.") % {"text": text or "''"}
        )
    try:
        day = datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise _LineError(_("%(text)s is not a valid date.") % {"text": text}) from None
    if not EPOCH <= day <= END:
        raise _LineError(
            _("%(date)s is outside the calendar (%(first)s–%(last)s).")
            % {"date": day.isoformat(), "first": EPOCH.year, "last": END.year}
        )
    return day


def _parse_days(text: str) -> list[datetime.date]:
    parts = _RANGE_SEPARATOR.split(text.strip())
    if len(parts) == 1:
        return [_parse_date(parts[0])]
    if len(parts) != 2:
        raise _LineError(_("A range is two dates joined by ~, for example 2027-02-05~2027-02-11."))
    first, last = _parse_date(parts[0]), _parse_date(parts[1])
    if last < first:
        raise _LineError(
            _("The range ends (%(last)s) before it starts (%(first)s).")
            % {"first": first.isoformat(), "last": last.isoformat()}
        )
    length = (last - first).days + 1
    if length > MAX_RANGE_DAYS:
        raise _LineError(
            _("A range may span at most %(max)s days; this one spans %(days)s.")
            % {"max": MAX_RANGE_DAYS, "days": length}
        )
    return [first + datetime.timedelta(days=n) for n in range(length)]


def _parse_kind(text: str) -> bool:
    word = text.strip().lower()
    if word in HOLIDAY_WORDS:
        return False
    if word in WORKDAY_WORDS:
        return True
    raise _LineError(
        _("Unknown type %(text)s: use holiday (休) or workday (班).") % {"text": text or "''"}
    )


def check_workday_on_weekend(day: datetime.date) -> str | None:
    """The reason a make-up working day on `day` is wrong, or None."""
    if day.weekday() < 5:
        return _(
            "%(date)s is a %(weekday)s, already a working day; a make-up working day falls on "
            "a Saturday or Sunday."
        ) % {"date": day.isoformat(), "weekday": WEEKDAYS[day.weekday()]}
    return None


def parse_schedule_rows(
    rows: Iterable[tuple[int, Sequence[str]]], *, year: int | None
) -> ParsedSchedule:
    """Check numbered rows of (date or range, type, name) fields."""
    result = ParsedSchedule()
    seen: dict[datetime.date, int] = {}
    first_data_row = True
    for line, fields in rows:
        cells = [cell.strip() for cell in fields]
        while cells and not cells[-1]:
            cells.pop()
        if not cells or cells[0].startswith("#"):
            continue
        text = ", ".join(cells)[:120]
        if first_data_row and cells[0].lower() in HEADER_WORDS:
            first_data_row = False
            continue
        first_data_row = False
        try:
            if len(cells) < 2:
                raise _LineError(_("Expected date, type and an optional name."))
            if len(cells) > 3:
                raise _LineError(_("Too many columns: expected date, type and an optional name."))
            days = _parse_days(cells[0])
            is_workday = _parse_kind(cells[1])
            name = cells[2] if len(cells) == 3 else ""
            if len(name) > MAX_NAME_LENGTH:
                raise _LineError(
                    _("The name is longer than %(max)s characters.") % {"max": MAX_NAME_LENGTH}
                )
            reasons = []
            for day in days:
                if year is not None and day.year != year:
                    reasons.append(
                        _("%(date)s is not in %(year)s.") % {"date": day.isoformat(), "year": year}
                    )
                if day in seen:
                    reasons.append(
                        _("%(date)s is listed twice (first on line %(line)s).")
                        % {"date": day.isoformat(), "line": seen[day]}
                    )
                if is_workday and (weekday_problem := check_workday_on_weekend(day)):
                    reasons.append(weekday_problem)
            if reasons:
                raise _LineError(" ".join(reasons))
        except _LineError as problem:
            result.problems.append(LineProblem(line, text, str(problem)))
            continue
        for day in days:
            seen[day] = line
            result.entries.append(ScheduleEntry(day, is_workday, name))
    if not result.entries and not result.problems:
        result.problems.append(LineProblem(0, "", _("The file lists no days.")))
    if result.problems:
        result.entries = []
    result.entries.sort(key=lambda entry: entry.date)
    return result


def parse_schedule_text(text: str, *, year: int | None) -> ParsedSchedule:
    rows = (
        (number, _FIELD_SEPARATOR.split(line.strip()))
        for number, line in enumerate(text.splitlines(), start=1)
    )
    return parse_schedule_rows(rows, year=year)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _schedule_limits() -> ImportLimits:
    limits = import_limits()
    return dataclasses.replace(
        limits,
        max_cells=min(limits.max_cells, SCHEDULE_MAX_CELLS),
        max_uncompressed_bytes=min(limits.max_uncompressed_bytes, SCHEDULE_MAX_UNCOMPRESSED_BYTES),
    )


def parse_schedule_xlsx(data: bytes, *, year: int | None) -> ParsedSchedule:
    import openpyxl  # only needed for spreadsheets

    stream = io.BytesIO(data)
    limits = _schedule_limits()
    try:
        # The import limits (issue 12 item 7): sizes from the zip directory before parsing,
        # then cells, columns and cell length while reading.
        check_xlsx_archive(stream, limits)
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=True)
    except SpreadsheetRefused as refused:
        return ParsedSchedule(problems=[LineProblem(0, "", str(refused))])
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return ParsedSchedule(problems=[LineProblem(0, "", _("The file is not a readable .xlsx."))])
    try:
        sheet = workbook.worksheets[0]
        rows = [
            (number, [_cell_text(value) for value in row[:4]])
            for number, row in enumerate(CellBudget(limits).rows(sheet), start=1)
        ]
    except SpreadsheetRefused as refused:
        return ParsedSchedule(problems=[LineProblem(0, "", str(refused))])
    finally:
        workbook.close()
    return parse_schedule_rows(rows, year=year)


def parse_schedule_file(name: str, data: bytes, *, year: int | None) -> ParsedSchedule:
    """Parse an uploaded schedule: .xlsx by name or content, anything else as text."""
    if len(data) > MAX_FILE_BYTES:
        return ParsedSchedule(
            problems=[
                LineProblem(
                    0,
                    "",
                    _("The file is too large: a schedule file has at most %(kb)s KB.")
                    % {"kb": MAX_FILE_BYTES // 1024},
                )
            ]
        )
    if name.lower().endswith(".xlsx") or data.startswith(b"PK\x03\x04"):
        return parse_schedule_xlsx(data, year=year)
    if name.lower().endswith(".xls") or data.startswith(b"\xd0\xcf\x11\xe0"):
        return ParsedSchedule(
            problems=[
                LineProblem(
                    0, "", _("Old .xls spreadsheets are not read: save the file as .xlsx or CSV.")
                )
            ]
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return parse_schedule_text(text, year=year)
    return ParsedSchedule(
        problems=[
            LineProblem(
                0, "", _("The file is neither an .xlsx spreadsheet nor UTF-8 or GB18030 text.")
            )
        ]
    )
