"""Forms of the appointment pages. They only parse input; the rules are in
govhall/frontdesk/services/appointment_*.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models import ServiceItem
from govhall.core.models import User
from govhall.frontdesk.models import AppointmentStatus, ServiceGroup
from govhall.frontdesk.models.appointment import AppointmentChannel
from govhall.org.models import Center
from govhall.workbench.org.forms import UserChoiceField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class GroupChoiceField(forms.ModelChoiceField):
    """ "A 市场监管", with the center when the user sees several centers."""

    def __init__(self, *args: Any, show_center: bool = False, **kwargs: Any) -> None:
        self.show_center = show_center
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        label = f"{obj.letter} {obj.name}"
        return f"{obj.center.name} · {label}" if self.show_center else label


class ItemOfGroupField(forms.ModelChoiceField):
    """ "抵押登记 · 不动产登记中心": the item with its department as a hint."""

    def label_from_instance(self, obj: Any) -> str:
        department = obj.department.short_name or obj.department.name
        return f"{obj.name} · {department}"


def group_field(groups: list[ServiceGroup], **kwargs: Any) -> GroupChoiceField:
    return GroupChoiceField(
        queryset=ServiceGroup.objects.filter(pk__in=[g.pk for g in groups])
        .select_related("center")
        .order_by("center__path", "position", "letter"),
        show_center=len({g.center_id for g in groups}) > 1,
        label=_("Group"),
        **kwargs,
    )


class DaySheetForm(forms.Form):
    group = forms.ModelChoiceField(queryset=ServiceGroup.objects.none(), label=_("Group"))
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)

    def __init__(self, *args: Any, groups: list[ServiceGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"] = group_field(groups)


class StaffBookingForm(forms.Form):
    """A phone booking (or one at the desk) made by staff; off-hours asks for approval."""

    group = forms.ModelChoiceField(queryset=ServiceGroup.objects.none(), label=_("Group"))
    date = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    starts = forms.TimeField(label=_("Time"), widget=TIME_WIDGET)
    off_hours = forms.BooleanField(
        label=_("Off-hours request (before or after hours, or on a non-working day)"),
        required=False,
    )
    name = forms.CharField(label=_("Full name"), max_length=100)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    item = forms.ModelChoiceField(
        queryset=ServiceItem.objects.none(),
        label=_("Item (what the applicant comes for)"),
        required=False,
        help_text=_("One of the group's items; its name is kept as the matter."),
    )
    matter = forms.CharField(label=_("Matter to handle"), max_length=200, required=False)
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[
            (AppointmentChannel.PHONE, AppointmentChannel.PHONE.label),
            (AppointmentChannel.DESK, AppointmentChannel.DESK.label),
        ],
    )

    def __init__(self, *args: Any, groups: list[ServiceGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"] = group_field(groups)
        self.fields["item"] = ItemOfGroupField(
            queryset=ServiceItem.objects.filter(
                is_active=True,
                pk__in=ServiceGroup.items.through.objects.filter(
                    servicegroup_id__in=[g.pk for g in groups]
                ).values("serviceitem_id"),
            )
            .select_related("department")
            .order_by("department__code", "name"),
            label=self.fields["item"].label,
            required=False,
            help_text=self.fields["item"].help_text,
        )
        self.order_fields(list(self.declared_fields))


class ListFilterForm(forms.Form):
    group = forms.ModelChoiceField(
        queryset=ServiceGroup.objects.none(),
        label=_("Group"),
        required=False,
        empty_label=_("All groups"),
    )
    first = forms.DateField(label=_("From"), widget=DATE_WIDGET, required=False)
    last = forms.DateField(label=_("Until"), widget=DATE_WIDGET, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *AppointmentStatus.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All")), ("slot", _("In hours")), ("off_hours", _("Off-hours"))],
        required=False,
    )
    q = forms.CharField(label=_("Code, name, phone or ID number"), max_length=40, required=False)

    def __init__(self, *args: Any, groups: list[ServiceGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"] = group_field(groups, required=False, empty_label=_("All groups"))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class DecideForm(forms.Form):
    assigned_to = UserChoiceField(
        queryset=User.objects.none(), label=_("Served by"), required=False
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(
        self,
        *args: Any,
        center: Center,
        staff_choices: list[tuple[Any, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assigned_to"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = staff_of(center)
        if staff_choices is not None:
            # A list page draws one form per row: the choices are read once per center.
            field.choices = staff_choices


def staff_of(center: Center) -> Any:
    return (
        User.objects.filter(staff__center=center, is_active=True)
        .select_related("staff__department")
        .order_by("username")
    )


def staff_choices(center: Center) -> list[tuple[Any, str]]:
    field = UserChoiceField(queryset=staff_of(center), required=False)
    rows: Any = field.choices  # a ModelChoiceIterator: one query
    return [(value, str(label)) for value, label in rows]


class OutageForm(forms.Form):
    center = forms.ModelChoiceField(queryset=Center.objects.none(), label=_("Center"))
    start = forms.DateTimeField(
        label=_("Closed from"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    end = forms.DateTimeField(
        label=_("Service resumes at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    reason = forms.CharField(
        label=_("Reason (told to the applicants)"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. power cut, network outage")}),
    )

    def __init__(self, *args: Any, centers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = centers


class RatesForm(forms.Form):
    first = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    last = forms.DateField(label=_("Until"), widget=DATE_WIDGET)
