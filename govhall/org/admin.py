"""Django admin for the organization. Saves go through org.services, so the rules, the
materialized path and the event log stay right; forms show the services' messages on the fields
before anything is saved. Nothing is deleted here (deactivate instead), except posts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from govhall.org.access.standing import can_manage_person
from govhall.org.models import Center, Department, Post, Staff, Window
from govhall.org.services.centers import center_create, center_update, center_validate
from govhall.org.services.departments import DEPARTMENT_FIELDS, department_create, department_update
from govhall.org.services.staff import STAFF_FIELDS, staff_update, staff_validate
from govhall.org.services.windows import (
    POST_FIELDS,
    WINDOW_FIELDS,
    post_create,
    post_delete,
    post_update,
    post_validate,
    window_create,
    window_update,
    window_validate,
)


def _show(form: forms.BaseForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, messages in error.error_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error)


def _adopt(target: Any, saved: Any) -> None:
    """Make the admin's unsaved instance the row a service just created."""
    target.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
    target._state.adding = False
    target._state.db = saved._state.db


def _superuser(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_active", False) and request.user.is_superuser)


class SuperuserWritesAdmin(admin.ModelAdmin):
    """Django's admin changes the organization for superusers only: a staff account given model
    permissions may look, but its writes would bypass the scope of the workbench."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _superuser(request) and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _superuser(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _superuser(request) and super().has_delete_permission(request, obj)


class NoDeleteAdmin(SuperuserWritesAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


# --- centers ------------------------------------------------------------------------------------


class CenterAdminForm(forms.ModelForm):
    class Meta:
        model = Center
        fields = (
            "code",
            "name",
            "level",
            "parent",
            "is_active",
            "address",
            "phone",
            "morning_opens",
            "morning_closes",
            "afternoon_opens",
            "afternoon_closes",
            "early_arrival_minutes",
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        proposed = Center(pk=self.instance.pk, path=self.instance.path)
        for name, value in cleaned.items():
            setattr(proposed, name, value)
        current = Center.objects.get(pk=self.instance.pk) if self.instance.pk else None
        try:
            center_validate(proposed, current=current)
        except ValidationError as error:
            _show(self, error)
        return cleaned


class CenterChildrenInline(admin.TabularInline):
    model = Center
    fk_name = "parent"
    fields = ("code", "name", "level", "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = _("sub-centers")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Center)
class CenterAdmin(NoDeleteAdmin):
    form = CenterAdminForm
    list_display = ("code", "name", "level", "parent", "phone", "is_active", "path")
    list_filter = ("level", "is_active")
    search_fields = ("code", "name", "address")
    list_select_related = ("parent",)
    readonly_fields = ("path",)
    autocomplete_fields = ("parent",)
    inlines = (CenterChildrenInline,)
    fieldsets = (
        (None, {"fields": ("code", "name", "level", "parent", "path", "is_active")}),
        (_("contact"), {"fields": ("address", "phone")}),
        (
            _("service hours"),
            {
                "fields": (
                    ("morning_opens", "morning_closes"),
                    ("afternoon_opens", "afternoon_closes"),
                    "early_arrival_minutes",
                )
            },
        ),
    )

    def save_model(
        self, request: HttpRequest, obj: Center, form: forms.ModelForm, change: bool
    ) -> None:
        data = {name: form.cleaned_data[name] for name in form.cleaned_data if name != "path"}
        if change:
            current = Center.objects.get(pk=obj.pk)
            changed = {name: data[name] for name in form.changed_data if name in data}
            saved = center_update(actor=request.user, center=current, **changed)  # type: ignore[arg-type]
        else:
            saved = center_create(actor=request.user, **data)  # type: ignore[arg-type]
        _adopt(obj, saved)

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool
    ) -> None:
        # Not form.save_m2m(): the service saved everything. The inline is read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


# --- departments --------------------------------------------------------------------------------


@admin.register(Department)
class DepartmentAdmin(NoDeleteAdmin):
    list_display = ("code", "name", "short_name", "center", "phone", "is_active")
    list_filter = ("is_active", "center__level")
    search_fields = ("code", "name", "short_name", "center__name")
    list_select_related = ("center",)
    autocomplete_fields = ("center",)

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> tuple[str, ...]:
        return ("center",) if obj is not None else ()

    def save_model(
        self, request: HttpRequest, obj: Department, form: forms.ModelForm, change: bool
    ) -> None:
        data = dict(form.cleaned_data)
        if change:
            current = Department.objects.get(pk=obj.pk)
            changed = {n: data[n] for n in form.changed_data if n in DEPARTMENT_FIELDS}
            saved = department_update(actor=request.user, department=current, **changed)  # type: ignore[arg-type]
        else:
            data.pop("is_active", None)
            saved = department_create(actor=request.user, **data)  # type: ignore[arg-type]
        _adopt(obj, saved)


# --- windows and posts --------------------------------------------------------------------------


class WindowAdminForm(forms.ModelForm):
    class Meta:
        model = Window
        fields = ("center", "number", "name", "departments", "head", "location", "is_active")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        center = cleaned.get("center") or getattr(self.instance, "center", None)
        if center is not None and "number" in cleaned:
            try:
                window_validate(
                    center=center,
                    number=cleaned["number"],
                    departments=cleaned.get("departments"),
                    head=cleaned.get("head"),
                    window=self.instance if self.instance.pk else None,
                )
            except ValidationError as error:
                _show(self, error)
        return cleaned


class PostInline(admin.TabularInline):
    model = Post
    fields = ("name", "a_staff", "b_staff")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Window)
class WindowAdmin(NoDeleteAdmin):
    form = WindowAdminForm
    list_display = ("number", "name", "center", "head", "location", "is_active")
    list_filter = ("is_active", "center")
    search_fields = ("name", "center__name", "location")
    list_select_related = ("center", "head")
    filter_horizontal = ("departments",)
    autocomplete_fields = ("center", "head")
    inlines = (PostInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> tuple[str, ...]:
        return ("center",) if obj is not None else ()

    def save_model(
        self, request: HttpRequest, obj: Window, form: forms.ModelForm, change: bool
    ) -> None:
        data = dict(form.cleaned_data)
        departments = list(data.pop("departments", []))
        if change:
            current = Window.objects.get(pk=obj.pk)
            changed = {n: data[n] for n in form.changed_data if n in WINDOW_FIELDS}
            saved = window_update(
                actor=request.user,  # type: ignore[arg-type]
                window=current,
                departments=departments,
                **changed,
            )
        else:
            data.pop("is_active", None)
            saved = window_create(
                actor=request.user,  # type: ignore[arg-type]
                departments=departments,
                **data,
            )
        _adopt(obj, saved)

    def save_related(
        self, request: HttpRequest, form: forms.ModelForm, formsets: Any, change: bool
    ) -> None:
        # Not form.save_m2m(): the service set the departments. The inline is read-only.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ("window", "name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        window = cleaned.get("window") or getattr(self.instance, "window", None)
        if window is not None:
            try:
                post_validate(
                    window=window,
                    a_staff=self.instance.a_staff,
                    b_staff=self.instance.b_staff,
                    post=self.instance if self.instance.pk else None,
                )
            except ValidationError as error:
                _show(self, error)
        return cleaned


@admin.register(Post)
class PostAdmin(SuperuserWritesAdmin):
    form = PostAdminForm
    list_display = ("name", "window", "a_staff", "b_staff")
    list_filter = ("window__center",)
    search_fields = ("name", "window__name", "a_staff__full_name", "b_staff__full_name")
    list_select_related = ("window", "window__center", "a_staff", "b_staff")
    autocomplete_fields = ("window",)
    # A and B change only in the workbench's window pages, under the assignment rules of the
    # staffing app (a year's term, the month's share, a recorded assignment; issue 16 item 4),
    # which this layer cannot apply: here they are shown, never written.
    fieldsets = (
        (
            None,
            {
                "fields": ("window", "name", "a_staff", "b_staff"),
                "description": _(
                    "A and B staff are placed in the workbench (Organization → Windows), "
                    "under the assignment rules."
                ),
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> tuple[str, ...]:
        return ("window", "a_staff", "b_staff") if obj is not None else ("a_staff", "b_staff")

    def save_model(
        self, request: HttpRequest, obj: Post, form: forms.ModelForm, change: bool
    ) -> None:
        data = dict(form.cleaned_data)
        if change:
            current = Post.objects.select_related("window").get(pk=obj.pk)
            changed = {n: data[n] for n in form.changed_data if n in POST_FIELDS}
            saved = post_update(actor=request.user, post=current, **changed)  # type: ignore[arg-type]
        else:
            saved = post_create(actor=request.user, **data)  # type: ignore[arg-type]
        _adopt(obj, saved)

    def delete_model(self, request: HttpRequest, obj: Post) -> None:
        post_delete(actor=request.user, post=obj)  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Post]) -> None:
        for post in queryset.select_related("window"):
            post_delete(actor=request.user, post=post)  # type: ignore[arg-type]


# --- staff --------------------------------------------------------------------------------------


class StaffAdminForm(forms.ModelForm):
    class Meta:
        model = Staff
        fields = ("title", "department", "is_window_staff")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        stored = Staff.objects.select_related("user", "center").get(pk=self.instance.pk)
        try:
            staff_validate(
                staff=stored,
                department=cleaned.get("department"),
                is_window_staff=bool(cleaned.get("is_window_staff")),
            )
        except ValidationError as error:
            _show(self, error)
        return cleaned


@admin.register(Staff)
class StaffAdmin(NoDeleteAdmin):
    """Staff accounts are created in the workbench (which makes the login and its roles); here
    their details can be corrected."""

    form = StaffAdminForm
    list_display = ("user", "center", "department", "title", "is_window_staff")
    list_filter = ("is_window_staff", "center")
    search_fields = ("user__username", "user__full_name", "title", "department__name")
    list_select_related = ("user", "center", "department")
    readonly_fields = ("user", "center")
    fields = ("user", "center", "department", "title", "is_window_staff")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # The standing rule of the workbench holds here too (org.access.standing.can_manage_person).
        allowed = super().has_change_permission(request, obj)
        return allowed and (not isinstance(obj, Staff) or can_manage_person(request.user, obj))

    def save_model(
        self, request: HttpRequest, obj: Staff, form: forms.ModelForm, change: bool
    ) -> None:
        current = Staff.objects.select_related("user", "center").get(pk=obj.pk)
        changed = {n: form.cleaned_data[n] for n in form.changed_data if n in STAFF_FIELDS}
        saved = staff_update(actor=request.user, staff=current, **changed)  # type: ignore[arg-type]
        _adopt(obj, saved)
