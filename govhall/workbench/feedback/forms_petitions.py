"""Forms of the petition pages (信访): the register (fast at a desk: every main field on one
1366×768 screen), the filters of the list, the steps, reception days. The services check the
values; the forms only draw and parse them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhall.core.models import User
from govhall.feedback.models.petitions import (
    Gender,
    LeaderReception,
    PetitionChannel,
    PetitionStatus,
    PoliticalStatus,
)
from govhall.feedback.petition_transitions import PetitionAction
from govhall.org.models import Center, Department

RECEPTION_CHOICES = [
    ("", _("Automatic (collective or major)")),
    ("yes", _("Yes")),
    ("no", _("No")),
]


def _text(label: Any, *, max_length: int, required: bool = False, **attrs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
    )


def _department_with_center(department: Department) -> str:
    return f"{department.name} · {department.center.name}"


class PetitionRegisterForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    channel = forms.ChoiceField(
        label=_("Channel"), choices=PetitionChannel.choices, initial=PetitionChannel.VISIT
    )
    received_at = forms.DateTimeField(
        label=_("Time of visit"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    name = _text(_("Full name"), max_length=60, required=True, autofocus="autofocus")
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", "—"), *Gender.choices]
    )
    age = forms.IntegerField(label=_("Age"), required=False, min_value=0, max_value=150)
    occupation = _text(_("Occupation"), max_length=60)
    political_status = forms.ChoiceField(
        label=_("Political status"), required=False, choices=[("", "—"), *PoliticalStatus.choices]
    )
    address_or_employer = _text(_("Address or employer"), max_length=200)
    phone = _text(_("Contact phone"), max_length=20, inputmode="tel")
    id_number = _text(_("ID number"), max_length=18)
    people_count = forms.IntegerField(label=_("People"), min_value=1, initial=1)
    representatives = forms.IntegerField(label=_("Representatives"), min_value=1, initial=1)
    department = forms.ModelChoiceField(
        label=_("Department concerned"), required=False, queryset=Department.objects.none()
    )
    needs_reception = forms.ChoiceField(
        label=_("Leader reception"), required=False, choices=RECEPTION_CHOICES
    )
    is_major = forms.BooleanField(label=_("Major or urgent matter"), required=False)
    is_accusation = forms.BooleanField(label=_("Accusation (identity kept secret)"), required=False)
    matter = forms.CharField(
        label=_("Main matter raised"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        centers: QuerySet[Center],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        center_field = self.fields["center"]
        department_field = self.fields["department"]
        assert isinstance(center_field, forms.ModelChoiceField)
        assert isinstance(department_field, forms.ModelChoiceField)
        center_field.queryset = centers
        department_field.queryset = Department.objects.filter(
            center__in=centers, is_active=True
        ).select_related("center")
        if len(centers) == 1:
            center_field.widget = forms.HiddenInput()
        else:  # the towns' offices share names: say whose each one is
            department_field.label_from_instance = _department_with_center  # type: ignore[assignment]
        self.fields["received_at"].initial = timezone.localtime().strftime("%Y-%m-%dT%H:%M")

    def reception_choice(self) -> bool | None:
        value = self.cleaned_data.get("needs_reception") or ""
        return None if value == "" else value == "yes"


class PetitionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *PetitionStatus.choices]
    )
    search = forms.CharField(label=_("Petition number"), required=False, max_length=40)
    received_from = forms.DateField(
        label=_("Received from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    received_to = forms.DateField(
        label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    collective_or_major = forms.BooleanField(label=_("Collective or major"), required=False)
    accusation = forms.BooleanField(label=_("Accusations"), required=False)


# What each step asks for, by action (the services check it).
class NoticeForm(forms.Form):
    notice = forms.CharField(label=_("Notice text"), widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none())
    instructions = forms.CharField(
        label=_("Instructions"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, center_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["department"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Department.objects.filter(center_id=center_id, is_active=True)


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1)
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class OpinionForm(forms.Form):
    opinion = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 4}))


class ReviewRequestForm(forms.Form):
    requested_on = forms.DateField(
        label=_("Requested on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


ACTION_FORMS: dict[str, type[forms.Form]] = {
    PetitionAction.ANSWER_ON_SPOT: AnswerForm,
    PetitionAction.NOTIFY: NoticeForm,
    PetitionAction.ACCEPT: NoticeForm,
    PetitionAction.REFUSE: NoticeForm,
    PetitionAction.ASSIGN: AssignForm,
    PetitionAction.EXTEND: ExtendForm,
    PetitionAction.CLOSE: OpinionForm,
    PetitionAction.REQUEST_REVIEW: ReviewRequestForm,
    PetitionAction.REQUEST_RECHECK: ReviewRequestForm,
    PetitionAction.ANSWER_REVIEW: AnswerForm,
}


def action_form(action: str, data: Any = None, *, center_id: int) -> forms.Form:
    form_class = ACTION_FORMS[action]
    prefix = action
    if form_class is AssignForm:
        return AssignForm(data, center_id=center_id, prefix=prefix)
    return form_class(data, prefix=prefix)


class ReceptionForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=User.objects.none())
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Reception place"), required=False, max_length=100)

    def __init__(
        self, *args: Any, centers: QuerySet[Center], leaders: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        center_field = self.fields["center"]
        leader_field = self.fields["leader"]
        assert isinstance(center_field, forms.ModelChoiceField)
        assert isinstance(leader_field, forms.ModelChoiceField)
        center_field.queryset = centers
        leader_field.queryset = leaders
        leader_field.label_from_instance = lambda user: user.display_name  # type: ignore[method-assign,assignment]


class ReceiveForm(forms.Form):
    reception = forms.ModelChoiceField(
        label=_("Reception day"), queryset=LeaderReception.objects.none()
    )

    def __init__(self, *args: Any, receptions: QuerySet[LeaderReception], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reception"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = receptions
        field.label_from_instance = lambda r: f"{r.day:%Y-%m-%d} · {r.leader.display_name}"  # type: ignore[method-assign,assignment]
