"""The live supervision board (监察看板) and the lists behind its numbers (issue 14 item 5).

Who sees what is `supervision.access.board.board_scope`; the figures are
`supervision.queries.board` (GROUP BY, a constant number of queries)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from govhall.supervision.access.board import (
    BoardScope,
    board_scope,
    can_issue_criticism_notices,
)
from govhall.supervision.models import AlertLevel
from govhall.supervision.queries.board import Drill, board_alerts, board_cases, supervision_board

PAGE_SIZE = 50


def _scope(request: HttpRequest) -> BoardScope:
    scope = board_scope(request.user)
    if scope is None:
        raise Http404
    return scope


@login_required
def board(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    today = timezone.localdate()
    return render(
        request,
        "workbench/supervision/board.html",
        {
            "board": supervision_board(scope, today),
            "levels": AlertLevel.choices,
            "narrowed": scope.department_id is not None or scope.window_ids is not None,
        },
    )


def _kept(request: HttpRequest) -> str:
    kept = request.GET.copy()
    kept.pop("page", None)
    return f"{kept.urlencode()}&" if kept else ""


@login_required
def board_case_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    drill = Drill.from_query(request.GET)
    today = timezone.localdate()
    cases = board_cases(scope, drill, today)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/supervision/board_cases.html",
        {
            "page_obj": page,
            "drill": drill,
            "today": today,
            "querystring_without_page": _kept(request),
        },
    )


@login_required
def board_alert_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    drill = Drill.from_query(request.GET)
    alerts = board_alerts(scope, drill)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/supervision/board_alerts.html",
        {
            "page_obj": page,
            "drill": drill,
            "level_label": AlertLevel(drill.level).label if drill.level else "",
            "can_issue": can_issue_criticism_notices(request.user),
            "querystring_without_page": _kept(request),
        },
    )
