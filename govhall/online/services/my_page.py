"""The writes of My page (issue 19 item 3): reading a message, cancelling one's appointment."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.frontdesk.models import Appointment
from govhall.frontdesk.services.appointment_booking import appointment_cancel
from govhall.online.events import OnlineEvent
from govhall.online.models import AccountMessage, ApplicantAccount


@transaction.atomic
def account_message_read(
    *, account: ApplicantAccount, message: AccountMessage, at: datetime.datetime | None = None
) -> AccountMessage:
    """Mark `message` read (once; reading it again changes nothing)."""
    if message.account_id != account.pk:
        raise ValueError("not the account's message")
    if message.read_at is not None:
        return message
    now = at or timezone.now()
    updated = AccountMessage.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
    message.read_at = now
    if updated:
        record_event(actor=None, action=OnlineEvent.MESSAGE_READ, obj=message)
    return message


@transaction.atomic
def account_messages_read_all(
    *, account: ApplicantAccount, at: datetime.datetime | None = None
) -> int:
    """Mark every unread message of `account` read; returns how many."""
    now = at or timezone.now()
    unread = list(
        AccountMessage.objects.filter(account=account, read_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    AccountMessage.objects.filter(pk__in=unread).update(read_at=now)
    for pk in unread:
        record_event(
            actor=None, action=OnlineEvent.MESSAGE_READ, obj=AccountMessage(pk=pk, account=account)
        )
    return len(unread)


def my_appointment_cancel(
    *, account: ApplicantAccount, appointment: Appointment, at: datetime.datetime | None = None
) -> Appointment:
    """Cancel the account's own appointment (from `access_my_appointment`): the same service
    and rules as the public "my appointment" page, the verified ID number standing for the
    typed proof. ValidationError when the appointment may no longer be cancelled."""
    if account.verified_at is None or appointment.id_number != account.id_number:
        raise ValueError("not the account's appointment")
    return appointment_cancel(
        actor=None,
        appointment=appointment,
        last4=account.id_number[-4:],
        reason=_("Cancelled by the applicant on My page"),
        at=at,
    )
