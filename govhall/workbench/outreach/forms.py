"""Forms of the pages of service beyond the counter (issue 21 item 6). They parse; the rules
are the services' (`govhall/frontdesk/services/home_visits.py`, `follow_ups.py`,
`appointment_reassign.py`)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.core.models import User
from govhall.frontdesk.models import VisitReason
from govhall.org.models import Department
from govhall.workbench.appointments.forms import DATETIME_LOCAL, UserChoiceField


class MonthForm(forms.Form):
    month = forms.CharField(
        label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )

    def month_start(self, default: datetime.date) -> datetime.date | None:
        """The first day of the month asked (default: `default`'s); None when not a month."""
        raw = (self.data.get("month") or "").strip()
        if not raw:
            return default.replace(day=1)
        try:
            return datetime.date.fromisoformat(f"{raw}-01")
        except ValueError:
            return None


class VisitForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), label=_("Department"), empty_label=_("Choose…")
    )
    person_name = forms.CharField(label=_("Full name"), max_length=100)
    id_number = forms.CharField(label=_("ID number"), max_length=18, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20)
    address = forms.CharField(label=_("Address"), max_length=300)
    reason = forms.ChoiceField(label=_("Reason"), choices=VisitReason.choices)
    matter = forms.CharField(label=_("Matter to handle"), max_length=200)
    requested_date = forms.DateField(
        label=_("Requested date"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["department"]
        field.queryset = departments


class ScheduleForm(forms.Form):
    assigned = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        label=_("Who goes"),
        widget=forms.CheckboxSelectMultiple,
    )
    scheduled_for = forms.DateTimeField(
        label=_("When"),
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["assigned"]
        field.queryset = staff
        field.label_from_instance = UserChoiceField(queryset=staff).label_from_instance


class ResultForm(forms.Form):
    result = forms.CharField(label=_("Result"), widget=forms.Textarea(attrs={"rows": 3}))


class CancelVisitForm(forms.Form):
    reason = forms.CharField(label=_("Cancel reason"), max_length=200)


class ProjectForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), label=_("Department"), empty_label=_("Choose…")
    )
    name = forms.CharField(label=_("Project"), max_length=200)
    enterprise = forms.CharField(label=_("Enterprise"), max_length=200)
    contact_name = forms.CharField(label=_("Contact"), max_length=100)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=20)
    next_call_due = forms.DateField(
        label=_("First call due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, departments: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["department"]
        field.queryset = departments


class CallForm(forms.Form):
    called_on = forms.DateField(
        label=_("Date of the call"), widget=forms.DateInput(attrs={"type": "date"})
    )
    summary = forms.CharField(label=_("What was said"), widget=forms.Textarea(attrs={"rows": 3}))
    next_due = forms.DateField(
        label=_("Next call due"),
        required=False,
        help_text=_("Leave empty when the follow-up is over."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ReassignForm(forms.Form):
    to = UserChoiceField(
        queryset=User.objects.none(), label=_("Served instead by"), empty_label=_("Choose…")
    )

    def __init__(self, *args: Any, candidates: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["to"]
        field.queryset = User.objects.filter(pk__in=[user.pk for user in candidates])


class CannotServeForm(forms.Form):
    note = forms.CharField(label=_("Why you cannot serve it"), max_length=200)
