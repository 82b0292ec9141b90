"""The empty choice of every drop-down list reads "请选择…", never Django's "---------"
(issue 17 item 11).

Django writes its empty choice in two places: `BLANK_CHOICE_DASH`, which a model field with
choices (or a foreign key) puts first in its form field and the admin in its action list, and
the default `empty_label` of `ModelChoiceField`. `use_translated_empty_choice` (called once, from
CoreConfig.ready) replaces both with `EMPTY_CHOICE`, translated when the page is rendered, so every
form of the site, the admin's included, is covered without each form remembering it. A filter
whose empty choice means "all" still names it itself (`empty_label=_("All …")`), and a form that
builds its choices by hand starts them with `EMPTY_CHOICE` (see `with_empty_choice`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import fields
from django.forms import ModelChoiceField
from django.utils.translation import gettext_lazy as _

EMPTY_CHOICE = _("Please choose…")
DJANGO_DASHES = "---------"


def with_empty_choice(choices: Iterable[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """The choices of a hand-built drop-down list, after the empty choice."""
    return [("", EMPTY_CHOICE), *choices]


def use_translated_empty_choice() -> None:
    # In place: the default arguments of Field.get_choices hold this very list.
    fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]  # type: ignore[list-item]
    defaults = ModelChoiceField.__init__.__kwdefaults__
    assert defaults is not None and "empty_label" in defaults, "Django changed ModelChoiceField"
    if defaults["empty_label"] == DJANGO_DASHES:
        defaults["empty_label"] = EMPTY_CHOICE
