"""Forms of the catalog pages. They only parse input; the rules are in catalog.services.*."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govhall.catalog.models import Authorization, ItemType, Material, ServiceItem
from govhall.catalog.services.items import MAX_DAYS, MAX_LICENCE_YEARS
from govhall.catalog.services.materials import MAX_COPIES
from govhall.catalog.spreadsheet.reading import upload_problem
from govhall.catalog.step_limits import STEP_LIMIT_MAX_DAYS, STEP_LIMIT_MIN_DAYS
from govhall.org.models import Center, Department, Window
from govhall.org.models.centers import LEVEL_RANK, CenterLevel


def show_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on the field it names, else on top."""
    if hasattr(error, "error_dict"):
        for name, messages in error.error_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error)


def _step_limit_message() -> str:
    return gettext(
        "Enter a whole number of working days from %(min)d to %(max)d, or leave it empty."
    ) % {"min": STEP_LIMIT_MIN_DAYS, "max": STEP_LIMIT_MAX_DAYS}


def _step_limit_field(label: Any) -> forms.IntegerField:
    """An optional limit of one step in working days (empty: the installation's default)."""
    message = lazy(_step_limit_message, str)()
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=STEP_LIMIT_MIN_DAYS,
        max_value=STEP_LIMIT_MAX_DAYS,
        help_text=_("Working days; empty: the default."),
        error_messages={"invalid": message, "min_value": message, "max_value": message},
    )


class DepartmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} · {obj.name}"


class DepartmentMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ItemFilterForm(forms.Form):
    """Search and filters of the staff item list (GET)."""

    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    center = forms.ModelChoiceField(
        label=_("Center"), queryset=Center.objects.none(), required=False
    )
    department = DepartmentChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    item_type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *ItemType.choices], required=False
    )
    published = forms.ChoiceField(
        label=_("Published"),
        choices=[("", _("All")), ("yes", _("Published")), ("no", _("Not published"))],
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
        self.fields["q"].widget.input_type = "search"
        center_field = self.fields["center"]
        assert isinstance(center_field, forms.ModelChoiceField)
        center_field.queryset = centers
        center_field.empty_label = _("All centers in my scope")
        department_field = self.fields["department"]
        assert isinstance(department_field, forms.ModelChoiceField)
        department_field.queryset = departments
        department_field.empty_label = _("All departments")

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        published = {"yes": True, "no": False}.get(data.get("published") or "")
        return {
            "q": data.get("q") or "",
            "center": data.get("center"),
            "department": data.get("department"),
            "item_type": data.get("item_type") or "",
            "published": published,
        }


def _levels_above(center: Center) -> list[tuple[str, Any]]:
    rank = LEVEL_RANK[CenterLevel(center.level)]
    return [(level.value, level.label) for level in CenterLevel if LEVEL_RANK[level] < rank]


class ItemForm(forms.Form):
    code = forms.CharField(
        label=_("Implementation code"),
        max_length=64,
        help_text=_("Letters, digits, '-', '_' and '.'; unique in the whole system."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    item_type = forms.ChoiceField(label=_("Type"), choices=ItemType.choices)
    department = DepartmentChoiceField(
        label=_("Lead department"), queryset=Department.objects.none()
    )
    joint_departments = DepartmentMultipleChoiceField(
        label=_("Joint departments"),
        queryset=Department.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    legal_days = forms.IntegerField(
        label=_("Legal time limit (working days)"), min_value=0, max_value=MAX_DAYS
    )
    promised_days = forms.IntegerField(
        label=_("Promised time limit (working days)"),
        min_value=0,
        max_value=MAX_DAYS,
        # xgettext:no-python-format
        help_text=_("At most the legal limit; as a rule no more than 40% of it."),
    )
    on_the_spot = forms.BooleanField(
        label=_("Can be done on the spot (finished the same day)"), required=False
    )
    online_available = forms.BooleanField(label=_("Online application"), required=False)
    visits_required = forms.TypedChoiceField(
        label=_("Visits required"),
        choices=[(0, "0"), (1, "1"), (2, "2")],
        coerce=int,
        initial=1,
    )
    basis = forms.CharField(
        label=_("Legal basis"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    conditions = forms.CharField(
        label=_("Conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    procedure = forms.CharField(
        label=_("Procedure"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    place = forms.CharField(label=_("Place"), required=False, max_length=200)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    deciding_level = forms.ChoiceField(
        label=_("Level that decides (escalated items only)"), required=False, choices=()
    )
    overdue_defaults_to_approval = forms.BooleanField(
        label=_("An overdue review step defaults to approval"), required=False
    )
    limit_prereview_days = _step_limit_field(_("Pre-review limit"))
    limit_acceptance_days = _step_limit_field(_("Acceptance limit"))
    limit_review_days = _step_limit_field(_("Review limit"))
    limit_approval_days = _step_limit_field(_("Approval limit"))
    limit_joint_days = _step_limit_field(_("Joint review limit"))
    limit_certificate_days = _step_limit_field(_("Certificate limit"))
    limit_delivery_days = _step_limit_field(_("Delivery limit"))
    issues_licence = forms.BooleanField(
        label=_("Delivering an approval issues an electronic licence"), required=False
    )
    licence_valid_years = forms.IntegerField(
        label=_("Licence valid for (years)"),
        required=False,
        min_value=1,
        max_value=MAX_LICENCE_YEARS,
        help_text=_("Empty: the licence does not expire."),
    )
    is_active = forms.BooleanField(
        label=_("Published in the public guides"), required=False, initial=True
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(center=center).order_by("code")
        for name in ("department", "joint_departments"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = departments
        level_field = self.fields["deciding_level"]
        assert isinstance(level_field, forms.ChoiceField)
        level_field.choices = [("", _("Decided here")), *_levels_above(center)]

    def clean_version(self) -> datetime.datetime | None:
        value = self.cleaned_data.get("version") or ""
        return parse_datetime(value) if value else None

    def service_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class MaterialForm(forms.Form):
    name = forms.CharField(label=_("Material"), max_length=200)
    is_main = forms.BooleanField(
        label=_("Main material (decides return or supplement)"), required=False, initial=True
    )
    form = forms.ChoiceField(
        label=_("Form"), choices=Material.Form.choices, initial=Material.Form.ORIGINAL
    )
    copies = forms.IntegerField(label=_("Copies"), min_value=1, max_value=MAX_COPIES, initial=1)
    source = forms.CharField(label=_("Source"), required=False, max_length=200)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    condition = forms.CharField(
        label=_("Required only when"),
        required=False,
        max_length=200,
        help_text=_(
            "For a conditional material, e.g. “委托代理人办理时”; at intake the clerk can mark "
            "that the condition does not apply. Empty: every applicant brings it."
        ),
    )


class MaterialFileForm(forms.Form):
    """One blank form or filled-in sample of a material (its content is checked by the service)."""

    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel, JPEG or PNG."))


class FeeForm(forms.Form):
    name = forms.CharField(label=_("Fee"), max_length=200)
    standard_amount = forms.DecimalField(
        label=_("Approved standard (yuan)"), max_digits=12, decimal_places=2
    )
    unit = forms.CharField(label=_("Unit"), max_length=32, initial="件")
    standard_basis = forms.CharField(
        label=_("Basis of the standard"),
        max_length=300,
        help_text=_("The pricing document that approves the standard."),
    )


class JointDaysForm(forms.Form):
    """Each joint department's own review time limit (issue 16 item 7); empty: the case's."""

    def __init__(self, *args: Any, item: ServiceItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item
        current = {row.department_id: row.days for row in item.joint_days.all()}
        top = max(item.legal_days or 0, 1)
        for department in item.joint_departments.all():
            self.fields[f"dept_{department.pk}"] = forms.IntegerField(
                label=department.name,
                required=False,
                min_value=1,
                max_value=top,
                initial=current.get(department.pk),
                help_text=_("Working days; empty: the case's time limit."),
            )

    def days(self) -> dict[int, int | None]:
        return {int(name[5:]): value for name, value in self.cleaned_data.items()}


class ItemWindowForm(forms.Form):
    window = forms.ModelChoiceField(label=_("Window"), queryset=Window.objects.none())
    authorization = forms.ChoiceField(
        label=_("Authorization"), choices=Authorization.choices, initial=Authorization.PARTIAL
    )

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["window"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Window.objects.filter(center=center, is_active=True).order_by("number")


class CatalogImportForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Import into"), queryset=Center.objects.none())
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    # Issue 18 item 5: the materials' blank forms and samples named in the 材料 sheet.
    attachments = forms.FileField(
        label=_("Forms and samples (.zip, optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = centers

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        problem = upload_problem(upload.name or "", upload.size or 0, head)
        if problem:
            raise ValidationError(problem)
        return upload
