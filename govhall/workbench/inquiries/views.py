"""Workbench pages of the first inquiries (首问负责制, SPEC §7): the quick log for the guide and
every clerk, the list with filters, my follow-ups, transfers to my department (take on / finish),
the printable phone record book (电话咨询记录本) and the rates against the targets."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.core.events import event_label
from govhall.core.idnumbers import mask_phone
from govhall.core.models import User
from govhall.core.validation import Conflict
from govhall.frontdesk.access.inquiries import (
    access_inquiry,
    can_log_inquiries,
    can_read_inquiry_rates,
    can_read_phone_book,
    can_receive_inquiries,
    can_view_inquiries,
)
from govhall.frontdesk.models import Inquiry, InquiryChannel, InquiryOutcome, InquiryStatus
from govhall.frontdesk.queries.inquiries import (
    FINISHED_TARGET,
    PERIOD_DAY,
    PERIOD_MONTH,
    PERIOD_WEEK,
    PERIODS,
    InquiryFilters,
    due_on,
    follow_ups,
    inquiry_list,
    inquiry_timeline,
    period_of,
    phone_book,
    rates_for,
    recent_logged_by,
    transfers_to_me,
)
from govhall.frontdesk.services.inquiries import (
    InquiryViewer,
    inquiry_acknowledge,
    inquiry_actions,
    inquiry_contact_view_record,
    inquiry_finish,
    inquiry_log,
)
from govhall.frontdesk.services.standing import manages
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import can_read_staff, centers_in_scope, scope_of
from govhall.org.models import Center, Department, Staff, Window
from govhall.staffing.queries.cover import posts_served_by
from govhall.workbench.htmx import htmx_result, is_htmx, refuse
from govhall.workbench.inquiries.forms import DateRangeForm, FinishForm, InquiryLogForm
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 50
PICKER_LIMIT = 300
T = "workbench/frontdesk/inquiries/"


def _is_htmx(request: HttpRequest) -> bool:
    return is_htmx(request)


def _require(request: HttpRequest, allowed: Callable[[object], bool]) -> User:
    user = staff_user(request)
    if not allowed(user):
        raise Http404
    return user


def _home_center(user: User) -> Center:
    root = scope_of(user).root
    if root is None:
        raise Http404
    return root


def _apply_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _row(inquiry: Inquiry) -> dict[str, Any]:
    """A list row: the inquiry and what the list shows beside it (no queries)."""
    return {
        "inquiry": inquiry,
        "phone_masked": mask_phone(inquiry.contact_phone) if inquiry.contact_phone else "",
        "overdue": bool(getattr(inquiry, "overdue", False)),
        "due_on": due_on(inquiry) if inquiry.status == InquiryStatus.OPEN else None,
    }


# --- the quick log ------------------------------------------------------------------------------


def _my_windows(user: User, center: Center) -> QuerySet[Window]:
    if manages(user, center):
        return Window.objects.filter(center=center, is_active=True).order_by("number")
    ids = [post.window_id for post in posts_served_by(user) if post.window.center_id == center.pk]
    return Window.objects.filter(pk__in=ids, is_active=True).order_by("number")


def _log_form(user: User, center: Center, data: Any = None, **kwargs: Any) -> InquiryLogForm:
    return InquiryLogForm(
        data,
        windows=Window.objects.filter(center=center, is_active=True).order_by("number"),
        departments=Department.objects.filter(center=center, is_active=True).order_by("code", "id"),
        my_windows=_my_windows(user, center),
        **kwargs,
    )


def _fresh_form(user: User, center: Center, channel: str, window_id: int | None) -> InquiryLogForm:
    if window_id is None:
        served = [p.window_id for p in posts_served_by(user) if p.window.center_id == center.pk]
        window_id = min(served, default=None) if served else None
    return _log_form(
        user,
        center,
        initial={
            "channel": channel if channel in InquiryChannel.values else InquiryChannel.VISIT,
            "window": window_id,
        },
    )


def _log_context(user: User, center: Center, form: InquiryLogForm, saved: Inquiry | None) -> dict:
    return {
        "center": center,
        "form": form,
        "saved": saved,
        "recent": [_row(inquiry) for inquiry in recent_logged_by(user)],
        "outcomes": InquiryOutcome,
    }


@login_required
def inquiry_log_view(request: HttpRequest) -> HttpResponse:
    """GET: the quick form and my last entries. POST: log one contact; the form comes back
    empty (channel and window kept) for the next one."""
    user = _require(request, can_log_inquiries)
    center = _home_center(user)
    if request.method != "POST":
        raw_window = request.GET.get("window", "")
        form = _fresh_form(
            user,
            center,
            request.GET.get("channel", ""),
            int(raw_window) if raw_window.isdigit() else None,
        )
        return render(request, T + "log.html", _log_context(user, center, form, None))
    form = _log_form(user, center, request.POST)
    status = 400
    saved: Inquiry | None = None
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = inquiry_log(
                actor=user,
                center=center,
                channel=data["channel"],
                matter=data["matter"],
                outcome=data["outcome"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                window=data["window"],
                answer=data["answer"],
                guided_window=data["guided_window"],
                transferred_department=data["transferred_department"],
                transferred_contact=data["transferred_contact"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
    if saved is not None:
        window_id = saved.window_id
        if not _is_htmx(request):
            messages.success(request, _("Inquiry logged."))
            query: dict[str, str | int] = {"channel": saved.channel}
            if window_id:
                query["window"] = window_id
            return HttpResponseRedirect(reverse("workbench:inquiry_log") + "?" + urlencode(query))
        form = _fresh_form(user, center, saved.channel, window_id)
        status = 200
    context = _log_context(user, center, form, saved)
    if _is_htmx(request):
        # htmx swaps 2xx answers only; the errors are in the form it shows.
        return render(request, T + "_log_panel.html", context)
    return render(request, T + "log.html", context, status=status)


# --- the list -----------------------------------------------------------------------------------


def _responders(user: User) -> list[User]:
    if not can_read_staff(user):
        return []
    staff = Staff.objects.filter(center__in=centers_in_scope(user)).values("user_id")
    return list(
        User.objects.filter(pk__in=staff, is_active=True).order_by("username")[:PICKER_LIMIT]
    )


@login_required
def inquiries(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_view_inquiries)
    filters = InquiryFilters.from_query(request.GET)
    page = Paginator(inquiry_list(user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = {key: str(value) for key, value in request.GET.items() if key != "page" and value}
    return render(
        request,
        T + "list.html",
        {
            "rows": [_row(inquiry) for inquiry in page.object_list],
            "page_obj": page,
            "filters": filters,
            "querystring_without_page": urlencode(query) + "&" if query else "",
            "channels": InquiryChannel.choices,
            "outcomes": InquiryOutcome.choices,
            "statuses": InquiryStatus.choices,
            "responders": _responders(user),
            "me": user,
        },
    )


@login_required
def inquiry_detail(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    user = staff_user(request)
    inquiry = access_inquiry(user, inquiry_id)
    if inquiry.contact_phone:
        inquiry_contact_view_record(actor=user, inquiry=inquiry, purpose=_("Inquiry page"))
    return render(
        request,
        T + "detail.html",
        {
            "inquiry": inquiry,
            "row": _row(inquiry),
            "events": [
                {"event": event, "label": event_label(event.action)}
                for event in inquiry_timeline(inquiry)
            ],
            # The buttons come from the inquiry state machine (frontdesk/inquiry_transitions).
            "actions": [row.action for row in inquiry_actions(user, inquiry)],
            "finish_form": FinishForm(prefix=f"i{inquiry.pk}"),
            "statuses": InquiryStatus,
        },
    )


# --- follow-ups and transfers -------------------------------------------------------------------


@login_required
def my_follow_ups(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_log_inquiries)
    page = Paginator(follow_ups(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        T + "follow_ups.html",
        {"rows": [_row(inquiry) for inquiry in page.object_list], "page_obj": page},
    )


@login_required
def transfers(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_receive_inquiries)
    include_done = request.GET.get("done") == "1"
    page = Paginator(transfers_to_me(user, include_done=include_done), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    viewer = InquiryViewer(user)
    return render(
        request,
        T + "transfers.html",
        {
            "rows": [_transfer_row(user, inquiry, viewer=viewer) for inquiry in page.object_list],
            "page_obj": page,
            "include_done": include_done,
            "querystring_without_page": "done=1&" if include_done else "",
            "statuses": InquiryStatus,
        },
    )


def _transfer_row(
    user: User,
    inquiry: Inquiry,
    form: FinishForm | None = None,
    error: str = "",
    *,
    viewer: InquiryViewer | None = None,
) -> dict:
    row = _row(inquiry)
    row["actions"] = [action.action for action in inquiry_actions(user, inquiry, viewer=viewer)]
    row["form"] = form or FinishForm(prefix=f"i{inquiry.pk}")
    row["error"] = error
    return row


def _after_action(
    request: HttpRequest,
    inquiry: Inquiry,
    form: FinishForm | None = None,
    error: str = "",
    *,
    status: int = 200,
) -> HttpResponse:
    """With htmx the row in its new state and the message at once (workbench/htmx.py: 409 when
    it was done already); else back to the page with the message."""
    if is_htmx(request):
        fresh = access_inquiry(request.user, inquiry.pk)
        return htmx_result(
            request,
            T + "_transfer_row.html",
            {
                "row": _transfer_row(staff_user(request), fresh, form, error),
                "statuses": InquiryStatus,
            },
            status=status,
        )
    if error:
        messages.error(request, error)
    if request.POST.get("back") == "transfers":
        return HttpResponseRedirect(reverse("workbench:inquiry_transfers"))
    return HttpResponseRedirect(reverse("workbench:inquiry", args=[inquiry.pk]))


@login_required
@require_POST
def acknowledge(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    user = staff_user(request)
    inquiry = access_inquiry(user, inquiry_id, for_write=True)
    try:
        inquiry_acknowledge(actor=user, inquiry=inquiry)
    except Conflict as error:
        return _after_action(request, inquiry, status=refuse(request, error))
    except ValidationError as error:
        return _after_action(request, inquiry, error=" ".join(error.messages))
    messages.success(request, _("Taken on for your department."))
    return _after_action(request, inquiry)


@login_required
@require_POST
def finish(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    user = staff_user(request)
    inquiry = access_inquiry(user, inquiry_id, for_write=True)
    form = FinishForm(request.POST, prefix=f"i{inquiry.pk}")
    result = form.cleaned_data["result"] if form.is_valid() else ""
    try:
        inquiry_finish(actor=user, inquiry=inquiry, result=result)
    except Conflict as error:
        return _after_action(request, inquiry, status=refuse(request, error))
    except ValidationError as error:
        return _after_action(request, inquiry, form, " ".join(error.messages))
    messages.success(request, _("Marked done; it left the first responder's follow-ups."))
    return _after_action(request, inquiry)


# --- the phone record book ----------------------------------------------------------------------


@login_required
def phone_record_book(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_read_phone_book)
    today = timezone.localdate()
    month = period_of(PERIOD_MONTH, today)
    form = DateRangeForm(request.GET or None)
    first, last = month.first, month.last
    if form.is_valid():
        first = form.cleaned_data["date_from"] or first
        last = form.cleaned_data["date_to"] or last
    if last < first:
        first, last = last, first
    if (last - first).days > 366:
        first = last - datetime.timedelta(days=366)
    page = Paginator(phone_book(user, first, last), 200).get_page(request.GET.get("page"))
    query = {"date_from": first.isoformat(), "date_to": last.isoformat()}
    return render(
        request,
        T + "phone_book.html",
        {
            "rows": [_row(inquiry) for inquiry in page.object_list],
            "page_obj": page,
            "first": first,
            "last": last,
            "center": scope_of(user).root,
            "querystring_without_page": urlencode(query) + "&",
        },
    )


# --- rates --------------------------------------------------------------------------------------

PERIOD_LABELS = {
    PERIOD_DAY: gettext_lazy("Day"),
    PERIOD_WEEK: gettext_lazy("Week"),
    PERIOD_MONTH: gettext_lazy("Month"),
}


@login_required
def inquiry_rates(request: HttpRequest) -> HttpResponse:
    user = _require(request, can_read_inquiry_rates)
    kind = request.GET.get("period", PERIOD_MONTH)
    if kind not in PERIODS:
        kind = PERIOD_MONTH
    try:
        day = (
            datetime.date.fromisoformat(request.GET.get("date", ""))
            if request.GET.get("date")
            else timezone.localdate()
        )
    except ValueError:
        raise Http404 from None
    if not 2000 <= day.year <= 2100:
        raise Http404
    raw_center = request.GET.get("center", "")
    center = access_center(user, raw_center) if raw_center else _home_center(user)
    period = period_of(kind, day)
    figures = rates_for(user, period, center_id=center.pk)

    def link(target: Any, period_kind: str = kind) -> str:
        query = {"period": period_kind, "date": target.isoformat()}
        if raw_center:
            query["center"] = str(center.pk)
        return "?" + urlencode(query)

    scope = scope_of(user)
    return render(
        request,
        T + "rates.html",
        {
            "figures": figures,
            "period": period,
            "center": center,
            "target": FINISHED_TARGET,
            "previous_url": link(period.shifted(-1).first),
            "next_url": link(period.shifted(1).first),
            "period_tabs": [
                {"label": PERIOD_LABELS[p], "url": link(day, p), "active": p == kind}
                for p in PERIODS
            ],
            "tables": [
                (_("By staff member (first responder)"), "staff", figures.by_staff),
                (_("By window"), "window", figures.by_window),
                (_("By department of the first responder"), "department", figures.by_department),
            ],
            "day_value": day.isoformat(),
            "kind": kind,
            "centers": (
                list(centers_in_scope(user).order_by("path")[:PICKER_LIMIT])
                if scope.can_manage or scope.everything
                else []
            ),
        },
    )
