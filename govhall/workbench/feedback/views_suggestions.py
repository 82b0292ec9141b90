"""Workbench pages of the suggestion box and message book (意见箱, 留言簿; issue 15 item 5): the
entries of the user's centers (open, overdue, replied), typing one in from paper, an entry with
its reply (the writer's name and phone in full only on request, each view logged), and the
month of a center for the leaders: counts by kind and channel, 办复率 and the entries."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.idnumbers import mask_name, mask_phone
from govhall.core.validation import Conflict
from govhall.feedback.access.suggestions import (
    access_suggestion,
    can_read_suggestions,
    can_reply_suggestion,
    can_reply_suggestions,
    suggestions_in_scope,
)
from govhall.feedback.models import Suggestion, SuggestionChannel, SuggestionKind
from govhall.feedback.queries.suggestions import TARGET_RATE, month_summary, reply_rates_by_month
from govhall.feedback.services.privacy import feedback_personal_data_view_record
from govhall.feedback.services.suggestions import suggestion_receive, suggestion_reply
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.access.standing import manages_center
from govhall.org.models import Center
from govhall.workbench.feedback.forms_suggestions import PaperEntryForm, ReplyForm, RevealForm
from govhall.workbench.request_input import month_from_query, month_neighbours, staff_user

PAGE_SIZE = 30
STATES = ("open", "overdue", "replied")


def _need_reader(request: HttpRequest) -> None:
    if not can_read_suggestions(request.user):
        raise Http404


def _show_errors(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        (messages.warning if isinstance(error, Conflict) else messages.error)(request, message)


def _masked(entry: Suggestion) -> dict[str, object]:
    return {
        "entry": entry,
        "name": mask_name(entry.name) if entry.name else "",
        "phone": mask_phone(entry.phone) if entry.phone else "",
        "overdue": entry.replied_at is None and entry.reply_due_at < timezone.now(),
    }


@login_required
def suggestions(request: HttpRequest) -> HttpResponse:
    """Every entry of the user's centers, newest first, with filters."""
    _need_reader(request)
    rows = suggestions_in_scope(request.user).select_related("center")
    state = request.GET.get("state", "")
    now = timezone.now()
    if state == "open":
        rows = rows.filter(replied_at__isnull=True)
    elif state == "overdue":
        rows = rows.filter(replied_at__isnull=True, reply_due_at__lt=now)
    elif state == "replied":
        rows = rows.filter(replied_at__isnull=False)
    kind = request.GET.get("kind", "")
    if kind in SuggestionKind.values:
        rows = rows.filter(kind=kind)
    channel = request.GET.get("channel", "")
    if channel in SuggestionChannel.values:
        rows = rows.filter(channel=channel)
    page = Paginator(rows.order_by("-received_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "workbench/feedback/suggestions/list.html",
        {
            "page_obj": page,
            "rows": [_masked(entry) for entry in page],
            "state": state,
            "kind": kind,
            "channel": channel,
            "states": [
                ("open", _("Not replied")),
                ("overdue", _("Overdue")),
                ("replied", _("Replied")),
            ],
            "kinds": SuggestionKind.choices,
            "channels": SuggestionChannel.choices,
            "may_enter": can_reply_suggestions(request.user),
            "querystring_without_page": kept.urlencode() + "&" if kept else "",
        },
    )


def _managed_centers(request: HttpRequest) -> QuerySet[Center]:
    return centers_in_scope(request.user).filter(is_active=True).order_by("path")


@login_required
def suggestion_new(request: HttpRequest) -> HttpResponse:
    """Typing in an entry from the paper box or book (management)."""
    if not can_reply_suggestions(request.user):
        raise Http404
    actor = staff_user(request)
    root = scope_of(actor).root
    form = PaperEntryForm(
        request.POST if request.method == "POST" else None,
        centers=_managed_centers(request),
        initial={"center": root.pk if root else None, "received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        day: datetime.date = data["received_on"]
        received = timezone.now()
        if day != timezone.localdate():
            received = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
        try:
            entry = suggestion_receive(
                actor=actor,
                center=data["center"],
                kind=data["kind"],
                channel=SuggestionChannel.PAPER,
                content=data["content"],
                name=data["name"],
                phone=data["phone"],
                is_public=data["is_public"],
                received_at=received,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, texts in error.message_dict.items():
                    name = "received_on" if field == "received_at" else field
                    form.add_error(name if name in form.fields else None, texts)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The entry is registered."))
            return HttpResponseRedirect(reverse("workbench:suggestion", args=[entry.pk]))
    return render(request, "workbench/feedback/suggestions/new.html", {"form": form})


@login_required
def suggestion_detail(request: HttpRequest, suggestion_id: int) -> HttpResponse:
    """An entry, its reply or the reply form, and the writer's details on request (logged)."""
    actor = staff_user(request)
    entry = access_suggestion(actor, suggestion_id)
    may_reply = can_reply_suggestion(actor, entry) and entry.replied_at is None
    reply_form = ReplyForm(
        request.POST if request.POST.get("action") == "reply" else None,
        initial={"version": entry.version},
    )
    reveal_form = RevealForm(request.POST if request.POST.get("action") == "reveal" else None)
    revealed = False
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "reply":
            if not may_reply:
                raise Http404
            if reply_form.is_valid():
                try:
                    suggestion_reply(
                        actor=actor,
                        suggestion=entry,
                        reply=reply_form.cleaned_data["reply"],
                        version=reply_form.cleaned_data["version"],
                    )
                except ValidationError as error:
                    _show_errors(request, error)
                else:
                    messages.success(request, _("The reply is saved; the writer can read it."))
                    return HttpResponseRedirect(reverse("workbench:suggestion", args=[entry.pk]))
        elif action == "reveal":
            if not (entry.name or entry.phone):
                raise Http404
            if reveal_form.is_valid():
                feedback_personal_data_view_record(
                    actor=actor,
                    obj=entry,
                    center_id=entry.center_id,
                    fields=[f for f in ("name", "phone") if getattr(entry, f)],
                    purpose=reveal_form.cleaned_data["purpose"],
                )
                revealed = True
        else:
            raise Http404
    return render(
        request,
        "workbench/feedback/suggestions/detail.html",
        {
            **_masked(entry),
            "may_reply": may_reply,
            "reply_form": reply_form,
            "reveal_form": reveal_form,
            "revealed": revealed,
        },
    )


@login_required
def suggestion_month(request: HttpRequest) -> HttpResponse:
    """The month of a center for the leaders: counts by kind and channel, 办复率 (target 100%),
    the year's rate by month, and the entries."""
    _need_reader(request)
    raw = request.GET.get("center", "")
    if raw:
        center = access_center(request.user, raw)
    else:
        root = scope_of(request.user).root
        if root is None:
            raise Http404
        center = root
    year, month = month_from_query(request.GET.get("month"))
    summary = month_summary(center, year, month)
    previous, following = month_neighbours(year, month)
    return render(
        request,
        "workbench/feedback/suggestions/month.html",
        {
            "summary": summary,
            "rows": [_masked(entry) for entry in summary.entries],
            "year_rates": reply_rates_by_month(
                suggestions_in_scope(request.user).filter(center=center), year
            ),
            "month": f"{year:04d}-{month:02d}",
            "previous": previous,
            "following": following,
            "target": TARGET_RATE,
            "centers": _managed_centers(request)[:300],
            "manages": manages_center(request.user, center.pk),
        },
    )
