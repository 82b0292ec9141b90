"""Recording the annual assessment and sending reports to the departments (issue 21 item 1b).

def annual_result_record(*, actor, person, year, grade=None, note="", today=None) -> AnnualResult
def department_report_send(*, actor, department, kind, period) -> DepartmentReport

A hall manager of the person's center records the year's result once (a second time is a
Conflict), on the proposal of `queries.annual` or another grade with a note saying why; a failed
year records the staff fact FAILED_ANNUAL_ASSESSMENT (source "assessment:<year>", the same as
`annual_assessment_close`, never twice) so the return-to-department rule sees it. Reports are
marked sent once per department, kind and period."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.assessment.events import AssessmentEvent
from govhall.assessment.grading import Grade
from govhall.assessment.models import AnnualResult, DepartmentReport, ReportKind
from govhall.assessment.queries.annual import annual_proposal
from govhall.assessment.services.sheets import annual_source
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import Conflict, FieldErrors, refusal_error
from govhall.org.access.standing import manages_center
from govhall.org.models import Department, Staff
from govhall.staffing.models import StaffFact
from govhall.staffing.models.assignment import StaffFactKind
from govhall.staffing.services.assignments import staff_fact_record

NOTE_MAX = AnnualResult._meta.get_field("note").max_length or 500


@transaction.atomic
def annual_result_record(
    *,
    actor: User,
    person: User,
    year: object,
    grade: object = None,
    note: object = "",
    today: datetime.date | None = None,
) -> AnnualResult:
    today = today or timezone.localdate()
    staff = Staff.objects.select_related("center").filter(user=person).first()
    if staff is None or not manages_center(actor, staff.center_id):
        raise refusal_error(_("Only a hall manager of the center may do this."))
    if actor.pk == person.pk:
        raise refusal_error(_("Nobody records their own annual assessment."))
    errors = FieldErrors()
    chosen_year = errors.whole_number(
        "year", year, required=_("Choose a year."), minimum=2000, maximum=today.year
    )
    text = errors.text("note", note, max_length=NOTE_MAX)
    chosen = errors.choice("grade", grade, Grade.values) if grade not in (None, "") else None
    errors.raise_if_any()
    assert chosen_year is not None
    proposal = annual_proposal(staff.center, chosen_year, person.pk)
    if proposal is None:
        errors.add("year", _("No published monthly sheet of this person in that year."))
        errors.raise_if_any()
    assert proposal is not None
    decided = Grade(chosen) if chosen else proposal.grade
    if decided != proposal.grade and not text:
        errors.add("note", _("Say why the grade differs from the proposal."))
        errors.raise_if_any()
    # Lock the person's row so two managers recording at once wait for each other.
    User.objects.select_for_update().filter(pk=person.pk).first()
    if AnnualResult.objects.filter(person=person, year=chosen_year).exists():
        raise Conflict(_("The annual assessment of this year is already recorded."))
    try:
        with transaction.atomic():
            result = AnnualResult.objects.create(
                person=person,
                center=staff.center,
                department_id=staff.department_id,
                year=chosen_year,
                score=proposal.score,
                proposed_grade=proposal.grade,
                grade=decided,
                note=text,
                decided_by=actor,
                decided_at=timezone.now(),
            )
    except IntegrityError:
        raise Conflict(_("The annual assessment of this year is already recorded.")) from None
    source = annual_source(chosen_year)
    if (
        decided == Grade.FAIL
        and not StaffFact.objects.filter(
            user=person, kind=StaffFactKind.FAILED_ANNUAL_ASSESSMENT, source=source
        ).exists()
    ):
        staff_fact_record(
            actor=None,
            user=person,
            kind=StaffFactKind.FAILED_ANNUAL_ASSESSMENT,
            occurred_on=min(datetime.date(chosen_year, 12, 31), today),
            source=source,
            note=_("Annual assessment score %(score)s") % {"score": proposal.score},
        )
    record_event(
        actor=actor,
        action=AssessmentEvent.ANNUAL_RESULT_RECORD,
        obj=result,
        center_id=staff.center_id,
        note=text,
        data={
            "person": person.pk,
            "year": chosen_year,
            "score": str(proposal.score),
            "proposed": str(proposal.grade),
            "grade": str(decided),
        },
    )
    return result


def report_period(kind: str, year: int, part: int) -> datetime.date:
    """The first day of a report's period: the month `part` (1–12), or the half-year `part`
    (1–2) for the half-yearly report."""
    if kind == ReportKind.HALF_YEAR:
        return datetime.date(year, 1 if part == 1 else 7, 1)
    return datetime.date(year, part, 1)


@transaction.atomic
def department_report_send(
    *, actor: User, department: Department, kind: str, period: datetime.date
) -> DepartmentReport:
    if not manages_center(actor, department.center_id):
        raise refusal_error(_("Only a hall manager of the center may do this."))
    if kind not in ReportKind.values:
        raise refusal_error(_("Unknown action."))
    if period > timezone.localdate():
        raise ValidationError({"period": [_("The period has not begun yet.")]})
    report, created = DepartmentReport.objects.get_or_create(
        department=department,
        kind=kind,
        period=period,
        defaults={"center_id": department.center_id, "sent_by": actor, "sent_at": timezone.now()},
    )
    if not created:
        raise Conflict(_("This report was already sent to the department."))
    record_event(
        actor=actor,
        action=AssessmentEvent.DEPARTMENT_REPORT_SEND,
        obj=report,
        center_id=department.center_id,
        data={"department": department.pk, "kind": kind, "period": period.isoformat()},
    )
    return report
