"""The annual assessment's proposal per person (issue 21 item 1b).

The year's score is the average of the person's published monthly sheets (`year_scores`), graded
like a month (seeds/000… 篇1 七(六): 95分以上优秀, 90-94合格, 90以下不合格). The seeds add:

- rated "most unsatisfactory" three times or more (the return threshold of that fact) → fail
  (seeds/001… 调整办法 五: 向部门建议其年度考核为不称职或不合格);
- a notice of criticism in the year withholds excellent (seeds/000… 篇5: 态度蛮横…年度考核取消评优
  资格), and so do GOVHALL_ANNUAL_COMPLAINTS_NO_EXCELLENT verified complaints (受到群众投诉较多的,
  年度考评不能评为先进).

Read in a fixed number of queries for a whole center."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from govhall.assessment.grading import Grade, grade_of
from govhall.assessment.models import AnnualResult
from govhall.assessment.queries.person_file import _moments
from govhall.assessment.queries.sheets import year_scores
from govhall.feedback.models import Complaint
from govhall.feedback.models.complaints import FINDINGS_AGAINST
from govhall.org.models import Center, Staff
from govhall.staffing.models import StaffFact
from govhall.staffing.models.assignment import StaffFactKind
from govhall.staffing.queries.assignments import return_threshold
from govhall.supervision.models import CriticismNotice
from govhall.supervision.models.patrols import NoticeKind


@dataclass
class AnnualProposal:
    staff: Staff
    score: Decimal
    grade: Grade
    reasons: list[str] = field(default_factory=list)
    recorded: AnnualResult | None = None


def proposed_grade(
    score: Decimal, *, complaints: int, criticisms: int, most_unsatisfactory: int
) -> tuple[Grade, list[str]]:
    """The grade the rules give and why it differs from the score's grade (if it does)."""
    grade = grade_of(score)
    reasons: list[str] = []
    if most_unsatisfactory >= return_threshold(StaffFactKind.MOST_UNSATISFACTORY):
        if grade != Grade.FAIL:
            reasons.append(
                _("Rated most unsatisfactory %(count)d times: fail")
                % {"count": most_unsatisfactory}
            )
        return Grade.FAIL, reasons
    if grade == Grade.EXCELLENT:
        if criticisms:
            reasons.append(
                _("%(count)d notices of criticism: not excellent") % {"count": criticisms}
            )
        if complaints >= settings.GOVHALL_ANNUAL_COMPLAINTS_NO_EXCELLENT:
            reasons.append(
                _("%(count)d verified complaints: not excellent") % {"count": complaints}
            )
        if reasons:
            grade = Grade.PASS
    return grade, reasons


def annual_proposals(
    center: Center, year: int, *, department_id: int | None = None
) -> list[AnnualProposal]:
    """Everyone of `center` with published sheets in `year`, with the proposed grade and the
    result recorded if any (seven queries)."""
    scores = year_scores(center, year)
    staff = Staff.objects.filter(user_id__in=list(scores)).select_related("user", "department")
    if department_id is not None:
        staff = staff.filter(department_id=department_id)
    people = {s.user_id: s for s in staff}
    ids = list(people)
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    starts, ends = _moments(first, last)

    def counted(queryset: QuerySet[Any], key: str) -> dict[int, int]:
        return dict(queryset.values(key).annotate(n=Count("pk")).values_list(key, "n").order_by())

    complaints = counted(
        Complaint.objects.filter(
            target_staff_id__in=ids,
            finding__in=FINDINGS_AGAINST,
            received_at__gte=starts,
            received_at__lt=ends,
        ),
        "target_staff_id",
    )
    criticisms = counted(
        CriticismNotice.objects.filter(
            person_id__in=ids,
            kind=NoticeKind.CRITICISM,
            issued_at__gte=starts,
            issued_at__lt=ends,
        ),
        "person_id",
    )
    unsatisfied = counted(
        StaffFact.objects.filter(
            user_id__in=ids,
            kind=StaffFactKind.MOST_UNSATISFACTORY,
            occurred_on__gte=first,
            occurred_on__lte=last,
        ),
        "user_id",
    )
    recorded = {r.person_id: r for r in AnnualResult.objects.filter(person_id__in=ids, year=year)}
    rows = []
    for pk, member in people.items():
        grade, reasons = proposed_grade(
            scores[pk],
            complaints=complaints.get(pk, 0),
            criticisms=criticisms.get(pk, 0),
            most_unsatisfactory=unsatisfied.get(pk, 0),
        )
        rows.append(
            AnnualProposal(
                staff=member,
                score=scores[pk],
                grade=grade,
                reasons=reasons,
                recorded=recorded.get(pk),
            )
        )
    return sorted(rows, key=lambda r: (-r.score, r.staff.user.username))


def annual_proposal(center: Center, year: int, user_id: int) -> AnnualProposal | None:
    return next((p for p in annual_proposals(center, year) if p.staff.user_id == user_id), None)
