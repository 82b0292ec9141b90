"""Forms of the first-inquiry pages (首问负责制): the quick log, finishing a transfer, and the
list and phone-book filters.

Forms only read and type the input; every rule (what each outcome needs, who may do what) is
checked by govhall.frontdesk.services.inquiries, whose messages the views show on these forms.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.frontdesk.models import InquiryChannel, InquiryOutcome
from govhall.org.models import Department, Window

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class WindowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} · {obj.name}"


class InquiryLogForm(forms.Form):
    """One contact, typed in seconds: the outcome radio shows the fields that outcome needs."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=InquiryChannel.choices,
        initial=InquiryChannel.VISIT,
        widget=forms.RadioSelect,
    )
    matter = forms.CharField(
        label=_("Matter"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "autofocus": True, "autocomplete": "off"}),
    )
    contact_name = forms.CharField(
        label=_("Contact name"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=InquiryOutcome.choices, widget=forms.RadioSelect
    )
    answer = forms.CharField(
        label=_("Answer or explanation"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    guided_window = WindowChoiceField(
        label=_("Guided to window"), queryset=Window.objects.none(), required=False
    )
    transferred_department = forms.ModelChoiceField(
        label=_("Transferred to department"), queryset=Department.objects.none(), required=False
    )
    transferred_contact = forms.CharField(
        label=_("Receiving contact"),
        max_length=64,
        required=False,
        help_text=_("The named person of the department who takes it on."),
    )
    window = WindowChoiceField(
        label=_("I serve at"),
        queryset=Window.objects.none(),
        required=False,
        empty_label=_("Front desk (no window)"),
    )

    def __init__(
        self,
        *args: Any,
        windows: QuerySet[Window],
        departments: QuerySet[Department],
        my_windows: QuerySet[Window],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guided_window"].queryset = windows  # type: ignore[attr-defined]
        self.fields["transferred_department"].queryset = departments  # type: ignore[attr-defined]
        self.fields["window"].queryset = my_windows  # type: ignore[attr-defined]


class FinishForm(forms.Form):
    result = forms.CharField(
        label=_("Result"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class DateRangeForm(forms.Form):
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE_WIDGET)
