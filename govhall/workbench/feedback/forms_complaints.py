"""Forms of the complaint pages (投诉): registering, the list's filters, and the steps of the
complaint page. The services check the values; the forms only draw and parse them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.core.models import User
from govhall.feedback.models.complaints import (
    ComplaintChannel,
    ComplaintComplexity,
    ComplaintFinding,
    ComplaintStatus,
    ComplaintTarget,
    ToldVia,
)
from govhall.org.models import Center, Department, Window

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_BLANK = [("", "—")]


class ComplaintRegisterForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[c for c in ComplaintChannel.choices if c[0] != ComplaintChannel.WEB],
        initial=ComplaintChannel.VISIT,
    )
    received_at = forms.DateTimeField(
        label=_("Time received"),
        required=False,
        help_text=_("Empty: now."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    target_kind = forms.ChoiceField(label=_("About"), choices=ComplaintTarget.choices)
    target_staff = forms.ModelChoiceField(
        label=_("Staff member"), required=False, queryset=User.objects.none()
    )
    target_window = forms.ModelChoiceField(
        label=_("Window"), required=False, queryset=Window.objects.none()
    )
    target_department = forms.ModelChoiceField(
        label=_("Department"), required=False, queryset=Department.objects.none()
    )
    summary = forms.CharField(label=_("Summary"), max_length=200)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    complexity = forms.ChoiceField(
        label=_("Complexity"), choices=ComplaintComplexity.choices, initial="simple"
    )
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False)
    complainant_name = forms.CharField(label=_("Complainant"), required=False, max_length=60)
    complainant_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    complainant_address = forms.CharField(label=_("Address"), required=False, max_length=200)
    on_the_spot = forms.BooleanField(
        label=_("Handled on the spot (closes it with the finding below)"), required=False
    )
    finding = forms.ChoiceField(
        label=_("Finding"), required=False, choices=_BLANK + list(ComplaintFinding.choices)
    )
    result = forms.CharField(
        label=_("Result"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self,
        *args: Any,
        centers: QuerySet[Center],
        staff: QuerySet[User],
        windows: QuerySet[Window],
        departments: QuerySet[Department],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers  # type: ignore[attr-defined]
        self.fields["target_staff"].queryset = staff  # type: ignore[attr-defined]
        self.fields["target_staff"].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]
        self.fields["target_window"].queryset = windows  # type: ignore[attr-defined]
        self.fields["target_department"].queryset = departments  # type: ignore[attr-defined]

    def target_id(self) -> int | None:
        kind = self.cleaned_data.get("target_kind")
        choices: dict[str, Any] = {
            ComplaintTarget.STAFF: self.cleaned_data.get("target_staff"),
            ComplaintTarget.WINDOW: self.cleaned_data.get("target_window"),
            ComplaintTarget.DEPARTMENT: self.cleaned_data.get("target_department"),
        }
        chosen = choices.get(str(kind))
        return chosen.pk if chosen is not None else None


class ComplaintFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or summary"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=_BLANK + list(ComplaintStatus.choices)
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=_BLANK + list(ComplaintChannel.choices)
    )
    finding = forms.ChoiceField(
        label=_("Finding"), required=False, choices=_BLANK + list(ComplaintFinding.choices)
    )
    target_kind = forms.ChoiceField(
        label=_("About"), required=False, choices=_BLANK + list(ComplaintTarget.choices)
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=_DATE)
    date_to = forms.DateField(label=_("End date"), required=False, widget=_DATE)


class _Step(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssignForm(_Step):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    due_on = forms.DateField(
        label=_("Reply due on"),
        required=False,
        help_text=_("Empty: by the complaint's own due time."),
        widget=_DATE,
    )

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]


class ReplyForm(_Step):
    reply = forms.CharField(
        label=_("The department's reply"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


class AnswerForm(_Step):
    # No finding is preselected: "verified" costs the person points, so it is always chosen.
    finding = forms.ChoiceField(label=_("Finding"), choices=_BLANK + list(ComplaintFinding.choices))
    result = forms.CharField(
        label=_("Result"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    delay_reason = forms.CharField(
        label=_("Reason for the delay"),
        required=False,
        max_length=1000,
        help_text=_("Needed when the answer comes after the due time."),
    )


class TellForm(_Step):
    via = forms.ChoiceField(label=_("Told by"), choices=ToldVia.choices)


class CloseForm(_Step):
    pass
