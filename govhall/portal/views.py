"""Public pages: the service guides (办事指南) of every active center. No login."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from govhall.catalog.models import ServiceItem
from govhall.catalog.queries.guides import (
    guide_search,
    procedure_steps,
    public_centers,
    public_departments,
    published_guide,
)
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
        },
    )


def guide_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        item = published_guide(code)
    except ServiceItem.DoesNotExist:
        raise Http404 from None
    online_url = ""
    if item.online_available and settings.GOVHALL_ONLINE_HALL_URL:
        online_url = f"{settings.GOVHALL_ONLINE_HALL_URL}?{urlencode({'item': item.code})}"
    return render(
        request,
        "portal/guide_detail.html",
        {
            "item": item,
            "steps": procedure_steps(item.procedure),
            # Where to book and which kiosk button to touch (issue 17 item 9).
            "groups": groups_for_item(item),
            "online_url": online_url,
        },
    )
