"""Forms of the assessment pages: they only carry the input; the services check it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.assessment.models import EvaluationSource
from govhall.assessment.sheet_transitions import SheetAction


class EntryForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (SheetAction.DEDUCT.value, SheetAction.DEDUCT.label),
            (SheetAction.BONUS.value, SheetAction.BONUS.label),
            (SheetAction.CORRECT.value, SheetAction.CORRECT.label),
        ],
    )
    points = forms.CharField(
        label=_("Points"),
        max_length=8,
        help_text=_("In steps of 0.5; a correction is signed (-1 takes a point away)."),
    )
    occurred_on = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class WeightsForm(forms.Form):
    self = forms.IntegerField(label=EvaluationSource.SELF.label, min_value=0, max_value=100)
    leader = forms.IntegerField(label=EvaluationSource.LEADER.label, min_value=0, max_value=100)
    patrol = forms.IntegerField(label=EvaluationSource.PATROL.label, min_value=0, max_value=100)
    citizen = forms.IntegerField(label=EvaluationSource.CITIZEN.label, min_value=0, max_value=100)
    social = forms.IntegerField(label=EvaluationSource.SOCIAL.label, min_value=0, max_value=100)


class MarkForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=EvaluationSource.choices)
    mark = forms.IntegerField(label=_("Mark"), min_value=0, max_value=100)
