"""Forms of the rating pages (好差评): the list's filters and the phone entry. They only carry
input; `govhall.feedback.services.ratings.rating_give` checks it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.feedback.models import BadRatingReason, RatingLevel
from govhall.feedback.queries.ratings import RatingFilters
from govhall.feedback.services.ratings import (
    COMMENT_MAX_LENGTH,
    NAME_MAX_LENGTH,
    OCCASION_KINDS,
    PHONE_MAX_LENGTH,
)
from govhall.org.models import Department, Window

ANY = [("", _("Any"))]


class RatingFilterForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )
    level = forms.TypedChoiceField(
        label=_("Rating"),
        choices=ANY + list(RatingLevel.choices),
        coerce=int,
        required=False,
        empty_value=None,
    )
    window = forms.ModelChoiceField(
        label=_("Window"),
        queryset=Window.objects.none(),
        required=False,
        empty_label=_("All windows"),
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("All departments"),
    )
    bad_only = forms.BooleanField(label=_("Bad ratings only"), required=False)

    def __init__(
        self,
        *args: Any,
        windows: QuerySet[Window],
        departments: QuerySet[Department],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = windows  # type: ignore[attr-defined]
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]

    def filters(self) -> RatingFilters:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        year = month = None
        raw = (data.get("month") or "").strip()
        if raw:
            try:
                year_text, month_text = raw.split("-")
                year, month = int(year_text), int(month_text)
                if not (2000 <= year <= 2100 and 1 <= month <= 12):
                    year = month = None
            except ValueError:
                year = month = None
        window = data.get("window")
        department = data.get("department")
        return RatingFilters(
            year=year,
            month=month,
            level=data.get("level"),
            window_id=window.pk if window else None,
            department_id=department.pk if department else None,
            bad_only=bool(data.get("bad_only")),
        )


class OccasionSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Case number or ticket number"),
        max_length=48,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


class PhoneRatingForm(forms.Form):
    kind = forms.ChoiceField(choices=[(k, k) for k in OCCASION_KINDS], widget=forms.HiddenInput)
    occasion = forms.IntegerField(widget=forms.HiddenInput)
    level = forms.TypedChoiceField(
        label=_("Rating given on the phone"),
        choices=RatingLevel.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    reason = forms.ChoiceField(
        label=_("Reason (for a bad rating)"),
        choices=[("", "—"), *BadRatingReason.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("What the citizen said"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rater_name = forms.CharField(
        label=_("Citizen's name"), max_length=NAME_MAX_LENGTH, required=False
    )
    rater_phone = forms.CharField(
        label=_("Citizen's phone"), max_length=PHONE_MAX_LENGTH, required=False
    )
