"""The survey definition form (issue 15 item 6): a title, the year and quarter, and up to
SLOTS questions (a blank question is left out). It only parses; the rules are in
govhall/feedback/services/surveys.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.feedback.models import QuestionKind, Survey

SLOTS = 12


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(n, str(n)) for n in range(1, 5)]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, SLOTS + 1):
            self.fields[f"q{n}_text"] = forms.CharField(
                label=_("Question %(n)d") % {"n": n}, max_length=300, required=False
            )
            self.fields[f"q{n}_kind"] = forms.ChoiceField(
                label=_("Kind"), choices=QuestionKind.choices, initial=QuestionKind.SCALE
            )
            self.fields[f"q{n}_required"] = forms.BooleanField(
                label=_("Required"), required=False, initial=True
            )
            self.fields[f"q{n}_choices"] = forms.CharField(
                label=_("Choices, one a line (for a choice question)"),
                required=False,
                max_length=2100,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def slots(self) -> list[dict[str, Any]]:
        """The bound fields of each question slot, for the template."""
        return [
            {
                "n": n,
                "text": self[f"q{n}_text"],
                "kind": self[f"q{n}_kind"],
                "required": self[f"q{n}_required"],
                "choices": self[f"q{n}_choices"],
            }
            for n in range(1, SLOTS + 1)
        ]

    def questions(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        found = []
        for n in range(1, SLOTS + 1):
            text = (data.get(f"q{n}_text") or "").strip()
            if not text:
                continue
            found.append(
                {
                    "text": text,
                    "kind": data.get(f"q{n}_kind"),
                    "required": bool(data.get(f"q{n}_required")),
                    "choices": (data.get(f"q{n}_choices") or "").splitlines(),
                }
            )
        return found

    @staticmethod
    def initial_of(survey: Survey) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "title": survey.title,
            "year": survey.year,
            "quarter": survey.quarter,
        }
        for question in survey.questions.order_by("position")[:SLOTS]:
            n = question.position
            initial[f"q{n}_text"] = question.text
            initial[f"q{n}_kind"] = question.kind
            initial[f"q{n}_required"] = question.required
            initial[f"q{n}_choices"] = "\n".join(question.choices)
        return initial
