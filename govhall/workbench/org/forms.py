"""Forms of the organization pages. They only parse input; the rules are in org.services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department, Post, Staff, Window
from govhall.org.models.centers import LEVEL_RANK, CenterLevel


def _model_field(model: type[Model], name: str, **kwargs: Any) -> forms.Field:
    field = model._meta.get_field(name).formfield(**kwargs)  # type: ignore[union-attr]
    assert field is not None
    return field


def show_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.error_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        staff = getattr(obj, "staff", None)
        department = getattr(staff, "department", None)
        name = obj.full_name or obj.username
        return f"{name}（{department.short_name or department.name}）" if department else name


TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class CenterForm(forms.Form):
    code = _model_field(Center, "code")
    name = _model_field(Center, "name")
    level = _model_field(Center, "level")
    parent = forms.ModelChoiceField(
        queryset=Center.objects.none(), required=False, label=_("parent center")
    )
    address = _model_field(Center, "address")
    phone = _model_field(Center, "phone")
    complaint_phone = _model_field(Center, "complaint_phone")
    supervision_phone = _model_field(Center, "supervision_phone")
    morning_opens = _model_field(Center, "morning_opens", widget=TIME_WIDGET)
    morning_closes = _model_field(Center, "morning_closes", widget=TIME_WIDGET)
    afternoon_opens = _model_field(Center, "afternoon_opens", widget=TIME_WIDGET)
    afternoon_closes = _model_field(Center, "afternoon_closes", widget=TIME_WIDGET)
    early_arrival_minutes = _model_field(Center, "early_arrival_minutes")
    is_active = _model_field(Center, "is_active")

    def __init__(
        self, *args: Any, parents: QuerySet[Center] | None = None, creating: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if parents is None:
            del self.fields["parent"]
        else:
            self.fields["parent"].queryset = parents  # type: ignore[attr-defined]
        if creating:
            del self.fields["is_active"]

    @classmethod
    def initial_for(cls, center: Center) -> dict[str, Any]:
        return {name: getattr(center, name) for name in cls.base_fields}

    @staticmethod
    def child_initial(parent: Center) -> dict[str, Any]:
        """A new sub-center: one level down, the parent's hours."""
        rank = LEVEL_RANK[CenterLevel(parent.level)]
        below = [level for level, r in LEVEL_RANK.items() if r == rank + 1]
        initial: dict[str, Any] = {
            name: getattr(parent, name)
            for name in (
                "morning_opens",
                "morning_closes",
                "afternoon_opens",
                "afternoon_closes",
                "early_arrival_minutes",
            )
        }
        if below:
            initial["level"] = below[0].value
        return initial


class DepartmentForm(forms.Form):
    code = _model_field(Department, "code")
    name = _model_field(Department, "name")
    short_name = _model_field(Department, "short_name")
    phone = _model_field(Department, "phone")
    is_active = _model_field(Department, "is_active")

    def __init__(self, *args: Any, creating: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["is_active"]


class WindowForm(forms.Form):
    number = _model_field(Window, "number", min_value=1)
    name = _model_field(Window, "name")
    location = _model_field(Window, "location")
    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("departments"),
    )
    head = UserChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("window head / chief representative"),
    )
    authorizer = UserChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("authorizer"),
        help_text=_("Covers the posts when A, B and the window head are all away."),
    )
    is_agency = _model_field(Window, "is_agency")
    is_active = _model_field(Window, "is_active")

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[Department],
        heads: QuerySet[User],
        creating: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = departments  # type: ignore[attr-defined]
        self.fields["head"].queryset = heads  # type: ignore[attr-defined]
        self.fields["authorizer"].queryset = heads  # type: ignore[attr-defined]
        if creating:
            del self.fields["is_active"]


class PostForm(forms.Form):
    name = _model_field(Post, "name")
    a_staff = UserChoiceField(queryset=User.objects.none(), required=False, label=_("A staff"))
    b_staff = UserChoiceField(queryset=User.objects.none(), required=False, label=_("B staff"))

    def __init__(self, *args: Any, people: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["a_staff"].queryset = people  # type: ignore[attr-defined]
        self.fields["b_staff"].queryset = people  # type: ignore[attr-defined]
        self.fields["a_staff"].help_text = _("Holds the post.")
        self.fields["b_staff"].help_text = _("Covers when A is away.")


class PostStaffForm(PostForm):
    """A post's people change under the window-staff rules (issue 16 item 4)."""

    starts_on = forms.DateField(
        label=_("from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty means today."),
    )
    override_reason = forms.CharField(
        label=_("reason for overriding the rules"),
        max_length=300,
        required=False,
        help_text=_(
            "Only when the change breaks the window-staff rules (one year, January, at most half "
            "of a window's staff a month)."
        ),
    )


class StaffForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("full name"), max_length=64)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    title = _model_field(Staff, "title")
    staff_number = _model_field(Staff, "staff_number")
    department = forms.ModelChoiceField(
        queryset=Department.objects.none(), required=False, label=_("department")
    )
    is_window_staff = _model_field(Staff, "is_window_staff")
    roles = forms.MultipleChoiceField(
        choices=Role.choices, widget=forms.CheckboxSelectMultiple, label=_("Roles")
    )
    password = forms.CharField(
        label=_("Password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    reason = forms.CharField(
        label=_("Reason for a change of roles or password"),
        max_length=200,
        required=False,
        help_text=_("Logged and sent to the person with the change."),
    )

    def __init__(
        self,
        *args: Any,
        departments: QuerySet[Department],
        creating: bool,
        roles: frozenset[Role] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments  # type: ignore[attr-defined]
        if roles is not None:
            # Offer only the roles the user may grant (org.access.standing.grantable_roles).
            self.fields["roles"].choices = [  # type: ignore[attr-defined]
                (value, label) for value, label in Role.choices if value in roles
            ]
        if creating:
            del self.fields["reason"]
            self.fields["password"].help_text = _(
                "Leave empty to create the account without a password (it cannot log in yet)."
            )
        else:
            del self.fields["username"]
            self.fields["password"].label = _("New password")
            self.fields["password"].help_text = _("Leave empty to keep the current password.")

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["password"] = data.get("password") or None
        return data
