"""跟踪服务 (issue 21 item 6; seeds/002… 三(一)3): follow-up calls on key projects. The front desk
or a window of the department adds a key project (`key_project_create`) and logs each call
with the date the next one is due (`follow_up_log`); the project's `next_call_due` is the due
list's key."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import Case
from govhall.core import idnumbers
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors, too_long_message
from govhall.frontdesk.events import FrontdeskEvent
from govhall.frontdesk.models import FollowUp, KeyProject
from govhall.frontdesk.services.outreach_rules import desk_of
from govhall.org.models import Center, Department

SUMMARY_MAX = 4000


def _max(name: str) -> int:
    return getattr(KeyProject._meta.get_field(name), "max_length", None) or 200


@transaction.atomic
def key_project_create(
    *,
    actor: User,
    center: Center,
    department: Department | None,
    name: str,
    enterprise: str,
    contact_name: str,
    contact_phone: str,
    next_call_due: datetime.date | str | None = None,
    cases: Sequence[Case] = (),
    at: datetime.datetime | None = None,
) -> KeyProject:
    now = at or timezone.now()
    errors = FieldErrors()
    if department is None or department.center_id != center.pk:
        errors.add("department", _("Choose a department of this center."))
    elif not desk_of(actor, center, department.pk):
        errors.add("department", _("You do not work at the front desk of this center."))
    name = errors.text(
        "name", name, max_length=_max("name"), required=_("Enter the project's name.")
    )
    enterprise = errors.text(
        "enterprise",
        enterprise,
        max_length=_max("enterprise"),
        required=_("Enter the enterprise."),
    )
    contact_name = errors.text(
        "contact_name",
        contact_name,
        max_length=_max("contact_name"),
        required=_("Enter the contact person."),
    )
    contact_phone = idnumbers.normalize(contact_phone or "")
    if not contact_phone:
        errors.add("contact_phone", _("Enter the contact's phone."))
    elif len(contact_phone) > _max("contact_phone"):
        errors.add("contact_phone", too_long_message(_max("contact_phone")))
    due = errors.day("next_call_due", next_call_due)
    if due is not None and due < timezone.localdate(now):
        errors.add("next_call_due", _("Choose a date from today on."))
    if any(case.center_id != center.pk for case in cases):
        errors.add("cases", _("Link only cases of this center."))
    errors.raise_if_any()
    assert department is not None
    project = KeyProject.objects.create(
        center=center,
        department=department,
        name=name,
        enterprise=enterprise,
        contact_name=contact_name,
        contact_phone=contact_phone,
        next_call_due=due or timezone.localdate(now),
        created_by=actor,
    )
    if cases:
        project.cases.set(cases)
    record_event(
        actor=actor,
        action=FrontdeskEvent.KEY_PROJECT_CREATE,
        obj=project,
        center_id=center.pk,
        data={"department": department.pk},
    )
    return project


@transaction.atomic
def follow_up_log(
    *,
    actor: User,
    project: KeyProject,
    called_on: datetime.date | str | None,
    summary: str,
    next_due: datetime.date | str | None = None,
    at: datetime.datetime | None = None,
) -> FollowUp:
    """Log a follow-up call; `next_due` empty ends the follow-up of the project."""
    now = at or timezone.now()
    locked = (
        KeyProject.objects.select_for_update(of=("self",))
        .select_related("center")
        .get(pk=project.pk)
    )
    errors = FieldErrors()
    if not desk_of(actor, locked.center, locked.department_id):
        errors.add("project", _("You do not work at the front desk of this center."))
    today = timezone.localdate(now)
    day = errors.day("called_on", called_on, required=_("Choose a date."))
    if day is not None and day > today:
        errors.add("called_on", _("A call is logged on or after its day."))
    summary = errors.text(
        "summary", summary, max_length=SUMMARY_MAX, required=_("Say what was said.")
    )
    due = errors.day("next_due", next_due)
    if due is not None and day is not None and due <= day:
        errors.add("next_due", _("The next call is due after this one."))
    errors.raise_if_any()
    assert day is not None
    call = FollowUp.objects.create(
        project=locked, called_on=day, called_by=actor, summary=summary, next_due=due
    )
    locked.next_call_due = due
    locked.is_active = due is not None
    locked.save(update_fields=["next_call_due", "is_active"])
    record_event(
        actor=actor,
        action=FrontdeskEvent.KEY_PROJECT_LOG_CALL,
        obj=locked,
        center_id=locked.center_id,
        note=summary,
        data={"called_on": day.isoformat(), "next_due": due.isoformat() if due else None},
    )
    return call
