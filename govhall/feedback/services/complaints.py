"""Complaints (投诉; seeds/000… 篇5 投诉, SPEC §9; issue 15 item 2). Every change is atomic,
validated, versioned (a stale `version` is a Conflict, nothing changed) and logged.

Entry points:
def complaint_due_at(center, received_at, complexity) -> datetime
def complaint_register(*, actor, center_id, channel, target_kind, target_id, summary, ...)
def complaint_submit_public(*, center, client, target_kind, target_id, summary, ...)
def complaint_assign(*, actor, complaint, version, department_id, due_on=None, now=None)
def complaint_reply(*, actor, complaint, version, reply, now=None)
def complaint_answer(*, actor, complaint, version, finding, result, delay_reason="", now=None)
def complaint_tell(*, actor, complaint, version, via, now=None)
def complaint_close(*, actor, complaint, version, now=None)
def complaint_actions(user, complaint) -> list[Transition]

Deadlines (`GOVHALL_COMPLAINT_*_WORKDAYS`, the center's work calendar): a simple complaint is
answered by the closing time of the next working day after it was received (0: the same day), a
complex one by the closing time of the 5th working day. An answer after `due_at` needs a reason.

A finding against the target (verified or partly verified: `FINDINGS_AGAINST`) raises the
supervision alert "complaint_verified.red" (its points ARE the assessment deduction) for the
person answering for the target — the staff member; a window's head; a leader of the
department; nobody for the center as a whole — and, for a staff member, records one staff fact
VERIFIED_COMPLAINT (the return-to-department rule counts them). Both once per complaint.
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.idnumbers import normalize, phone_error
from govhall.core.lifecycle import Transition
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.ratelimit import HOUR, RateRule, rate_key, rate_limit
from govhall.core.roles import Role
from govhall.core.validation import Conflict, FieldErrors, StateRefusal, refusal_error
from govhall.feedback.access.complaints import (
    complaint_parties,
    may_target_center,
)
from govhall.feedback.complaint_transitions import (
    COMPLAINT_TRANSITIONS,
    ComplaintAction,
    ComplaintParty,
)
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models.complaints import (
    FINDINGS_AGAINST,
    Complaint,
    ComplaintChannel,
    ComplaintComplexity,
    ComplaintFinding,
    ComplaintStatus,
    ComplaintTarget,
    ToldVia,
)
from govhall.feedback.services.numbers import COMPLAINT_PREFIX, next_register_number
from govhall.org.models import Center, Department, Staff, Window
from govhall.staffing.models.assignment import StaffFact, StaffFactKind
from govhall.staffing.services.assignments import staff_fact_record
from govhall.supervision.models import AlertRule
from govhall.supervision.services.raising import AlertDraft, raise_alerts
from govhall.workdays.queries.calendar import deadline_at

VERIFIED_RULE = "complaint_verified.red"
SUMMARY_MAX = 200
TEXT_MAX = 5000
NAME_MAX = 60
PHONE_MAX = 20
ADDRESS_MAX = 200
REASON_MAX = 1000
# Channels where a complaint can be settled on the spot (the complainant is there or on the line).
ON_THE_SPOT_CHANNELS = (ComplaintChannel.VISIT, ComplaintChannel.PHONE)
_TOLD_ON_THE_SPOT = {
    ComplaintChannel.VISIT: ToldVia.IN_PERSON,
    ComplaintChannel.PHONE: ToldVia.PHONE,
}


def complaint_due_at(
    center: Center, received_at: datetime.datetime, complexity: str
) -> datetime.datetime:
    """When the answer is due: closing time of the N-th working day after the day received."""
    days = (
        settings.GOVHALL_COMPLAINT_COMPLEX_WORKDAYS
        if complexity == ComplaintComplexity.COMPLEX
        else settings.GOVHALL_COMPLAINT_SIMPLE_WORKDAYS
    )
    return deadline_at(center.pk, timezone.localdate(received_at), days, center.closing_time)


# --- registering -----------------------------------------------------------------------------


def _id(value: object) -> int | None:
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() and len(text) < 18 else None


def _target(
    errors: FieldErrors, center: Center, kind: object, target_id: object
) -> tuple[str | None, User | None, Window | None, Department | None]:
    """The target of a complaint about `center`: (kind, staff, window, department)."""
    chosen = errors.choice(
        "target_kind",
        kind,
        ComplaintTarget.values,
        message=_("Choose whom the complaint is about."),
    )
    if chosen is None or chosen == ComplaintTarget.CENTER:
        return chosen, None, None, None
    pk = _id(target_id)
    missing = _("Choose the target among those of the center.")
    if chosen == ComplaintTarget.STAFF:
        staff = (
            Staff.objects.select_related("user", "department")
            .filter(user_id=pk or 0, center=center, user__is_active=True)
            .first()
        )
        if staff is None:
            errors.add("target_id", missing)
            return chosen, None, None, None
        return chosen, staff.user, None, staff.department
    if chosen == ComplaintTarget.WINDOW:
        window = Window.objects.filter(pk=pk or 0, center=center, is_active=True).first()
        if window is None:
            errors.add("target_id", missing)
        return chosen, None, window, None
    department = Department.objects.filter(pk=pk or 0, center=center, is_active=True).first()
    if department is None:
        errors.add("target_id", missing)
    return chosen, None, None, department


def _phone(errors: FieldErrors, value: object, *, mobile: bool) -> str:
    text = errors.text("complainant_phone", value, max_length=PHONE_MAX)
    if not text:
        return ""
    number = normalize(text)
    if mobile:
        problem = phone_error(number)
        if problem:
            errors.add("complainant_phone", problem)
    elif not all(ch.isdigit() or ch in "+-" for ch in number) or len(number) < 5:
        errors.add("complainant_phone", _("Enter a phone number (digits, + and - only)."))
    return number


def _create(
    *,
    actor: User | None,
    center: Center,
    errors: FieldErrors,
    channel: str,
    target_kind: object,
    target_id: object,
    summary: object,
    details: object,
    complainant_name: object,
    complainant_phone: object,
    complainant_address: object,
    anonymous: bool,
    complexity: object,
    received_at: datetime.datetime,
    on_the_spot: bool,
    finding: object,
    result: object,
    mobile_only: bool,
    public_token: str = "",
) -> Complaint:
    kind, staff, window, department = _target(errors, center, target_kind, target_id)
    summary_text = errors.text(
        "summary", summary, max_length=SUMMARY_MAX, required=_("Say what the complaint is about.")
    )
    details_text = errors.text("details", details, max_length=TEXT_MAX)
    name = errors.text("complainant_name", complainant_name, max_length=NAME_MAX)
    phone = _phone(errors, complainant_phone, mobile=mobile_only)
    address = errors.text("complainant_address", complainant_address, max_length=ADDRESS_MAX)
    if anonymous:
        name, phone, address = "", "", ""
    level = errors.choice(
        "complexity", complexity, ComplaintComplexity.values, message=_("Choose simple or complex.")
    )
    spot_finding, spot_result = "", ""
    if on_the_spot:
        if channel not in ON_THE_SPOT_CHANNELS:
            errors.add(
                "on_the_spot",
                _("Only a complaint made in person or by phone is settled on the spot."),
            )
        spot_finding = errors.choice(
            "finding", finding, ComplaintFinding.values, message=_("Choose the finding.")
        )
        spot_result = errors.text(
            "result", result, max_length=TEXT_MAX, required=_("Write down the result.")
        )
    errors.raise_if_any()
    assert level is not None and kind is not None
    now = timezone.now()
    complaint = Complaint(
        number=next_register_number(
            letters=COMPLAINT_PREFIX, center=center, day=timezone.localdate(received_at)
        ),
        center=center,
        channel=channel,
        complainant_name=name,
        complainant_phone=phone,
        complainant_address=address,
        anonymous=anonymous,
        target_kind=kind,
        target_staff=staff,
        target_window=window,
        target_department=department,
        summary=summary_text,
        details=details_text,
        received_at=received_at,
        received_by=actor,
        complexity=level,
        due_at=complaint_due_at(center, received_at, level),
        handler=actor,
        public_token=public_token,
    )
    if on_the_spot:
        complaint.handled_on_the_spot = True
        complaint.status = ComplaintStatus.CLOSED
        complaint.finding = spot_finding or ""
        complaint.result = spot_result
        complaint.answered_at = complaint.told_at = complaint.closed_at = now
        complaint.told_via = _TOLD_ON_THE_SPOT[ComplaintChannel(channel)]
    complaint.save()
    record_event(
        actor=actor,
        action=FeedbackEvent.COMPLAINT_REGISTER,
        obj=complaint,
        center_id=center.pk,
        data={
            "channel": channel,
            "target_kind": kind,
            "complexity": level,
            "on_the_spot": on_the_spot,
            "finding": complaint.finding,
        },
    )
    if on_the_spot and complaint.finding in FINDINGS_AGAINST:
        _count_against(complaint, moment=now)
    return complaint


@transaction.atomic
def complaint_register(
    *,
    actor: User,
    center_id: object,
    channel: object,
    target_kind: object,
    target_id: object = None,
    summary: object,
    details: object = "",
    complainant_name: object = "",
    complainant_phone: object = "",
    complainant_address: object = "",
    anonymous: bool = False,
    complexity: object = ComplaintComplexity.SIMPLE,
    received_at: datetime.datetime | None = None,
    on_the_spot: bool = False,
    finding: object = "",
    result: object = "",
) -> Complaint:
    """Register a complaint received by a complaint handler (any channel but the portal's own
    form). Handled on the spot, it is closed at once with its finding and result."""
    errors = FieldErrors()
    pk = _id(center_id)
    center = Center.objects.filter(pk=pk or 0).first()
    if center is None or not may_target_center(actor, center.pk):
        errors.add("center_id", _("Choose a center you handle complaints of."))
    chosen = errors.choice(
        "channel", channel, ComplaintChannel.values, message=_("Choose how it was received.")
    )
    now = timezone.now()
    moment = received_at or now
    if moment > now + datetime.timedelta(minutes=5):
        errors.add("received_at", _("The time received cannot be in the future."))
    if center is None:
        errors.raise_if_any()
    assert center is not None
    return _create(
        actor=actor,
        center=center,
        errors=errors,
        channel=chosen or "",
        target_kind=target_kind,
        target_id=target_id,
        summary=summary,
        details=details,
        complainant_name=complainant_name,
        complainant_phone=complainant_phone,
        complainant_address=complainant_address,
        anonymous=bool(anonymous),
        complexity=complexity,
        received_at=moment,
        on_the_spot=bool(on_the_spot),
        finding=finding,
        result=result,
        mobile_only=False,
    )


def complaint_submit_public(
    *,
    center: Center,
    client: str,
    target_kind: object,
    target_id: object = None,
    summary: object,
    details: object = "",
    complainant_name: object = "",
    complainant_phone: object = "",
    anonymous: bool = False,
    at: datetime.datetime | None = None,
) -> Complaint:
    """The portal's complaint form (no account): a web complaint about the center, one of its
    windows or departments, with a random `public_token` to follow it. Limited per client
    address (and phone) per hour: RateLimited, counted even when the input is refused."""
    phone_key = normalize(str(complainant_phone or "")) if not anonymous else ""
    rules = [
        RateRule(
            rate_key("complaint.address", client or "unknown"),
            settings.GOVHALL_RATE_COMPLAINT_PER_ADDRESS_HOUR,
            HOUR,
            _("Too many complaints from your network. Please try again later."),
        )
    ]
    if phone_key:
        rules.append(
            RateRule(
                rate_key("complaint.phone", phone_key),
                settings.GOVHALL_RATE_COMPLAINT_PER_PHONE_HOUR,
                HOUR,
                _("Too many complaints with this phone number. Please try again later."),
            )
        )
    rate_limit(rules, at=at)
    errors = FieldErrors()
    if str(target_kind) == ComplaintTarget.STAFF:
        errors.add("target_kind", _("Choose a window, a department or the center."))
    with transaction.atomic():
        return _create(
            actor=None,
            center=center,
            errors=errors,
            channel=ComplaintChannel.WEB,
            target_kind=target_kind,
            target_id=target_id,
            summary=summary,
            details=details,
            complainant_name=complainant_name,
            complainant_phone=complainant_phone,
            complainant_address="",
            anonymous=bool(anonymous),
            complexity=ComplaintComplexity.SIMPLE,
            received_at=at or timezone.now(),
            on_the_spot=False,
            finding="",
            result="",
            mobile_only=True,
            public_token=secrets.token_urlsafe(18)[:24],
        )


# --- the lifecycle ---------------------------------------------------------------------------


def _guard(complaint: Complaint, guard: str) -> str:
    if guard == "not_replied" and complaint.department_replied_at is not None:
        return StateRefusal(_("The department has already replied to this complaint."))
    if guard == "not_told" and complaint.told_at is not None:
        return StateRefusal(_("The complainant has already been told the result."))
    if (
        guard == "told_or_unreachable"
        and complaint.told_at is None
        and (complaint.complainant_phone or complaint.complainant_address)
    ):
        return _("Tell the complainant the result before closing the complaint.")
    return ""


def complaint_refusal(user: object, complaint: Complaint, action: str) -> str:
    """Why `user` may not take `action` on the complaint now ("" when they may)."""
    row = COMPLAINT_TRANSITIONS.row(complaint.status, action)
    if row is None:
        return StateRefusal(
            _("This complaint is %(status)s: that is not possible now.")
            % {"status": complaint.get_status_display()}
        )
    if not row.who & complaint_parties(user, complaint):
        if ComplaintParty.DEPARTMENT.value in row.who:
            return _("Only the department the complaint was assigned to replies.")
        return _("Only a complaint handler of the center may do this.")
    return _guard(complaint, row.guard) if row.guard else ""


def complaint_actions(user: object, complaint: Complaint) -> list[Transition]:
    """What `user` may do with the complaint now (the buttons, the API's actions)."""
    return [
        row
        for row in COMPLAINT_TRANSITIONS.rows_from(complaint.status)
        if not complaint_refusal(user, complaint, row.action)
    ]


def _locked(actor: User, complaint: Complaint, action: str, version: object) -> Complaint:
    """The complaint's row FOR UPDATE, checked against the version the actor saw and the table."""
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    seen = _id(version)
    if seen is None:
        raise ValidationError({"version": [_("The form is missing its version; reload the page.")]})
    if seen != locked.version:
        raise Conflict(
            {"version": [_("The complaint changed since you opened it; reload the page.")]}
        )
    refusal = complaint_refusal(actor, locked, action)
    if refusal:
        raise refusal_error(refusal)
    return locked


def _save(complaint: Complaint, action: str, fields: list[str]) -> None:
    row = COMPLAINT_TRANSITIONS.row(complaint.status, action)
    assert row is not None
    if row.next_state is not None:
        complaint.status = row.next_state
    Complaint.objects.filter(pk=complaint.pk).update(
        version=F("version") + 1,
        status=complaint.status,
        **{f: getattr(complaint, f) for f in fields},
    )
    complaint.version += 1


def _handled_by(complaint: Complaint, actor: User) -> list[str]:
    if complaint.handler_id is None:
        complaint.handler = actor
        return ["handler"]
    return []


@transaction.atomic
def complaint_assign(
    *,
    actor: User,
    complaint: Complaint,
    version: object,
    department_id: object,
    due_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Complaint:
    """Send a 交办单 to a department of the center, with its own due time (closing time of
    `due_on`; default: the complaint's own due time, or the next working day when that passed)."""
    moment = now or timezone.now()
    locked = _locked(actor, complaint, ComplaintAction.ASSIGN, version)
    errors = FieldErrors()
    department = Department.objects.filter(
        pk=_id(department_id) or 0, center_id=locked.center_id, is_active=True
    ).first()
    if department is None:
        errors.add("department_id", _("Choose a department of the center."))
    center = locked.center
    if due_on is not None:
        due = timezone.make_aware(
            datetime.datetime.combine(due_on, center.closing_time),
            timezone.get_current_timezone(),
        )
        if due <= moment:
            errors.add("due_on", _("The reply must be due later than now."))
    elif locked.due_at > moment:
        due = locked.due_at
    else:
        due = deadline_at(center.pk, timezone.localdate(moment), 1, center.closing_time)
    errors.raise_if_any()
    assert department is not None
    locked.assigned_department = department
    locked.assigned_at = moment
    locked.assignment_due_at = due
    fields = [
        "assigned_department",
        "assigned_at",
        "assignment_due_at",
        *_handled_by(locked, actor),
    ]
    _save(locked, ComplaintAction.ASSIGN, fields)
    record_event(
        actor=actor,
        action=FeedbackEvent.COMPLAINT_ASSIGN,
        obj=locked,
        center_id=locked.center_id,
        data={"department": department.pk, "due_at": due.isoformat()},
    )
    return locked


@transaction.atomic
def complaint_reply(
    *,
    actor: User,
    complaint: Complaint,
    version: object,
    reply: object,
    now: datetime.datetime | None = None,
) -> Complaint:
    """The department's reply to its 交办单 (once)."""
    locked = _locked(actor, complaint, ComplaintAction.REPLY, version)
    errors = FieldErrors()
    text = errors.text(
        "reply", reply, max_length=TEXT_MAX, required=_("Write down the department's reply.")
    )
    errors.raise_if_any()
    locked.department_reply = text
    locked.department_replied_at = now or timezone.now()
    _save(locked, ComplaintAction.REPLY, ["department_reply", "department_replied_at"])
    record_event(
        actor=actor,
        action=FeedbackEvent.COMPLAINT_REPLY,
        obj=locked,
        center_id=locked.center_id,
        data={"department": locked.assigned_department_id},
    )
    return locked


@transaction.atomic
def complaint_answer(
    *,
    actor: User,
    complaint: Complaint,
    version: object,
    finding: object,
    result: object,
    delay_reason: object = "",
    now: datetime.datetime | None = None,
) -> Complaint:
    """Answer with a finding and the result; after `due_at` a reason for the delay is needed.
    A finding against the target counts against it (the module text)."""
    moment = now or timezone.now()
    locked = _locked(actor, complaint, ComplaintAction.ANSWER, version)
    errors = FieldErrors()
    chosen = errors.choice(
        "finding", finding, ComplaintFinding.values, message=_("Choose the finding.")
    )
    text = errors.text("result", result, max_length=TEXT_MAX, required=_("Write down the result."))
    late = moment > locked.due_at
    reason = errors.text(
        "delay_reason",
        delay_reason,
        max_length=REASON_MAX,
        required=_("The answer is late: give the reason for the delay.") if late else "",
    )
    errors.raise_if_any()
    locked.finding = chosen or ""
    locked.result = text
    locked.delay_reason = reason if late else ""
    locked.answered_at = moment
    fields = ["finding", "result", "delay_reason", "answered_at", *_handled_by(locked, actor)]
    _save(locked, ComplaintAction.ANSWER, fields)
    record_event(
        actor=actor,
        action=FeedbackEvent.COMPLAINT_ANSWER,
        obj=locked,
        center_id=locked.center_id,
        data={"finding": locked.finding, "late": late},
    )
    if locked.finding in FINDINGS_AGAINST:
        _count_against(locked, moment=moment)
    return locked


def _told_text(complaint: Complaint) -> str:
    return _(
        "%(center)s: your complaint %(number)s was answered. Finding: %(finding)s. %(result)s"
    ) % {
        "center": complaint.center.name,
        "number": complaint.number,
        "finding": complaint.get_finding_display(),
        "result": " ".join(complaint.result.split())[:200],
    }


@transaction.atomic
def complaint_tell(
    *,
    actor: User,
    complaint: Complaint,
    version: object,
    via: object,
    now: datetime.datetime | None = None,
) -> Complaint:
    """Record that the complainant was told the result: by SMS (sent now, to their phone), by
    letter (the printable reply letter, to their address), by phone or in person."""
    locked = _locked(actor, complaint, ComplaintAction.TELL, version)
    errors = FieldErrors()
    chosen = errors.choice("via", via, ToldVia.values, message=_("Choose how they were told."))
    if chosen in (ToldVia.SMS, ToldVia.PHONE) and not locked.complainant_phone:
        errors.add("via", _("The complainant left no phone number."))
    if chosen == ToldVia.LETTER and not locked.complainant_address:
        errors.add("via", _("The complainant left no address for a letter."))
    errors.raise_if_any()
    locked.told_via = chosen or ""
    locked.told_at = now or timezone.now()
    _save(locked, ComplaintAction.TELL, ["told_via", "told_at"])
    record_event(
        actor=actor,
        action=FeedbackEvent.COMPLAINT_TELL,
        obj=locked,
        center_id=locked.center_id,
        data={"via": locked.told_via},
    )
    if chosen == ToldVia.SMS:
        phone, text, pk, center = (
            locked.complainant_phone,
            _told_text(locked),
            locked.pk,
            locked.center_id,
        )
        transaction.on_commit(
            lambda: send_sms(
                to=phone,
                text=text,
                purpose="feedback.complaint_result",
                obj=Complaint(pk=pk),
                center_id=center,
            )
        )
    return locked


@transaction.atomic
def complaint_close(
    *, actor: User, complaint: Complaint, version: object, now: datetime.datetime | None = None
) -> Complaint:
    """Close an answered complaint once the complainant was told (or cannot be reached)."""
    locked = _locked(actor, complaint, ComplaintAction.CLOSE, version)
    locked.closed_at = now or timezone.now()
    _save(locked, ComplaintAction.CLOSE, ["closed_at"])
    record_event(
        actor=actor, action=FeedbackEvent.COMPLAINT_CLOSE, obj=locked, center_id=locked.center_id
    )
    return locked


# --- a finding against the target ------------------------------------------------------------


def _department_leader(department_id: int) -> int | None:
    return (
        User.objects.filter(
            is_active=True, groups__name=Role.DEPT_LEADER.value, staff__department_id=department_id
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )


def _answerable(complaint: Complaint) -> tuple[int | None, int | None, int | None]:
    """(responsible, department, window) of a finding against the complaint's target."""
    if complaint.target_kind == ComplaintTarget.STAFF:
        department = (
            Staff.objects.filter(user_id=complaint.target_staff_id or 0)
            .values_list("department_id", flat=True)
            .first()
        )
        return complaint.target_staff_id, department, None
    if complaint.target_kind == ComplaintTarget.WINDOW and complaint.target_window_id:
        window = Window.objects.filter(pk=complaint.target_window_id).first()
        first = (
            window.departments.order_by("pk").values_list("pk", flat=True).first()
            if window
            else None
        )
        return (window.head_id if window else None), first, complaint.target_window_id
    if complaint.target_kind == ComplaintTarget.DEPARTMENT and complaint.target_department_id:
        department_id = complaint.target_department_id
        return _department_leader(department_id), department_id, None
    return None, None, None


def _count_against(complaint: Complaint, *, moment: datetime.datetime) -> None:
    """The alert (the assessment deduction) and, for a staff member, the staff fact: once."""
    responsible, department, window = _answerable(complaint)
    rule = AlertRule.objects.filter(code=VERIFIED_RULE).first()
    if rule is not None:
        raise_alerts(
            rule,
            [
                AlertDraft(
                    subject_key=f"complaint:{complaint.pk}",
                    center_id=complaint.center_id,
                    occurred_on=timezone.localdate(moment),
                    detail=_("Complaint %(number)s found %(finding)s: %(summary)s")
                    % {
                        "number": complaint.number,
                        "finding": complaint.get_finding_display(),
                        "summary": complaint.summary[:120],
                    },
                    department_id=department,
                    window_id=window,
                    responsible_id=responsible,
                )
            ],
            moment=moment,
            batch=uuid.uuid4().hex,
        )
    if complaint.target_kind != ComplaintTarget.STAFF or complaint.target_staff is None:
        return
    already = StaffFact.objects.filter(
        user_id=complaint.target_staff_id or 0,
        kind=StaffFactKind.VERIFIED_COMPLAINT,
        source=complaint.number,
    ).exists()
    if not already:
        staff_fact_record(
            actor=None,
            user=complaint.target_staff,
            kind=StaffFactKind.VERIFIED_COMPLAINT,
            occurred_on=timezone.localdate(moment),
            source=complaint.number,
            note=str(complaint.get_finding_display()),
        )
