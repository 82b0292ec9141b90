"""My page (我的办件, issue 19 item 3): what an online account sees of its own affairs, read-only.

Whose affairs: the account's applicant (`ApplicantAccount.applicant`, linked once the account
is verified; an agent acting for an enterprise passes the enterprise's account) and what the
account applied for online. Appointments are matched by the verified ID number, tickets of
today by the account's phone (confirmed by SMS at registration) or the appointment they came
from. Nothing of another applicant is ever read here.

Every section is a fixed number of queries however many cases, appointments, tickets,
messages or licences there are (test_my_page checks it with growing data); each section shows
at most GOVHALL_MY_PAGE_MAX_ROWS rows, the latest first.

- `my_cases(account, today)`: cases with their public progress (`cases_progress`, the same
  as the progress page) and what the applicant must do next.
- `my_drafts(account)`, `my_appointments(account, at)`, `my_tickets_today(account, today)`,
  `my_messages(account)`, `unread_count(account)`, `my_reminders(account, today)`.
- `reminders_due(today)`: every reminder of every account, for the daily SMS task.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import Case, CaseMaterial, ElectronicLicence
from govhall.cases.queries.licences import STATE_LABELS, licence_state
from govhall.cases.services.progress import CaseProgress, cases_progress
from govhall.cases.statuses import CaseStatus, DeliveryMethod
from govhall.frontdesk.appointment_transitions import AppointmentAction
from govhall.frontdesk.models import Appointment, AppointmentStatus, Ticket
from govhall.frontdesk.queries.board import with_people_ahead
from govhall.frontdesk.services.appointment_rules import appointment_actions
from govhall.online.models import AccountMessage, ApplicantAccount, OnlineApplication
from govhall.online.models.applications import ApplicationStatus


class NextStep:
    """What the applicant must do next on a case (the page's words and links hang on these)."""

    SUPPLEMENT = "supplement"  # upload / bring what is missing
    PENDING = "pending"  # green channel: bring the promised materials by the date
    RETURNED = "returned"  # returned at pre-review / not accepted: read why, apply again
    PICKUP = "pickup"  # the certificate is ready at the window
    EXPRESS = "express"  # the certificate goes by express: nothing to do but wait for it
    WAIT = "wait"  # nothing to do


@dataclass(frozen=True)
class MyCase:
    case: Case
    progress: CaseProgress
    next_step: str
    has_pending: bool  # green channel materials still to bring

    @property
    def pk(self) -> int:
        return self.case.pk


def _verified(account: ApplicantAccount) -> bool:
    return account.verified_at is not None and account.is_active


def my_cases_q(account: ApplicantAccount) -> Q:
    """The cases of `account`: its applicant's (once verified) and those it applied for."""
    mine = Q(online_application__account_id=account.pk) | Q(
        online_application__acting_for_id=account.pk
    )
    # Issue 19 item 5: the cases of a 一件事 applied for online hang on the application's bundle
    mine |= Q(bundle__online_application__account_id=account.pk) | Q(
        bundle__online_application__acting_for_id=account.pk
    )
    if _verified(account) and account.applicant_id is not None:
        mine |= Q(applicant_id=account.applicant_id)
    return mine


def my_case_queryset(account: ApplicantAccount) -> QuerySet[Case]:
    pending = CaseMaterial.objects.filter(case=OuterRef("pk"), pending=True, received=False)
    return (
        Case.objects.filter(my_cases_q(account))
        .select_related("applicant", "item", "department", "center", "bundle", "bundle__bundle")
        .annotate(has_pending=Exists(pending))
        .distinct()
    )


def next_step_of(case: Case, *, has_pending: bool) -> str:
    status = case.status
    if status == CaseStatus.AWAITING_SUPPLEMENT:
        return NextStep.SUPPLEMENT
    if has_pending and case.pending_due_on is not None and status not in _CLOSED:
        return NextStep.PENDING
    if status in (CaseStatus.PREREVIEW_RETURNED, CaseStatus.NOT_ACCEPTED):
        return NextStep.RETURNED
    if status == CaseStatus.CERTIFICATE_READY:
        if case.delivery_method == DeliveryMethod.EXPRESS:
            return NextStep.EXPRESS
        return NextStep.PICKUP
    return NextStep.WAIT


_CLOSED = frozenset(
    {
        CaseStatus.NOT_ACCEPTED,
        CaseStatus.PREREVIEW_RETURNED,
        CaseStatus.DENIED,
        CaseStatus.DELIVERED,
        CaseStatus.ESCALATION_CLOSED,
        CaseStatus.VOIDED,
        CaseStatus.WITHDRAWN,
    }
)


def my_cases(account: ApplicantAccount, *, today: datetime.date) -> list[MyCase]:
    """The latest cases of `account` with their progress: two queries."""
    cases = list(
        my_case_queryset(account).order_by("-received_at", "-id")[
            : settings.GOVHALL_MY_PAGE_MAX_ROWS
        ]
    )
    progress = cases_progress(cases, today=today)
    return [
        MyCase(
            case=case,
            progress=progress[case.pk],
            next_step=next_step_of(case, has_pending=bool(getattr(case, "has_pending", False))),
            has_pending=bool(getattr(case, "has_pending", False)),
        )
        for case in cases
    ]


def my_drafts(account: ApplicantAccount) -> list[OnlineApplication]:
    """The drafts `account` is filling in (for itself or, as an agent, for an enterprise)."""
    return list(
        OnlineApplication.objects.filter(account=account, status=ApplicationStatus.DRAFT)
        .select_related("item", "bundle", "acting_for")
        .order_by("-updated_at", "-id")[: settings.GOVHALL_MY_PAGE_MAX_ROWS]
    )


@dataclass(frozen=True)
class MyAppointment:
    appointment: Appointment
    cancellable: bool


def my_appointments(
    account: ApplicantAccount, *, at: datetime.datetime | None = None
) -> list[MyAppointment]:
    """Appointments of the verified ID number from today on, still holding a place (booked,
    requested, checked in), with whether the applicant may still cancel (the appointment
    state machine, as the portal's own "my appointment" page asks it)."""
    if not _verified(account):
        return []
    moment = at or timezone.now()
    rows = (
        Appointment.objects.filter(
            id_number=account.id_number,
            date__gte=timezone.localdate(moment),
            status__in=[
                AppointmentStatus.REQUESTED,
                AppointmentStatus.BOOKED,
                AppointmentStatus.CHECKED_IN,
            ],
        )
        .select_related("center", "group")
        .order_by("date", "starts", "id")[: settings.GOVHALL_MY_PAGE_MAX_ROWS]
    )
    return [
        MyAppointment(
            appointment=row,
            cancellable=AppointmentAction.CANCEL
            in {t.action for t in appointment_actions(None, row, moment)},
        )
        for row in rows
    ]


def my_tickets_today(account: ApplicantAccount, *, today: datetime.date) -> list[Ticket]:
    """Tickets of today taken with the account's phone (or from its appointments), each with
    `ahead_now`: the people ahead of it in its line (0 once called)."""
    mine = Q(phone=account.phone) if account.phone else Q(pk__in=[])
    if _verified(account):
        mine |= Q(appointment__id_number=account.id_number)
    tickets = (
        Ticket.objects.filter(service_date=today)
        .filter(mine)
        .select_related("center", "group", "window")
        .order_by("taken_at", "id")
    )
    return list(with_people_ahead(tickets)[: settings.GOVHALL_MY_PAGE_MAX_ROWS])


@dataclass(frozen=True)
class MyLicence:
    licence: ElectronicLicence
    state: str  # valid, expired or revoked (govhall.cases.queries.licences.licence_state)

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])


def my_licences(account: ApplicantAccount, *, today: datetime.date) -> list[MyLicence]:
    """The electronic licences held by the account's applicant (once verified), newest first,
    in one query."""
    if not _verified(account) or account.applicant_id is None:
        return []
    licences = (
        ElectronicLicence.objects.filter(holder_id=account.applicant_id)
        .select_related("item", "department")
        .order_by("-issued_at", "-id")[: settings.GOVHALL_MY_PAGE_MAX_ROWS]
    )
    return [MyLicence(licence, licence_state(licence, today)) for licence in licences]


def my_messages(account: ApplicantAccount) -> list[AccountMessage]:
    return list(
        AccountMessage.objects.filter(account=account)
        .select_related("case")
        .order_by("-created_at", "-id")[: settings.GOVHALL_MY_PAGE_MAX_ROWS]
    )


def unread_count(account: ApplicantAccount) -> int:
    return AccountMessage.objects.filter(account=account, read_at__isnull=True).count()


# --- reminders ----------------------------------------------------------------------------------


class ReminderKind:
    SUPPLEMENT = "supplement"
    PENDING = "pending"
    LICENCE = "licence"


@dataclass(frozen=True)
class Reminder:
    kind: str
    title: str
    text: str
    on: datetime.date | None  # due date (pending materials, licence end) or the day asked
    case_id: int | None = None
    licence_id: int | None = None
    account_ids: list[int] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.case_id or self.licence_id}"


def _supplement_reminder(case: Case) -> Reminder:
    asked = timezone.localdate(case.step_started_at)
    return Reminder(
        kind=ReminderKind.SUPPLEMENT,
        title=_("Materials to supplement"),
        text=_(
            "Case %(number)s (%(item)s) is waiting for the materials the one-time notice of "
            "%(asked)s lists. Upload or bring them so the case can go on."
        )
        % {"number": case.number, "item": case.item.name, "asked": asked.isoformat()},
        on=asked,
        case_id=case.pk,
    )


def _pending_reminder(case: Case) -> Reminder:
    assert case.pending_due_on is not None
    return Reminder(
        kind=ReminderKind.PENDING,
        title=_("Green-channel materials due"),
        text=_(
            "Case %(number)s (%(item)s) was accepted on your promise to bring the missing "
            "materials by %(due)s."
        )
        % {
            "number": case.number,
            "item": case.item.name,
            "due": case.pending_due_on.isoformat(),
        },
        on=case.pending_due_on,
        case_id=case.pk,
    )


def _licence_reminder(licence: ElectronicLicence) -> Reminder:
    assert licence.valid_until is not None
    return Reminder(
        kind=ReminderKind.LICENCE,
        title=_("Licence about to expire"),
        text=_(
            "Your licence %(name)s (No. %(number)s) is valid until %(until)s. Apply for its "
            "renewal in time."
        )
        % {
            "name": licence.name,
            "number": licence.number,
            "until": licence.valid_until.isoformat(),
        },
        on=licence.valid_until,
        licence_id=licence.pk,
    )


def _pending_q() -> Q:
    return Q(
        has_pending=True,
        green_channel=True,
        pending_due_on__isnull=False,
    ) & ~Q(status__in=list(_CLOSED))


def _expiring_licences(today: datetime.date) -> QuerySet[ElectronicLicence]:
    until = today + datetime.timedelta(days=settings.GOVHALL_LICENCE_EXPIRY_REMINDER_DAYS)
    return ElectronicLicence.objects.filter(
        revoked_at__isnull=True, valid_until__gte=today, valid_until__lte=until
    ).select_related("item")


def my_reminders(account: ApplicantAccount, *, today: datetime.date) -> list[Reminder]:
    """A supplement asked, green-channel materials due, a licence of mine about to expire:
    two queries."""
    pending = CaseMaterial.objects.filter(case=OuterRef("pk"), pending=True, received=False)
    cases = (
        Case.objects.filter(my_cases_q(account))
        .annotate(has_pending=Exists(pending))
        .filter(Q(status=CaseStatus.AWAITING_SUPPLEMENT) | _pending_q())
        .select_related("item")
        .distinct()
        .order_by("pending_due_on", "step_started_at", "id")
    )
    found: list[Reminder] = []
    for case in cases[: settings.GOVHALL_MY_PAGE_MAX_ROWS]:
        if case.status == CaseStatus.AWAITING_SUPPLEMENT:
            found.append(_supplement_reminder(case))
        else:
            found.append(_pending_reminder(case))
    if _verified(account) and account.applicant_id is not None:
        licences = _expiring_licences(today).filter(holder_id=account.applicant_id)
        found += [
            _licence_reminder(lic)
            for lic in licences.order_by("valid_until", "id")[: settings.GOVHALL_MY_PAGE_MAX_ROWS]
        ]
    return found


def reminders_due(today: datetime.date) -> list[Reminder]:
    """Every current reminder of a verified, active account linked to the applicant, with the
    ids of the accounts to tell (for the daily SMS task): three queries."""
    accounts: dict[int, list[int]] = {}
    for account_id, applicant_id in ApplicantAccount.objects.filter(
        verified_at__isnull=False, is_active=True, applicant__isnull=False
    ).values_list("pk", "applicant_id"):
        accounts.setdefault(applicant_id, []).append(account_id)
    if not accounts:
        return []
    pending = CaseMaterial.objects.filter(case=OuterRef("pk"), pending=True, received=False)
    cases = (
        Case.objects.filter(applicant_id__in=list(accounts))
        .annotate(has_pending=Exists(pending))
        .filter(Q(status=CaseStatus.AWAITING_SUPPLEMENT) | _pending_q())
        .select_related("item")
        .order_by("id")
    )
    found: list[Reminder] = []
    for case in cases:
        reminder = (
            _supplement_reminder(case)
            if case.status == CaseStatus.AWAITING_SUPPLEMENT
            else _pending_reminder(case)
        )
        found.append(_with_accounts(reminder, accounts[case.applicant_id]))
    for licence in _expiring_licences(today).filter(holder_id__in=list(accounts)).order_by("id"):
        found.append(_with_accounts(_licence_reminder(licence), accounts[licence.holder_id]))
    return found


def _with_accounts(reminder: Reminder, account_ids: list[int]) -> Reminder:
    return Reminder(
        kind=reminder.kind,
        title=reminder.title,
        text=reminder.text,
        on=reminder.on,
        case_id=reminder.case_id,
        licence_id=reminder.licence_id,
        account_ids=list(account_ids),
    )
