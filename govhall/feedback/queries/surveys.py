"""Results of a satisfaction survey (issue 15 item 6): per question, how many answered, the
distribution of the levels or choices (one grouped query for the whole survey) with the average
level of a scale question, and the free texts; drawn once for the page, its charts and the
xlsx export."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count

from govhall.feedback.models import (
    QuestionKind,
    RatingLevel,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)

TEXTS_SHOWN = 200


@dataclass
class QuestionResult:
    question: SurveyQuestion
    answered: int = 0
    # (label, count) for each level (5 → 1) or choice, in order.
    counts: list[tuple[str, int]] = field(default_factory=list)
    average: Decimal | None = None
    satisfied_rate: Decimal | None = None  # levels 3–5 of a scale, in percent
    texts: list[str] = field(default_factory=list)


@dataclass
class SurveyResults:
    survey: Survey
    responses: int
    questions: list[QuestionResult]

    def chart_data(self) -> dict[str, Any]:
        """What the page's charts draw (json_script): one bar chart per scale or choice
        question."""
        return {
            "charts": [
                {
                    "id": f"chart-q{result.question.pk}",
                    "title": result.question.text,
                    "labels": [label for label, _count in result.counts],
                    "values": [count for _label, count in result.counts],
                }
                for result in self.questions
                if result.question.kind != QuestionKind.TEXT
            ]
        }


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def survey_results(survey: Survey) -> SurveyResults:
    questions = list(survey.questions.order_by("position"))
    grouped: dict[int, dict[int, int]] = defaultdict(dict)
    for question_id, value, count in (
        SurveyAnswer.objects.filter(question__survey=survey, value__isnull=False)
        .order_by()
        .values_list("question_id", "value")
        .annotate(n=Count("pk"))
    ):
        grouped[question_id][value] = count
    texts: dict[int, list[str]] = defaultdict(list)
    for question_id, text in (
        SurveyAnswer.objects.filter(question__survey=survey, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by("-response__submitted_at", "-pk")
        .values_list("question_id", "text")[: TEXTS_SHOWN * max(1, len(questions))]
    ):
        if len(texts[question_id]) < TEXTS_SHOWN:
            texts[question_id].append(text)
    text_counts = dict(
        SurveyAnswer.objects.filter(question__survey=survey, question__kind=QuestionKind.TEXT)
        .exclude(text="")
        .order_by()
        .values_list("question_id")
        .annotate(n=Count("pk"))
    )
    results = []
    for question in questions:
        values = grouped.get(question.pk, {})
        result = QuestionResult(question=question)
        if question.kind == QuestionKind.SCALE:
            result.counts = [
                (str(level.label), values.get(level.value, 0)) for level in RatingLevel
            ]
            result.answered = sum(values.values())
            if result.answered:
                total = sum(level * count for level, count in values.items())
                result.average = (Decimal(total) / result.answered).quantize(
                    Decimal("0.01"), ROUND_HALF_UP
                )
                good = sum(count for level, count in values.items() if level >= 3)
                result.satisfied_rate = _percent(good, result.answered)
        elif question.kind == QuestionKind.CHOICE:
            result.counts = [(label, values.get(n, 0)) for n, label in enumerate(question.choices)]
            result.answered = sum(values.values())
        else:
            result.texts = texts.get(question.pk, [])
            result.answered = text_counts.get(question.pk, 0)
        results.append(result)
    return SurveyResults(
        survey=survey,
        responses=SurveyResponse.objects.filter(survey=survey).count(),
        questions=results,
    )
