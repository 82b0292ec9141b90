"""Demo My page (我的办件, issue 19 item 3): the demo citizen account (`online_accounts`, mobile
13900000001) gets messages about its cases, an appointment booked by phone and a ticket of today,
so its page shows every section (its cases come from the demo cases). Idempotent: nothing is
added twice; skipped without the demo account."""

from __future__ import annotations

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from govhall.cases.models import Applicant, Case
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.cli.demo.online_accounts import CITIZEN_PHONE
from govhall.core.models import User
from govhall.frontdesk.models import Appointment, ServiceGroup, Ticket
from govhall.frontdesk.services.appointment_booking import appointment_book
from govhall.frontdesk.services.appointment_slots import bookable_days, slot_times
from govhall.frontdesk.services.tickets import ticket_take
from govhall.online.models import AccountKind, AccountMessage, ApplicantAccount
from govhall.org.models import Center

log = logging.getLogger("govhall.demo")


def _messages(account: ApplicantAccount, applicant: Applicant) -> None:
    if AccountMessage.objects.filter(account=account).exists():
        return
    now = timezone.now()
    for n, case in enumerate(
        Case.objects.filter(applicant=applicant).select_related("item").order_by("-received_at")[:3]
    ):
        AccountMessage.objects.create(
            account=account,
            created_at=now - datetime.timedelta(hours=n * 5 + 1),
            title=f"{case.item.name}：{case.get_status_display()}",
            text=f"您的办件 {case.number}（{case.item.name}）"
            f"当前状态：{case.get_status_display()}。",
            case=case,
            read_at=now if n == 2 else None,
        )


def _frontdesk(account: ApplicantAccount, county: Center) -> None:
    staff = User.objects.filter(username="guide").first()
    group = ServiceGroup.objects.filter(center=county).order_by("position", "id").first()
    if staff is None or group is None:
        return
    today = timezone.localdate()
    with override_settings(GOVHALL_QUEUE_ENFORCE_HOURS=False):
        if not Appointment.objects.filter(id_number=account.id_number, date__gt=today).exists():
            days = [d for d in bookable_days(group, today) if d > today]
            times = slot_times(group.center, group.slot_minutes)
            if days and times:
                try:
                    appointment_book(
                        actor=staff,
                        group=group,
                        date=days[0],
                        starts=times[len(times) // 2][0],
                        name=account.name,
                        id_number=account.id_number,
                        phone=account.phone,
                        channel="phone",
                    )
                except ValidationError as refused:
                    log.info("demo My page: no appointment (%s)", refused)
        if not Ticket.objects.filter(service_date=today, phone=account.phone).exists():
            try:
                ticket_take(group=group, actor=staff, phone=account.phone)
            except ValidationError as refused:
                log.info("demo My page: no ticket (%s)", refused)


def load_demo_my_page() -> ApplicantAccount | None:
    """Give the demo citizen account messages, an appointment and a ticket of today; returns
    the account (None without it)."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    account = (
        ApplicantAccount.objects.filter(kind=AccountKind.PERSON, phone=CITIZEN_PHONE)
        .select_related("applicant")
        .first()
    )
    if county is None or account is None or account.applicant is None:
        return None
    with transaction.atomic():
        _messages(account, account.applicant)
    _frontdesk(account, county)
    return account
