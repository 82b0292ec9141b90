"""Forms of the patrol pages: starting a round, and the checklist of one window (phone-first)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from govhall.org.models import Center
from govhall.staffing.models.conduct import ConductRule
from govhall.supervision.models import PatrolCheck, PatrolSession


class RoundStartForm(forms.Form):
    center = forms.ModelChoiceField(label=_("Center"), queryset=Center.objects.none())
    session = forms.ChoiceField(
        label=_("Session"),
        required=False,
        choices=[("", _("By the clock")), *PatrolSession.choices],
    )

    def __init__(self, *args: Any, centers: QuerySet[Center], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = centers


class RoundFinishForm(forms.Form):
    note = forms.CharField(label=_("Note on the round"), required=False, max_length=300)


class ChecklistForm(forms.Form):
    """The six points of seeds/002… 六3, each ticked as passed; a point left unticked failed and
    needs a note, with an optional photo taken on the spot. After them, the lines of the
    center's published code of conduct offered to the patrol (`rules`, issue 21 item 3), keyed
    "rule<id>"."""

    def __init__(self, *args: Any, rules: list[ConductRule] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rules = list(rules or [])
        keyed: list[tuple[str, Any]] = list(PatrolCheck.choices)
        keyed += [(f"rule{rule.pk}", rule.text) for rule in self.rules]
        for point, label in keyed:
            self.fields[f"{point}_ok"] = forms.BooleanField(
                label=label, required=False, initial=True
            )
            self.fields[f"{point}_note"] = forms.CharField(
                label=_("What was seen"),
                required=False,
                max_length=300,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"{point}_photo"] = forms.FileField(
                label=_("Photo (JPEG or PNG)"),
                required=False,
                widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
            )
            self.fields[f"{point}_alert"] = forms.BooleanField(
                label=_("Raise an alert on the people serving"), required=False, initial=True
            )

    def _keys(self) -> list[str]:
        return [*PatrolCheck.values, *(f"rule{rule.pk}" for rule in self.rules)]

    def points(self) -> list[dict[str, Any]]:
        """The bound fields of each point, in checklist order, for the template."""
        return [
            {
                "point": point,
                "is_rule": point.startswith("rule"),
                "ok": self[f"{point}_ok"],
                "note": self[f"{point}_note"],
                "photo": self[f"{point}_photo"],
                "alert": self[f"{point}_alert"],
            }
            for point in self._keys()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for point in self._keys():
            if not data.get(f"{point}_ok") and not (data.get(f"{point}_note") or "").strip():
                self.add_error(
                    f"{point}_note", _("Say what was seen: a failed point needs a note.")
                )
        return data

    def failed(self) -> list[tuple[str, str, Any, bool]]:
        """(point, note, photo, raise an alert) of each failed point."""
        data = self.cleaned_data
        return [
            (
                point,
                data.get(f"{point}_note") or "",
                data.get(f"{point}_photo"),
                bool(data.get(f"{point}_alert")),
            )
            for point in PatrolCheck.values
            if not data.get(f"{point}_ok")
        ]

    def failed_rules(self) -> list[tuple[int, str, Any, bool]]:
        """(code line id, note, photo, raise an alert) of each failed line of the code."""
        data = self.cleaned_data
        return [
            (
                rule.pk,
                data.get(f"rule{rule.pk}_note") or "",
                data.get(f"rule{rule.pk}_photo"),
                bool(data.get(f"rule{rule.pk}_alert")),
            )
            for rule in self.rules
            if not data.get(f"rule{rule.pk}_ok")
        ]
