"""Public pages: the service guides (办事指南) of every active center. No login."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from govhall.catalog.models import Material, ServiceItem
from govhall.catalog.queries.bundles import public_bundles
from govhall.catalog.queries.guides import (
    guide_search,
    procedure_flow,
    procedure_steps,
    public_centers,
    public_departments,
    published_guide,
)
from govhall.catalog.queries.material_files import published_material_file
from govhall.catalog.queries.online_forms import online_refusal
from govhall.core.ratelimit import HOUR, RateLimited, RateRule, rate_key, rate_limit
from govhall.frontdesk.queries.item_groups import groups_for_item
from govhall.org.models import Center
from govhall.portal.forms import GuideSearchForm

PAGE_SIZE = 50


def home(request: HttpRequest) -> HttpResponse:
    return redirect("portal:guides")


def guide_list(request: HttpRequest) -> HttpResponse:
    centers = public_centers()
    chosen: Center | None = None
    center_code = request.GET.get("center", "")
    if center_code:
        chosen = centers.filter(code=center_code).first()
    form = GuideSearchForm(
        request.GET or None,
        centers=centers,
        departments=public_departments(chosen),
        departments_of_one_center=chosen is not None,
    )
    items = guide_search(
        center=form.value("center"),
        q=form.value("q") or "",
        department=form.value("department"),
        item_type=form.value("type"),
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "portal/guide_list.html",
        {
            "form": form,
            "page_obj": page,
            "center": form.value("center"),
            "querystring_without_page": f"{kept.urlencode()}&" if kept else "",
            # Issue 19 item 5: the 一件事 bundles of the center (all centers' when none chosen)
            "bundles": public_bundles(form.value("center")).prefetch_related("items"),
        },
    )


def guide_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        item = published_guide(code)
    except ServiceItem.DoesNotExist:
        raise Http404 from None
    online_url = ""
    if online_refusal(item) is None:
        # Our own online hall (issue 19 item 2) by default; GOVHALL_ONLINE_HALL_URL only when a
        # deployment sets it sends the applicant to an outside hall instead.
        outside = settings.GOVHALL_ONLINE_HALL_URL
        online_url = (
            f"{outside}?{urlencode({'item': item.code})}"
            if outside
            else reverse("portal:apply_start", args=[item.code])
        )
    return render(
        request,
        "portal/guide_detail.html",
        {
            "item": item,
            "steps": procedure_steps(item.procedure),
            # The flow chart of the procedure (issue 18 item 5).
            "flow": procedure_flow(item),
            # Where to book and which kiosk button to touch (issue 17 item 9).
            "groups": groups_for_item(item),
            "online_url": online_url,
        },
    )


def guide_material_file(
    request: HttpRequest, code: str, material_id: int, slot: str
) -> HttpResponse | FileResponse:
    """The blank form or filled-in sample of a material of a published item (issue 18 item 5),
    saved under the material's Chinese name; 404 for anything else, 429 past the hourly limit."""
    try:
        rate_limit(
            [
                RateRule(
                    key=rate_key("guide.file", str(request.META.get("REMOTE_ADDR") or "unknown")),
                    limit=settings.GOVHALL_GUIDE_FILES_PER_HOUR,
                    window_seconds=HOUR,
                    message=_("Too many downloads from this address. Try again later."),
                )
            ]
        )
    except RateLimited as limited:
        refused = HttpResponse(limited.message, status=429, content_type="text/plain")
        refused["Retry-After"] = str(limited.retry_after)
        return refused
    try:
        found = published_material_file(code, material_id, slot)
    except Material.DoesNotExist:
        raise Http404 from None
    response = FileResponse(
        found.handle,
        as_attachment=True,
        filename=found.file_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=300"
    return response
