"""A satisfaction survey's results as an xlsx workbook (openpyxl), drawn from
`queries.surveys.survey_results` like the page: a sheet of results per question and a sheet
with every answer, one row per response. Text from the public is neutralised so that no
spreadsheet runs it as a formula."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from govhall.core.spreadsheets import neutralise_formula
from govhall.feedback.models import (
    QuestionKind,
    RatingLevel,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from govhall.feedback.queries.surveys import SurveyResults

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(value: object) -> str:
    return neutralise_formula(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def results_workbook(results: SurveyResults) -> bytes:
    survey = results.survey
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = _("Results")
    summary.append([_text(survey.title), f"{survey.year} Q{survey.quarter}", _text(survey.center)])
    summary.append([_("Responses"), results.responses])
    summary.append([])
    summary.append(
        [
            _("Question number"),
            _("Question"),
            _("Kind"),
            _("Answered"),
            _("Average"),
            _("Satisfied (percent)"),
            _("Answer option"),
            _("Count"),
        ]
    )
    for result in results.questions:
        question = result.question
        head = [
            question.position,
            _text(question.text),
            str(question.get_kind_display()),
            result.answered,
            float(result.average) if result.average is not None else None,
            float(result.satisfied_rate) if result.satisfied_rate is not None else None,
        ]
        if not result.counts:
            summary.append(head)
        for n, (label, count) in enumerate(result.counts):
            summary.append((head if n == 0 else [None] * len(head)) + [_text(label), count])

    answers = book.create_sheet(_("Answers"))
    questions = [result.question for result in results.questions]
    answers.append([_("Submitted")] + [_text(q.text) for q in questions])
    by_response: dict[int, dict[int, str]] = {}
    for response_id, question_id, value, text in SurveyAnswer.objects.filter(
        response__survey=survey
    ).values_list("response_id", "question_id", "value", "text"):
        by_response.setdefault(response_id, {})[question_id] = _answer_text(
            questions, question_id, value, text
        )
    for response in SurveyResponse.objects.filter(survey=survey).order_by("submitted_at", "pk"):
        cells = by_response.get(response.pk, {})
        answers.append(
            [timezone.localtime(response.submitted_at).strftime("%Y-%m-%d %H:%M")]
            + [_text(cells.get(q.pk, "")) for q in questions]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _answer_text(
    questions: list[SurveyQuestion], question_id: int, value: int | None, text: str
) -> str:
    question = next((q for q in questions if q.pk == question_id), None)
    if question is None or value is None:
        return text
    if question.kind == QuestionKind.SCALE:
        return str(RatingLevel(value).label) if value in RatingLevel.values else str(value)
    if question.kind == QuestionKind.CHOICE and 0 <= value < len(question.choices):
        return str(question.choices[value])
    return str(value)
