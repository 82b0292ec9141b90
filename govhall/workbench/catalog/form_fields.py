"""The online application form of an item in the workbench (issue 19 item 2): the fields shown
on the item page, added, edited, moved and removed by the managers of the item's center subtree
(`access_item(..., for_write=True)` and `require_catalog_manager` in the services)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.catalog.access.lookups import access_item
from govhall.catalog.models import FieldType, FormField
from govhall.catalog.services import form_fields as services
from govhall.workbench.catalog.forms import show_errors
from govhall.workbench.request_input import staff_user


class FormFieldForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("Field label"), max_length=100)
    key = forms.CharField(
        label=gettext_lazy("Key"),
        max_length=40,
        help_text=gettext_lazy("Lowercase letters, digits, '_' or '-' (e.g. shop_name)."),
    )
    field_type = forms.ChoiceField(label=gettext_lazy("Field type"), choices=FieldType.choices)
    required = forms.BooleanField(
        label=gettext_lazy("Required field"), required=False, initial=True
    )
    choices = forms.CharField(
        label=gettext_lazy("Options (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    help_text = forms.CharField(label=gettext_lazy("Hint"), max_length=200, required=False)


def _field(request: HttpRequest, field_id: int) -> FormField:
    field = FormField.objects.select_related("item").filter(pk=field_id).first()
    if field is None:
        raise Http404
    access_item(request.user, field.item_id, for_write=True)
    return field


@login_required
def form_field_add(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item(request.user, item_id, for_write=True)
    form = FormFieldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.form_field_add(actor=staff_user(request), item=item, data=form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The form field is saved."))
            return redirect(f"{_item_url(item.pk)}#online-form")
    return render(
        request,
        "workbench/catalog/part_form.html",
        {"form": form, "item": item, "title": _("Add a field")},
    )


@login_required
def form_field_edit(request: HttpRequest, field_id: int) -> HttpResponse:
    field = _field(request, field_id)
    if request.method == "POST":
        form = FormFieldForm(request.POST)
        if form.is_valid():
            try:
                services.form_field_update(
                    actor=staff_user(request), field=field, data=form.cleaned_data
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("The form field is saved."))
                return redirect(f"{_item_url(field.item_id)}#online-form")
    else:
        form = FormFieldForm(initial={name: getattr(field, name) for name in services.FIELDS})
    return render(
        request,
        "workbench/catalog/part_form.html",
        {"form": form, "item": field.item, "title": _("Online application form")},
    )


@login_required
@require_POST
def form_field_remove(request: HttpRequest, field_id: int) -> HttpResponse:
    field = _field(request, field_id)
    services.form_field_remove(actor=staff_user(request), field=field)
    messages.success(request, _("The form field is removed."))
    return redirect(f"{_item_url(field.item_id)}#online-form")


@login_required
@require_POST
def form_field_move(request: HttpRequest, field_id: int) -> HttpResponse:
    field = _field(request, field_id)
    services.form_field_move(
        actor=staff_user(request), field=field, up=request.POST.get("direction") != "down"
    )
    return redirect(f"{_item_url(field.item_id)}#online-form")


def _item_url(item_id: int) -> str:
    return reverse("workbench:item", args=[item_id])
