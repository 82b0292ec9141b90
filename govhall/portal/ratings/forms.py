"""The public rating form: it only parses; the rules are `feedback.services.ratings`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.feedback.models import BadRatingReason, RatingLevel
from govhall.feedback.services.ratings import (
    COMMENT_MAX_LENGTH,
    NAME_MAX_LENGTH,
    PHONE_MAX_LENGTH,
)


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("How satisfied are you with this service?"),
        choices=RatingLevel.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "rate-level"}),
        error_messages={"required": _("Choose one of the five levels.")},
    )
    reason = forms.ChoiceField(
        label=_("What was wrong?"),
        choices=BadRatingReason.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "rate-reason"}),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rater_name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    rater_phone = forms.CharField(
        label=_("Mobile phone (optional, for a call back)"),
        max_length=PHONE_MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
