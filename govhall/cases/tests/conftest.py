"""Case service tests assert English msgids; the hall fixtures live in `fixtures.py`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    # Page tests assert the Chinese rendering themselves.
    with translation.override("en"):
        yield
