"""The public guide search form (GET). It only parses input; the search is in
catalog.queries.guides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models import ItemType
from govhall.org.models import Center, Department


class CenterChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class DepartmentChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, with_center: bool = False, **kwargs: Any) -> None:
        self.with_center = with_center
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.center.name} · {obj.name}" if self.with_center else str(obj.name)


class GuideSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    center = CenterChoiceField(
        label=_("Service center"),
        queryset=Center.objects.none(),
        required=False,
        to_field_name="code",
    )
    department = DepartmentChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *ItemType.choices], required=False
    )

    def __init__(
        self,
        *args: Any,
        centers: QuerySet[Center],
        departments: QuerySet[Department],
        departments_of_one_center: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget = forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Item name or code"),
                "enterkeyhint": "search",
            }
        )
        center_field = self.fields["center"]
        assert isinstance(center_field, forms.ModelChoiceField)
        center_field.queryset = centers
        center_field.empty_label = _("All service centers")
        department_field = self.fields["department"]
        assert isinstance(department_field, DepartmentChoiceField)
        department_field.queryset = departments
        department_field.empty_label = _("All departments")
        department_field.with_center = not departments_of_one_center

    def value(self, name: str) -> Any:
        """A cleaned value, or None when the field was empty or invalid (shown as an error)."""
        if not self.is_bound or (not self.is_valid() and name in self.errors):
            return None
        return self.cleaned_data.get(name) or None


# Issue 17 item 9: phone and ID fields open the phone's numeric keyboard. A phone number takes
# the telephone pad (inputmode="tel"). An ID number takes the digit pad (inputmode="numeric")
# although its check character may be X: the digit pad has no X, so the portal's access.js adds
# an "X" key beside every field marked data-id-number (a plain keyboard stays usable on a
# computer, and the services upper-case and check the number).
PHONE_INPUT: dict[str, str] = {"inputmode": "tel", "autocomplete": "tel"}
ID_NUMBER_INPUT: dict[str, Any] = {
    "inputmode": "numeric",
    "autocomplete": "off",
    "autocapitalize": "characters",
    "spellcheck": "false",
    "data-id-number": "",
    "data-id-x-label": _("Type the letter X"),
}
