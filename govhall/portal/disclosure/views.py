"""Public disclosure (政务公开, issue 18 item 5; seeds/000… 篇4 公开办事制, seeds/001… 挂牌上岗,
AB岗 公开). No login.

- `/disclosure/`: every active center with its complaint and supervision phones;
- `/disclosure/<code>/`: one center's page: phones, the notices it posts (policies, 便民措施),
  and links to its 办件公示, its windows' posts, the on-time rates and the ratings rankings;
- `/disclosure/<code>/cases/`: 办件公示 (`govhall.cases.queries.public`: masked applicants),
  paginated, searchable by case number, GOVHALL_PUBLIC_CASES_PER_MINUTE pages a minute per
  client address (429 beyond);
- `/disclosure/<code>/posts/`: each window's head and posts with A and B staff (names, staff
  numbers, departments: `govhall.staffing.queries.public_posts`).
"""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from govhall.cases.queries.public import (
    NUMBER_SEARCH_MAX,
    as_public,
    public_cases,
    public_cases_hit,
)
from govhall.frontdesk.queries.notices import notices_shown
from govhall.org.models import Center
from govhall.org.queries.public import public_center, public_center_list
from govhall.staffing.queries.public_posts import public_windows

T = "portal/disclosure/"


def _centers() -> list[Center]:
    return list(public_center_list())


def _center(code: str) -> Center:
    center = public_center(code)
    if center is None:
        raise Http404
    return center


def _client(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a proxy the proxy must set it from X-Forwarded-For."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _public(response: HttpResponse, seconds: int = 300) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={seconds}"
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return _public(render(request, T + "index.html", {"centers": _centers()}))


@require_GET
def center_page(request: HttpRequest, code: str) -> HttpResponse:
    center = _center(code)
    return _public(
        render(
            request,
            T + "center.html",
            {"center": center, "notices": list(notices_shown(center))},
        ),
        60,
    )


@require_GET
def cases(request: HttpRequest, code: str) -> HttpResponse:
    center = _center(code)
    decision = public_cases_hit(_client(request))
    if not decision.allowed:
        response = render(
            request,
            T + "cases.html",
            {
                "center": center,
                "limited": _("Too many pages opened from your network. Please wait a minute."),
                "number": "",
                "number_max": NUMBER_SEARCH_MAX,
            },
            status=429,
        )
        response["Retry-After"] = str(decision.retry_after)
        return response
    number = (request.GET.get("number") or "").strip()[:NUMBER_SEARCH_MAX]
    page = Paginator(
        public_cases(center, number=number), settings.GOVHALL_PUBLIC_CASES_PAGE
    ).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    response = render(
        request,
        T + "cases.html",
        {
            "center": center,
            "page_obj": page,
            "rows": [as_public(case) for case in page.object_list],
            "number": number,
            "number_max": NUMBER_SEARCH_MAX,
            "days": settings.GOVHALL_PUBLIC_CASES_DAYS,
            "querystring_without_page": f"{kept.urlencode()}&" if kept else "",
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def posts(request: HttpRequest, code: str) -> HttpResponse:
    center = _center(code)
    return _public(
        render(request, T + "posts.html", {"center": center, "windows": public_windows(center)}),
        300,
    )
