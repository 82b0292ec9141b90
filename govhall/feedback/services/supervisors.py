"""Social supervisors (行风监督员; seeds/003… 珠海; issue 15 item 6).

Entry points:
def supervisor_appoint(*, actor, user, center, starts_on, ends_on, letter_number="",
    employer="") -> SupervisorAppointment
def supervisor_end_early(*, actor, appointment, on, reason) -> SupervisorAppointment
def supervisor_visit_record(*, actor, kind, visited_on, findings, window=None) -> SupervisorVisit
def supervisor_visit_respond(*, actor, visit, response) -> SupervisorVisit

A hall director (or system administrator) of a center's subtree appoints a user holding the
social supervisor role, with the letter of appointment, their employer or standing and the
term; terms of one person do not overlap. The term may end early with a reason (from a day
within it). While a term runs the supervisor records visits, mystery-shopping (暗访) findings
naming the window, and opinions, dated within the term and not in the future; management of
the center answers each record once, and the supervisor reads the answer on their page.
Every write is atomic with its event; a refusal changes nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.roles import Role, roles_of
from govhall.core.validation import Conflict, FieldErrors, StateRefusal, refusal_error
from govhall.feedback.access.supervisors import (
    can_manage_supervisors,
    can_respond_to_visit,
    current_appointment,
)
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models import SupervisorAppointment, SupervisorVisit, SupervisorVisitKind
from govhall.org.access.standing import manages_center
from govhall.org.models import Center, Window

TEXT_MAX = 5000
REASON_MAX = 300


@transaction.atomic
def supervisor_appoint(
    *,
    actor: User,
    user: User | None,
    center: Center,
    starts_on: object,
    ends_on: object,
    letter_number: str = "",
    employer: str = "",
) -> SupervisorAppointment:
    """Appoint `user` (who holds the social supervisor role) at `center` for a term."""
    if not (can_manage_supervisors(actor) and manages_center(actor, center.pk)):
        raise ValidationError({"center": [_("You may not appoint supervisors at this center.")]})
    errors = FieldErrors()
    if user is None or not user.is_active or Role.SOCIAL_SUPERVISOR not in roles_of(user):
        errors.add("user", _("Choose an active user holding the social supervisor role."))
    first = errors.day("starts_on", starts_on, required=_("Enter the first day of the term."))
    last = errors.day("ends_on", ends_on, required=_("Enter the last day of the term."))
    if first and last and last < first:
        errors.add("ends_on", _("The term cannot end before it starts."))
    letter = errors.text("letter_number", letter_number, max_length=60)
    standing = errors.text("employer", employer, max_length=100)
    errors.raise_if_any()
    assert user is not None and first is not None and last is not None
    User.objects.select_for_update().filter(pk=user.pk).first()
    overlapping = SupervisorAppointment.objects.filter(
        user=user, starts_on__lte=last, ends_on__gte=first
    ).exclude(ended_early_on__isnull=False, ended_early_on__lte=first)
    if overlapping.exists():
        raise Conflict({"starts_on": [_("This person already has a term in these dates.")]})
    appointment = SupervisorAppointment.objects.create(
        user=user,
        center=center,
        letter_number=letter,
        employer=standing,
        starts_on=first,
        ends_on=last,
        appointed_by=actor,
    )
    record_event(
        actor=actor,
        action=FeedbackEvent.SUPERVISOR_APPOINT,
        obj=appointment,
        center_id=center.pk,
        data={"user": user.pk, "starts_on": first.isoformat(), "ends_on": last.isoformat()},
    )
    return appointment


@transaction.atomic
def supervisor_end_early(
    *, actor: User, appointment: SupervisorAppointment, on: object, reason: str
) -> SupervisorAppointment:
    """End a term early: from day `on` (within the term) the supervisor records nothing."""
    if not (can_manage_supervisors(actor) and manages_center(actor, appointment.center_id)):
        raise ValidationError(_("You may not end this appointment."))
    errors = FieldErrors()
    day = errors.day("on", on, required=_("Enter the day the term ends."))
    why = errors.text(
        "reason", reason, max_length=REASON_MAX, required=_("Say why the term ends early.")
    )
    current = SupervisorAppointment.objects.select_for_update().get(pk=appointment.pk)
    if day is not None and not (current.starts_on <= day <= current.ends_on):
        errors.add("on", _("Choose a day within the term."))
    errors.raise_if_any()
    if current.ended_early_on is not None:
        raise refusal_error(StateRefusal(_("This term has been ended already.")))
    current.ended_early_on = day
    current.end_reason = why
    current.save(update_fields=["ended_early_on", "end_reason"])
    record_event(
        actor=actor,
        action=FeedbackEvent.SUPERVISOR_END,
        obj=current,
        center_id=current.center_id,
        note=why,
        data={"on": day.isoformat() if day else ""},
    )
    return current


@transaction.atomic
def supervisor_visit_record(
    *,
    actor: User,
    kind: str,
    visited_on: object,
    findings: str,
    window: Window | None = None,
) -> SupervisorVisit:
    """A record of the social supervisor `actor` under their running term."""
    today = timezone.localdate()
    appointment = current_appointment(actor, today)
    if appointment is None:
        raise ValidationError(_("Only a social supervisor whose term runs may record."))
    errors = FieldErrors()
    chosen = errors.choice("kind", kind, SupervisorVisitKind.values)
    day = errors.day("visited_on", visited_on, required=_("Enter the date."))
    if day is not None and (day > today or day < appointment.starts_on):
        errors.add("visited_on", _("Choose a day of your term, not in the future."))
    text = errors.text(
        "findings", findings, max_length=TEXT_MAX, required=_("Write what you found.")
    )
    if window is not None and window.center_id != appointment.center_id:
        errors.add("window", _("Choose a window of your center."))
    if chosen == SupervisorVisitKind.MYSTERY_SHOPPING and window is None:
        errors.add("window", _("Name the window of the mystery shopping."))
    errors.raise_if_any()
    assert day is not None
    visit = SupervisorVisit.objects.create(
        appointment=appointment, kind=chosen, visited_on=day, window=window, findings=text
    )
    record_event(
        actor=actor,
        action=FeedbackEvent.SUPERVISOR_VISIT_RECORD,
        obj=visit,
        center_id=appointment.center_id,
        data={"kind": chosen, "window": window.pk if window else None},
    )
    return visit


@transaction.atomic
def supervisor_visit_respond(
    *, actor: User, visit: SupervisorVisit, response: str, at: datetime.datetime | None = None
) -> SupervisorVisit:
    """Management's answer to a record (once); the supervisor sees it on their page."""
    if not can_respond_to_visit(actor, visit):
        raise ValidationError(_("You may not answer this record."))
    errors = FieldErrors()
    text = errors.text("response", response, max_length=TEXT_MAX, required=_("Write the response."))
    errors.raise_if_any()
    current = SupervisorVisit.objects.select_for_update().get(pk=visit.pk)
    if current.responded_at is not None:
        raise Conflict({"response": [_("This record has been answered already.")]})
    current.response = text
    current.responded_at = at or timezone.now()
    current.responded_by = actor
    current.save(update_fields=["response", "responded_at", "responded_by"])
    record_event(
        actor=actor,
        action=FeedbackEvent.SUPERVISOR_VISIT_RESPOND,
        obj=current,
        center_id=visit.appointment.center_id,
    )
    return current
