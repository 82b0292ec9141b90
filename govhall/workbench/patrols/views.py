"""Workbench pages of the daily patrols (每日巡查, issue 14 item 6), phone-first: the rounds (start
one), a round's windows, the six-point checklist of one window (a failed point needs a note and
may carry a photo taken on the spot), the photo behind an access check, and the weekly summary
(printable, and as xlsx)."""

from __future__ import annotations

import datetime
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.validation import Conflict
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope, scope_of, windows_in_scope
from govhall.org.models import Center, Window
from govhall.staffing.queries.conduct import patrol_rules
from govhall.supervision.access.patrols import (
    access_patrol_finding,
    access_patrol_round,
    can_patrol,
    can_read_patrols,
    patrol_rounds_in_scope,
    patrol_visits_in_scope,
)
from govhall.supervision.models import PatrolCheck, PatrolFinding, PatrolVisit
from govhall.supervision.queries.patrols import round_windows, week_start, weekly_summary
from govhall.supervision.services.patrols import (
    FindingDraft,
    patrol_round_finish,
    patrol_round_start,
    patrol_visit_record,
    photo_type,
)
from govhall.workbench.patrols.export import XLSX_CONTENT_TYPE, cell_text, summary_workbook
from govhall.workbench.patrols.forms import ChecklistForm, RoundFinishForm, RoundStartForm
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 30


def _need_reader(request: HttpRequest) -> None:
    if not can_read_patrols(request.user):
        raise Http404


def _patrol_centers(request: HttpRequest) -> list[Center]:
    return list(centers_in_scope(request.user).filter(is_active=True).order_by("path")[:300])


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        if isinstance(error, Conflict):
            messages.warning(request, message)
        else:
            messages.error(request, message)


@login_required
def patrol_rounds(request: HttpRequest) -> HttpResponse:
    """The rounds of the user's scope, newest first, and (for patrollers) starting one."""
    _need_reader(request)
    actor = staff_user(request)
    form = None
    if can_patrol(actor):
        centers = centers_in_scope(actor).filter(is_active=True).order_by("path")
        root = scope_of(actor).root
        form = RoundStartForm(
            request.POST if request.method == "POST" else None,
            centers=centers,
            initial={"center": root.pk if root else None},
        )
        if request.method == "POST" and form.is_valid():
            try:
                patrol_round = patrol_round_start(
                    actor=actor,
                    center=form.cleaned_data["center"],
                    session=form.cleaned_data["session"] or None,
                )
            except ValidationError as error:
                _show_errors(request, error)
            else:
                return HttpResponseRedirect(
                    reverse("workbench:patrol_round", args=[patrol_round.pk])
                )
    elif request.method == "POST":
        raise Http404
    rounds = patrol_rounds_in_scope(actor).select_related("center", "inspector")
    page = Paginator(rounds.order_by("-day", "-started_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "workbench/patrols/rounds.html", {"form": form, "page_obj": page})


@login_required
def patrol_round(request: HttpRequest, round_id: int) -> HttpResponse:
    """A round: its windows (checked or still to check), and finishing it."""
    actor = staff_user(request)
    found = access_patrol_round(actor, round_id)
    mine = found.inspector_id == actor.pk and found.finished_at is None and can_patrol(actor)
    form = RoundFinishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not mine:
            raise Http404
        if form.is_valid():
            try:
                patrol_round_finish(actor=actor, patrol_round=found, note=form.cleaned_data["note"])
            except ValidationError as error:
                _show_errors(request, error)
            else:
                messages.success(request, _("The round is finished."))
                return HttpResponseRedirect(reverse("workbench:patrols"))
    visible = set(windows_in_scope(actor).values_list("pk", flat=True))
    checks = [check for check in round_windows(found) if check.window.pk in visible]
    findings = (
        PatrolFinding.objects.filter(visit__in=patrol_visits_in_scope(actor).filter(round=found))
        .select_related("visit__window", "conduct_rule")
        .order_by("visit__window__number", "id")
    )
    return render(
        request,
        "workbench/patrols/round.html",
        {
            "round": found,
            "checks": checks,
            "findings": findings,
            "mine": mine,
            "form": form,
            "checked": sum(1 for check in checks if check.visit is not None),
        },
    )


@login_required
def patrol_window(request: HttpRequest, round_id: int, window_id: int) -> HttpResponse:
    """The checklist of one window on a round (the inspector's phone)."""
    actor = staff_user(request)
    found = access_patrol_round(actor, round_id, for_write=True)
    if found.inspector_id != actor.pk:
        raise Http404
    window = Window.objects.filter(pk=window_id, center_id=found.center_id, is_active=True).first()
    if window is None:
        raise Http404
    back = reverse("workbench:patrol_round", args=[found.pk])
    if (
        found.finished_at is not None
        or PatrolVisit.objects.filter(round=found, window=window).exists()
    ):
        messages.info(request, _("This window was checked on this round already."))
        return HttpResponseRedirect(back)
    form = ChecklistForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        rules=patrol_rules(found.center_id),
    )
    if request.method == "POST" and form.is_valid():
        drafts = [
            FindingDraft(point=point, note=note, photo=photo, raises_alert=alert)
            for point, note, photo, alert in form.failed()
        ] + [
            FindingDraft(
                point=PatrolCheck.CONDUCT,
                note=note,
                photo=photo,
                raises_alert=alert,
                conduct_rule=rule_id,
            )
            for rule_id, note, photo, alert in form.failed_rules()
        ]
        try:
            patrol_visit_record(actor=actor, patrol_round=found, window=window, findings=drafts)
        except Conflict as error:
            _show_errors(request, error)
            return HttpResponseRedirect(back)
        except ValidationError as error:
            for key, texts in error.message_dict.items():
                point, _dot, part = key.partition(".")
                name = f"{point}_{part}"
                form.add_error(name if name in form.fields else None, texts)
        else:
            messages.success(
                request,
                _("Window %(number)s recorded: %(failed)s point(s) failed.")
                % {"number": window.number, "failed": len(drafts)},
            )
            return HttpResponseRedirect(back)
    return render(
        request,
        "workbench/patrols/window.html",
        {"round": found, "window": window, "form": form, "points": form.points()},
    )


@login_required
def patrol_photo(request: HttpRequest, finding_id: int) -> FileResponse:
    """A finding's photo, to those who may read the finding (never a public URL)."""
    finding = access_patrol_finding(request.user, finding_id)
    if not finding.photo:
        raise Http404
    try:
        handle = finding.photo.open("rb")
    except OSError:
        raise Http404 from None
    head = handle.read(16)
    handle.seek(0)
    content_type = photo_type(head) or mimetypes.types_map[".bin"]
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="patrol-finding-{finding.pk}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _summary_scope(request: HttpRequest) -> tuple[Center, datetime.date]:
    _need_reader(request)
    raw = request.GET.get("center", "")
    if raw:
        center = access_center(request.user, raw)
    else:
        root = scope_of(request.user).root
        if root is None:
            raise Http404
        center = root
    week = request.GET.get("week", "")
    try:
        day = datetime.date.fromisoformat(week) if week else timezone.localdate()
    except ValueError:
        raise Http404 from None
    if not datetime.date(2000, 1, 1) <= day <= datetime.date(2100, 12, 31):
        raise Http404
    return center, week_start(day)


@login_required
def patrol_summary(request: HttpRequest) -> HttpResponse:
    """The weekly summary of a center (Monday to Sunday), printable."""
    center, monday = _summary_scope(request)
    summary = weekly_summary(center, monday, visits=patrol_visits_in_scope(request.user))
    days = [
        {"row": row, "morning": cell_text(row.morning), "afternoon": cell_text(row.afternoon)}
        for row in summary.days
    ]
    return render(
        request,
        "workbench/patrols/summary.html",
        {
            "summary": summary,
            "days": days,
            "centers": _patrol_centers(request),
            "previous": (monday - datetime.timedelta(days=7)).isoformat(),
            "next": (monday + datetime.timedelta(days=7)).isoformat(),
            "points": PatrolCheck.choices,
        },
    )


@login_required
def patrol_summary_xlsx(request: HttpRequest) -> HttpResponse:
    center, monday = _summary_scope(request)
    summary = weekly_summary(center, monday, visits=patrol_visits_in_scope(request.user))
    response = HttpResponse(summary_workbook(summary), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="patrols-{center.code}-{monday.isoformat()}.xlsx"'
    )
    return response
