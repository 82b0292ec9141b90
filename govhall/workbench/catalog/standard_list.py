"""The item list across levels in the catalog workbench (issue 21 item 5, seeds/000… 篇2 二(二)):
the overview (changes of the standard to review, a town's adoptions, the county-wide picture),
adopting the county's standard items into a town or village, one local item side by side with
its standard, and the review of a standard's change. Managers of the catalog only (404 else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from govhall.catalog.access.scope import can_manage_catalog, items_in_scope
from govhall.catalog.access.standard import access_adoption, access_standard_review
from govhall.catalog.models import Material
from govhall.catalog.queries.standard_list import (
    ADOPTING_LEVELS,
    adoptable_items,
    adoption_rows,
    county_of,
    county_overview,
    item_comparison,
    pending_reviews,
)
from govhall.catalog.services.standard_list import (
    review_actions,
    standard_adopt,
    standard_material_restore,
    standard_review_act,
)
from govhall.catalog.standard_transitions import ReviewAction
from govhall.core.access import id_or_404
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope
from govhall.org.access.standing import manages_center
from govhall.org.models import Department
from govhall.org.models.centers import CenterLevel
from govhall.workbench.request_input import staff_user


def _require_manager(request: HttpRequest) -> None:
    if not can_manage_catalog(request.user):
        raise Http404


def _messages_of(error: ValidationError) -> list[str]:
    return list(error.messages)


@login_required
def standard_list(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    items = items_in_scope(request.user)
    centers = centers_in_scope(request.user).order_by("path")
    return render(
        request,
        "workbench/catalog/standard_list.html",
        {
            "reviews": pending_reviews(items),
            "adoptions": adoption_rows(items.order_by("center__path", "code")),
            "overviews": [
                (county, county_overview(county))
                for county in centers.filter(level=CenterLevel.COUNTY)
            ],
            "local_centers": centers.filter(level__in=ADOPTING_LEVELS),
        },
    )


@login_required
def standard_adopt_page(request: HttpRequest, center_id: int) -> HttpResponse:
    _require_manager(request)
    center = access_center(request.user, center_id)
    county = county_of(center)
    if county is None or not manages_center(request.user, center.pk):
        raise Http404
    departments = list(Department.objects.filter(center=center, is_active=True).order_by("code"))
    candidates = list(adoptable_items(center))
    errors: list[str] = []
    chosen: set[str] = set()
    if request.method == "POST":
        chosen = set(request.POST.getlist("items"))
        by_id = {str(item.pk): item for item in candidates}
        wanted = [by_id[pk] for pk in request.POST.getlist("items") if pk in by_id]
        department = next(
            (d for d in departments if str(d.pk) == request.POST.get("department", "")), None
        )
        try:
            adopted = standard_adopt(
                actor=staff_user(request), center=center, standards=wanted, department=department
            )
        except ValidationError as error:
            errors = _messages_of(error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d standard item adopted.",
                    "%(count)d standard items adopted.",
                    len(adopted),
                )
                % {"count": len(adopted)},
            )
            return redirect("workbench:standard_list")
    return render(
        request,
        "workbench/catalog/standard_adopt.html",
        {
            "center": center,
            "county": county,
            "departments": departments,
            "candidates": candidates,
            "chosen": chosen,
            "errors": errors,
        },
        status=422 if errors else 200,
    )


@login_required
def standard_compare(request: HttpRequest, item_id: int) -> HttpResponse:
    item = access_adoption(request.user, item_id)
    comparison = item_comparison(item)
    actions = review_actions(staff_user(request), comparison.review) if comparison.review else []
    return render(
        request,
        "workbench/catalog/standard_compare.html",
        {
            "comparison": comparison,
            "item": item,
            "actions": [(action, ReviewAction(action).label) for action in actions],
            "can_change": manages_center(request.user, item.center_id),
        },
    )


@login_required
@require_POST
def standard_review(request: HttpRequest, review_id: int, action: str) -> HttpResponse:
    review = access_standard_review(request.user, review_id, for_write=True)
    if action not in ReviewAction.values:
        raise Http404
    try:
        standard_review_act(actor=staff_user(request), review=review, action=action)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The change of the standard is reviewed."))
    return redirect("workbench:standard_compare", item_id=review.item_id)


@login_required
@require_POST
def standard_restore(request: HttpRequest, item_id: int, material_id: int) -> HttpResponse:
    item = access_adoption(request.user, item_id, for_write=True)
    try:
        material = Material.objects.get(pk=id_or_404(material_id), item_id=item.standard_id)
    except Material.DoesNotExist:
        raise Http404 from None
    try:
        standard_material_restore(actor=staff_user(request), item=item, material=material)
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, _("The material of the standard is restored."))
    return redirect("workbench:standard_compare", item_id=item.pk)
