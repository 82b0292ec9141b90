from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _messages_in_english() -> Iterator[None]:
    # Service tests assert the English msgids of their messages; the Chinese rendering of the
    # same messages is what the page tests and the translation check cover.
    with translation.override("en"):
        yield
