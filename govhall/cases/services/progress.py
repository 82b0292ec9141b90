"""Public progress inquiry (办件进度查询, SPEC §6): case number + last 4 digits of the applicant's
phone or ID number. No login; used by the portal page and the public API.

What it shows: status (with the national exchange code), kind, item, department, dates,
deadlines, working days left, the public steps (step names and times only: no staff names, no
notes) and the outcome; the applicant's name masked. Nothing else about the applicant.

Against guessing, failures are counted in windows of GOVHALL_PROGRESS_WINDOW_MINUTES by the
atomic counters of `govhall.core.ratelimit` (every inquiry is also stored, `ProgressLookup`,
for the record):

- per client address: at GOVHALL_PROGRESS_MAX_FAILURES_PER_CLIENT failures the address is
  refused (HTTP 429) until the window ends;
- per case number: at GOVHALL_PROGRESS_MAX_FAILURES_PER_CASE failures the number is locked for
  everyone, even with the right digits, until the window ends (so spreading the guesses over
  many addresses does not help).

Each inquiry first counts as a failure (one atomic hit on each counter, refused at the limit)
and gives the hits back when the digits turn out right. So inquiries racing in parallel can
never look up more than the failure budget: the counter, not a count of stored rows, decides.

A case number that does not exist and wrong digits get the same answer (`None`), and failures
on unknown numbers are counted and locked exactly like known ones, so the answers never tell
whether a number exists.

The client address is the caller's REMOTE_ADDR. Behind a reverse proxy every request comes from
the proxy's address: the proxy (or a trusted middleware) must set REMOTE_ADDR from
X-Forwarded-For, otherwise all applicants share one failure budget.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.cases.case_transitions import NATIONAL_CODE, NATIONAL_LABEL, UNDECIDED_STATUSES
from govhall.cases.clock import days_left
from govhall.cases.events import CaseEvent
from govhall.cases.models import Case, ProgressLookup
from govhall.cases.statuses import CaseKind, CaseStatus
from govhall.core.idnumbers import mask_name, normalize
from govhall.core.models import Event
from govhall.core.ratelimit import (
    RateLimited,
    RateRule,
    rate_hit,
    rate_key,
    rate_limit,
    rate_refund,
)

NUMBER_MAX_LENGTH = 48
_LAST4 = re.compile(r"^[0-9X]{4}$")

# The steps an applicant sees, by event action. Anything not listed (fees, personal-data views,
# internal transfers, notes) stays internal.
PUBLIC_STEPS: dict[str, object] = {
    CaseEvent.SUBMIT: gettext_lazy("Submitted online"),
    CaseEvent.RECEIVE: gettext_lazy("Received at the window"),
    CaseEvent.PREREVIEW_PASS: gettext_lazy("Passed pre-review"),
    CaseEvent.PREREVIEW_RETURN: gettext_lazy("Returned at pre-review"),
    CaseEvent.REQUEST_SUPPLEMENT: gettext_lazy("Told what is missing (one-time notice)"),
    CaseEvent.RECEIVE_SUPPLEMENT: gettext_lazy("Missing materials received"),
    CaseEvent.ACCEPT: gettext_lazy("Accepted"),
    CaseEvent.RETURN: gettext_lazy("Not accepted"),
    CaseEvent.FORWARD: gettext_lazy("Passed to the department for review"),
    CaseEvent.REVIEW: gettext_lazy("Reviewed"),
    CaseEvent.START_JOINT: gettext_lazy("Joint review by the departments started"),
    CaseEvent.COMPLETE_JOINT_TASK: gettext_lazy("A department finished its joint review"),
    CaseEvent.APPROVE: gettext_lazy("Approved"),
    CaseEvent.DENY: gettext_lazy("Denied"),
    CaseEvent.SUSPEND: gettext_lazy("Suspended (time not counted)"),
    CaseEvent.RESUME: gettext_lazy("Resumed"),
    CaseEvent.EXTEND: gettext_lazy("Time limit extended"),
    CaseEvent.ESCALATE: gettext_lazy("Forwarded to the higher-level service center"),
    CaseEvent.RECEIVE_RESULT: gettext_lazy("Result received from the higher level"),
    CaseEvent.MAKE_CERTIFICATE: gettext_lazy("Certificate ready for pickup"),
    CaseEvent.DELIVER: gettext_lazy("Delivered"),
    CaseEvent.WITHDRAW: gettext_lazy("Withdrawn"),
    CaseEvent.VOID: gettext_lazy("Voided"),
}

# Events that decide the outcome, latest wins (a denied case is later "delivered" too).
_OUTCOME_BY_ACTION: dict[str, str] = {
    CaseEvent.APPROVE: "approved",
    CaseEvent.DENY: "denied",
    CaseEvent.RECEIVE_RESULT: "escalation_closed",
}
_OUTCOME_BY_STATUS = {
    CaseStatus.NOT_ACCEPTED: "not_accepted",
    CaseStatus.PREREVIEW_RETURNED: "not_accepted",
    CaseStatus.APPROVED: "approved",
    CaseStatus.CERTIFICATE_READY: "approved",
    CaseStatus.DENIED: "denied",
    CaseStatus.ESCALATION_CLOSED: "escalation_closed",
    CaseStatus.WITHDRAWN: "withdrawn",
    CaseStatus.VOIDED: "voided",
}
OUTCOME_LABELS: dict[str, object] = {
    "approved": gettext_lazy("Approved"),
    "denied": gettext_lazy("Denied (see the written decision for the reason and your rights)"),
    "not_accepted": gettext_lazy("Not accepted (see the written notice for the reason)"),
    "escalation_closed": gettext_lazy("Decided by the higher-level center"),
    "withdrawn": gettext_lazy("Withdrawn"),
    "voided": gettext_lazy("Voided"),
}


class ProgressLimited(RateLimited):
    """Too many failed inquiries: from this client, or on this case number. HTTP 429."""


@dataclass(frozen=True)
class ProgressStep:
    name: str
    at: datetime.datetime


@dataclass(frozen=True)
class CaseProgress:
    number: str
    status: str
    status_label: str
    national_code: str
    national_label: str
    kind: str
    kind_label: str
    item: str
    department: str
    center: str
    applicant_name: str  # masked
    received_at: datetime.datetime
    accepted_at: datetime.datetime | None
    promised_due_on: datetime.date | None
    legal_due_on: datetime.date | None
    working_days_left: int | None
    suspended: bool
    outcome: str  # "" while undecided; see OUTCOME_LABELS
    outcome_label: str
    completed_at: datetime.datetime | None
    steps: list[ProgressStep] = field(default_factory=list)


def _window_seconds() -> int:
    return int(settings.GOVHALL_PROGRESS_WINDOW_MINUTES) * 60


def _client_rule(client: str) -> RateRule:
    return RateRule(
        rate_key("progress.client", client),
        settings.GOVHALL_PROGRESS_MAX_FAILURES_PER_CLIENT,
        _window_seconds(),
        _(
            "Too many wrong entries from your network. Please wait %(minutes)d minutes and try "
            "again, or ask at the service window."
        )
        % {"minutes": settings.GOVHALL_PROGRESS_WINDOW_MINUTES},
    )


def _case_locked_message() -> str:
    return _(
        "This case number is locked for %(minutes)d minutes after too many wrong entries. "
        "Please try again later, or ask at the service window."
    ) % {"minutes": settings.GOVHALL_PROGRESS_WINDOW_MINUTES}


def _matches(case: Case | None, last4: str) -> bool:
    if case is None:
        return False
    applicant = case.applicant
    return last4 in {normalize(applicant.phone)[-4:], normalize(applicant.id_number)[-4:]}


def clean_inquiry(number: str, last4: str) -> tuple[str, str]:
    """The normalized (number, last4); ValidationError when either is malformed."""
    number = normalize(number)
    last4 = normalize(last4)
    if not number or len(number) > NUMBER_MAX_LENGTH:
        raise ValidationError(_("Enter the case number printed on your notice."))
    if not _LAST4.match(last4):
        raise ValidationError(
            _("Enter the last 4 digits of the applicant's phone number or ID number.")
        )
    return number, last4


def progress_lookup(
    *, number: str, last4: str, client: str, today: datetime.date | None = None
) -> CaseProgress | None:
    """The public progress of the case, or None when the number and the digits do not match.

    Raises ValidationError for malformed input (nothing counted) and ProgressLimited when the
    client or the case number has too many recent failures (nothing looked up).
    """
    number, last4 = clean_inquiry(number, last4)
    client = (client or "unknown")[:64]
    now = timezone.now()
    try:
        (client_hit,) = rate_limit([_client_rule(client)], at=now)
    except RateLimited as limited:
        # Nothing counted or recorded: the address is already stopped.
        raise ProgressLimited(limited.message, limited.retry_after) from None
    case_hit = rate_hit(
        key=rate_key("progress.case", number),
        limit=settings.GOVHALL_PROGRESS_MAX_FAILURES_PER_CASE,
        window_seconds=_window_seconds(),
        at=now,
    )
    if not case_hit.allowed:
        # Counts against the address (hammering a locked number is still guessing) but not
        # against the number, so an attack does not keep the applicant's number locked forever.
        ProgressLookup.objects.create(client=client, case_number="", succeeded=False)
        raise ProgressLimited(_case_locked_message(), case_hit.retry_after)
    with transaction.atomic():
        case = (
            Case.objects.select_related("applicant", "item", "department", "center")
            .filter(number=number)
            .first()
        )
        found = _matches(case, last4)
        ProgressLookup.objects.create(client=client, case_number=number, succeeded=found)
    if not found or case is None:
        return None
    rate_refund(client_hit)  # right digits: not a failure
    rate_refund(case_hit)
    return case_progress(case, today=today or timezone.localdate())


def case_progress(case: Case, *, today: datetime.date) -> CaseProgress:
    """What the public may see of `case` (call only after the applicant proved who they are)."""
    return cases_progress([case], today=today)[case.pk]


def cases_progress(cases: list[Case], *, today: datetime.date) -> dict[int, CaseProgress]:
    """`case_progress` of many cases in one query of the event log (the applicant's own page,
    issue 19 item 3), by case id. The cases need applicant, item, department and center."""
    by_case: dict[str, list[tuple[str, datetime.datetime]]] = {str(c.pk): [] for c in cases}
    if cases:
        rows = (
            Event.objects.filter(
                object_type=Case._meta.label_lower,
                object_id__in=list(by_case),
                action__in=list(PUBLIC_STEPS),
            )
            .order_by("at", "id")
            .values_list("object_id", "action", "at")
        )
        for object_id, action, at in rows:
            by_case[object_id].append((action, at))
    return {c.pk: _progress_of(c, by_case[str(c.pk)], today=today) for c in cases}


def _progress_of(
    case: Case, events: list[tuple[str, datetime.datetime]], *, today: datetime.date
) -> CaseProgress:
    steps = [ProgressStep(name=str(PUBLIC_STEPS[action]), at=at) for action, at in events]
    outcome = _OUTCOME_BY_STATUS.get(CaseStatus(case.status), "")
    if case.status == CaseStatus.DELIVERED:
        decisions = [_OUTCOME_BY_ACTION[a] for a, _at in events if a in _OUTCOME_BY_ACTION]
        outcome = decisions[-1] if decisions else "approved"
    code = NATIONAL_CODE[case.status]
    running = case.status in UNDECIDED_STATUSES
    return CaseProgress(
        number=case.number,
        status=case.status,
        status_label=str(case.get_status_display()),
        national_code=code,
        national_label=NATIONAL_LABEL[code],
        kind=case.kind,
        kind_label=str(CaseKind(case.kind).label) if case.kind else "",
        item=case.item.name,
        department=case.department.name,
        center=case.center.name,
        applicant_name=mask_name(case.applicant.name),
        received_at=case.received_at,
        accepted_at=case.accepted_at,
        promised_due_on=case.promised_due_on,
        legal_due_on=case.legal_due_on,
        working_days_left=days_left(case, today) if running else None,
        suspended=case.status == CaseStatus.SUSPENDED,
        outcome=outcome,
        outcome_label=str(OUTCOME_LABELS[outcome]) if outcome else "",
        completed_at=case.completed_at,
        steps=steps,
    )


def progress_lookups_prune(*, older_than: datetime.timedelta | None = None) -> int:
    """Delete stored inquiries older than `older_than` (default: one day); returns how many."""
    cutoff = timezone.now() - (older_than or datetime.timedelta(days=1))
    deleted, _by_model = ProgressLookup.objects.filter(at__lt=cutoff).delete()
    return deleted
