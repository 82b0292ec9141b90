"""Forms of the alert inbox and the rules page: they only carry input, the services check it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.supervision.models import AlertLevel, AlertRule, AlertStatus
from govhall.supervision.queries.alerts import InboxBox
from govhall.supervision.services.alerts import EXPLANATION_MAX_LENGTH, NOTE_MAX_LENGTH
from govhall.supervision.services.rules import FLAGS, editable_thresholds

ANY = [("", _("Any"))]
LIVE_CHOICES = [("1", _("Live")), ("0", _("Withdrawn")), ("all", _("Live and withdrawn"))]


class InboxFilterForm(forms.Form):
    box = forms.ChoiceField(label=_("Show"), choices=InboxBox.choices, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=ANY + AlertLevel.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ANY + AlertStatus.choices, required=False)
    live = forms.ChoiceField(label=_("Live or withdrawn"), choices=LIVE_CHOICES, required=False)

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of `alert_inbox` (defaults for anything malformed)."""
        data = self.cleaned_data if self.is_valid() else {}
        live = {"1": True, "0": False, "all": None}.get(data.get("live") or "1", True)
        return {
            "box": data.get("box") or InboxBox.ALL,
            "level": data.get("level") or None,
            "status": data.get("status") or None,
            "live": live,
        }


class ExplainForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation (what happened and why)"),
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": EXPLANATION_MAX_LENGTH}),
        required=False,
    )


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Decision note"),
        widget=forms.TextInput(attrs={"maxlength": NOTE_MAX_LENGTH}),
        required=False,
        help_text=_("Required to uphold the alert."),
    )


THRESHOLD_LABELS = {
    "threshold_days": _("Working days"),
    "threshold_percent": _("Percent of the promised time used"),
    "threshold_minutes": _("Minutes tolerated"),
}
THRESHOLD_HELP = {
    "threshold_days": _(
        "A reminder: working days before the deadline (0–10). Overdue follow-ups "
        "and off-hours requests: working days allowed (1–10)."
    ),
    "threshold_percent": _("50 to 99."),
    "threshold_minutes": _("0 to 240."),
}


class AlertRuleForm(forms.Form):
    """The thresholds the rule has, its points and who is told. Bounds are the service's."""

    points = forms.CharField(
        label=_("Points deducted"), help_text=_("0 to 20, in steps of 0.5."), max_length=8
    )

    def __init__(self, *args: Any, rule: AlertRule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule = rule
        for name in editable_thresholds(rule):
            self.fields[name] = forms.CharField(
                label=THRESHOLD_LABELS[name],
                help_text=THRESHOLD_HELP[name],
                required=False,
                max_length=8,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            )
        for name in FLAGS:
            model_field = AlertRule._meta.get_field(name)
            assert isinstance(model_field, models.Field)
            self.fields[name] = forms.BooleanField(label=model_field.verbose_name, required=False)

    def changes(self) -> dict[str, object]:
        """What to hand to `alert_rule_update`: every field (the raw text for the service to
        check); a blank threshold leaves it unchanged."""
        data = self.cleaned_data
        changes: dict[str, object] = {"points": data.get("points", "")}
        for name in editable_thresholds(self.rule):
            changes[name] = data.get(name) or None
        for name in FLAGS:
            changes[name] = bool(data.get(name))
        return changes
