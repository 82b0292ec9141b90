"""Catalog pages of the workbench: items, materials, fees, windows, import and export.

Everyone with a scope reads the items of their scope; only hall managers change them (404 for
anyone else, as for items outside the scope). Views parse input with a form and call one
service; material, fee and window changes answer htmx requests with the updated section.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.catalog.access.lookups import (
    access_fee,
    access_item,
    access_item_window,
    access_material,
)
from govhall.catalog.access.scope import can_manage_catalog, items_in_scope
from govhall.catalog.models import FeeItem, Material, ServiceItem
from govhall.catalog.queries.items import item_details, item_events, workbench_items
from govhall.catalog.queries.material_files import material_file
from govhall.catalog.queries.standard_list import pending_reviews
from govhall.catalog.services import fees as fee_services
from govhall.catalog.services import item_windows as window_services
from govhall.catalog.services import items as item_services
from govhall.catalog.services import material_files as file_services
from govhall.catalog.services import materials as material_services
from govhall.catalog.services.imports import catalog_import_start
from govhall.catalog.services.joint_days import item_joint_days_set
from govhall.catalog.spreadsheet.exporting import export_catalog, export_file_name
from govhall.catalog.spreadsheet.files import export_material_files
from govhall.catalog.spreadsheet.format import (
    FEE_COLUMNS,
    ITEM_COLUMNS,
    MATERIAL_COLUMNS,
    WINDOW_COLUMNS,
    XLSX_CONTENT_TYPE,
)
from govhall.core.events import event_label
from govhall.core.models import Event, Job
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope, departments_in_scope, scope_of
from govhall.org.models import Center
from govhall.workbench.catalog.forms import (
    CatalogImportForm,
    FeeForm,
    ItemFilterForm,
    ItemForm,
    ItemWindowForm,
    JointDaysForm,
    MaterialFileForm,
    MaterialForm,
    show_errors,
)
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 50


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_catalog(request.user):
        raise Http404


def _default_center(request: HttpRequest) -> Center | None:
    scope = scope_of(request.user)
    if scope.root is not None:
        return scope.root
    return centers_in_scope(request.user).order_by("path").first()


def _center_from_query(request: HttpRequest, *, for_write: bool = False) -> Center:
    center_id = request.GET.get("center") or request.POST.get("center") or ""
    if center_id:
        return access_center(request.user, center_id, for_write=for_write)
    center = _default_center(request)
    if center is None:
        raise Http404
    return center


def _warn(request: HttpRequest, warnings: list[str]) -> None:
    for warning in warnings:
        messages.warning(request, warning)


# --- items --------------------------------------------------------------------------------------


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    centers = centers_in_scope(user).order_by("path").only("pk", "name", "path")
    departments = departments_in_scope(user).order_by("center__path", "code")
    form = ItemFilterForm(request.GET or None, centers=centers, departments=departments)
    filters = form.filters() if request.GET else {}
    page = Paginator(workbench_items(user, **filters), PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "workbench/catalog/item_list.html",
        {
            "form": form,
            "page_obj": page,
            "querystring_without_page": f"{kept.urlencode()}&" if kept else "",
            "can_manage": can_manage_catalog(user),
            "several_centers": centers.count() > 1,
            # Issue 21 item 5: changes of the county's standard items waiting for review.
            "standard_reviews": (
                pending_reviews(items_in_scope(user)).count() if can_manage_catalog(user) else 0
            ),
        },
    )


def _field_label(name: str) -> str:
    """A changed field's name as the item's, a material's or a fee's form calls it."""
    for model in (ServiceItem, Material, FeeItem):
        try:
            return str(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
        except FieldDoesNotExist:
            continue
    return name


def _labelled_events(events: list[Event]) -> list[Event]:
    """The item's recent events with what a person reads: the event's label and the labels of
    the fields it changed, never their codes (issue 17 item 11)."""
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        changed = data.get("changed")
        event.label = event_label(event.action)  # type: ignore[attr-defined]
        event.changed_labels = (  # type: ignore[attr-defined]
            [_field_label(str(name)) for name in changed] if isinstance(changed, dict) else []
        )
    return events


def _detail_context(request: HttpRequest, item: ServiceItem, **forms: Any) -> dict[str, Any]:
    item = item_details(item)
    can_manage = can_manage_catalog(request.user)
    context: dict[str, Any] = {
        "item": item,
        "can_manage": can_manage,
        "events": _labelled_events(item_events(item)),
        "warnings": item_services.item_warnings(item, fee_count=len(item.fees.all())),
    }
    if can_manage:
        context["material_form"] = forms.get("material_form") or MaterialForm(auto_id="material_%s")
        context["fee_form"] = forms.get("fee_form") or FeeForm(auto_id="fee_%s")
        context["window_form"] = forms.get("window_form") or ItemWindowForm(
            center=item.center, auto_id="window_%s"
        )
        if item.joint_departments.exists():
            context["joint_days_form"] = forms.get("joint_days_form") or JointDaysForm(
                item=item, auto_id="joint_%s"
            )
    context["joint_days"] = {row.department_id: row.days for row in item.joint_days.all()}
    return context


@login_required
def item_detail(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item(request.user, item_id)
    return render(request, "workbench/catalog/item_detail.html", _detail_context(request, item))


def _item_form_page(
    request: HttpRequest, form: ItemForm, center: Center, item: ServiceItem | None
) -> HttpResponse:
    return render(
        request,
        "workbench/catalog/item_form.html",
        {
            "form": form,
            "center": center,
            "item": item,
            "centers": list(centers_in_scope(request.user).order_by("path")) if not item else [],
        },
    )


@login_required
def item_new(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    center = _center_from_query(request, for_write=True)
    form = ItemForm(request.POST or None, center=center)
    if request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            result = item_services.item_create(actor=staff_user(request), center=center, **fields)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The item was created."))
            _warn(request, result.warnings)
            return redirect("workbench:item", item_id=result.item.pk)
    return _item_form_page(request, form, center, None)


@login_required
def item_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item(request.user, item_id, for_write=True)
    if request.method == "POST":
        form = ItemForm(request.POST, center=item.center)
        if form.is_valid():
            try:
                result = item_services.item_update(
                    actor=staff_user(request),
                    item=item,
                    expected_updated_at=form.cleaned_data["version"],
                    **form.service_fields(),
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("The item was saved."))
                _warn(request, result.warnings)
                return redirect("workbench:item", item_id=item.pk)
    else:
        initial = {name: getattr(item, name) for name in ItemForm.base_fields if name != "version"}
        initial["department"] = item.department_id
        initial["joint_departments"] = list(item.joint_departments.values_list("pk", flat=True))
        initial["version"] = item.updated_at.isoformat()
        form = ItemForm(initial=initial, center=item.center)
    return _item_form_page(request, form, item.center, item)


@login_required
@require_POST
def item_publish(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item(request.user, item_id, for_write=True)
    item_services.item_publish(actor=staff_user(request), item=item)
    messages.success(request, _("The item is published in the public guides."))
    return redirect("workbench:item", item_id=item.pk)


@login_required
@require_POST
def item_unpublish(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item(request.user, item_id, for_write=True)
    item_services.item_unpublish(actor=staff_user(request), item=item)
    messages.success(request, _("The item is no longer shown in the public guides."))
    return redirect("workbench:item", item_id=item.pk)


# --- materials, fees, windows: sections of the item page ----------------------------------------


def _section(request: HttpRequest, item: ServiceItem, template: str, **forms: Any) -> HttpResponse:
    """After a change: the updated section for htmx, else the item page (or its errors)."""
    if _is_htmx(request):
        return render(request, template, _detail_context(request, item, **forms))
    if forms:
        return render(
            request, "workbench/catalog/item_detail.html", _detail_context(request, item, **forms)
        )
    return redirect("workbench:item", item_id=item.pk)


MATERIALS = "workbench/catalog/_materials.html"
FEES = "workbench/catalog/_fees.html"
WINDOWS = "workbench/catalog/_windows.html"


@login_required
@require_POST
def material_add(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item(request.user, item_id, for_write=True)
    form = MaterialForm(request.POST, auto_id="material_%s")
    if form.is_valid():
        try:
            material_services.material_add(
                actor=staff_user(request), item=item, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            return _section(request, item, MATERIALS)
    return _section(request, item, MATERIALS, material_form=form)


def _part_edit_page(
    request: HttpRequest,
    part: Material | FeeItem,
    form_class: type[MaterialForm] | type[FeeForm],
    save: Callable[..., object],
    *,
    title: str,
    saved: str,
) -> HttpResponse:
    """The edit page of a material or a fee: the form, the service call, back to the item."""
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                save(**form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, saved)
                return redirect("workbench:item", item_id=part.item_id)
    else:
        form = form_class(initial={name: getattr(part, name) for name in form_class.base_fields})
    return render(
        request,
        "workbench/catalog/part_form.html",
        {"form": form, "item": part.item, "title": title},
    )


@login_required
def material_edit(request: HttpRequest, material_id: int) -> HttpResponse:
    material = access_material(request.user, material_id, for_write=True)
    return _part_edit_page(
        request,
        material,
        MaterialForm,
        partial(material_services.material_update, actor=staff_user(request), material=material),
        title=_("Edit material"),
        saved=_("The material was saved."),
    )


@login_required
@require_POST
def material_remove(request: HttpRequest, material_id: int) -> HttpResponse:
    material = access_material(request.user, material_id, for_write=True)
    material_services.material_remove(actor=staff_user(request), material=material)
    return _section(request, material.item, MATERIALS)


@login_required
@require_POST
def material_move(request: HttpRequest, material_id: int) -> HttpResponse:
    material = access_material(request.user, material_id, for_write=True)
    material_services.material_move(
        actor=staff_user(request), material=material, up=request.POST.get("direction") != "down"
    )
    return _section(request, material.item, MATERIALS)


def _stored_size(field: Any) -> int | None:
    try:
        return int(field.size) if field else None
    except OSError:
        return None


@login_required
def material_files(request: HttpRequest, material_id: int) -> HttpResponse:
    """The blank form and the filled-in sample of a material: upload, replace or remove them
    (issue 18 item 5). Only the managers of the item's center subtree; 404 for anyone else."""
    material = access_material(request.user, material_id, for_write=True)
    forms_by_slot = {
        slot: MaterialFileForm(auto_id=f"{slot}_%s", prefix=slot) for slot in file_services.SLOTS
    }
    status = 200
    if request.method == "POST":
        slot = request.POST.get("slot", "")
        if slot not in file_services.SLOTS:
            raise Http404
        if request.POST.get("remove"):
            file_services.material_file_remove(
                actor=staff_user(request), material=material, slot=slot
            )
            messages.success(request, _("The file was removed."))
            return redirect("workbench:material_files", material_id=material.pk)
        form = MaterialFileForm(request.POST, request.FILES, auto_id=f"{slot}_%s", prefix=slot)
        forms_by_slot[slot] = form
        if form.is_valid():
            try:
                file_services.material_file_attach(
                    actor=staff_user(request),
                    material=material,
                    slot=slot,
                    upload=form.cleaned_data["file"],
                )
            except ValidationError as error:
                form.add_error("file", error.message_dict.get(slot) or error.messages)
            else:
                messages.success(request, _("The file was uploaded."))
                return redirect("workbench:material_files", material_id=material.pk)
        status = 422
    material.refresh_from_db()
    slots = [
        {
            "slot": slot,
            "label": file_services.slot_label(slot),
            "file": getattr(material, slot),
            "download_name": file_services.download_name(material, slot)
            if getattr(material, slot)
            else "",
            "size": _stored_size(getattr(material, slot)),
            "form": forms_by_slot[slot],
        }
        for slot in file_services.SLOTS
    ]
    return render(
        request,
        "workbench/catalog/material_files.html",
        {
            "material": material,
            "item": material.item,
            "slots": slots,
            "max_size": filesizeformat(file_services.max_file_bytes()),
        },
        status=status,
    )


@login_required
def material_file_download(request: HttpRequest, material_id: int, slot: str) -> FileResponse:
    """A material's file for the staff who see the item (also before it is published)."""
    material = access_material(request.user, material_id)
    try:
        found = material_file(material, slot)
    except Material.DoesNotExist:
        raise Http404 from None
    response = FileResponse(
        found.handle, as_attachment=True, filename=found.file_name, content_type=found.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def fee_add(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item(request.user, item_id, for_write=True)
    form = FeeForm(request.POST, auto_id="fee_%s")
    if form.is_valid():
        try:
            fee_services.fee_add(actor=staff_user(request), item=item, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            return _section(request, item, FEES)
    return _section(request, item, FEES, fee_form=form)


@login_required
def fee_edit(request: HttpRequest, fee_id: int) -> HttpResponse:
    fee = access_fee(request.user, fee_id, for_write=True)
    return _part_edit_page(
        request,
        fee,
        FeeForm,
        partial(fee_services.fee_update, actor=staff_user(request), fee=fee),
        title=_("Edit fee"),
        saved=_("The fee was saved."),
    )


@login_required
@require_POST
def fee_remove(request: HttpRequest, fee_id: int) -> HttpResponse:
    fee = access_fee(request.user, fee_id, for_write=True)
    fee_services.fee_remove(actor=staff_user(request), fee=fee)
    return _section(request, fee.item, FEES)


@login_required
@require_POST
def item_joint_days(request: HttpRequest, item_id: int) -> HttpResponse:
    """Each joint department's own review time limit (issue 16 item 7)."""
    item = access_item(request.user, item_id, for_write=True)
    form = JointDaysForm(request.POST, item=item, auto_id="joint_%s")
    if form.is_valid():
        try:
            item_joint_days_set(actor=staff_user(request), item=item, days=form.days())
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The joint departments' time limits were saved."))
    else:
        messages.error(request, _("Each time limit is a whole number of working days."))
    return redirect("workbench:item", item_id=item.pk)


@login_required
@require_POST
def item_window_set(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_item(request.user, item_id, for_write=True)
    form = ItemWindowForm(request.POST, center=item.center, auto_id="window_%s")
    if form.is_valid():
        try:
            window_services.item_window_set(
                actor=staff_user(request), item=item, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            return _section(request, item, WINDOWS)
    return _section(request, item, WINDOWS, window_form=form)


@login_required
@require_POST
def item_window_remove(request: HttpRequest, item_window_id: int) -> HttpResponse:
    link = access_item_window(request.user, item_window_id, for_write=True)
    window_services.item_window_remove(
        actor=staff_user(request), item=link.item, window=link.window
    )
    return _section(request, link.item, WINDOWS)


# --- spreadsheet --------------------------------------------------------------------------------


@login_required
def catalog_import(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    centers = centers_in_scope(request.user).order_by("path")
    form = CatalogImportForm(
        request.POST or None,
        request.FILES or None,
        centers=centers,
        initial={"center": _default_center(request)},
    )
    if request.method == "POST" and form.is_valid():
        center = access_center(request.user, form.cleaned_data["center"].pk, for_write=True)
        try:
            job = catalog_import_start(
                actor=staff_user(request),
                center=center,
                upload=form.cleaned_data["file"],
                files=form.cleaned_data.get("attachments"),
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            return redirect("workbench:job", job_id=job.pk)
    recent = Job.objects.filter(created_by=staff_user(request), kind="catalog.import")[:10]
    return render(
        request,
        "workbench/catalog/import.html",
        {
            "form": form,
            "recent_jobs": recent,
            "centers": centers,
            "default_center": _default_center(request),
            "max_upload_size": filesizeformat(settings.GOVHALL_MAX_UPLOAD_BYTES),
            "sheets": [
                ("事项", ITEM_COLUMNS),
                ("材料", MATERIAL_COLUMNS),
                ("收费", FEE_COLUMNS),
                ("窗口", WINDOW_COLUMNS),
            ],
        },
    )


@login_required
def catalog_export(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    center = _center_from_query(request)
    response = HttpResponse(export_catalog(center), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{export_file_name(center)}"'
    return response


@login_required
def catalog_export_files(request: HttpRequest) -> HttpResponse:
    """The blank forms and samples of a center's materials as a .zip, named as the exported
    workbook names them (issue 18 item 5)."""
    _require_manager(request)
    center = _center_from_query(request)
    response = HttpResponse(export_material_files(center), content_type="application/zip")
    name = export_file_name(center).rsplit(".", 1)[0] + "-files.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
