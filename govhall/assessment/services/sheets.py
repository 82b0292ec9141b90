"""Changing score sheets by hand: deductions, bonuses, corrections, review, publication, and the
quantified evaluation (weights per center, marks per source).

Entry points (keyword-only, each refused with a ValidationError and nothing changed, `Conflict`
for a stale version or a sheet no longer in a state for it):

def sheet_entry_add(*, actor, sheet, action, points, reason, evidence, occurred_on=None,
                    corrects=None, version=None) -> ScoreEntry
def sheet_transition(*, actor, sheet, action, version=None) -> ScoreSheet
def evaluation_weights_set(*, actor, center, weights) -> EvaluationWeights
def evaluation_mark_set(*, actor, sheet, source, mark) -> EvaluationMark
def annual_assessment_close(*, actor, center, year, today=None) -> int

The lifecycle is `sheet_transitions.SHEET_TRANSITIONS`; who may is `access.sheets`.
Points: deductions and bonuses are given as a positive amount in steps of 0.5 up to
GOVHALL_ASSESSMENT_MAX_POINTS; a correction is signed (negative takes points away).
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.assessment.access.sheets import is_own, sheet_refusal
from govhall.assessment.events import AssessmentEvent
from govhall.assessment.grading import Grade, grade_of
from govhall.assessment.models import (
    EntryKind,
    EvaluationMark,
    EvaluationSource,
    EvaluationWeights,
    ScoreEntry,
    ScoreSheet,
    SheetStatus,
)
from govhall.assessment.months import month_end
from govhall.assessment.queries.sheets import year_scores
from govhall.assessment.services.fill import score_sheets_fill, sheets_rescore
from govhall.assessment.sheet_transitions import ENTRY_ACTIONS, SHEET_TRANSITIONS, SheetAction
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import Conflict, FieldErrors, refusal_error
from govhall.org.access.standing import manages_center
from govhall.org.models import Center
from govhall.staffing.models import StaffFact
from govhall.staffing.models.assignment import StaffFactKind
from govhall.staffing.services.assignments import staff_fact_record

STEP = Decimal("0.5")
REASON_MAX = ScoreEntry._meta.get_field("reason").max_length or 300
EVIDENCE_MAX = 4000
KIND_OF_ACTION = {
    SheetAction.DEDUCT: EntryKind.MANUAL_DEDUCTION,
    SheetAction.BONUS: EntryKind.MANUAL_BONUS,
    SheetAction.CORRECT: EntryKind.CORRECTION,
}


def _points(errors: FieldErrors, value: object, *, signed: bool) -> Decimal | None:
    limit = Decimal(settings.GOVHALL_ASSESSMENT_MAX_POINTS)
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.add("points", _("Enter a number of points such as 2 or 0.5."))
        return None
    if not number.is_finite() or number % STEP != 0:
        errors.add("points", _("Points go in steps of 0.5."))
        return None
    if number == 0 or (not signed and number < 0) or abs(number) > limit:
        errors.add(
            "points",
            _("Enter points between 0.5 and %(limit)s.") % {"limit": limit}
            if not signed
            else _("Enter points between -%(limit)s and %(limit)s, not 0.") % {"limit": limit},
        )
        return None
    return number


def _locked(sheet: ScoreSheet, version: int | None) -> ScoreSheet:
    current = ScoreSheet.objects.select_for_update().get(pk=sheet.pk)
    if version is not None and current.version != version:
        raise Conflict(_("The sheet changed since you opened it; reload and try again."))
    return current


@transaction.atomic
def sheet_entry_add(
    *,
    actor: User,
    sheet: ScoreSheet,
    action: str,
    points: object,
    reason: object,
    evidence: object,
    occurred_on: object = None,
    corrects: ScoreEntry | None = None,
    version: int | None = None,
) -> ScoreEntry:
    errors = FieldErrors()
    if action not in ENTRY_ACTIONS:
        raise refusal_error(_("Unknown action."))
    current = _locked(sheet, version)
    refusal = sheet_refusal(actor, current, action)
    if refusal:
        raise refusal_error(refusal)
    amount = _points(errors, points, signed=action == SheetAction.CORRECT)
    text = errors.text("reason", reason, max_length=REASON_MAX, required=_("Give the reason."))
    proof = errors.text(
        "evidence", evidence, max_length=EVIDENCE_MAX, required=_("Describe the evidence.")
    )
    day = errors.day("occurred_on", occurred_on) if occurred_on not in (None, "") else None
    last = month_end(current.month)
    if day is None and "occurred_on" not in errors:
        today = timezone.localdate()
        day = today if current.month <= today <= last else last
    if day is not None and not (current.month <= day <= last):
        errors.add("occurred_on", _("Choose a day of the sheet's month."))
    if corrects is not None and corrects.sheet_id != current.pk:
        errors.add("corrects", _("Choose an entry of this sheet."))
    errors.raise_if_any()
    assert amount is not None and day is not None
    signed = -amount if action == SheetAction.DEDUCT else amount
    entry = ScoreEntry.objects.create(
        sheet=current,
        kind=KIND_OF_ACTION[SheetAction(action)],
        points=signed,
        occurred_on=day,
        reason=text,
        evidence=proof,
        corrects=corrects,
        created_by=actor,
        after_publication=current.status == SheetStatus.PUBLISHED,
    )
    sheets_rescore(ScoreSheet.objects.filter(pk=current.pk))
    ScoreSheet.objects.filter(pk=current.pk).update(version=current.version + 1)
    record_event(
        actor=actor,
        action=AssessmentEvent.SCORE_ENTRY_ADD,
        obj=current,
        center_id=current.center_id,
        note=text,
        data={"kind": entry.kind, "points": str(signed), "entry": entry.pk},
    )
    sheet.refresh_from_db()
    return entry


EVENT_OF_ACTION = {
    SheetAction.REVIEW: AssessmentEvent.SCORE_SHEET_REVIEW,
    SheetAction.REOPEN: AssessmentEvent.SCORE_SHEET_REOPEN,
    SheetAction.PUBLISH: AssessmentEvent.SCORE_SHEET_PUBLISH,
}


@transaction.atomic
def sheet_transition(
    *, actor: User, sheet: ScoreSheet, action: str, version: int | None = None
) -> ScoreSheet:
    """Review, reopen or publish a sheet (reviewing fills it from the alerts first)."""
    if action not in EVENT_OF_ACTION:
        raise refusal_error(_("Unknown action."))
    if action == SheetAction.REVIEW and sheet.status == SheetStatus.DRAFT:
        score_sheets_fill(month=sheet.month, centers=[sheet.center_id])
    current = _locked(sheet, version)
    refusal = sheet_refusal(actor, current, action)
    if refusal:
        raise refusal_error(refusal)
    row = SHEET_TRANSITIONS.row(current.status, action)
    assert row is not None and row.next_state is not None
    now = timezone.now()
    fields: dict[str, Any] = {"status": row.next_state, "version": current.version + 1}
    if action == SheetAction.REVIEW:
        fields.update(reviewed_at=now, reviewed_by=actor)
    elif action == SheetAction.PUBLISH:
        fields.update(published_at=now, published_by=actor)
    elif action == SheetAction.REOPEN:
        fields.update(reviewed_at=None, reviewed_by=None)
    ScoreSheet.objects.filter(pk=current.pk).update(**fields)
    record_event(
        actor=actor,
        action=EVENT_OF_ACTION[SheetAction(action)],
        obj=current,
        center_id=current.center_id,
        data={"score": str(current.score)},
    )
    sheet.refresh_from_db()
    return sheet


# --- the quantified evaluation ----------------------------------------------------------------


@transaction.atomic
def evaluation_weights_set(
    *, actor: User, center: Center, weights: dict[str, object]
) -> EvaluationWeights:
    if not manages_center(actor, center.pk):
        raise refusal_error(_("Only a hall manager of the center may do this."))
    errors = FieldErrors()
    values: dict[str, int] = {}
    for source in EvaluationSource.values:
        number = errors.whole_number(
            source,
            weights.get(source),
            required=_("Enter a weight."),
            minimum=0,
            maximum=100,
        )
        if number is not None:
            values[source] = number
    if not errors and sum(values.values()) != 100:
        errors.add("__all__", _("The five weights must add up to 100."))
    errors.raise_if_any()
    row, _created = EvaluationWeights.objects.update_or_create(
        center=center,
        defaults={f"{source}_weight": value for source, value in values.items()}
        | {"updated_by": actor},
    )
    record_event(
        actor=actor,
        action=AssessmentEvent.EVALUATION_WEIGHTS_SET,
        obj=row,
        center_id=center.pk,
        data=values,
    )
    return row


def mark_refusal(actor: User, sheet: ScoreSheet, source: str) -> str:
    """Why `actor` may not give the `source` mark of `sheet` ("" when allowed): the person
    marks themself; management gives the other marks, never on their own sheet."""
    if sheet.status == SheetStatus.PUBLISHED:
        return _("The sheet is published; its evaluation is frozen.")
    if source == EvaluationSource.SELF:
        return "" if is_own(actor, sheet) else _("Only the person marks themself.")
    if is_own(actor, sheet):
        return _("Nobody changes their own score sheet.")
    if not manages_center(actor, sheet.center_id):
        return _("Only a hall manager of the center may do this.")
    return ""


@transaction.atomic
def evaluation_mark_set(
    *, actor: User, sheet: ScoreSheet, source: object, mark: object
) -> EvaluationMark:
    errors = FieldErrors()
    chosen = errors.choice("source", source, EvaluationSource.values)
    number = errors.whole_number(
        "mark", mark, required=_("Enter a mark from 0 to 100."), minimum=0, maximum=100
    )
    errors.raise_if_any()
    refusal = mark_refusal(actor, sheet, str(chosen))
    if refusal:
        raise refusal_error(refusal)
    row, _created = EvaluationMark.objects.update_or_create(
        sheet=sheet, source=chosen, defaults={"mark": Decimal(number or 0), "given_by": actor}
    )
    record_event(
        actor=actor,
        action=AssessmentEvent.EVALUATION_MARK_SET,
        obj=sheet,
        center_id=sheet.center_id,
        data={"source": chosen, "mark": number},
    )
    return row


# --- the year: a failed annual assessment feeds the return-to-department rule ----------------


def annual_source(year: int) -> str:
    return f"assessment:{year}"


@transaction.atomic
def annual_assessment_close(
    *, actor: User | None, center: Center, year: int, today: datetime.date | None = None
) -> int:
    """Record a failed annual assessment (the average of the year's published monthly scores
    below 90) as a staff fact of each person concerned (`staff_fact_record`), once per person and
    year; returns how many were recorded. The return-to-department warnings read these facts."""
    if actor is not None and not manages_center(actor, center.pk):
        raise refusal_error(_("Only a hall manager of the center may do this."))
    source = annual_source(year)
    done = set(
        StaffFact.objects.filter(
            kind=StaffFactKind.FAILED_ANNUAL_ASSESSMENT, source=source
        ).values_list("user_id", flat=True)
    )
    # The fact is dated the last day of the year (today while the year still runs).
    day = min(datetime.date(year, 12, 31), today or timezone.localdate())
    failed = [
        (person, score)
        for person, score in year_scores(center, year).items()
        if grade_of(score) == Grade.FAIL and person not in done
    ]
    people = User.objects.in_bulk([person for person, _score in failed])
    for person, score in failed:
        # As the system (actor None): the manager's right was checked above.
        staff_fact_record(
            actor=None,
            user=people[person],
            kind=StaffFactKind.FAILED_ANNUAL_ASSESSMENT,
            occurred_on=day,
            source=source,
            note=_("Annual assessment score %(score)s") % {"score": score},
        )
    record_event(
        actor=actor,
        action=AssessmentEvent.ANNUAL_ASSESSMENT_CLOSE,
        obj=center,
        center_id=center.pk,
        data={"year": year, "failed": len(failed)},
    )
    return len(failed)
