"""The monthly summary of the suggestion box to the leaders (issue 15 item 5).

Entry point:
def suggestion_summaries_send(*, now=None) -> int

From the first working day of a month on (the center's calendar), each active center's hall
directors get an SMS with the previous month's figures — entries received, replied, 办复率,
still overdue — and the workbench page of that month (`workbench:suggestion_month`) shows the
rest. Sent once per center and month: the `SuggestionSummary` row (unique per center and month)
is written in the same transaction, and the messages leave after it commits. A center without
an active director with a phone gets nothing (and is tried again on the next run)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.roles import Role
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models import SuggestionSummary
from govhall.feedback.queries.suggestions import month_summary
from govhall.org.models import Center
from govhall.workdays.queries.calendar import is_workday


def first_workday(center_id: int, year: int, month: int) -> datetime.date:
    """The first working day of a month in the center's calendar (the 1st when none is found
    in the month)."""
    day = datetime.date(year, month, 1)
    while day.month == month:
        if is_workday(center_id, day):
            return day
        day += datetime.timedelta(days=1)
    return datetime.date(year, month, 1)


def previous_month(day: datetime.date) -> tuple[int, int]:
    return (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)


def _director_phones(center_ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = (
        User.objects.filter(
            is_active=True, groups__name=Role.DIRECTOR.value, staff__center_id__in=center_ids
        )
        .exclude(phone="")
        .order_by("pk")
        .values_list("staff__center_id", "phone")
    )
    for center, phone in rows:
        found.setdefault(center, []).append(phone)
    return found


def summary_text(center: Center, year: int, month: int, now: datetime.datetime) -> str:
    totals = month_summary(center, year, month, now=now).totals
    link = (
        settings.GOVHALL_PUBLIC_URL
        + reverse("workbench:suggestion_month")
        + f"?center={center.pk}&month={year:04d}-{month:02d}"
    )
    return _(
        "%(center)s, suggestion box %(month)s: %(received)d received, %(replied)d replied "
        "(reply rate %(rate)s), %(overdue)d overdue. Details: %(link)s"
    ) % {
        "center": center.name,
        "month": f"{year:04d}-{month:02d}",
        "received": totals.received,
        "replied": totals.replied,
        "rate": f"{totals.reply_rate}%" if totals.reply_rate is not None else "—",
        "overdue": totals.overdue_open,
        "link": link,
    }


def suggestion_summaries_send(*, now: datetime.datetime | None = None) -> int:
    """Send the previous month's summary to each center due for it; returns how many centers
    were sent one by this call."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    year, month = previous_month(today)
    first_of_previous = datetime.date(year, month, 1)
    done = set(
        SuggestionSummary.objects.filter(month=first_of_previous).values_list(
            "center_id", flat=True
        )
    )
    centers = [
        center
        for center in Center.objects.filter(is_active=True).exclude(pk__in=done).order_by("pk")
        if today >= first_workday(center.pk, today.year, today.month)
    ]
    phones = _director_phones([center.pk for center in centers])
    sent = 0
    for center in centers:
        recipients = phones.get(center.pk, [])
        if recipients and _send_one(center, year, month, recipients, moment):
            sent += 1
    return sent


def _send_one(
    center: Center, year: int, month: int, recipients: list[str], moment: datetime.datetime
) -> bool:
    try:
        with transaction.atomic():
            row = SuggestionSummary.objects.create(
                center=center,
                month=datetime.date(year, month, 1),
                sent_at=moment,
                recipients=len(recipients),
            )
            text = summary_text(center, year, month, moment)
            record_event(
                actor=None,
                action=FeedbackEvent.SUGGESTION_SUMMARY_SEND,
                obj=row,
                center_id=center.pk,
                data={"month": f"{year:04d}-{month:02d}", "recipients": len(recipients)},
            )

            def deliver() -> None:
                for phone in recipients:
                    send_sms(
                        to=phone,
                        text=text,
                        purpose="suggestion_summary",
                        obj=row,
                        center_id=center.pk,
                    )

            transaction.on_commit(deliver)
    except IntegrityError:
        return False  # another run sent it first
    return True
