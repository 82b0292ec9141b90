"""一件事 bundles in the catalog workbench (issue 19 item 5): the managers of a center subtree
list, create, edit, publish and hide the bundles of their centers (404 for anyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.catalog.access.bundles import access_bundle, bundles_in_scope
from govhall.catalog.access.scope import can_manage_catalog
from govhall.catalog.models import Bundle, ServiceItem
from govhall.catalog.queries.bundles import bundle_items
from govhall.catalog.services.bundles import bundle_publish, bundle_save
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope
from govhall.org.models import Center
from govhall.workbench.request_input import staff_user


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_catalog(request.user):
        raise Http404


@login_required
def bundle_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    bundles = bundles_in_scope(request.user).prefetch_related("items")
    return render(request, "workbench/catalog/bundle_list.html", {"bundles": bundles})


def _chosen_items(request: HttpRequest) -> list[str]:
    """The ticked items in the order their numbers give (ties by the list's order)."""
    ticked = request.POST.getlist("items")

    def order(pk: str) -> tuple[int, int]:
        try:
            return int(request.POST.get(f"order_{pk}", "") or 999), ticked.index(pk)
        except ValueError:
            return 999, ticked.index(pk)

    return sorted(ticked, key=order)


def _form(request: HttpRequest, center: Center, bundle: Bundle | None) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    values: dict[str, object] = {}
    chosen: list[str] = [str(i.pk) for i in bundle_items(bundle)] if bundle else []
    if request.method == "POST":
        values = {
            k: request.POST.get(k, "") for k in ("code", "name", "description", "promised_days")
        }
        chosen = _chosen_items(request)
        try:
            saved = bundle_save(
                actor=staff_user(request),
                center=center,
                bundle=bundle,
                data=values,
                item_ids=chosen,
            )
        except ValidationError as error:
            errors = (
                error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
            )
        else:
            messages.success(request, _("The bundle is saved."))
            return redirect("workbench:bundle_edit", bundle_id=saved.pk)
    elif bundle is not None:
        values = {
            "code": bundle.code,
            "name": bundle.name,
            "description": bundle.description,
            "promised_days": bundle.promised_days,
        }
    items = list(ServiceItem.objects.filter(center=center, is_active=True).order_by("code", "id"))
    position = {pk: i + 1 for i, pk in enumerate(chosen)}
    for item in items:
        item.chosen_position = position.get(str(item.pk))  # type: ignore[attr-defined]
    return render(
        request,
        "workbench/catalog/bundle_form.html",
        {
            "bundle": bundle,
            "center": center,
            "centers": centers_in_scope(request.user).order_by("path"),
            "values": values,
            "errors": [m for messages_ in errors.values() for m in messages_],
            "items": items,
        },
        status=422 if errors else 200,
    )


@login_required
def bundle_new(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    wanted = request.GET.get("center") or request.POST.get("center")
    if wanted:
        center = access_center(request.user, wanted)
    else:
        first = centers_in_scope(request.user).order_by("path").first()
        if first is None:
            raise Http404
        center = first
    return _form(request, center, None)


@login_required
def bundle_edit(request: HttpRequest, bundle_id: int) -> HttpResponse:
    bundle = access_bundle(request.user, bundle_id, for_write=True)
    return _form(request, bundle.center, bundle)


@login_required
@require_POST
def bundle_toggle(request: HttpRequest, bundle_id: int) -> HttpResponse:
    bundle = access_bundle(request.user, bundle_id, for_write=True)
    publish = request.POST.get("publish") == "1"
    try:
        bundle_publish(actor=staff_user(request), bundle=bundle, published=publish)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request,
            _("The bundle is published.") if publish else _("The bundle is hidden."),
        )
    return redirect("workbench:bundle_edit", bundle_id=bundle.pk)
