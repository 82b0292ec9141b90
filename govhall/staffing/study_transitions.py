"""The lifecycle of a study session as data (issue 21 item 2; seeds/001… 中心组学习制度 (二)2:
the secretary keeps "考勤、学习登记和讨论记录,资料归档").

A session is planned (`study_session_plan`); while it is open the hall's management of its center
keeps the register and the discussion notes; archiving closes it for good — the register and the
notes no longer change. The same table draws the session page's buttons and is checked by the
services (`govhall.staffing.services.learning`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable


class StudyState(models.TextChoices):
    OPEN = "open", _("Not archived")
    ARCHIVED = "archived", _("Archived")


class StudyAction(models.TextChoices):
    MARK = "mark", _("Mark the register")
    NOTES = "notes", _("Record the discussion notes")
    ARCHIVE = "archive", _("Archive the session")


class StudyParty(models.TextChoices):
    MANAGER = "manager", _("The hall's management of the session's center")


MANAGER = frozenset({StudyParty.MANAGER.value})

STUDY_TRANSITIONS = TransitionTable(
    [
        Transition(StudyState.OPEN, StudyAction.MARK, MANAGER, None, guard="held"),
        Transition(StudyState.OPEN, StudyAction.NOTES, MANAGER, None),
        Transition(
            StudyState.OPEN, StudyAction.ARCHIVE, MANAGER, StudyState.ARCHIVED, guard="complete"
        ),
    ]
)
