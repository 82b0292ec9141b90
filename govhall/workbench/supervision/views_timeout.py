"""超时默认通过: the cases whose overdue review or approval step passed by timeout default, for
the director (issue 14 item 4). Who sees it: `supervision.access.timeout_defaults`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from govhall.supervision.access.timeout_defaults import can_read_timeout_defaults
from govhall.supervision.queries.timeout_defaults import timeout_default_cases

PAGE_SIZE = 50


@login_required
def timeout_defaults(request: HttpRequest) -> HttpResponse:
    if not can_read_timeout_defaults(request.user):
        raise Http404
    page = Paginator(timeout_default_cases(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "workbench/supervision/timeout_defaults.html", {"page_obj": page})
