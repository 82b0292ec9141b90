"""The objects of My page (issue 19 item 3) by id, for their owner only: `Http404` for a
missing object and for another applicant's alike, so ids cannot be probed."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from govhall.cases.models import Case, ElectronicLicence
from govhall.frontdesk.models import Appointment
from govhall.online.models import AccountMessage, ApplicantAccount
from govhall.online.queries.my_page import my_case_queryset, my_cases_q


def access_my_case(account: ApplicantAccount, case_id: int) -> Case:
    case = my_case_queryset(account).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


def owns_case(account: ApplicantAccount, case_id: int) -> bool:
    return Case.objects.filter(my_cases_q(account), pk=case_id).exists()


def access_my_licence(account: ApplicantAccount, licence_id: int) -> ElectronicLicence:
    """A licence held by the account's applicant, once the account is verified."""
    if account.verified_at is None or not account.is_active or account.applicant_id is None:
        raise Http404
    licence = (
        ElectronicLicence.objects.select_related("item", "department", "holder", "case")
        .filter(pk=licence_id, holder_id=account.applicant_id)
        .first()
    )
    if licence is None:
        raise Http404
    return licence


def access_my_message(account: ApplicantAccount, message_id: int) -> AccountMessage:
    message = (
        AccountMessage.objects.select_related("case").filter(pk=message_id, account=account).first()
    )
    if message is None:
        raise Http404
    return message


def access_my_appointment(account: ApplicantAccount, appointment_id: int) -> Appointment:
    """An appointment booked with the account's verified ID number."""
    if account.verified_at is None or not account.is_active:
        raise Http404
    appointment = (
        Appointment.objects.select_related("center", "group")
        .filter(pk=appointment_id, id_number=account.id_number, date__gte=timezone.localdate())
        .first()
    )
    if appointment is None:
        raise Http404
    return appointment
