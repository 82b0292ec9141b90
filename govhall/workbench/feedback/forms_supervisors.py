"""Forms of the social supervisor pages (issue 15 item 6): they only parse; the rules are in
govhall/feedback/services/supervisors.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.core.models import User
from govhall.feedback.models import SupervisorVisitKind
from govhall.org.models import Center, Window

DATE = {"type": "date"}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class WindowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.name}"


class AppointForm(forms.Form):
    user = PersonChoiceField(label=_("Social supervisor"), queryset=User.objects.none())
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    letter_number = forms.CharField(label=_("Letter of appointment"), max_length=60)
    employer = forms.CharField(label=_("Employer or standing"), max_length=100, required=False)
    starts_on = forms.DateField(
        label=_("Term starts"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("Term ends"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    def __init__(
        self, *args: Any, people: QuerySet[User], centers: QuerySet[Center], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("user", people), ("center", centers)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = queryset


class EndEarlyForm(forms.Form):
    on = forms.DateField(
        label=_("Term ends on"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisorVisitKind.choices)
    visited_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    window = WindowChoiceField(
        label=_("Window"),
        queryset=Window.objects.none(),
        required=False,
        help_text=_("Required for mystery shopping."),
    )
    findings = forms.CharField(
        label=_("What you found or propose"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args: Any, windows: QuerySet[Window], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["window"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = windows


class ResponseForm(forms.Form):
    response = forms.CharField(
        label=_("Response"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
