"""Input forms of the calendar pages: they parse and check the shape of input only; the rules
live in govhall.workdays.services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from govhall.workdays.models import CenterDay
from govhall.workdays.queries.work_calendar import END, EPOCH, MAX_DEADLINE_DAYS
from govhall.workdays.schedule_file import (
    MAX_FILE_BYTES,
    ParsedSchedule,
    parse_schedule_file,
    parse_schedule_text,
)


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date as YYYY-MM-DD.")},
    )


def _check_in_calendar(day: datetime.date) -> datetime.date:
    if not EPOCH <= day <= END:
        raise forms.ValidationError(
            _("The calendar covers %(first)s to %(last)s."),
            params={"first": EPOCH.isoformat(), "last": END.isoformat()},
        )
    return day


class DeadlineForm(forms.Form):
    start = _date_field(_("Start date (not counted)"))
    days = forms.IntegerField(
        label=_("Working days"),
        min_value=0,
        max_value=MAX_DEADLINE_DAYS,
        error_messages={"min_value": _("The number of working days cannot be negative.")},
    )

    def clean_start(self) -> datetime.date:
        return _check_in_calendar(self.cleaned_data["start"])


class RangeForm(forms.Form):
    first = _date_field(_("From"))
    last = _date_field(_("To (included)"))

    def clean_first(self) -> datetime.date:
        return _check_in_calendar(self.cleaned_data["first"])

    def clean_last(self) -> datetime.date:
        return _check_in_calendar(self.cleaned_data["last"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and last < first:
            self.add_error("last", _("The end of the range is before its start."))
        return data


class CenterDayForm(forms.Form):
    date = _date_field(_("Date"))
    kind = forms.ChoiceField(label=_("Kind"), choices=CenterDay.Kind.choices)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Shown on the calendar, for example: power outage, flood warning."),
    )
    # Issue 16 item 9; the page drops the field for a center with nothing below it.
    include_below = forms.BooleanField(
        label=_("Also for the centers below"),
        required=False,
        help_text=_(
            "The town and village rooms below get the same day in one step; a center that has "
            "its own entry for that day keeps it."
        ),
    )


class _ScheduleForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=EPOCH.year, max_value=END.year)
    source = forms.CharField(
        label=_("Source"),
        max_length=200,
        required=False,
        help_text=_("For example the number of the State Council notice (国办发明电〔…〕…号)."),
    )

    parsed: ParsedSchedule | None = None

    def _parse(self) -> ParsedSchedule:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        self.parsed = self._parse()
        return data


class ScheduleTextForm(_ScheduleForm):
    text = forms.CharField(
        label=_("Schedule"),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        max_length=MAX_FILE_BYTES,
        help_text=_(
            "One line per day or range: date, type, name. Example: "
            "2027-01-01,holiday,元旦 — 2027-02-05~2027-02-13,休,春节 — 2027-02-20,班,春节调休"
        ),
    )

    def _parse(self) -> ParsedSchedule:
        return parse_schedule_text(self.cleaned_data["text"], year=self.cleaned_data["year"])


class ScheduleFileForm(_ScheduleForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A .xlsx spreadsheet, CSV or text file with the columns date, type, name."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = min(MAX_FILE_BYTES, settings.GOVHALL_MAX_UPLOAD_BYTES)
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large: at most %(kb)s KB."), params={"kb": limit // 1024}
            )
        return upload

    def _parse(self) -> ParsedSchedule:
        upload = self.cleaned_data["file"]
        return parse_schedule_file(upload.name or "", upload.read(), year=self.cleaned_data["year"])
