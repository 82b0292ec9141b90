"""The shared input checks services use: collect every error, refuse once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from govhall.core.validation import (
    WHOLE_FORM,
    Conflict,
    FieldErrors,
    StateRefusal,
    clean_text,
    refusal_error,
)


def test_nothing_wrong_raises_nothing() -> None:
    errors = FieldErrors()
    assert errors.text("name", "  张三 \r\n", max_length=10) == "张三"
    assert not errors
    errors.raise_if_any()


def test_every_error_is_collected_before_the_refusal() -> None:
    errors = FieldErrors()
    errors.text("name", "", max_length=10, required="请填写姓名。")
    errors.text("note", "x" * 11, max_length=10)
    errors.whole_number("count", "three")
    errors.day("day", "2026-13-01")
    with pytest.raises(ValidationError) as refused:
        errors.raise_if_any()
    assert set(refused.value.message_dict) == {"name", "note", "count", "day"}
    assert refused.value.message_dict["name"] == ["请填写姓名。"]
    assert "10" in refused.value.message_dict["note"][0]


def test_only_conflicts_refuse_as_a_conflict_and_refused_input_wins() -> None:
    errors = FieldErrors()
    errors.conflict("code", "The code X is already used.")
    with pytest.raises(Conflict) as conflict:
        errors.raise_if_any()
    assert conflict.value.message_dict == {"code": ["The code X is already used."]}
    errors.text("name", "", max_length=10, required="Enter a name.")
    with pytest.raises(ValidationError) as refused:
        errors.raise_if_any()
    assert not isinstance(refused.value, Conflict)
    assert set(refused.value.message_dict) == {"code", "name"}
    merged = FieldErrors()
    merged.merge(Conflict({"id_number": ["Already booked."]}))
    with pytest.raises(Conflict):
        merged.raise_if_any()


def test_a_state_refusal_is_raised_as_a_conflict() -> None:
    state = refusal_error(StateRefusal("Already done."), field="code")
    assert isinstance(state, Conflict) and state.message_dict == {"code": ["Already done."]}
    other = refusal_error("Your role may not do this.")
    assert not isinstance(other, Conflict) and other.messages == ["Your role may not do this."]


def test_text_keeps_inner_newlines_and_refuses_non_text() -> None:
    errors = FieldErrors()
    assert errors.text("note", " a\r\nb ", max_length=10) == "a\nb"
    assert errors.text("note2", ["a"], max_length=10) == ""
    assert "note2" in errors and "note" not in errors
    assert clean_text(5) == 5


def test_whole_numbers_and_bounds() -> None:
    errors = FieldErrors()
    assert errors.whole_number("a", "12") == 12
    assert errors.whole_number("b", 7, minimum=1, maximum=9) == 7
    assert errors.whole_number("c", True) is None
    assert errors.whole_number("d", 0, minimum=1) is None
    assert errors.whole_number("e", 10, maximum=9) is None
    assert errors.whole_number("f", None) is None
    assert set(errors.by_field) == {"c", "d", "e"}


def test_days_from_text_dates_and_aware_datetimes() -> None:
    errors = FieldErrors()
    assert errors.day("a", "2026-12-07") == datetime.date(2026, 12, 7)
    assert errors.day("b", datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)
    late_utc = datetime.datetime(2026, 12, 6, 20, 0, tzinfo=datetime.UTC)
    assert errors.day("c", late_utc) == timezone.localdate(late_utc)
    assert errors.day("d", "", required="请选择日期。") is None
    assert errors.by_field == {"d": ["请选择日期。"]}


def test_choices_and_flags() -> None:
    errors = FieldErrors()
    assert errors.choice("kind", "sick", ["sick", "annual"]) == "sick"
    assert errors.choice("kind2", "holiday", ["sick", "annual"]) is None
    assert errors.flag("a", "on") is True
    assert errors.flag("b", "0") is False
    assert errors.flag("c", "") is None
    assert errors.flag("d", "maybe") is None
    assert set(errors.by_field) == {"kind2", "d"}


def test_merge_takes_dicts_collectors_and_refusals() -> None:
    errors = FieldErrors()
    errors.merge({"a": ["one"]})
    other = FieldErrors()
    other.add("a", "two")
    errors.merge(other)
    errors.merge(ValidationError({"b": ["three"]}))
    errors.merge(ValidationError("whole"))
    assert errors.by_field == {"a": ["one", "two"], "b": ["three"], WHOLE_FORM: ["whole"]}


@given(st.text(max_size=40), st.integers(min_value=1, max_value=30))
def test_text_is_refused_exactly_when_too_long(value: str, max_length: int) -> None:
    errors = FieldErrors()
    kept = errors.text("field", value, max_length=max_length)
    assert kept == clean_text(value)
    assert ("field" in errors) == (len(kept) > max_length)
