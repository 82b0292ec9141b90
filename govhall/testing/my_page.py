"""Data for the tests of My page (issue 19 item 3): an account's applicant, cases of an
applicant, tickets of today, appointments (written straight to the database)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from govhall.cases.events import CaseEvent
from govhall.cases.models import Applicant, Case
from govhall.catalog.models import ServiceItem
from govhall.core.events import record_event
from govhall.frontdesk.models import Appointment, AppointmentStatus, ServiceGroup, Ticket
from govhall.online.models import ApplicantAccount
from govhall.org.models import Center, Department
from govhall.testing.cases import make_case

_serial = itertools.count(1)


def link(account: ApplicantAccount) -> Applicant:
    applicant = Applicant.objects.create(
        kind="person", name=account.name, id_number=account.id_number, phone=account.phone
    )
    account.applicant = applicant
    account.save(update_fields=["applicant"])
    return applicant


def case_of(applicant: Applicant, item: ServiceItem, **fields: Any) -> Case:
    case = make_case(item, None, **fields)
    Case.objects.filter(pk=case.pk).update(applicant=applicant)
    case.refresh_from_db()
    record_event(actor=None, action=CaseEvent.RECEIVE, obj=case, center_id=case.center_id)
    return case


def group_of(county: Center, department: Department) -> ServiceGroup:
    return ServiceGroup.objects.get_or_create(
        center=county, letter="A", defaults={"name": "市场监管", "department": department}
    )[0]


def ticket(group: ServiceGroup, *, phone: str = "", minutes: int = 0, **fields: Any) -> Ticket:
    n = next(_serial)
    moment = timezone.now() - datetime.timedelta(minutes=60 - minutes)
    return Ticket.objects.create(
        center=group.center,
        group=group,
        service_date=timezone.localdate(),
        serial=n,
        number=f"A{n:03d}",
        token=f"tok{n:020d}",
        taken_at=moment,
        queued_at=moment,
        phone=phone,
        **fields,
    )


def appointment(
    group: ServiceGroup, id_number: str, *, days: int = 3, **fields: Any
) -> Appointment:
    n = next(_serial)
    return Appointment.objects.create(
        center=group.center,
        group=group,
        date=timezone.localdate() + datetime.timedelta(days=days),
        starts=datetime.time(9, 0),
        ends=datetime.time(9, 30),
        code=f"C{n:06d}",
        name="张三",
        id_number=id_number,
        phone="13900000000",
        channel="portal",
        is_off_hours=True,
        status=fields.pop("status", AppointmentStatus.BOOKED),
        **fields,
    )
