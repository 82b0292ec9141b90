"""Forms of the study and training pages (issue 21 item 2). The rules (length, cadence, who may)
live in the services; these only carry the input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.org.models import Center
from govhall.staffing.models.learning import AttendanceMark, TrainingKind
from govhall.workbench.org.forms import TIME_WIDGET, UserChoiceField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _CenterForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = centers


class SessionPlanForm(_CenterForm):
    held_on = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET)
    ends = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    place = forms.CharField(label=_("Venue"), max_length=100, required=False)
    host = forms.CharField(label=_("Host"), max_length=50, required=False)
    plan = forms.CharField(
        label=_("Plan and materials"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NotesForm(forms.Form):
    discussion_notes = forms.CharField(
        label=_("Discussion notes"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )


class TrainingForm(_CenterForm):
    kind = forms.ChoiceField(label=_("Type of training"), choices=TrainingKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_on = forms.DateField(label=_("First day"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Last day"), widget=DATE_WIDGET)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.1"), max_digits=5, decimal_places=1
    )
    organizer = forms.CharField(label=_("Organizer"), max_length=100, required=False)
    place = forms.CharField(label=_("Venue"), max_length=100, required=False)
    description = forms.CharField(
        label=_("Content"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ParticipationForm(forms.Form):
    user = UserChoiceField(label=_("Staff member"), queryset=None)
    mark = forms.ChoiceField(
        label=_("Present or not"), choices=AttendanceMark.choices, initial=AttendanceMark.PRESENT
    )
    result = forms.CharField(
        label=_("Result (score, prize, certificate)"), max_length=200, required=False
    )

    def __init__(self, *args: Any, people: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people
