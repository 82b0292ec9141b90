from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from govhall.core.access import access_job, can_read_event_log
from govhall.core.events import event_label, registered_events
from govhall.core.models import Event, User
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.staffing.queries.conduct import conduct_due
from govhall.staffing.queries.cover import servings_of
from govhall.staffing.queries.leave import redact_leave_events
from govhall.workbench.hall_now import can_see_hall_now, hall_now
from govhall.workbench.queries import home_work


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    now = timezone.now()
    return render(
        request,
        "workbench/home.html",
        {
            "work": home_work(user, now=now),
            "servings": servings_of(user, now),
            "hall_now": hall_now(user, now=now),
            "hall_now_refresh": settings.GOVHALL_HALL_NOW_REFRESH_SECONDS,
            "conduct_due": conduct_due(user),
        },
    )


@login_required
def hall_now_panel(request: HttpRequest) -> HttpResponse:
    """The "hall now" section alone: the home reloads it every minute (htmx)."""
    user = request.user
    if not isinstance(user, User) or not can_see_hall_now(user):
        raise Http404
    return render(
        request,
        "workbench/_hall_now.html",
        {
            "hall_now": hall_now(user),
            "hall_now_refresh": settings.GOVHALL_HALL_NOW_REFRESH_SECONDS,
        },
    )


@login_required
def event_log(request: HttpRequest) -> HttpResponse:
    if not can_read_event_log(request.user):
        raise Http404
    events = Event.objects.select_related("actor")
    if not scope_of(request.user).everything:
        events = events.in_centers(centers_in_scope(request.user).values("pk"))
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    # Leave details only for those who manage the person (issue 12 item 6).
    page.object_list = list(page.object_list)
    redact_leave_events(request.user, page.object_list)
    for event in page.object_list:
        event.label = event_label(event.action)  # type: ignore[attr-defined]
    # The filter offers every registered name by what a person reads, not by its code.
    actions = sorted(
        ((name, str(label)) for name, label in registered_events().items()), key=lambda a: a[1]
    )
    return render(
        request,
        "workbench/event_log.html",
        {
            "page_obj": page,
            "action": action,
            "actions": actions,
            "querystring_without_page": f"{urlencode({'action': action})}&" if action else "",
        },
    )


@login_required
def job_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    job = access_job(request.user, job_id)
    template = "workbench/job_progress.html"
    return render(
        request, template, {"job": job, "partial": request.headers.get("HX-Request") == "true"}
    )
