"""Password rules of our own, added to Django's validators in settings.AUTH_PASSWORD_VALIDATORS
(等保 2.0 level 3: length, complexity, not the user's name, not common, not all digits)."""

from __future__ import annotations

import string
from typing import Any

from django.contrib.auth.password_validation import MinimumLengthValidator as DjangoMinimumLength
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class MinimumLengthValidator(DjangoMinimumLength):
    """Django's rule with a message of our own (Django 5.2's Chinese catalog misses its plural
    message, so the refusal would show in English)."""

    def get_error_message(self) -> str:
        return _("This password is too short: it must have at least %(count)s characters.") % {
            "count": self.min_length
        }

    def get_help_text(self) -> str:
        return _("Your password must have at least %(count)s characters.") % {
            "count": self.min_length
        }


class NotContainingUsernameValidator:
    """Refuses a password that contains the username, forwards or backwards, in any case.

    Django's UserAttributeSimilarityValidator misses a long password built around the name
    ("zhangsan-Secure#2026"); this one does not."""

    min_username_length = 3

    def validate(self, password: str, user: Any = None) -> None:
        username = str(getattr(user, "username", "") or "").lower()
        if len(username) < self.min_username_length:
            return
        lowered = password.lower()
        if username in lowered or username[::-1] in lowered:
            raise ValidationError(
                _("The password must not contain the username."),
                code="password_contains_username",
            )

    def get_help_text(self) -> str:
        return _("Your password must not contain your username.")


def _classes(password: str) -> int:
    kinds = [
        any(char in string.ascii_lowercase for char in password),
        any(char in string.ascii_uppercase for char in password),
        any(char.isdigit() for char in password),
        any(not (char.isascii() and char.isalnum()) for char in password),
    ]
    return sum(kinds)


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, upper-case letters, digits, others."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = max(1, min(4, min_classes))

    def validate(self, password: str, user: Any = None) -> None:
        if _classes(password) < self.min_classes:
            raise ValidationError(
                _(
                    "The password must mix at least %(count)s of: lower-case letters, "
                    "upper-case letters, digits and other characters."
                )
                % {"count": self.min_classes},
                code="password_too_simple",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must mix at least %(count)s of: lower-case letters, upper-case "
            "letters, digits and other characters."
        ) % {"count": self.min_classes}
