"""Missed study sessions on the monthly score sheet (issue 21 item 2: "the missed sessions show in
the assessment").

seeds/001… 中心组学习制度 asks for attendance at the study sessions but names no deduction for
missing one, so the sheet shows the count ("缺席集中学习 N 次") and takes no points for it.
"""

from __future__ import annotations

from govhall.assessment.models import ScoreSheet
from govhall.assessment.months import month_end
from govhall.staffing.queries.learning import missed_study_sessions


def missed_study_in_month(sheet: ScoreSheet) -> int:
    """Sessions of the sheet's month where its person was marked absent."""
    missed = missed_study_sessions(
        user_ids=[sheet.person_id], start=sheet.month, end=month_end(sheet.month)
    )
    return missed.get(sheet.person_id, 0)
