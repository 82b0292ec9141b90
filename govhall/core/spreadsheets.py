"""Spreadsheets in and out, safely (issue 12 items 6 and 7): one home for both directions.

Export — formula neutralising. A text cell that starts with =, +, -, @, a tab or a carriage
return is taken for a formula by Excel, WPS and LibreOffice (CSV/formula injection), so every
export writes it with a leading single quote: "=HYPERLINK(…)" becomes "'=HYPERLINK(…)". A text
that already starts with quotes followed by one of those characters gets one more quote, so
`restore_neutralised` (used by importers on text cells) gives every exported value back exactly:
"-" → "'-" → "-", "+86 138…" → "'+86 138…" → "+86 138…", "'=x" → "''=x" → "'=x".

Import — limits checked before and while parsing an .xlsx, all settings with defaults:

- before parsing, from the zip's central directory alone (milliseconds, nothing inflated):
  the sum of the members' uncompressed sizes (GOVHALL_IMPORT_MAX_UNCOMPRESSED_BYTES), each large
  member's compression ratio (GOVHALL_IMPORT_MAX_COMPRESSION_RATIO; a zip bomb of zeros packs
  about 1000:1, real sheets 5–50:1) and the member count (GOVHALL_IMPORT_MAX_ZIP_MEMBERS).
  Python's zipfile never inflates a member past its declared size, so the declared sizes hold.
- while reading rows (openpyxl read-only mode): the cells of the whole workbook, empty padding
  included (GOVHALL_IMPORT_MAX_CELLS), the columns of a row (GOVHALL_IMPORT_MAX_COLUMNS) and
  the characters of a cell (GOVHALL_IMPORT_MAX_CELL_CHARS; Excel itself stops at 32,767).

A refusal is a `SpreadsheetRefused` whose text is the message for the user.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl.utils.cell import get_column_letter

# --- export: formula neutralising ---------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_QUOTED_FORMULA = re.compile(r"^'+[=+\-@\t\r]")


def neutralise_formula(value: str) -> str:
    """The text to write in an exported cell so that no spreadsheet runs it as a formula."""
    if value.startswith(FORMULA_STARTS) or _QUOTED_FORMULA.match(value):
        return "'" + value
    return value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    """An exported row with every text cell neutralised (numbers, dates and None unchanged)."""
    return [neutralise_formula(value) if isinstance(value, str) else value for value in values]


def restore_neutralised(value: str) -> str:
    """The original text of a cell written by `neutralise_formula` (importers, text cells)."""
    if _QUOTED_FORMULA.match(value):
        return value[1:]
    return value


# --- import: limits -----------------------------------------------------------------------------

# Members smaller than this are not judged by their ratio (styles and sheets of empty rows pack
# tightly but cannot amount to much).
RATIO_FLOOR_BYTES = 1024 * 1024


class SpreadsheetRefused(ValueError):
    """A workbook over a limit, or not a readable .xlsx; str() is the message for the user."""


@dataclass(frozen=True)
class ImportLimits:
    max_uncompressed_bytes: int
    max_compression_ratio: int
    max_zip_members: int
    max_cells: int
    max_columns: int
    max_cell_chars: int


def import_limits() -> ImportLimits:
    """The limits from the settings (read on each call, so tests may override them)."""
    return ImportLimits(
        max_uncompressed_bytes=settings.GOVHALL_IMPORT_MAX_UNCOMPRESSED_BYTES,
        max_compression_ratio=settings.GOVHALL_IMPORT_MAX_COMPRESSION_RATIO,
        max_zip_members=settings.GOVHALL_IMPORT_MAX_ZIP_MEMBERS,
        max_cells=settings.GOVHALL_IMPORT_MAX_CELLS,
        max_columns=settings.GOVHALL_IMPORT_MAX_COLUMNS,
        max_cell_chars=settings.GOVHALL_IMPORT_MAX_CELL_CHARS,
    )


def check_xlsx_archive(source: str | Path | IO[bytes], limits: ImportLimits | None = None) -> None:
    """Refuse (SpreadsheetRefused) a file that is no zip or would unpack beyond the limits.

    Reads the central directory only; a file object is left at its start.
    """
    limits = limits or import_limits()
    try:
        with zipfile.ZipFile(source) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise SpreadsheetRefused(_("The file could not be read as an .xlsx spreadsheet.")) from None
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if len(members) > limits.max_zip_members:
        raise SpreadsheetRefused(
            _(
                "The spreadsheet is made of %(count)d parts; at most %(max)d are accepted. "
                "Save it again from Excel or WPS."
            )
            % {"count": len(members), "max": limits.max_zip_members}
        )
    total = sum(member.file_size for member in members)
    if total > limits.max_uncompressed_bytes:
        raise SpreadsheetRefused(
            _(
                "The spreadsheet unpacks to %(size)s; at most %(max)s are read. "
                "Split the file into smaller ones."
            )
            % {
                "size": filesizeformat(total),
                "max": filesizeformat(limits.max_uncompressed_bytes),
            }
        )
    for member in members:
        if member.file_size < RATIO_FLOOR_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > limits.max_compression_ratio:
            raise SpreadsheetRefused(
                _(
                    "Part “%(name)s” of the spreadsheet unpacks %(ratio)d times its packed "
                    "size (at most %(max)d): the file is refused as a possible zip bomb."
                )
                % {
                    "name": member.filename[:80],
                    "ratio": int(ratio),
                    "max": limits.max_compression_ratio,
                }
            )


class CellBudget:
    """Counts the cells read from one workbook and checks every row against the limits."""

    def __init__(self, limits: ImportLimits | None = None) -> None:
        self.limits = limits or import_limits()
        self.cells = 0

    def rows(self, worksheet: Any, sheet_name: str = "") -> Iterator[tuple[Any, ...]]:
        """The worksheet's rows as value tuples; SpreadsheetRefused at the first excess."""
        limits = self.limits
        name = sheet_name or str(getattr(worksheet, "title", ""))
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            values = tuple(values or ())
            if len(values) > limits.max_columns:
                raise SpreadsheetRefused(
                    _(
                        "Sheet “%(sheet)s”, row %(row)d has %(count)d columns; at most %(max)d "
                        "are read."
                    )
                    % {
                        "sheet": name,
                        "row": number,
                        "count": len(values),
                        "max": limits.max_columns,
                    }
                )
            self.cells += len(values)
            if self.cells > limits.max_cells:
                raise SpreadsheetRefused(
                    _(
                        "The workbook has more than %(max)d cells (sheet “%(sheet)s”, row "
                        "%(row)d); split the file into smaller ones."
                    )
                    % {"max": limits.max_cells, "sheet": name, "row": number}
                )
            for index, value in enumerate(values):
                if isinstance(value, str) and len(value) > limits.max_cell_chars:
                    raise SpreadsheetRefused(
                        _(
                            "Sheet “%(sheet)s”, cell %(cell)s has %(count)d characters; at most "
                            "%(max)d are accepted."
                        )
                        % {
                            "sheet": name,
                            "cell": f"{get_column_letter(index + 1)}{number}",
                            "count": len(value),
                            "max": limits.max_cell_chars,
                        }
                    )
            yield values
