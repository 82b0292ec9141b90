"""Forms of the suggestion-box pages (issue 15 item 5): they only parse; the rules are in
govhall/feedback/services/suggestions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.feedback.models import SuggestionKind
from govhall.org.models import Center


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label=_("Reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RevealForm(forms.Form):
    purpose = forms.CharField(
        label=_("Why do you need the writer's name and phone?"), max_length=300
    )


class PaperEntryForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=SuggestionKind.choices)
    received_on = forms.DateField(
        label=_("Found in the box on"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    content = forms.CharField(
        label=_("Content"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    name = forms.CharField(label=_("Name (optional)"), max_length=60, required=False)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False)
    is_public = forms.BooleanField(
        label=_("The writer asks to show it on the message wall"), required=False
    )

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        center_field = self.fields["center"]
        assert isinstance(center_field, forms.ModelChoiceField)
        center_field.queryset = centers
