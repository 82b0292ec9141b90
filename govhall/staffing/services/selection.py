"""Window staff from selection to the end of the trial (issue 21 item 1; seeds/002… 二1–2,
seeds/001… 调整办法 二–四).

- Nomination (推荐): the leader of a department nominates one of its people by letter. The
  selection rule lives here, once (`selection_conditions`): 在编 (on the establishment); an age
  limit by post — window staff 40, posts needing long experience 45, window heads 50
  (settings GOVHALL_SELECTION_MAX_AGE, _SPECIAL, _HEAD); a window head is 科股级. Age is 周岁
  on the day: the person passes while their limit-th birthday is on or after that day (turning
  40 on the nomination day passes, the next day fails; a 29 February birthday counts on
  28 February in other years). The date of birth must agree with the ID number.
- The three steps (staffing/selection_transitions.py): the center's hall director interviews,
  the county leader in charge approves or refuses, the department may withdraw until then.
  Approval re-checks the rule on its own day (a birthday may pass between the steps) and makes
  (or links) the person's account: a staff member of the department, window staff, clerk or
  window head by post. No password is set: the person sets it by the password reset or the
  administrator gives one.
- Readiness (资格审查, 岗前培训: policy, business, etiquette): recorded by the hall director; a
  selected person gets no assignment before all four (`readiness_refusal`, checked by
  `assignment_start`).
- The trial (试用期一个月): when it has come, the hall director decides kept or returned; a
  return goes through the return service and its printable notice.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.files import applicant_file_check, store_checked
from govhall.core.idnumbers import id_number_error, normalize, phone_error
from govhall.core.lifecycle import Transition
from govhall.core.models import Event, User
from govhall.core.roles import Role
from govhall.core.validation import Conflict, FieldErrors, StateRefusal, refusal_error
from govhall.org.models import Department, Staff, Window
from govhall.org.services.staff import staff_create, staff_update
from govhall.staffing.access.selection import (
    directs_center,
    nominating_department,
    selection_parties,
)
from govhall.staffing.events import StaffingEvent
from govhall.staffing.models.assignment import Assignment, ReturnDecision
from govhall.staffing.models.selection import (
    ReadinessRecord,
    ReadinessStep,
    SelectionPostKind,
    SelectionStatus,
    StaffSelection,
    TrialDecision,
    TrialOutcome,
)
from govhall.staffing.selection_transitions import (
    CONDITIONS,
    SELECTION_TRANSITIONS,
    SelectionAction,
)
from govhall.staffing.services.assignments import add_months, return_record

TEXT_MAX = 2000
NAME_MAX = StaffSelection._meta.get_field("candidate_name").max_length or 50
LETTER_MAX = StaffSelection._meta.get_field("letter_number").max_length or 64
SHORT_MAX = 50
POST_MAX = StaffSelection._meta.get_field("current_post").max_length or 100
RESULT_MAX = ReadinessRecord._meta.get_field("result").max_length or 200
GENDERS = ("", "男", "女")


# --- the selection rule (the one home) ---------------------------------------------------------


def age_limit(post_kind: str) -> int:
    if post_kind == SelectionPostKind.HEAD:
        return int(settings.GOVHALL_SELECTION_MAX_AGE_HEAD)
    if post_kind == SelectionPostKind.SPECIAL:
        return int(settings.GOVHALL_SELECTION_MAX_AGE_SPECIAL)
    return int(settings.GOVHALL_SELECTION_MAX_AGE)


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """周岁: whole years completed on `day`."""
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def within_age(birth_date: datetime.date, day: datetime.date, limit: int) -> bool:
    """At most `limit` years old on `day`: the limit-th birthday is on or after `day`."""
    return day <= add_months(birth_date, 12 * limit)


def birth_date_of_id(id_number: str) -> datetime.date | None:
    number = normalize(id_number)
    try:
        return datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def selection_conditions(
    *,
    post_kind: str,
    is_established: bool,
    is_section_rank: bool,
    birth_date: datetime.date,
    on: datetime.date,
) -> FieldErrors:
    """Every condition of the selection rule the person fails on `on` (empty when none)."""
    errors = FieldErrors()
    if not is_established:
        errors.add(
            "is_established",
            _("Window staff must be on the establishment (在编) of the nominating department."),
        )
    limit = age_limit(post_kind)
    if not within_age(birth_date, on, limit):
        errors.add(
            "birth_date",
            _(
                "The person is over the age limit for this post: at most %(limit)d years old "
                "on %(day)s (born %(birth)s)."
            )
            % {"limit": limit, "day": on.isoformat(), "birth": birth_date.isoformat()},
        )
    if post_kind == SelectionPostKind.HEAD and not is_section_rank:
        errors.add(
            "is_section_rank",
            _("A window head must hold a section or unit rank (科股级) or above."),
        )
    return errors


# --- the table's refusals and buttons ----------------------------------------------------------


def selection_refusal(actor: object, selection: StaffSelection, action: str) -> str | None:
    """Why `actor` may not take `action` on `selection` (the table), or None."""
    parties = selection_parties(actor, selection)
    who = SELECTION_TRANSITIONS.who_may(action)
    if not parties & who:
        return _("This step of the selection is not yours to take.")
    row = SELECTION_TRANSITIONS.row(selection.status, action)
    if row is None:
        return StateRefusal(_("The selection is no longer at this step; reload the page."))
    if not parties & row.who:
        return _("This step of the selection is not yours to take.")
    return None


def selection_actions(user: object, selection: StaffSelection) -> list[Transition]:
    """The rows `user` may take now: the detail page's buttons, the API's `actions`."""
    return [
        row
        for row in SELECTION_TRANSITIONS.rows_from(selection.status)
        if selection_refusal(user, selection, row.action) is None
    ]


def _locked(selection: StaffSelection) -> StaffSelection:
    found = StaffSelection.objects.select_for_update().filter(pk=selection.pk).first()
    if found is None:
        raise ValidationError(_("No such selection."))
    return found


def _step(
    actor: User | None, selection: StaffSelection, action: str
) -> tuple[StaffSelection, Transition]:
    found = _locked(selection)
    if actor is not None:
        refusal = selection_refusal(actor, found, action)
        if refusal:
            raise refusal_error(refusal)
    row = SELECTION_TRANSITIONS.row(found.status, action)
    if row is None:
        raise refusal_error(
            StateRefusal(_("The selection is no longer at this step; reload the page."))
        )
    return found, row


# --- nomination --------------------------------------------------------------------------------


@transaction.atomic
def selection_nominate(
    *,
    actor: User,
    department: Department,
    candidate_name: str,
    id_number: str,
    letter_number: str,
    birth_date: datetime.date | None = None,
    post_kind: str = SelectionPostKind.ORDINARY,
    is_established: bool = False,
    is_section_rank: bool = False,
    window: Window | None = None,
    gender: str = "",
    phone: str = "",
    education: str = "",
    current_post: str = "",
    reason: str = "",
    letter_data: bytes | None = None,
    on: datetime.date | None = None,
) -> StaffSelection:
    """A department's leader nominates one of its people by letter (推荐函). Refused, with every
    reason, when the person fails the selection rule; nothing is written then."""
    own = nominating_department(actor)
    if own is None or own.pk != department.pk:
        raise ValidationError(_("Only the leader of a department nominates its people."))
    day = on or timezone.localdate()
    errors = FieldErrors()
    candidate_name = errors.text(
        "candidate_name", candidate_name, max_length=NAME_MAX, required=_("Enter the name.")
    )
    number = normalize(id_number if isinstance(id_number, str) else "")
    id_error = id_number_error(number) if number else _("Enter the ID number.")
    if id_error:
        errors.add("id_number", id_error)
    letter_number = errors.text(
        "letter_number",
        letter_number,
        max_length=LETTER_MAX,
        required=_("Enter the number of the nomination letter."),
    )
    post_kind = errors.choice("post_kind", post_kind, SelectionPostKind.values) or ""
    gender = errors.text("gender", gender, max_length=8)
    if gender not in GENDERS:
        errors.add("gender", _("Choose from the list."))
    phone = errors.text("phone", phone, max_length=20)
    if phone and phone_error(phone):
        errors.add("phone", phone_error(phone) or "")
    education = errors.text("education", education, max_length=SHORT_MAX)
    current_post = errors.text("current_post", current_post, max_length=POST_MAX)
    reason = errors.text("reason", reason, max_length=TEXT_MAX)
    if window is not None and (
        window.center_id != department.center_id
        or not window.departments.filter(pk=department.pk).exists()
    ):
        errors.add(
            "window",
            _("Window %(window)s does not serve %(department)s.")
            % {"window": window, "department": department.name},
        )
    if not id_error:
        from_id = birth_date_of_id(number)
        if birth_date is None:
            birth_date = from_id
        elif birth_date != from_id:
            errors.add("birth_date", _("The date of birth does not match the ID number."))
    if birth_date is None and "id_number" not in errors:
        errors.add("birth_date", _("Enter the date of birth."))
    if birth_date is not None and birth_date > day:
        errors.add("birth_date", _("The date cannot be in the future."))
    kind = None
    if letter_data:
        try:
            kind = applicant_file_check(letter_data, field="letter_file")
        except ValidationError as error:
            errors.merge(error)
    if post_kind and birth_date is not None:
        failed = selection_conditions(
            post_kind=post_kind,
            is_established=bool(is_established),
            is_section_rank=bool(is_section_rank),
            birth_date=birth_date,
            on=day,
        )
        errors.merge({k: v for k, v in failed.by_field.items() if k not in errors})
    errors.raise_if_any()
    assert birth_date is not None
    if StaffSelection.objects.filter(
        id_number=number, status__in=[SelectionStatus.NOMINATED, SelectionStatus.INTERVIEWED]
    ).exists():
        raise Conflict({"id_number": [_("This person already has a nomination under way.")]})
    selection = StaffSelection(
        center=department.center,
        department=department,
        window=window,
        post_kind=post_kind,
        candidate_name=candidate_name,
        id_number=number,
        birth_date=birth_date,
        gender=gender,
        phone=phone,
        education=education,
        current_post=current_post,
        is_established=bool(is_established),
        is_section_rank=bool(is_section_rank),
        letter_number=letter_number,
        reason=reason,
        status=SelectionStatus.NOMINATED,
        nominated_by=actor,
        nominated_at=timezone.now(),
    )
    if letter_data and kind is not None:
        store_checked(selection.letter_file, letter_data, kind)
    selection.save()
    record_event(
        actor=actor,
        action=StaffingEvent.SELECTION_NOMINATE,
        obj=selection,
        center_id=selection.center_id,
        data={
            "department": department.pk,
            "post_kind": post_kind,
            "letter_number": letter_number,
            "window": window.pk if window else None,
        },
    )
    return selection


# --- the three steps ---------------------------------------------------------------------------


@transaction.atomic
def selection_interview(
    *,
    actor: User | None,
    selection: StaffSelection,
    passed: bool,
    interviewed_on: datetime.date | None = None,
    score: object = None,
    notes: str = "",
) -> StaffSelection:
    """The center's hall director records the interview (面试): a pass moves the selection to
    the county leader, a fail refuses it."""
    action = SelectionAction.INTERVIEW_PASS if passed else SelectionAction.INTERVIEW_FAIL
    found, row = _step(actor, selection, action)
    errors = FieldErrors()
    today = timezone.localdate()
    day = interviewed_on or today
    if day > today:
        errors.add("interviewed_on", _("The date cannot be in the future."))
    if day < timezone.localdate(found.nominated_at):
        errors.add("interviewed_on", _("The interview cannot be before the nomination."))
    value: Decimal | None = None
    if score not in (None, ""):
        try:
            value = Decimal(str(score).strip())
        except InvalidOperation:
            errors.add("score", _("Enter a score between 0 and 100."))
        else:
            if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
                errors.add("score", _("Enter a score between 0 and 100."))
                value = None
            else:
                value = value.quantize(Decimal("0.1"))
    notes = errors.text(
        "notes",
        notes,
        max_length=TEXT_MAX,
        required="" if passed else _("Say why the interview failed."),
    )
    errors.raise_if_any()
    assert row.next_state is not None
    found.status = row.next_state
    found.interviewed_on = day
    found.interview_score = value
    found.interview_notes = notes
    found.interviewed_by = actor
    if not passed:
        found.decided_by = actor
        found.decided_at = timezone.now()
        found.decision_note = notes
    found.save()
    record_event(
        actor=actor,
        action=StaffingEvent.SELECTION_INTERVIEW,
        obj=found,
        center_id=found.center_id,
        note=notes,
        data={"passed": passed, "on": day.isoformat(), "score": str(value) if value else None},
    )
    return found


def _unique_username(base: str) -> str:
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}{n}"
    return name


def _account_for(found: StaffSelection, username: str) -> User:
    """Make or link the approved person's account (the system acts: the county leader is not a
    manager of accounts, the approval is their authority)."""
    role = Role.WINDOW_HEAD if found.post_kind == SelectionPostKind.HEAD else Role.CLERK
    wanted = (username or "").strip()
    existing = User.objects.filter(username__iexact=wanted).first() if wanted else None
    if existing is not None:
        staff = Staff.objects.filter(user=existing).select_related("user").first()
        if staff is None or staff.department_id != found.department_id:
            raise ValidationError(
                {
                    "username": [
                        _("The account %(username)s is not a staff member of %(department)s.")
                        % {"username": wanted, "department": found.department.name}
                    ]
                }
            )
        roles = set(existing.groups.values_list("name", flat=True)) | {role.value}
        staff_update(
            actor=None,
            staff=staff,
            roles=sorted(roles),
            reason=_("Approved for window service"),
            is_window_staff=True,
        )
        return existing
    base = wanted or f"w{found.id_number[-6:].lower()}"
    return staff_create(
        actor=None,
        center=found.center,
        department=found.department,
        username=wanted or _unique_username(base),
        full_name=found.candidate_name,
        roles=[role.value],
        is_window_staff=True,
        phone=found.phone,
        title=str(SelectionPostKind(found.post_kind).label),
    )


@transaction.atomic
def selection_approve(
    *, actor: User | None, selection: StaffSelection, note: str = "", username: str = ""
) -> StaffSelection:
    """The county leader in charge approves: the rule is checked again on this day, and the
    person's account is made (or an account of the department is linked)."""
    found, row = _step(actor, selection, SelectionAction.APPROVE)
    errors = FieldErrors()
    note = errors.text("note", note, max_length=TEXT_MAX)
    errors.raise_if_any()
    if row.guard == CONDITIONS:
        failed = selection_conditions(
            post_kind=found.post_kind,
            is_established=found.is_established,
            is_section_rank=found.is_section_rank,
            birth_date=found.birth_date,
            on=timezone.localdate(),
        )
        failed.raise_if_any()
    found.user = _account_for(found, username)
    assert row.next_state is not None
    found.status = row.next_state
    found.decided_by = actor
    found.decided_at = timezone.now()
    found.decision_note = note
    found.save()
    record_event(
        actor=actor,
        action=StaffingEvent.SELECTION_APPROVE,
        obj=found,
        center_id=found.center_id,
        note=note,
        data={"user": found.user.pk},
    )
    return found


def _close(
    actor: User | None, selection: StaffSelection, action: str, note: str, event: str
) -> StaffSelection:
    found, row = _step(actor, selection, action)
    errors = FieldErrors()
    note = errors.text("note", note, max_length=TEXT_MAX, required=_("Give the reasons."))
    errors.raise_if_any()
    assert row.next_state is not None
    found.status = row.next_state
    found.decided_by = actor
    found.decided_at = timezone.now()
    found.decision_note = note
    found.save()
    record_event(actor=actor, action=event, obj=found, center_id=found.center_id, note=note)
    return found


@transaction.atomic
def selection_refuse(*, actor: User | None, selection: StaffSelection, note: str) -> StaffSelection:
    """The county leader in charge refuses the selection, with the reasons."""
    return _close(actor, selection, SelectionAction.REFUSE, note, StaffingEvent.SELECTION_REFUSE)


@transaction.atomic
def selection_withdraw(
    *, actor: User | None, selection: StaffSelection, note: str
) -> StaffSelection:
    """The nominating department withdraws its nomination before the approval."""
    return _close(
        actor, selection, SelectionAction.WITHDRAW, note, StaffingEvent.SELECTION_WITHDRAW
    )


@transaction.atomic
def selection_full_view_record(*, actor: User, selection: StaffSelection) -> Event:
    """The registration form shows the full ID number and phone: each view is an event."""
    return record_event(
        actor=actor,
        action=StaffingEvent.SELECTION_VIEW_FULL,
        obj=selection,
        center_id=selection.center_id,
        note=_("Registration form printed"),
        data={"fields": ["id_number", "phone"]},
    )


# --- readiness ---------------------------------------------------------------------------------


@transaction.atomic
def readiness_record(
    *,
    actor: User | None,
    selection: StaffSelection,
    step: str,
    done_on: datetime.date | None = None,
    hours: object = None,
    result: str = "",
) -> ReadinessRecord:
    """The hall director records a readiness step (资格审查 or a part of the 岗前培训) of an
    approved person; each step once."""
    found = _locked(selection)
    if actor is not None and not directs_center(actor, found.center_id):
        raise ValidationError(_("Only the hall director of the center records readiness."))
    if found.status != SelectionStatus.APPROVED:
        raise Conflict(_("Readiness is recorded for approved selections only."))
    errors = FieldErrors()
    step = errors.choice("step", step, ReadinessStep.values) or ""
    today = timezone.localdate()
    day = done_on or today
    if day > today:
        errors.add("done_on", _("The date cannot be in the future."))
    value: Decimal | None = None
    if hours not in (None, ""):
        try:
            value = Decimal(str(hours).strip())
        except InvalidOperation:
            errors.add("hours", _("Enter the hours (at most 99)."))
        else:
            if not value.is_finite() or not Decimal(0) < value < Decimal(100):
                errors.add("hours", _("Enter the hours (at most 99)."))
                value = None
            else:
                value = value.quantize(Decimal("0.1"))
    result = errors.text("result", result, max_length=RESULT_MAX)
    errors.raise_if_any()
    if ReadinessRecord.objects.filter(selection=found, step=step).exists():
        raise Conflict({"step": [_("This step has already been recorded.")]})
    record = ReadinessRecord.objects.create(
        selection=found,
        step=step,
        done_on=day,
        hours=value,
        result=result,
        recorded_by=actor or found.decided_by or found.nominated_by,
        recorded_at=timezone.now(),
    )
    record_event(
        actor=actor,
        action=StaffingEvent.READINESS_RECORD,
        obj=found,
        center_id=found.center_id,
        data={"step": step, "done_on": day.isoformat()},
    )
    return record


# --- the trial ---------------------------------------------------------------------------------


@transaction.atomic
def trial_decide(
    *, actor: User | None, assignment: Assignment, outcome: str, note: str = ""
) -> TrialDecision:
    """The hall director decides the end of a trial (试用期) that has come: kept, or returned
    to the department (the assignment ends through the return service, with its notice)."""
    found = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("user", "center", "department")
        .filter(pk=assignment.pk)
        .first()
    )
    if found is None:
        raise ValidationError(_("No such assignment."))
    if actor is not None and not directs_center(actor, found.center_id):
        raise ValidationError(_("Only the hall director of the center decides a trial."))
    errors = FieldErrors()
    outcome = errors.choice("outcome", outcome, TrialOutcome.values) or ""
    note = errors.text(
        "note",
        note,
        max_length=TEXT_MAX,
        required=_("Give the reasons.") if outcome == TrialOutcome.RETURNED else "",
    )
    errors.raise_if_any()
    today = timezone.localdate()
    if TrialDecision.objects.filter(assignment=found).exists():
        raise Conflict(_("The trial has already been decided."))
    if found.ends_on is not None:
        raise Conflict(_("This assignment has already ended."))
    if found.trial_ends_on > today:
        raise Conflict(
            _("The trial ends on %(day)s; decide it from then.")
            % {"day": found.trial_ends_on.isoformat()}
        )
    decision = TrialDecision.objects.create(
        assignment=found,
        outcome=outcome,
        decided_on=today,
        decided_by=actor or found.user,
        note=note,
    )
    returned: ReturnDecision | None = None
    if outcome == TrialOutcome.RETURNED:
        returned = return_record(
            actor=actor,
            user=found.user,
            reasons=_("Not fit for window work after the one-month trial (试用期)."),
            note=note[:300],
        )
    record_event(
        actor=actor,
        action=StaffingEvent.TRIAL_DECIDE,
        obj=found,
        center_id=found.center_id,
        note=note,
        data={"outcome": outcome, "return_decision": returned.pk if returned else None},
    )
    return decision
