"""Forms of the bad-rating inbox: they only carry input, the services
(`govhall.feedback.services.rating_follow_up`) check it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.feedback.models import FollowUpStatus
from govhall.feedback.queries.rating_follow_up import InboxFilter
from govhall.feedback.rating_transitions import RatingAction
from govhall.feedback.services.rating_follow_up import NOTE_MAX_LENGTH, RECTIFICATION_MAX_LENGTH

ANY = [("", _("Any"))]
STATUSES = [(value, label) for value, label in FollowUpStatus.choices if value != "none"]


class BadRatingFilterForm(forms.Form):
    show = forms.ChoiceField(label=_("Show"), choices=InboxFilter.choices, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=ANY + STATUSES, required=False)

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of `bad_rating_inbox` (defaults for anything malformed)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {
            "show": data.get("show") or InboxFilter.OPEN,
            "status": data.get("status") or None,
        }


def _note(label: Any, *, rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,  # the service says what is missing
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": NOTE_MAX_LENGTH}),
    )


class CallBackForm(forms.Form):
    justified = forms.ChoiceField(
        label=_("Finding of the verification"),
        choices=[
            ("", "—"),
            ("yes", _("Justified: the cause lies with us")),
            ("no", _("Not justified")),
        ],
        required=False,
    )
    note = _note(_("What the citizen said and what the verification found"))


class RectifyForm(forms.Form):
    result = forms.CharField(
        label=_("What was rectified, and the result"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": RECTIFICATION_MAX_LENGTH}),
    )


class TellForm(forms.Form):
    note = forms.CharField(
        label=_("How the citizen was told (optional)"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": NOTE_MAX_LENGTH}),
        help_text=_("A rating with a phone number also gets an SMS with a link to rate again."),
    )


class AppealForm(forms.Form):
    reason = _note(_("Why the rating is malicious or mistaken"))


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Decision note"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": NOTE_MAX_LENGTH}),
    )


# The form of each action (the page draws the ones the table allows).
ACTION_FORMS: dict[str, type[forms.Form]] = {
    RatingAction.CALL_BACK: CallBackForm,
    RatingAction.RECTIFY: RectifyForm,
    RatingAction.TELL: TellForm,
    RatingAction.APPEAL: AppealForm,
    RatingAction.EXCLUDE: DecisionForm,
    RatingAction.REJECT_APPEAL: DecisionForm,
}
