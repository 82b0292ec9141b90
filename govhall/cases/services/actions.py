"""The one entry point for every action on an existing case.

Entry points:
def case_act(*, actor: User, case: Case, action: str, expected_version: int | None = None,
             note: str = "", params: ActionParams | None = None,
             at: datetime | None = None) -> Case
def case_act_on_new(*, actor, case, action, note="", params=None, at=None) -> Case
    # intake only: the case its transaction just inserted (no lock, no re-read; issue 20)

`case_act` locks the case row, re-reads it and checks, in this order:

1. `expected_version` (what the page showed) is still the case's version, and the transition
   table has a row for the case's current status and the action — else `CaseConflict`
   ("reload the page": somebody else acted first);
2. the actor's role and place (`permissions`), and the row's guard — else ValidationError;
3. the action's parameters — else ValidationError (a dict: parameter → messages).

Then it applies the action, bumps `version`, records the event `case.<action>` with
{"from", "to", "window", ...parameters} and issues the notices of the action (through
`services.notices.notice_issue`) in the same transaction; the SMS to the applicant goes out
after the commit (`services.messages.tell_applicant`).

The parameters are one typed object per action (`services.action_params`), built by the
form, the API or a caller with `action_params(action, values)`; the engine checks their values
here whoever built them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.cases import clock
from govhall.cases.case_transitions import RESUME, Action, transition_for
from govhall.cases.events import action_event
from govhall.cases.kinds import accepted_kind
from govhall.cases.models import Case, CaseMaterial
from govhall.cases.queries.known import case_materials_of
from govhall.cases.services import clock as clock_services
from govhall.cases.services.action_params import (
    AcceptParams,
    ActionParams,
    DeliverParams,
    EscalateParams,
    ExtendParams,
    MakeCertificateParams,
    ReasonBasisParams,
    ReasonParams,
    ReceivedParams,
    ReceiveResultParams,
    RequestSupplementParams,
    StartJointParams,
    SuspendParams,
    TransferParams,
    action_params,
    params_class,
)
from govhall.cases.services.bundle_promise import bundle_promise_start
from govhall.cases.services.errors import CaseConflict
from govhall.cases.services.guards import guard_refusal, head_decision
from govhall.cases.services.joint import joint_tasks_start
from govhall.cases.services.library import library_keep
from govhall.cases.services.licences import licence_issue
from govhall.cases.services.messages import tell_applicant
from govhall.cases.services.notices import notice_issue
from govhall.cases.services.permissions import Standing, status_refusal
from govhall.cases.services.prereview import (
    prereview_lead_pass,
    prereview_tasks_end,
    prereview_tasks_reopen,
)
from govhall.cases.statuses import (
    CaseKind,
    CaseStatus,
    Channel,
    DeliveryMethod,
    NoticeKind,
    suspension_reason_of,
)
from govhall.cases.steps import step_of, step_over_limit
from govhall.catalog.models import ItemWindow
from govhall.catalog.step_limits import step_limit
from govhall.core.events import record_event
from govhall.core.idnumbers import normalize
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.models import Center, Department
from govhall.org.models.centers import LEVEL_RANK, CenterLevel
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import CalendarRangeError, WorkCalendar

TEXT_MAX_LENGTH = 2000
SHORT_MAX_LENGTH = 300  # fields stored in CharField(300): suspension and extension reasons
NAME_MAX_LENGTH = Case._meta.get_field("recipient_name").max_length or 100
TRACKING_MAX_LENGTH = Case._meta.get_field("tracking_number").max_length or 64
CERTIFICATE_MAX_LENGTH = 64


@dataclass
class Step:
    """One action being applied: the locked case, its parameters and what follows."""

    actor: User | None  # None: the system (timeout default)
    case: Case
    action: str
    params: ActionParams
    note: str
    now: datetime.datetime
    standing: Standing
    errors: FieldErrors = field(default_factory=FieldErrors)
    changed: set[str] = field(default_factory=set)
    data: dict[str, Any] = field(default_factory=dict)
    notices: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    after: list[Callable[[Case], None]] = field(default_factory=list)
    sms: str = ""

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    @property
    def calendar(self) -> WorkCalendar:
        return calendar_for(self.case.center_id)

    def set(self, **fields: Any) -> None:
        for name, value in fields.items():
            setattr(self.case, name, value)
            self.changed.add(name)

    def error(self, key: str, message: str) -> None:
        self.errors.add(key, message)

    def notice(self, kind: str, extra: dict[str, Any] | None = None, override: str = "") -> None:
        self.notices.append((kind, extra or {}, override))

    # --- checking the parameters' values (their types were checked when the object was built)

    def text(
        self, key: str, value: str, *, required: str = "", max_length: int = TEXT_MAX_LENGTH
    ) -> str:
        return self.errors.text(key, value, max_length=max_length, required=required)

    def integer(self, key: str, value: int | None, *, required: str = "") -> int | None:
        if value is None and required and key not in self.errors:
            self.error(key, required)
        return value

    def ids(self, key: str, value: tuple[int, ...], *, required: str = "") -> list[int]:
        if not value and required and key not in self.errors:
            self.error(key, required)
        return list(value)

    def strings(self, key: str, value: tuple[str, ...]) -> list[str]:
        for item in value:
            if len(item) > SHORT_MAX_LENGTH:
                self.error(
                    key,
                    _("An item is too long (at most %(max)d characters).")
                    % {"max": SHORT_MAX_LENGTH},
                )
        return list(value)


# --- helpers --------------------------------------------------------------------------------


def _claim_window(step: Step) -> None:
    """An online case gets the acting clerk's window that serves the item (and its level)."""
    case = step.case
    if case.window_id is not None:
        return
    standing = step.standing
    candidates = set(standing.served_window_ids) | set(standing.headed_window_ids)
    links = ItemWindow.objects.filter(item_id=case.item_id, window__is_active=True)
    if candidates:
        links = links.filter(window_id__in=candidates)
    elif not standing.superuser:
        return
    link = links.select_related("window").order_by("window__number").first()
    if link is None:
        return
    step.set(window=link.window, authorization=link.authorization)
    if case.received_window_id is None:
        step.set(received_window=link.window, received_by=step.actor)
    step.data["claimed_window"] = link.window.number


def _is_management(step: Step) -> bool:
    return step.standing.manages


def _start_clock(step: Step) -> None:
    case = step.case
    calendar = step.calendar
    try:
        start = clock_services.clock_start_for(case, step.today, calendar)
        case.clock_started_on = start
        clock_services.set_due_dates(case, calendar)
    except CalendarRangeError as error:
        step.error("clock", str(error))
        return
    step.changed.update({"clock_started_on", "legal_due_on", "promised_due_on"})
    step.data["clock_started_on"] = start.isoformat()
    step.data["promised_due_on"] = (
        case.promised_due_on.isoformat() if case.promised_due_on else None
    )
    step.data["legal_due_on"] = case.legal_due_on.isoformat() if case.legal_due_on else None


def _recompute(step: Step) -> None:
    try:
        clock_services.set_due_dates(step.case, step.calendar)
    except CalendarRangeError as error:
        step.error("clock", str(error))
        return
    step.changed.update({"legal_due_on", "promised_due_on"})
    case = step.case
    step.data["promised_due_on"] = (
        case.promised_due_on.isoformat() if case.promised_due_on else None
    )
    step.data["legal_due_on"] = case.legal_due_on.isoformat() if case.legal_due_on else None


def _decided(step: Step) -> None:
    step.set(decided_at=step.now, decided_by=step.actor, completed_at=step.now)


def _case_materials(step: Step, ids: list[int], key: str) -> list[CaseMaterial]:
    rows = list(CaseMaterial.objects.filter(case_id=step.case.pk, pk__in=ids))
    if len(rows) != len(ids):
        step.error(key, _("A material does not belong to this case."))
    return rows


# --- handlers (validate, then set) ----------------------------------------------------------


def _end_prereview(step: Step, note: str) -> None:
    """同步预审: a return or a supplement request ends every department's open task."""

    def end(case: Case) -> None:
        prereview_tasks_end(case=case, actor=step.actor, note=note, at=step.now)

    step.after.append(end)


def _prereview_pass(step: Step, params: ActionParams) -> None:
    _claim_window(step)
    step.after.append(lambda case: prereview_lead_pass(case=case, actor=step.actor, at=step.now))


def _prereview_return(step: Step, params: ReasonBasisParams) -> None:
    reason = step.text(
        "reason", params.reason, required=_("Give the reason for returning the application.")
    )
    basis = step.text("basis", params.basis)
    if step.errors:
        return
    _claim_window(step)
    step.set(reason=reason, basis=basis, completed_at=step.now)
    step.data.update({"reason": reason, "basis": basis})
    step.notice(NoticeKind.PREREVIEW_RETURN, {"reason": reason, "basis": basis})
    step.sms = "prereview_returned"
    _end_prereview(step, _("Ended: the case was returned at pre-review."))


def _request_supplement(step: Step, params: RequestSupplementParams) -> None:
    case = step.case
    missing_ids = step.ids("missing", params.missing)
    extra = step.strings("extra", params.extra)
    override = step.text("override_reason", params.override_reason, max_length=SHORT_MAX_LENGTH)
    if not missing_ids and not extra:
        step.error("missing", _("List what is missing."))
    if case.supplement_notices >= 1:
        if not _is_management(step):
            step.error(
                "override_reason",
                _(
                    "A one-time notice was already issued for this case; only the hall "
                    "management may issue another, with a reason."
                ),
            )
        elif not override:
            step.error(
                "override_reason",
                _("A second one-time notice needs the reason for overriding the rule."),
            )
    elif override:
        step.error(
            "override_reason",
            _("An override reason is only for a second one-time notice on the same case."),
        )
    listed = _case_materials(step, missing_ids, "missing")
    listed_ids = {row.pk for row in listed}
    left_out = [
        row.name
        for row in case.materials.filter(received=False, pending=False, not_applicable=False)
        if row.pk not in listed_ids
    ]
    if left_out:
        step.error(
            "missing",
            _("The one-time notice lists everything missing at once; add: %(names)s.")
            % {"names": "、".join(left_out)},
        )
    if step.errors:
        return
    if case.window_id is None:
        _claim_window(step)
    CaseMaterial.objects.filter(pk__in=listed_ids).update(
        received=False, received_on=None, not_applicable=False
    )
    step.data.update(
        {"missing": [row.name for row in listed], "extra": extra, "override_reason": override}
    )
    step.notice(
        NoticeKind.ONE_TIME, {"missing": sorted(listed_ids), "extra_items": extra}, override
    )
    step.sms = "supplement"
    if case.status == CaseStatus.SUBMITTED:
        _end_prereview(step, _("Ended: a supplement was requested (one-time notice)."))


def _submit_supplement(step: Step, params: ActionParams) -> None:
    """The applicant uploaded online what the one-time notice asked for (the online app stored
    the files and marked the materials first): back to pre-review, every department again."""
    case = step.case
    still = list(
        case.materials.filter(
            is_main=True, received=False, pending=False, not_applicable=False
        ).values_list("name", flat=True)
    )
    if still:
        step.error(
            "materials",
            _("Main materials are still missing: %(names)s.") % {"names": "、".join(still)},
        )
        return
    step.data["supplied"] = list(
        case.materials.filter(received=True, received_on=step.today)
        .order_by("position", "id")
        .values_list("name", flat=True)
    )

    def reopen(fresh: Case) -> None:
        prereview_tasks_reopen(case=fresh, at=step.now)

    step.after.append(reopen)


def _receive_supplement(step: Step, params: ReceivedParams) -> None:
    ids = step.ids(
        "received", params.received, required=_("Tick the materials the applicant brought.")
    )
    rows = _case_materials(step, ids, "received")
    now_received = {row.pk for row in rows}
    still = [
        row.name
        for row in step.case.materials.filter(
            is_main=True, received=False, pending=False, not_applicable=False
        )
        if row.pk not in now_received
    ]
    if still:
        step.error(
            "received",
            _("Main materials are still missing: %(names)s.") % {"names": "、".join(still)},
        )
    if step.errors:
        return
    CaseMaterial.objects.filter(pk__in=now_received).update(
        received=True, received_on=step.today, pending=False
    )
    step.data["received"] = [row.name for row in rows]


def _receive_pending(step: Step, params: ReceivedParams) -> None:
    """Green channel: record pending materials as brought; the due date goes once all are in."""
    ids = step.ids(
        "received",
        params.received,
        required=_("Tick the pending materials the applicant brought."),
    )
    pending = {row.pk: row for row in step.case.materials.filter(pending=True, received=False)}
    unknown = [pk for pk in ids if pk not in pending]
    if unknown:
        step.error("received", _("Only materials pending on this case can be received here."))
    if step.errors:
        return
    CaseMaterial.objects.filter(pk__in=ids).update(
        received=True, received_on=step.today, pending=False
    )
    if len(ids) == len(pending):
        step.set(pending_due_on=None)
    step.data["received"] = [pending[pk].name for pk in ids]
    step.data["late"] = bool(step.case.pending_due_on and step.today > step.case.pending_due_on)


def _accept(step: Step, params: AcceptParams) -> None:
    case = step.case
    kind = step.text("kind", params.kind)
    if not kind:
        if case.channel == Channel.ONLINE:
            step.error(
                "kind", _("Choose the kind of case: immediate, promised, joint or escalated.")
            )
        else:
            kind = accepted_kind(case.item)
    elif kind not in CaseKind.values:
        step.error("kind", _("Choose the kind of case: immediate, promised, joint or escalated."))
    department_ids = step.ids("joint_departments", params.joint_departments)
    departments = list(Department.objects.filter(pk__in=department_ids))
    if len(departments) != len(department_ids):
        step.error("joint_departments", _("A department does not exist."))
    missing = [
        row
        for row in case_materials_of(case)
        if row.is_main and not row.received and not row.not_applicable
    ]
    not_excused = [row.name for row in missing if not (case.green_channel and row.pending)]
    if not_excused:
        step.error(
            "materials",
            _("A case is not accepted with main materials missing: %(names)s.")
            % {"names": "、".join(not_excused)},
        )
    elif missing and case.pending_due_on is None:
        step.error("pending_due_on", _("Give the date by which pending materials come."))
    if step.errors:
        return
    if case.window_id is None:
        _claim_window(step)
    step.set(kind=kind, accepted_at=step.now)

    # Issue 19 item 4: what was verified on the case is kept in the applicant's library.
    def keep(accepted: Case) -> None:
        library_keep(case=accepted, actor=step.actor, at=step.now)
        # Issue 19 item 5: the first acceptance of a bundle's case starts the bundle's promise.
        bundle_promise_start(case=accepted, at=step.now)

    step.after.append(keep)
    if kind == CaseKind.IMMEDIATE:
        step.set(promised_days=0)
    _start_clock(step)
    step.data["kind"] = kind
    if department_ids:
        step.data["joint_departments"] = department_ids
    if kind == CaseKind.JOINT:
        extra: dict[str, Any] = {"task_days": case.promised_days}
        if department_ids:
            extra["departments"] = department_ids
        step.notice(NoticeKind.JOINT, extra)
    else:
        step.notice(NoticeKind.ACCEPTANCE)
    step.sms = "accepted"


def _return(step: Step, params: ReasonBasisParams) -> None:
    reason = step.text(
        "reason", params.reason, required=_("Give the reason the application is not accepted.")
    )
    basis = step.text(
        "basis", params.basis, required=_("Give the legal basis for not accepting it.")
    )
    if step.errors:
        return
    step.set(reason=reason, basis=basis, completed_at=step.now)
    step.data.update({"reason": reason, "basis": basis})
    step.notice(NoticeKind.NOT_ACCEPTED, {"reason": reason, "basis": basis})


def _opinion(step: Step, params: ActionParams) -> None:
    if step.note:
        step.data["opinion"] = step.note


def _in_name_of(step: Step) -> None:
    """A window head's decision on a fully authorised item is the department's (以部门名义)."""
    if step.case.status == CaseStatus.ACCEPTED and head_decision(step.case):
        step.data["in_name_of"] = step.case.department.name


def _approve(step: Step, params: ActionParams) -> None:
    _in_name_of(step)
    _decided(step)
    step.notice(NoticeKind.DECISION, {"decision": "approved", "note": step.note})
    step.sms = "decision"


def _deny(step: Step, params: ReasonBasisParams) -> None:
    reason = step.text("reason", params.reason, required=_("Give the reason for the denial."))
    basis = step.text("basis", params.basis, required=_("Give the legal basis of the denial."))
    if step.errors:
        return
    step.set(reason=reason, basis=basis)
    _in_name_of(step)
    _decided(step)
    step.data.update({"reason": reason, "basis": basis})
    step.notice(NoticeKind.DECISION, {"decision": "denied", "reason": reason, "basis": basis})
    step.sms = "decision"


def _start_joint(step: Step, params: StartJointParams) -> None:
    case = step.case
    ids = step.ids("departments", params.departments)
    if not ids and "departments" not in step.errors:
        ids = list(case.item.joint_departments.values_list("pk", flat=True))
    task_days = step.integer("task_days", params.task_days)
    if task_days is None and "task_days" not in step.errors:
        task_days = case.promised_days or case.item.promised_days
    departments = list(Department.objects.filter(pk__in=ids, center_id=case.center_id))
    if len(departments) != len(ids):
        step.error("departments", _("Choose departments of this center."))
    departments = [d for d in departments if d.pk != case.department_id]
    if not departments and "departments" not in step.errors:
        step.error("departments", _("Choose the departments that take part."))
    if task_days is not None and not 1 <= task_days <= max(case.legal_days, 1):
        step.error(
            "task_days",
            _("A review task takes from 1 to %(max)d working days.")
            % {"max": max(case.legal_days, 1)},
        )
    if step.errors:
        return
    assert task_days is not None
    departments.sort(key=lambda d: ids.index(d.pk))
    step.data.update({"departments": [d.pk for d in departments], "task_days": task_days})
    actor, now = step.actor, step.now
    assert actor is not None  # a person's action (the table has no system row for it)

    def start(fresh: Case) -> None:
        joint_tasks_start(
            actor=actor, case=fresh, departments=departments, task_days=task_days, at=now
        )

    step.after.append(start)


def _suspend(step: Step, params: SuspendParams) -> None:
    """Only the legal grounds stop the clock (行政许可法 §45): a SuspensionReason, plus a note."""
    text = step.text(
        "reason",
        params.reason,
        required=_("Choose the legal ground for the suspension."),
        max_length=SHORT_MAX_LENGTH,
    )
    note = step.text("note", params.note, max_length=SHORT_MAX_LENGTH)
    reason = suspension_reason_of(text) if text else None
    if text and reason is None:
        step.error(
            "reason",
            _(
                "A case is suspended only for a hearing, expert review, inspection, testing, "
                "quarantine or public notice."
            ),
        )
    if step.errors:
        return
    assert reason is not None
    step.set(
        suspended_at=step.now,
        suspended_from=step.case.status,
        suspension_reason=reason,
        suspension_note=note,
    )
    step.data["reason"] = reason
    if note:
        step.data["note"] = note
    step.sms = "suspended"


def _resume(step: Step, params: ActionParams) -> None:
    case = step.case
    suspended_on = timezone.localdate(case.suspended_at) if case.suspended_at else step.today
    days = clock.suspended_workdays(step.calendar, suspended_on, step.today)
    step.set(
        suspended_days=case.suspended_days + days,
        suspended_at=None,
        suspended_from="",
    )
    step.data["suspended_workdays"] = days
    _recompute(step)
    step.sms = "resumed"


def _extend(step: Step, params: ExtendParams) -> None:
    limit = settings.GOVHALL_EXTENSION_MAX_DAYS
    days = step.integer("days", params.days, required=_("Give the number of working days."))
    reason = step.text(
        "reason",
        params.reason,
        required=_("Give the reason for the extension."),
        max_length=SHORT_MAX_LENGTH,
    )
    if days is not None and not 1 <= days <= limit:
        step.error("days", _("An extension is from 1 to %(max)d working days.") % {"max": limit})
    if step.errors:
        return
    assert days is not None
    step.set(extension_days=days, extension_reason=reason)
    _recompute(step)
    step.data.update({"days": days, "reason": reason})
    step.sms = "extended"
    case = step.case
    step.notice(
        NoticeKind.EXTENSION,
        {
            "days": days,
            "reason": reason,
            "promised_due_on": case.promised_due_on,
            "legal_due_on": case.legal_due_on,
        },
    )


def _transfer(step: Step, params: TransferParams) -> None:
    case = step.case
    window_id = step.integer(
        "window_id", params.window_id, required=_("Choose the window to transfer to.")
    )
    if window_id is None:
        return
    link = (
        ItemWindow.objects.select_related("window")
        .filter(
            item_id=case.item_id,
            window_id=window_id,
            window__center_id=case.center_id,
            window__is_active=True,
        )
        .first()
    )
    if link is None:
        step.error("window_id", _("Choose an active window of this center serving the item."))
        return
    if window_id == case.window_id:
        step.error("window_id", _("The case is already at this window."))
        return
    old = case.window
    step.set(window=link.window)
    if case.status in {CaseStatus.RECEIVED, CaseStatus.AWAITING_SUPPLEMENT, CaseStatus.ACCEPTED}:
        # Not decided yet: the new window's authorization decides the route from here.
        step.set(authorization=link.authorization)
    step.data.update(
        {
            "from_window": old.number if old else None,
            "to_window": link.window.number,
            "authorization": case.authorization,
        }
    )


def _escalation_target(case: Case) -> Center | None:
    ancestors = [
        int(pk) for pk in case.center.path.strip("/").split("/") if pk and int(pk) != case.center_id
    ]
    if not ancestors:
        return None
    centers = Center.objects.in_bulk(ancestors)
    if case.item.deciding_level:
        wanted = LEVEL_RANK[CenterLevel(case.item.deciding_level)]
        for pk in reversed(ancestors):
            center = centers.get(pk)
            if center is not None and LEVEL_RANK[CenterLevel(center.level)] == wanted:
                return center
    return centers.get(ancestors[-1])


def _escalate(step: Step, params: EscalateParams) -> None:
    case = step.case
    center_id = params.center_id
    forward_by = params.forward_by
    if step.errors:
        return
    if center_id is None:
        target = _escalation_target(case)
        if target is None:
            step.error("center_id", _("This center has no higher level to forward to."))
            return
    else:
        target = Center.objects.filter(pk=center_id).first()
        if (
            target is None
            or target.pk == case.center_id
            or not case.center.path.startswith(target.path)
        ):
            step.error("center_id", _("Choose a higher-level center above this one."))
            return
    if forward_by is None:
        try:
            forward_by = step.calendar.add_workdays(
                step.today, settings.GOVHALL_ESCALATION_FORWARD_DAYS
            )
        except CalendarRangeError as error:
            step.error("forward_by", str(error))
            return
    elif forward_by < step.today:
        step.error("forward_by", _("The forwarding date cannot be in the past."))
        return
    step.set(escalated_to=target, forward_by=forward_by)
    step.data.update({"escalated_to": target.pk, "forward_by": forward_by.isoformat()})
    step.notice(NoticeKind.ESCALATED, {"escalate_to": target.pk, "forward_by": forward_by})


def _receive_result(step: Step, params: ReceiveResultParams) -> None:
    result = step.text(
        "result", params.result, required=_("Enter the result from the higher level.")
    )
    approved = params.approved
    if step.errors:
        return
    step.set(escalation_result=result)
    _decided(step)
    step.data.update({"result": result, "approved": approved})
    extra: dict[str, Any] = {"result": result}
    if approved is not None:
        extra["approved"] = approved
    step.notice(NoticeKind.DECISION, extra)
    step.sms = "escalation_closed"


def _make_certificate(step: Step, params: MakeCertificateParams) -> None:
    number = step.text(
        "certificate_number", params.certificate_number, max_length=CERTIFICATE_MAX_LENGTH
    )
    if step.errors:
        return
    step.data["certificate_number"] = number
    step.sms = "ready_for_pickup"


def _deliver(step: Step, params: DeliverParams) -> None:
    case = step.case
    method = step.text("method", params.method, required=_("Choose pickup or express mail."))
    recipient = step.text(
        "recipient_name",
        params.recipient_name,
        required=_("Enter who received it."),
        max_length=NAME_MAX_LENGTH,
    )
    tracking = ""
    if method and method not in DeliveryMethod.values:
        step.error("method", _("Choose pickup or express mail."))
    elif method == DeliveryMethod.PICKUP:
        last4 = normalize(
            step.text(
                "id_last4",
                params.id_last4,
                required=_("Check the ID: enter its last 4 characters."),
            )
        )
        if last4 and last4 != normalize(case.applicant.id_number)[-4:]:
            step.error("id_last4", _("The last 4 characters do not match the applicant's ID."))
    elif method == DeliveryMethod.EXPRESS:
        tracking = step.text(
            "tracking_number",
            params.tracking_number,
            required=_("Enter the tracking number."),
            max_length=TRACKING_MAX_LENGTH,
        )
    if step.errors:
        return
    step.set(
        delivery_method=method,
        recipient_name=recipient,
        tracking_number=tracking,
        delivered_at=step.now,
    )
    step.data.update({"method": method, "recipient_name": recipient, "tracking_number": tracking})
    if case.channel == Channel.ONLINE:  # issue 19: the online applicant hears of the hand-over
        step.sms = "delivered"
    # Issue 19 item 4: delivering an approval of an item that issues licences issues one.
    if case.status == CaseStatus.CERTIFICATE_READY and case.item.issues_licence:

        def issue(delivered: Case) -> None:
            licence_issue(case=delivered, actor=step.actor, at=step.now)

        step.after.append(issue)


def _with_reason(message: Promise) -> Callable[[Step, ReasonParams], None]:
    def handler(step: Step, params: ReasonParams) -> None:
        reason = step.text("reason", params.reason, required=str(message))
        if step.errors:
            return
        step.set(reason=reason, completed_at=step.now)
        step.data["reason"] = reason

    return handler


def _archive(step: Step, params: ActionParams) -> None:
    step.set(archived_at=step.now)


def _pass_by_default(step: Step, params: ActionParams) -> None:
    """Timeout default (超时默认): the overdue review passes, the overdue approval approves."""
    case = step.case
    if not step_over_limit(case, step.now):
        step.error("step", _("This step is still within its time limit."))
        return
    step.set(timeout_default_at=step.now)
    step.data.update(
        {
            "timeout_default": True,
            "step": step_of(case),
            "step_started_at": case.step_started_at.isoformat(),
            "limit_days": step_limit(case.item, step_of(case) or ""),
        }
    )
    if case.status == CaseStatus.AWAITING_APPROVAL:
        _decided(step)
        step.notice(NoticeKind.DECISION, {"decision": "approved", "note": step.note})
        step.sms = "decision"


HANDLERS: dict[str, Callable[[Step, Any], None]] = {
    Action.PREREVIEW_PASS: _prereview_pass,
    Action.PREREVIEW_RETURN: _prereview_return,
    Action.REQUEST_SUPPLEMENT: _request_supplement,
    Action.RECEIVE_SUPPLEMENT: _receive_supplement,
    Action.RECEIVE_PENDING: _receive_pending,
    Action.ACCEPT: _accept,
    Action.RETURN: _return,
    Action.FORWARD: _opinion,
    Action.REVIEW: _opinion,
    Action.APPROVE: _approve,
    Action.DENY: _deny,
    Action.START_JOINT: _start_joint,
    Action.SUSPEND: _suspend,
    Action.RESUME: _resume,
    Action.EXTEND: _extend,
    Action.TRANSFER: _transfer,
    Action.ESCALATE: _escalate,
    Action.RECEIVE_RESULT: _receive_result,
    Action.MAKE_CERTIFICATE: _make_certificate,
    Action.DELIVER: _deliver,
    Action.WITHDRAW: _with_reason(gettext_lazy("Give the reason for the withdrawal.")),
    Action.VOID: _with_reason(gettext_lazy("Give the reason for voiding the case.")),
    Action.ARCHIVE: _archive,
    Action.PASS_BY_DEFAULT: _pass_by_default,
    Action.SUBMIT_SUPPLEMENT: _submit_supplement,
}


def _lock(case_id: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("center", "item", "department", "applicant", "window", "escalated_to")
        .get(pk=case_id)
    )


def _tell(case_id: int, purpose: str, case: Case | None = None) -> None:
    # tell_applicant defers the SMS to transaction.on_commit itself.
    tell_applicant(case_id, purpose, case=case)


def case_act(
    *,
    actor: User,
    case: Case,
    action: str,
    expected_version: int | None = None,
    note: str = "",
    params: ActionParams | None = None,
    at: datetime.datetime | None = None,
) -> Case:
    """Take `action` on `case` as `actor` (see the module doc); returns the fresh case."""
    return _act(
        actor=actor,
        case=case,
        action=action,
        expected_version=expected_version,
        note=note,
        params=params,
        at=at,
    )


def case_pass_by_default(
    *, case: Case, expected_version: int | None = None, at: datetime.datetime | None = None
) -> Case:
    """The system passes `case`'s overdue review or approval step by timeout default (超时默认),
    through the transition table's system row for its status (guard: the item is flagged); the
    step must be over its limit at `at`. Refused like any action: `CaseConflict` when the case
    moved on (or changed since `expected_version`), ValidationError otherwise."""
    return _act(
        actor=None,
        case=case,
        action=Action.PASS_BY_DEFAULT,
        expected_version=expected_version,
        note=str(_("Passed by timeout default: the step went over its time limit.")),
        params=None,
        at=at,
    )


def case_supplement_submit(
    *, case: Case, note: str = "", at: datetime.datetime | None = None
) -> Case:
    """The applicant's supplement, uploaded online, sends `case` back to pre-review (the table's
    applicant row `submit_supplement`, taken without a staff user; issue 19). The caller (the
    online hall) checked the account and stored the files in the same transaction."""
    return _act(
        actor=None,
        case=case,
        action=Action.SUBMIT_SUPPLEMENT,
        expected_version=None,
        note=note,
        params=None,
        at=at,
    )


def _act(
    *,
    actor: User | None,
    case: Case,
    action: str,
    expected_version: int | None,
    note: str,
    params: ActionParams | None,
    at: datetime.datetime | None,
    held: bool = False,
) -> Case:
    if action not in HANDLERS:
        raise ValidationError(_("Unknown action: %(action)s.") % {"action": action})
    if params is None:
        params = action_params(action)
    elif type(params) is not params_class(action):
        raise TypeError(f"{action} takes {params_class(action).__name__}, not {type(params)}")
    now = at or timezone.now()
    note = (note or "").strip()
    if len(note) > TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "note": [
                    _("The note is too long (at most %(max)d characters).")
                    % {"max": TEXT_MAX_LENGTH}
                ]
            }
        )
    # A case the caller inserted in this transaction (intake) is invisible to everyone else:
    # no lock to take, no savepoint (a refusal aborts the whole intake anyway).
    with transaction.atomic(savepoint=not held):
        locked = case if held else _lock(case.pk)
        if expected_version is not None and int(expected_version) != locked.version:
            raise CaseConflict(
                _(
                    "This case changed since you opened it (it is now “%(status)s”); "
                    "reload the page."
                )
                % {"status": CaseStatus(locked.status).label},
                code="stale",
            )
        row = transition_for(locked.status, action)
        if row is None:
            raise CaseConflict(status_refusal(locked, action), code="status")
        standing = Standing(actor, locked, now)
        if actor is None:  # the system takes only its own rows
            refused = None if row.system else status_refusal(locked, action)
        else:
            refused = standing.place_refusal(row)
        refused = refused or guard_refusal(row.guard, locked, actor)
        if refused:
            raise ValidationError(refused, code="forbidden")
        before = locked.status
        if row.next_status == RESUME:
            after = before_suspension(locked)
        else:
            after = row.next_status or before
        window_number = locked.window.number if locked.window else None
        step = Step(
            actor=actor,
            case=locked,
            action=action,
            params=params,
            note=note,
            now=now,
            standing=standing,
        )
        step.errors.merge(params.problems)  # values that could not be typed
        HANDLERS[action](step, params)
        step.errors.raise_if_any()
        step.set(status=after)
        if after != before:
            step.set(step_started_at=now)
        version = locked.version
        locked.version = F("version") + 1
        locked.save(update_fields=[*sorted(step.changed), "version"])
        locked.version = version + 1  # we hold the row lock: nobody else bumped it
        record_event(
            actor=actor,
            action=action_event(action),
            obj=locked,
            center_id=locked.center_id,
            note=note or str(getattr(params, "reason", "")).strip(),
            data={"from": before, "to": after, "window": window_number, **step.data},
        )
        for hook in step.after:
            hook(locked)
        if step.notices:
            for kind, extra, override in step.notices:
                notice_issue(
                    actor=actor,
                    case=locked,
                    kind=kind,
                    extra=extra,
                    override_reason=override,
                    at=now,
                    confirm_past_promise=params.confirm_past_promise,
                    case_locked=True,
                )
        if step.sms:  # sends once the transaction commits
            _tell(locked.pk, step.sms, locked if held else None)
        if held:
            return locked  # the caller's own object, every change applied to it
        fresh = Case.objects.select_related(
            "center", "item", "department", "applicant", "window", "received_window", "escalated_to"
        ).get(pk=locked.pk)
    return fresh


def case_act_on_new(
    *,
    actor: User,
    case: Case,
    action: str,
    note: str = "",
    params: ActionParams | None = None,
    at: datetime.datetime | None = None,
) -> Case:
    """`case_act` for intake only: `case` was inserted by the caller's transaction (nobody else
    sees it, so there is no lock to take and nothing to re-read) and carries its related objects
    and its materials (`govhall.cases.queries.known`). Same checks, same events and notices;
    returns the same object, changed."""
    return _act(
        actor=actor,
        case=case,
        action=action,
        expected_version=None,
        note=note,
        params=params,
        at=at,
        held=True,
    )


def before_suspension(case: Case) -> str:
    """The status a suspended case returns to."""
    return case.suspended_from or CaseStatus.ACCEPTED


__all__ = [
    "HANDLERS",
    "CaseConflict",
    "Step",
    "before_suspension",
    "case_act",
    "case_pass_by_default",
    "case_supplement_submit",
]
