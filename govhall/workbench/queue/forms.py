"""Forms of the queue pages. They only parse input; the rules are in frontdesk.services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models import ServiceItem
from govhall.frontdesk.models import ServiceGroup, TicketPriority
from govhall.org.models import Center, Department, Window

# Priorities staff give at the desk: an appointment priority comes only from a check-in.
DESK_PRIORITIES = [
    (value, label) for value, label in TicketPriority.choices if value != TicketPriority.APPOINTMENT
]
STATS_DAYS_MAX = 366


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.letter} · {obj.name}"


class WindowChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} · {obj.name}"


class ItemHintChoiceField(forms.ModelChoiceField):
    """An item with its department as a hint (load the department with it)."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} · {obj.department.short_name or obj.department.name}"


class TakeForm(forms.Form):
    """A ticket issued at the front desk (导服台)."""

    group = GroupChoiceField(label=_("Group"), queryset=ServiceGroup.objects.none())
    priority = forms.ChoiceField(
        label=_("Priority"), choices=DESK_PRIORITIES, initial=TicketPriority.NORMAL
    )
    phone = forms.CharField(
        label=_("Phone for SMS"),
        max_length=20,
        required=False,
        help_text=_("Optional: an SMS when the turn is near."),
    )
    item = ItemHintChoiceField(
        label=_("Item (what the citizen comes for)"),
        queryset=ServiceItem.objects.none(),
        required=False,
        help_text=_("Optional: the ticket is then called only at windows that accept it."),
    )

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["group"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ServiceGroup.objects.filter(center=center, is_active=True).order_by(
            "position", "letter"
        )
        item_field = self.fields["item"]
        assert isinstance(item_field, forms.ModelChoiceField)
        item_field.queryset = (
            ServiceItem.objects.filter(
                is_active=True,
                pk__in=ServiceGroup.items.through.objects.filter(
                    servicegroup__center=center, servicegroup__is_active=True
                ).values("serviceitem_id"),
            )
            .select_related("department")
            .order_by("department__code", "name")
        )


class TransferForm(forms.Form):
    """Where a ticket goes: another group, or one named window (`group:<id>` / `window:<id>`).
    The choices are built from lists the view already loaded."""

    to = forms.ChoiceField(label=_("Transfer to"))
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        *args: Any,
        groups: list[ServiceGroup],
        windows: list[Window],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {str(group.pk): group for group in groups}
        self.windows = {str(window.pk): window for window in windows}
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Choose…")),
            (
                _("Group"),
                [(f"group:{g.pk}", f"{g.letter} · {g.name}") for g in groups],
            ),
            (
                _("Window"),
                [(f"window:{w.pk}", f"{w.number} · {w.name}") for w in windows],
            ),
        ]

    def target(self) -> tuple[ServiceGroup | None, Window | None]:
        kind, _sep, pk = self.cleaned_data["to"].partition(":")
        if kind == "group":
            return self.groups[pk], None
        return None, self.windows[pk]


class GroupForm(forms.Form):
    letter = forms.CharField(
        label=_("letter"),
        max_length=2,
        help_text=_("Not I, O, S or Z: on the board they read as 1, 0, 5 and 2."),
    )
    name = forms.CharField(label=_("name"), max_length=64)
    department = forms.ModelChoiceField(
        label=_("department"), queryset=Department.objects.none(), required=False
    )
    windows = forms.ModelMultipleChoiceField(
        label=_("windows"),
        queryset=Window.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    items = forms.ModelMultipleChoiceField(
        label=_("service items"),
        queryset=ServiceItem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )
    daily_limit = forms.IntegerField(
        label=_("daily limit"), required=False, min_value=1, help_text=_("Empty: no limit.")
    )
    slot_minutes = forms.IntegerField(
        label=_("appointment slot (minutes)"), min_value=5, max_value=240, initial=30
    )
    slot_capacity = forms.IntegerField(label=_("appointments per slot"), min_value=0, initial=4)
    position = forms.IntegerField(label=_("position"), min_value=0, initial=0)
    is_active = forms.BooleanField(label=_("active"), required=False, initial=True)

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set("department", Department.objects.filter(center=center).order_by("code", "id"))
        self._set("windows", Window.objects.filter(center=center).order_by("number"))
        self._set(
            "items",
            ServiceItem.objects.filter(center=center, is_active=True).order_by("name", "id"),
        )

    def _set(self, name: str, queryset: QuerySet[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    @staticmethod
    def initial_of(group: ServiceGroup) -> dict[str, Any]:
        return {
            "letter": group.letter,
            "name": group.name,
            "department": group.department_id,
            "windows": list(group.windows.values_list("pk", flat=True)),
            "items": list(group.items.values_list("pk", flat=True)),
            "daily_limit": group.daily_limit,
            "slot_minutes": group.slot_minutes,
            "slot_capacity": group.slot_capacity,
            "position": group.position,
            "is_active": group.is_active,
        }

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("windows")
        data.pop("items")
        return data


class StatsForm(forms.Form):
    first = forms.DateField(
        label=_("First day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    last = forms.DateField(
        label=_("Last day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last:
            if first > last:
                raise forms.ValidationError(_("The first day comes after the last."))
            if (last - first).days >= STATS_DAYS_MAX:
                raise forms.ValidationError(_("Choose at most a year."))
        return data

    @staticmethod
    def default_range() -> tuple[datetime.date, datetime.date]:
        today = timezone.localdate()
        return today - datetime.timedelta(days=6), today
