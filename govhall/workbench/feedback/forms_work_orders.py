"""Forms of the 12345 work order pages (issue 15 item 4): they only parse; the rules are in
govhall/feedback/services/work_orders.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.feedback.models import WorkOrderKind
from govhall.org.models import Center, Department


class _Versioned(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RouteForm(_Versioned):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments


class SendBackForm(_Versioned):
    reason = forms.CharField(
        label=_("Why it is not ours"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ExtendForm(_Versioned):
    days = forms.IntegerField(
        label=_("Working days"),
        min_value=1,
        max_value=settings.GOVHALL_WORK_ORDER_EXTENSION_WORKDAYS,
    )
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(_Versioned):
    reply = forms.CharField(
        label=_("Reply to the citizen"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ReturnVisitForm(_Versioned):
    satisfied = forms.TypedChoiceField(
        label=_("Result of the return visit"),
        choices=[("yes", _("Satisfied: close the order")), ("no", _("Dissatisfied: redo it"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (required when dissatisfied)"), max_length=1000, required=False
    )


class RevealForm(forms.Form):
    purpose = forms.CharField(label=_("Why do you need the citizen's phone?"), max_length=300)


class WorkOrderEntryForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    hotline_number = forms.CharField(
        label=_("Hotline order number"),
        max_length=40,
        required=False,
        help_text=_("As the hotline gave it on the phone; empty: the hall gives one."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=WorkOrderKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(
        label=_("What the citizen asks"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    citizen_name = forms.CharField(label=_("Citizen (optional)"), max_length=60, required=False)
    citizen_phone = forms.CharField(label=_("Phone (optional)"), max_length=20, required=False)
    department = forms.ModelChoiceField(
        label=_("Department (empty: route it later)"),
        queryset=Department.objects.none(),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        centers: QuerySet[Center],
        departments: QuerySet[Department],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        center_field = self.fields["center"]
        department_field = self.fields["department"]
        assert isinstance(center_field, forms.ModelChoiceField)
        assert isinstance(department_field, forms.ModelChoiceField)
        center_field.queryset = centers
        department_field.queryset = departments
