"""Workbench pages of appointments (预约服务, SPEC §7; seeds/000… 篇1 六): a group's day sheet,
the list, phone bookings by staff, the detail with cancel, off-hours requests to approve and
assign, the outage form (managers) and the two target rates. Rules live in
govhall/frontdesk/services/appointment_*.py; these views parse, call and render."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.models import User
from govhall.core.validation import Conflict
from govhall.frontdesk.access.appointments import (
    access_appointment,
    appointment_groups,
    appointments_in_scope,
    can_declare_outage,
    can_read_appointments,
    can_write_appointments,
)
from govhall.frontdesk.appointment_transitions import AppointmentAction, AppointmentParty
from govhall.frontdesk.models import Appointment, AppointmentStatus
from govhall.frontdesk.queries.appointments import (
    appointment_list,
    appointment_rates,
    appointment_rates_by_group,
    day_sheet,
    day_totals,
    outage_preview,
    pending_requests,
)
from govhall.frontdesk.services.appointment_booking import appointment_book, appointment_cancel
from govhall.frontdesk.services.appointment_off_hours import (
    appointment_decide,
    appointment_mark_served,
    appointment_request_off_hours,
)
from govhall.frontdesk.services.appointment_outage import appointments_cancel_range, outage_validate
from govhall.frontdesk.services.appointment_privacy import appointment_personal_data_view_record
from govhall.frontdesk.services.appointment_rules import AppointmentViewer, appointment_actions
from govhall.frontdesk.services.appointment_slots import is_known_workday
from govhall.org.access.scope import centers_in_scope
from govhall.workbench.appointments.forms import (
    CancelForm,
    DaySheetForm,
    DecideForm,
    ListFilterForm,
    OutageForm,
    RatesForm,
    StaffBookingForm,
    staff_choices,
)
from govhall.workbench.htmx import htmx_result, is_htmx, refuse
from govhall.workbench.org.forms import show_errors
from govhall.workbench.outreach.reassign import reassign_context
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 50
T = "workbench/frontdesk/appointments/"


def _reader(request: HttpRequest) -> User:
    user = staff_user(request)
    if not can_read_appointments(user):
        raise Http404
    return user


def _writer(request: HttpRequest) -> User:
    user = staff_user(request)
    if not can_write_appointments(user):
        raise Http404
    return user


def _manager(request: HttpRequest) -> User:
    user = staff_user(request)
    if not can_declare_outage(user):
        raise Http404
    return user


def _tabs(user: User) -> dict[str, bool]:
    return {
        "can_book": can_write_appointments(user),
        "is_manager": can_declare_outage(user),
    }


def _aware(moment: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(moment):
        return timezone.make_aware(moment, timezone.get_current_timezone())
    return moment


@login_required
def day_sheet_view(request: HttpRequest) -> HttpResponse:
    """One group's day: every slot with its capacity, booked and free places and who holds
    them."""
    user = _reader(request)
    groups = appointment_groups(user)
    today = timezone.localdate()
    initial = {"group": groups[0].pk if groups else None, "date": today}
    data = {key: request.GET.get(key) or value for key, value in initial.items()}
    form = DaySheetForm(data, groups=groups)
    group = day = None
    slots: list[Any] = []
    totals: dict[str, int] = {}
    if groups and form.is_valid():
        group, day = form.cleaned_data["group"], form.cleaned_data["date"]
        slots = day_sheet(group, day)
        totals = day_totals(group, day)
    elif request.GET.get("group") or request.GET.get("date"):
        raise Http404  # a group the user may not see, or no date: like any URL naming nothing
    return render(
        request,
        T + "day_sheet.html",
        {
            "form": form,
            "group": group,
            "day": day,
            "slots": slots,
            "totals": totals,
            "workday": bool(group and day and is_known_workday(group.center_id, day)),
            "previous_day": day - datetime.timedelta(days=1) if day else None,
            "next_day": day + datetime.timedelta(days=1) if day else None,
            "statuses": AppointmentStatus,
            **_tabs(user),
        },
    )


@login_required
def appointment_list_view(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    groups = appointment_groups(user)
    form = ListFilterForm(request.GET or None, groups=groups)
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        kind = data["kind"]
        filters = {
            "group": data["group"],
            "first": data["first"],
            "last": data["last"],
            "status": data["status"],
            "off_hours": {"slot": False, "off_hours": True}.get(kind),
            "search": data["q"],
        }
    qs = appointment_list(appointments_in_scope(user), **filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query: dict[str, str] = {
        key: str(value) for key, value in request.GET.items() if key != "page" and value
    }
    return render(
        request,
        T + "list.html",
        {
            "form": form,
            "page_obj": page,
            "querystring_without_page": urlencode(query) + "&" if query else "",
            "statuses": AppointmentStatus,
            **_tabs(user),
        },
    )


@login_required
def appointment_book_view(request: HttpRequest) -> HttpResponse:
    """A phone booking (or one at the desk) by staff; off-hours ones go to a manager."""
    user = _writer(request)
    groups = appointment_groups(user)
    if not groups:
        raise Http404
    if request.method == "POST":
        form = StaffBookingForm(request.POST, groups=groups)
        if form.is_valid():
            data = dict(form.cleaned_data)
            off_hours = data.pop("off_hours")
            try:
                if off_hours:
                    item = data.pop("item")
                    if item is not None and not data["matter"]:
                        data["matter"] = item.name
                    appointment = appointment_request_off_hours(actor=user, **data)
                else:
                    appointment = appointment_book(actor=user, **data)
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Booked: code %(code)s. The applicant gets it by SMS.")
                    % {"code": appointment.code}
                    if not off_hours
                    else _("Off-hours request %(code)s sent to the hall's management.")
                    % {"code": appointment.code},
                )
                return HttpResponseRedirect(
                    reverse("workbench:appointment", kwargs={"appointment_id": appointment.pk})
                )
        status = 400
    else:
        initial = {
            key: request.GET[key] for key in ("group", "date", "starts") if request.GET.get(key)
        }
        initial.setdefault("channel", "phone")
        form = StaffBookingForm(initial=initial, groups=groups)
        status = 200
    return render(request, T + "book.html", {"form": form}, status=status)


def _detail_context(user: User, appointment: Appointment) -> dict[str, Any]:
    # The buttons come from the appointment state machine (frontdesk/appointment_transitions).
    actions = {row.action for row in appointment_actions(user, appointment)}
    return {
        "appointment": appointment,
        "statuses": AppointmentStatus,
        "can_cancel": can_write_appointments(user) and AppointmentAction.CANCEL in actions,
        "can_decide": AppointmentAction.APPROVE in actions,
        "can_mark_served": AppointmentAction.SERVE in actions,
        "decide_form": DecideForm(center=appointment.center),
        "cancel_form": CancelForm(),
        "ticket": getattr(appointment, "ticket", None),
        "rescheduled_to": getattr(appointment, "rescheduled_to", None),
        **reassign_context(user, appointment),
    }


@login_required
def appointment_detail(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = _reader(request)
    appointment = access_appointment(user, appointment_id)
    # The only page with the full ID and phone numbers: every view is logged (issue 12 item 6).
    appointment_personal_data_view_record(
        actor=user, appointment=appointment, purpose=_("Appointment page")
    )
    return render(request, T + "detail.html", _detail_context(user, appointment))


@login_required
@require_POST
def appointment_cancel_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = _writer(request)
    appointment = access_appointment(user, appointment_id, for_write=True)
    form = CancelForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        appointment_cancel(actor=user, appointment=appointment, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Appointment cancelled; the applicant is told by SMS."))
    return HttpResponseRedirect(
        reverse("workbench:appointment", kwargs={"appointment_id": appointment.pk})
    )


@login_required
@require_POST
def appointment_served_view(request: HttpRequest, appointment_id: int) -> HttpResponse:
    user = _writer(request)
    appointment = access_appointment(user, appointment_id)
    try:
        appointment_mark_served(actor=user, appointment=appointment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Recorded as served."))
    return HttpResponseRedirect(
        reverse("workbench:appointment", kwargs={"appointment_id": appointment.pk})
    )


@login_required
def requests_view(request: HttpRequest) -> HttpResponse:
    """Off-hours requests waiting for a decision (managers decide; others see the list)."""
    user = _reader(request)
    requests = list(pending_requests(appointments_in_scope(user))[:200])
    # Per center, once: whether the user works in or manages it, and whom they can name.
    viewer = AppointmentViewer(user)
    choices: dict[int, list[Any]] = {}
    rows = []
    for appointment in requests:
        center = appointment.center
        if center.pk not in choices:
            decides = AppointmentParty.MANAGER in viewer.parties(appointment)
            choices[center.pk] = staff_choices(center) if decides else []
        rows.append(_request_row(user, appointment, viewer=viewer, choices=choices[center.pk]))
    return render(request, T + "requests.html", {"rows": rows, **_tabs(user)})


def _request_row(
    user: User,
    appointment: Appointment,
    error: str = "",
    *,
    viewer: AppointmentViewer | None = None,
    choices: list[Any] | None = None,
) -> dict[str, Any]:
    actions = {row.action for row in appointment_actions(user, appointment, viewer=viewer)}
    return {
        "appointment": appointment,
        "form": DecideForm(
            center=appointment.center, prefix=f"r{appointment.pk}", staff_choices=choices
        ),
        "can_decide": AppointmentAction.APPROVE in actions,
        "error": error,
    }


@login_required
@require_POST
def appointment_decide_view(
    request: HttpRequest, appointment_id: int, decision: str
) -> HttpResponse:
    user = _reader(request)
    appointment = access_appointment(user, appointment_id)
    prefix = request.POST.get("prefix") or None
    form = DecideForm(request.POST, center=appointment.center, prefix=prefix)
    error = ""
    status = 200
    if decision not in ("approve", "reject"):
        raise Http404
    if form.is_valid():
        try:
            appointment = appointment_decide(
                actor=user,
                appointment=appointment,
                approve=decision == "approve",
                assigned_to=form.cleaned_data["assigned_to"],
                note=form.cleaned_data["note"],
            )
        except Conflict as refused:
            # Decided already (a second click, another manager first): 409 with the message.
            status = refuse(request, refused)
        except ValidationError as refused:
            error = " ".join(refused.messages)
    else:
        error = _("Choose a staff member of this center.")
    if error and not is_htmx(request):
        messages.error(request, error)
    elif not error and status == 200:
        messages.success(
            request,
            _("Request approved; the applicant is told by SMS.")
            if decision == "approve"
            else _("Request declined; the applicant is told by SMS."),
        )
    if is_htmx(request):
        # The row in its new state and the message at once (workbench/htmx.py).
        appointment.refresh_from_db()
        return htmx_result(
            request,
            T + "_request_row.html",
            {"row": _request_row(user, appointment, error)},
            status=status,
        )
    return HttpResponseRedirect(reverse("workbench:appointment_requests"))


@login_required
def outage_view(request: HttpRequest) -> HttpResponse:
    """Cancel a range of time (outage): first shows how many appointments are affected, then
    on confirmation closes the slots, cancels, rebooks and tells everyone."""
    user = _manager(request)
    centers = centers_in_scope(user).filter(is_active=True).order_by("path")
    preview: dict[str, int] | None = None
    result = None
    status = 200
    if request.method == "POST":
        form = OutageForm(request.POST, centers=centers)
        if form.is_valid():
            data = form.cleaned_data
            start, end = _aware(data["start"]), _aware(data["end"])
            if request.POST.get("confirm") == "1":
                try:
                    result = appointments_cancel_range(
                        actor=user,
                        center=data["center"],
                        start=start,
                        end=end,
                        reason=data["reason"],
                    )
                except ValidationError as error:
                    show_errors(form, error)
                    status = 400
            else:
                try:
                    outage_validate(data["center"], start, end, data["reason"])
                except ValidationError as error:
                    show_errors(form, error)
                    status = 400
                else:
                    preview = outage_preview(data["center"], start, end)
        else:
            status = 400
    else:
        form = OutageForm(centers=centers, initial={"center": centers.first()})
    return render(
        request,
        T + "outage.html",
        {"form": form, "preview": preview, "result": result},
        status=status,
    )


@login_required
def rates_view(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    today = timezone.localdate()
    initial = {"first": today.replace(day=1), "last": today}
    form = RatesForm(request.GET if request.GET else initial)
    if not form.is_valid():
        form = RatesForm(initial)
        form.is_valid()
    first, last = form.cleaned_data["first"], form.cleaned_data["last"]
    qs = appointments_in_scope(user)
    return render(
        request,
        T + "rates.html",
        {
            "form": form,
            "first": first,
            "last": last,
            "rates": appointment_rates(qs, first, last),
            "by_group": appointment_rates_by_group(qs, first, last),
            **_tabs(user),
        },
    )
