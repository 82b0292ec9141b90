"""Forms of the joint meeting and emergency pages (issue 21 item 4). They only type the input;
the services judge it (govhall/hallops/services/)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.core.models import User
from govhall.hallops.models import EmergencyKind
from govhall.org.models import Center, Department

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class PeopleChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.display_name)


class MeetingForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    held_at = forms.DateTimeField(label=_("Meeting time"), widget=MOMENT)
    place = forms.CharField(label=_("Meeting place"), max_length=100)
    chair = PersonChoice(
        label=_("Chair"), queryset=User.objects.none(), required=False, empty_label=_("Nobody yet")
    )
    agenda = forms.CharField(
        label=_("Agenda"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(
        self, *args: Any, centers: QuerySet[Center], people: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        center = self.fields["center"]
        chair = self.fields["chair"]
        assert isinstance(center, forms.ModelChoiceField)
        assert isinstance(chair, forms.ModelChoiceField)
        center.queryset = centers
        chair.queryset = people


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Meeting minutes"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )


class DecisionForm(forms.Form):
    text = forms.CharField(label=_("Decision"), max_length=500)
    department = forms.ModelChoiceField(
        label=_("Owner department"), queryset=Department.objects.none()
    )
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, departments: QuerySet[Department], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = departments


class SectionForm(forms.Form):
    measures = forms.CharField(
        label=_("Measures"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    phone = forms.CharField(label=_("Duty phone"), required=False, max_length=32)
    duty_people = PeopleChoice(
        label=_("Duty people"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["duty_people"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = people


class IncidentForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    kind = forms.ChoiceField(label=_("Kind of emergency"), choices=EmergencyKind.choices)
    is_drill = forms.BooleanField(label=_("This was a drill"), required=False)
    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=MOMENT)
    what_happened = forms.CharField(
        label=_("What happened"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    actions_taken = forms.CharField(
        label=_("Actions taken"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    people_involved = forms.CharField(label=_("People involved"), required=False, max_length=300)
    outcome = forms.CharField(
        label=_("Outcome of the event"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = centers


class DrillPlanForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    kind = forms.ChoiceField(label=_("Kind of emergency"), choices=EmergencyKind.choices)
    planned_for = forms.DateTimeField(label=_("Planned for"), widget=MOMENT)
    what_happened = forms.CharField(
        label=_("Scenario"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = centers


class DrillRecordForm(forms.Form):
    occurred_at = forms.DateTimeField(label=_("Occurred at"), widget=MOMENT)
    actions_taken = forms.CharField(
        label=_("Actions taken"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    people_involved = forms.CharField(label=_("People involved"), required=False, max_length=300)
    outcome = forms.CharField(
        label=_("Outcome of the event"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
