"""Every event name the assessment app writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Registered in `AssessmentConfig.ready()`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentEvent(models.TextChoices):
    SCORE_ENTRY_ADD = "score_entry.add", _("Score entry added")
    SCORE_SHEET_REVIEW = "score_sheet.review", _("Score sheet reviewed")
    SCORE_SHEET_REOPEN = "score_sheet.reopen", _("Score sheet reopened")
    SCORE_SHEET_PUBLISH = "score_sheet.publish", _("Score sheet published")
    EVALUATION_WEIGHTS_SET = "evaluation_weights.set", _("Evaluation weights set")
    EVALUATION_MARK_SET = "evaluation_mark.set", _("Evaluation mark given")
    ANNUAL_ASSESSMENT_CLOSE = "annual_assessment.close", _("Annual assessment closed")
    ANNUAL_RESULT_RECORD = "annual_result.record", _("Annual assessment result recorded")
    DEPARTMENT_REPORT_SEND = "department_report.send", _("Report sent to the department")
