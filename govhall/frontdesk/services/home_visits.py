"""上门服务 (issue 21 item 6; seeds/002… 三(一)3): home or site visits for the elderly, the
disabled and key projects. Booked at the front desk or a window (`home_visit_book`), assigned
and scheduled by the department's leader or the director (`home_visit_schedule`), done with a
result (`home_visit_record_result`) or cancelled (`home_visit_cancel`); the table is
`govhall/frontdesk/visit_transitions.py`. The full personal view is logged
(`home_visit_personal_data_view_record`)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.catalog.models import ServiceItem
from govhall.core import idnumbers
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors, refusal_error
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import HomeVisit, VisitReason
from govhall.frontdesk.services.outreach_rules import desk_of, visit_refusal
from govhall.frontdesk.visit_transitions import VISIT_TRANSITIONS, VisitAction
from govhall.org.models import Center, Department, Staff

RESULT_MAX = 4000


def _field_max(name: str) -> int:
    return getattr(HomeVisit._meta.get_field(name), "max_length", None) or 200


@transaction.atomic
def home_visit_book(
    *,
    actor: User,
    center: Center,
    department: Department | None,
    person_name: str,
    phone: str,
    address: str,
    reason: str,
    matter: str,
    requested_date: datetime.date | str | None,
    id_number: str = "",
    item: ServiceItem | None = None,
    at: datetime.datetime | None = None,
) -> HomeVisit:
    """Book a visit for someone who cannot come to the hall (requested; the department's leader
    or the director then names who goes)."""
    now = at or timezone.now()
    errors = FieldErrors()
    if department is None or department.center_id != center.pk:
        errors.add("department", _("Choose a department of this center."))
    elif not desk_of(actor, center, department.pk):
        errors.add("department", _("You do not work at the front desk of this center."))
    person_name = errors.text(
        "person_name",
        person_name,
        max_length=_field_max("person_name"),
        required=_("Enter the name of the person visited."),
    )
    phone = idnumbers.normalize(phone or "")
    if not phone:
        errors.add("phone", _("Enter a phone number to agree the visit."))
    elif idnumbers.phone_error(phone):
        errors.add("phone", idnumbers.phone_error(phone) or "")
    id_number = idnumbers.normalize(id_number or "")
    if id_number and idnumbers.id_number_error(id_number):
        errors.add("id_number", idnumbers.id_number_error(id_number) or "")
    address = errors.text(
        "address",
        address,
        max_length=_field_max("address"),
        required=_("Enter the address to visit."),
    )
    reason = errors.choice("reason", reason, VisitReason.values)
    matter = errors.text(
        "matter",
        matter,
        max_length=_field_max("matter"),
        required=_("Say what the visit is for."),
    )
    day = errors.day("requested_date", requested_date, required=_("Choose a date."))
    if day is not None and day < timezone.localdate(now):
        errors.add("requested_date", _("Choose a date from today on."))
    if item is not None and item.center_id != center.pk:
        errors.add("item", _("Choose an item of this center."))
    errors.raise_if_any()
    assert department is not None and day is not None
    visit = HomeVisit.objects.create(
        center=center,
        department=department,
        person_name=person_name,
        id_number=id_number,
        phone=phone,
        address=address,
        reason=reason,
        item=item,
        matter=matter,
        requested_date=day,
        booked_by=actor,
    )
    record_event(
        actor=actor,
        action=FrontdeskEvent.HOME_VISIT_BOOK,
        obj=visit,
        center_id=center.pk,
        data={"reason": reason, "department": department.pk},
    )
    return visit


def _lock(visit: HomeVisit) -> HomeVisit:
    return (
        HomeVisit.objects.select_for_update(of=("self",))
        .select_related("center", "department")
        .get(pk=visit.pk)
    )


def _move(actor: User, visit: HomeVisit, action: str) -> str:
    refusal = visit_refusal(actor, visit, action)
    if refusal:
        raise refusal_error(refusal)
    row = VISIT_TRANSITIONS.row(visit.status, action)
    assert row is not None and row.next_state is not None
    return row.next_state


@transaction.atomic
def home_visit_schedule(
    *,
    actor: User,
    visit: HomeVisit,
    assigned: Sequence[User],
    scheduled_for: datetime.datetime | None,
    at: datetime.datetime | None = None,
) -> HomeVisit:
    """The department's leader or the director names who goes (one or more staff of the
    center) and when; again on a scheduled visit changes them."""
    now = at or timezone.now()
    locked = _lock(visit)
    next_state = _move(actor, locked, VisitAction.SCHEDULE)
    errors = FieldErrors()
    people = list(dict.fromkeys(assigned))
    if not people:
        errors.add("assigned", _("Name at least one staff member who goes."))
    else:
        ids = {user.pk for user in people}
        known = set(
            Staff.objects.filter(
                user_id__in=ids, center_id=locked.center_id, user__is_active=True
            ).values_list("user_id", flat=True)
        )
        if known != ids:
            errors.add("assigned", _("The staff member must work in this center."))
    if scheduled_for is None:
        errors.add("scheduled_for", _("Choose when the visit takes place."))
    elif scheduled_for < now:
        errors.add("scheduled_for", _("Choose a time in the future."))
    errors.raise_if_any()
    locked.status = next_state
    locked.scheduled_for = scheduled_for
    locked.scheduled_by = actor
    locked.save(update_fields=["status", "scheduled_for", "scheduled_by"])
    locked.assigned.set(people)
    record_event(
        actor=actor,
        action=FrontdeskEvent.HOME_VISIT_SCHEDULE,
        obj=locked,
        center_id=locked.center_id,
        data={"assigned": sorted(user.pk for user in people)},
    )
    return locked


@transaction.atomic
def home_visit_record_result(
    *, actor: User, visit: HomeVisit, result: str, at: datetime.datetime | None = None
) -> HomeVisit:
    """One who went (or who named them) records what was done: the visit is done."""
    now = at or timezone.now()
    locked = _lock(visit)
    next_state = _move(actor, locked, VisitAction.RECORD_RESULT)
    errors = FieldErrors()
    result = errors.text(
        "result", result, max_length=RESULT_MAX, required=_("Say what was done at the visit.")
    )
    errors.raise_if_any()
    locked.status = next_state
    locked.result = result
    locked.done_at = now
    locked.save(update_fields=["status", "result", "done_at"])
    record_event(
        actor=actor,
        action=FrontdeskEvent.HOME_VISIT_RECORD_RESULT,
        obj=locked,
        center_id=locked.center_id,
        note=result,
    )
    return locked


@transaction.atomic
def home_visit_cancel(
    *, actor: User, visit: HomeVisit, reason: str, at: datetime.datetime | None = None
) -> HomeVisit:
    now = at or timezone.now()
    locked = _lock(visit)
    next_state = _move(actor, locked, VisitAction.CANCEL)
    errors = FieldErrors()
    reason = errors.text(
        "reason",
        reason,
        max_length=_field_max("cancel_reason"),
        required=_("Say why the visit is cancelled."),
    )
    errors.raise_if_any()
    locked.status = next_state
    locked.cancel_reason = reason
    locked.cancelled_at = now
    locked.save(update_fields=["status", "cancel_reason", "cancelled_at"])
    record_event(
        actor=actor,
        action=FrontdeskEvent.HOME_VISIT_CANCEL,
        obj=locked,
        center_id=locked.center_id,
        note=reason,
    )
    return locked


def home_visit_personal_data_view_record(*, actor: User, visit: HomeVisit, purpose: str) -> None:
    """The visit's page shows the full ID number and phone: every view is logged."""
    record_event(
        actor=actor,
        action=FrontdeskEvent.HOME_VISIT_VIEW_PERSONAL_DATA,
        obj=visit,
        center_id=visit.center_id,
        data={"purpose": purpose},
    )
