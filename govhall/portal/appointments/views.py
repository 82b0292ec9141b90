"""Public appointment pages (预约服务, SPEC §7; seeds/000… 篇1 六): choose a center, a group, a
day and a slot (free places shown), give name, ID number and phone, and get a booking code;
look up "my appointment" by code and the last 4 characters of the ID number, and cancel it;
ask for an off-hours appointment. Phone first. The rules and their refusals are
govhall/frontdesk/services/appointment_*.py; these views parse, call and render.

A booking needs the phone confirmed: the form's "Send code" button asks
`phone_code_send` for an SMS code, which is typed in before booking. The public doors are
rate-limited (RateLimited: the page answers 429 with the message). The client address is
REMOTE_ADDR (behind a proxy, set it from X-Forwarded-For in the proxy setup)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govhall.core.idnumbers import mask_phone, normalize
from govhall.core.ratelimit import RateLimited
from govhall.frontdesk.access.appointments import bookable_center, bookable_centers, bookable_group
from govhall.frontdesk.appointment_transitions import AppointmentAction
from govhall.frontdesk.models import Appointment, AppointmentStatus, ServiceGroup
from govhall.frontdesk.queries.appointments import free_by_day, slot_board
from govhall.frontdesk.queries.board import group_item, kiosk_matters
from govhall.frontdesk.services.appointment_booking import (
    appointment_book,
    appointment_cancel,
    appointment_lookup_public,
)
from govhall.frontdesk.services.appointment_off_hours import appointment_request_off_hours
from govhall.frontdesk.services.appointment_rules import appointment_actions
from govhall.frontdesk.services.appointment_slots import bookable_days
from govhall.frontdesk.services.phone_codes import phone_code_send
from govhall.portal.forms import ID_NUMBER_INPUT

T = "portal/appointments/"
SESSION_KEY = "portal_appointment_code"

_TEXT = {"autocomplete": "off", "spellcheck": "false"}


class PersonForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=gettext_lazy("ID number"),
        max_length=18,
        widget=forms.TextInput(attrs=ID_NUMBER_INPUT),
    )
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=gettext_lazy("The booking code and reminders come by SMS to this number."),
    )
    # Checked by the service (not required here, so "Send code" works on the phone alone).
    phone_code = forms.CharField(
        label=gettext_lazy("SMS code"),
        max_length=12,
        required=False,
        widget=forms.TextInput(
            attrs={**_TEXT, "inputmode": "numeric", "autocomplete": "one-time-code"}
        ),
        help_text=gettext_lazy(
            "Press “Send code by SMS” and type the 6 digits sent to your phone: they confirm "
            "the phone is yours."
        ),
    )
    matter = forms.CharField(
        label=gettext_lazy("Matter to handle (optional)"), max_length=200, required=False
    )


class BookForm(PersonForm):
    date = forms.DateField(widget=forms.HiddenInput)
    starts = forms.TimeField(widget=forms.HiddenInput)
    # The matter chosen on the groups page (one of the group's items), carried along.
    item = forms.IntegerField(widget=forms.HiddenInput, required=False)


class OffHoursForm(PersonForm):
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    starts = forms.TimeField(
        label=gettext_lazy("Time"),
        widget=forms.TimeInput(attrs={"type": "time", "step": 900}, format="%H:%M"),
    )
    field_order = ["date", "starts", "name", "id_number", "phone", "phone_code", "matter"]


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Booking code"),
        max_length=20,
        widget=forms.TextInput(attrs={**_TEXT, "autocapitalize": "characters"}),
    )
    last4 = forms.CharField(
        label=gettext_lazy("Last 4 characters of the ID number"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(attrs={**ID_NUMBER_INPUT, "pattern": "[0-9Xx]{4}"}),
    )


def _show_errors(form: forms.Form, error: ValidationError) -> None:
    """A refusal on the visible field it names, else on top of the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.error_dict.items():
            visible = name in form.fields and not form.fields[name].widget.is_hidden
            form.add_error(name if visible else None, messages)
    else:
        form.add_error(None, error)


def _booked_redirect(request: HttpRequest, appointment: Appointment) -> HttpResponse:
    request.session[SESSION_KEY] = appointment.code
    return HttpResponseRedirect(reverse("portal:appointment_booked"))


def centers(request: HttpRequest) -> HttpResponse:
    found = list(bookable_centers())
    if len(found) == 1:
        return HttpResponseRedirect(
            reverse("portal:appointment_center", kwargs={"code": found[0].code})
        )
    return render(request, T + "centers.html", {"centers": found})


def center_groups(request: HttpRequest, code: str) -> HttpResponse:
    """The hall's matters (the items its groups serve, searchable, the department as a hint;
    `?q=` without script) and its groups."""
    center = bookable_center(code)
    groups = list(
        ServiceGroup.objects.filter(center=center, is_active=True).order_by("position", "letter")
    )
    q = str(request.GET.get("q") or "")[:50]
    return render(
        request,
        T + "groups.html",
        {"center": center, "groups": groups, "q": q, "matters": kiosk_matters(groups, q)},
    )


@never_cache
def group_days(request: HttpRequest, code: str, letter: str) -> HttpResponse:
    """The bookable days with their free places; with ?date= that day's slots."""
    group = bookable_group(code, letter)
    item = group_item(group, request.GET.get("item") or "")
    days = bookable_days(group, timezone.localdate())
    free = free_by_day(group, days)
    chosen: datetime.date | None = None
    raw = request.GET.get("date", "")
    for day in days:
        if day.isoformat() == raw:
            chosen = day
    slots = slot_board(group, [chosen])[chosen] if chosen else []
    return render(
        request,
        T + "days.html",
        {
            "group": group,
            "item": item,
            "center": group.center,
            "days": [{"date": day, "free": free[day]} for day in days],
            "chosen": chosen,
            "slots": slots,
            "off_hours_url": reverse(
                "portal:appointment_off_hours", kwargs={"code": code, "letter": group.letter}
            ),
        },
    )


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a proxy the proxy must set it from X-Forwarded-For."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _submitted(
    request: HttpRequest,
    form: forms.Form,
    group: ServiceGroup,
    service: Callable[..., Appointment],
) -> tuple[HttpResponse | None, int]:
    """Run a public booking `service` (a booking or an off-hours request) on a posted form: the
    confirmation on success, else None and the status of the page carrying the refusal."""
    if not form.is_valid():
        return None, 400
    data = dict(form.cleaned_data)
    if "item" in data:
        data["item"] = group_item(group, data["item"] or "")
    try:
        appointment = service(
            actor=None,
            group=group,
            channel="portal",
            client=client_address(request),
            **data,
        )
    except ValidationError as error:
        _show_errors(form, error)
        return None, 400
    except RateLimited as limited:
        form.add_error(None, limited.message)
        return None, 429
    return _booked_redirect(request, appointment), 201


def _send_code(
    request: HttpRequest, form_class: type[forms.Form]
) -> tuple[forms.Form, dict[str, str], int]:
    """The form's "Send code by SMS" button: SMS a code to the phone typed in, and show the
    form again with what was typed (not validated yet: only the phone is needed now)."""
    typed = {name: request.POST.get(name, "") for name in form_class.base_fields}
    typed.pop("phone_code", None)
    form = form_class(initial=typed)
    phone = normalize(typed.get("phone", ""))
    try:
        phone_code_send(phone=phone, client=client_address(request))
    except ValidationError as error:
        return form, {"code_error": " ".join(error.messages)}, 400
    except RateLimited as limited:
        return form, {"code_error": limited.message}, 429
    notice = _("A code was sent by SMS to %(phone)s; it is valid for %(minutes)d minutes.") % {
        "phone": mask_phone(phone),
        "minutes": settings.GOVHALL_PHONE_CODE_MINUTES,
    }
    return form, {"code_notice": notice}, 200


@never_cache
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest, code: str, letter: str) -> HttpResponse:
    group = bookable_group(code, letter)
    status = 200
    code_state: dict[str, str] = {}
    form: forms.Form
    if request.method == "POST" and request.POST.get("action") == "send_code":
        form, code_state, status = _send_code(request, BookForm)
    elif request.method == "POST":
        form = BookForm(request.POST)
        confirmation, status = _submitted(request, form, group, appointment_book)
        if confirmation is not None:
            return confirmation
    else:
        form = BookForm(
            initial={
                "date": request.GET.get("date"),
                "starts": request.GET.get("starts"),
                "item": request.GET.get("item"),
            }
        )
    return render(
        request,
        T + "book.html",
        {
            "form": form,
            "item": group_item(group, form["item"].value() or ""),
            "group": group,
            "center": group.center,
            "date": form["date"].value(),
            "starts": form["starts"].value(),
            **code_state,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def off_hours(request: HttpRequest, code: str, letter: str) -> HttpResponse:
    group = bookable_group(code, letter)
    status = 200
    code_state: dict[str, str] = {}
    form: forms.Form
    if request.method == "POST" and request.POST.get("action") == "send_code":
        form, code_state, status = _send_code(request, OffHoursForm)
    elif request.method == "POST":
        form = OffHoursForm(request.POST)
        confirmation, status = _submitted(request, form, group, appointment_request_off_hours)
        if confirmation is not None:
            return confirmation
    else:
        form = OffHoursForm()
    return render(
        request,
        T + "off_hours.html",
        {"form": form, "group": group, "center": group.center, **code_state},
        status=status,
    )


@never_cache
def booked(request: HttpRequest) -> HttpResponse:
    """The confirmation with the booking code, for the browser that just booked."""
    code = request.session.get(SESSION_KEY, "")
    appointment = (
        Appointment.objects.select_related("center", "group").filter(code=code).first()
        if code
        else None
    )
    if appointment is None:
        return HttpResponseRedirect(reverse("portal:appointments"))
    return render(
        request,
        T + "booked.html",
        {"appointment": appointment, "statuses": AppointmentStatus},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def mine(request: HttpRequest) -> HttpResponse:
    """My appointment: code + last 4 characters of the ID number; cancel it from here."""
    source: Any = request.POST if request.method == "POST" else request.GET
    asked = bool(source.get("code")) and bool(source.get("last4"))
    form = LookupForm(source if asked else None)
    appointment: Appointment | None = None
    error = ""
    notice = ""
    status = 200
    limited: RateLimited | None = None
    if asked and form.is_valid():
        try:
            appointment = appointment_lookup_public(
                code=form.cleaned_data["code"],
                last4=form.cleaned_data["last4"],
                client=client_address(request),
            )
        except RateLimited as refused_now:
            limited = refused_now
        if limited is not None:
            error = limited.message
            status = 429
        elif appointment is None:
            error = _(
                "No appointment matches this code and these characters. Check the code in "
                "your SMS and the last 4 characters of your ID number."
            )
            status = 404
        elif request.method == "POST" and request.POST.get("action") == "cancel":
            try:
                appointment = appointment_cancel(
                    actor=None,
                    appointment=appointment,
                    last4=form.cleaned_data["last4"],
                    reason=_("Cancelled by the applicant online"),
                )
            except ValidationError as refused:
                error = " ".join(refused.messages)
                status = 400
            else:
                notice = _("Your appointment is cancelled.")
    elif asked:
        status = 400
    # The applicant's button comes from the appointment state machine (the cancel deadline too).
    cancellable = appointment is not None and AppointmentAction.CANCEL in {
        row.action for row in appointment_actions(None, appointment)
    }
    return render(
        request,
        T + "mine.html",
        {
            "form": form,
            "appointment": appointment,
            "error": error,
            "notice": notice,
            "cancellable": cancellable,
        },
        status=status,
    )
