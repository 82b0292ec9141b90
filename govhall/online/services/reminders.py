"""The daily reminder SMS of My page (issue 19 item 3): a supplement asked, green-channel
materials due, a licence about to expire. Run by the worker (`online.tasks.send_my_reminders`,
hourly by default); idempotent: one SMS per thing and account at most every
GOVHALL_MY_REMINDER_SMS_EVERY_DAYS days, whatever how often it runs (the outbox is the record)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone

from govhall.cases.models import Case, ElectronicLicence
from govhall.core.models import OutboundMessage
from govhall.core.notify import send_sms
from govhall.online.models import ApplicantAccount
from govhall.online.purposes import OnlinePurpose
from govhall.online.queries.my_page import Reminder, ReminderKind, reminders_due
from govhall.workdays.queries.calendar import day_start

_PURPOSE = {
    ReminderKind.SUPPLEMENT: OnlinePurpose.REMIND_SUPPLEMENT,
    ReminderKind.PENDING: OnlinePurpose.REMIND_PENDING,
    ReminderKind.LICENCE: OnlinePurpose.REMIND_LICENCE,
}


def _object_of(reminder: Reminder) -> tuple[str, str]:
    if reminder.licence_id is not None:
        return ElectronicLicence._meta.label_lower, str(reminder.licence_id)
    return Case._meta.label_lower, str(reminder.case_id)


def my_reminders_send(*, today: datetime.date | None = None) -> int:
    """SMS every due reminder not sent to that phone within the interval; returns how many."""
    today = today or timezone.localdate()
    since = day_start(
        today - datetime.timedelta(days=settings.GOVHALL_MY_REMINDER_SMS_EVERY_DAYS - 1)
    )
    reminders = reminders_due(today)
    if not reminders:
        return 0
    account_ids = {pk for r in reminders for pk in r.account_ids}
    phones = dict(ApplicantAccount.objects.filter(pk__in=account_ids).values_list("pk", "phone"))
    sent_before = set(
        OutboundMessage.objects.filter(
            purpose__in=[str(p) for p in _PURPOSE.values()], created_at__gte=since
        ).values_list("purpose", "object_type", "object_id", "to")
    )
    sent = 0
    for reminder in reminders:
        purpose = str(_PURPOSE[reminder.kind])
        object_type, object_id = _object_of(reminder)
        for account_id in reminder.account_ids:
            phone = phones.get(account_id, "")
            key = (purpose, object_type, object_id, phone)
            if not phone or key in sent_before:
                continue
            send_sms(
                to=phone,
                text=f"{reminder.title}: {reminder.text}",
                purpose=purpose,
                obj=_stand_in(reminder),
            )
            sent_before.add(key)
            sent += 1
    return sent


def _stand_in(reminder: Reminder) -> Case | ElectronicLicence:
    """An unsaved instance carrying the pk, so the outbox names the object (no query)."""
    if reminder.licence_id is not None:
        return ElectronicLicence(pk=reminder.licence_id)
    return Case(pk=reminder.case_id)
