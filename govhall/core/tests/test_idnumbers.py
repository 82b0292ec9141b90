"""Identity numbers of applicants: GB 11643 ID numbers, GB 32100 credit codes, phones, masks."""

from __future__ import annotations

import datetime
import string

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from govhall.core.idnumbers import (
    id_check_character,
    id_number_error,
    mask_id,
    mask_name,
    mask_phone,
    normalize,
    phone_error,
    uscc_check_character,
    uscc_error,
)

# GB 11643-1999 appendix example and a number ending in X (checked by hand: sum 10 → "X").
VALID_IDS = ["11010519491231002X", "110101199003074477", "440524188001010014"]
# GB 32100-2015 codes computed by hand (weights 1,3,9,27,…; check = 31 - sum mod 31).
VALID_USCC = ["91350100M000100Y43", "91110000600037341L"]
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("number", VALID_IDS)
def test_valid_id_numbers(number):
    assert id_number_error(number) is None


def test_lowercase_x_and_spaces_are_accepted():
    assert id_number_error(" 11010519491231002x ") is None
    assert normalize(" 1101 0519 4912 3100 2x") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110101199003074478", "check digit"),  # last digit changed
        ("11010119900307447", "17 digits"),  # too short
        ("1101011990030744770", "17 digits"),  # too long
        ("11010119900307447A", "17 digits"),
        ("110101199002304471", "date of birth"),  # 30 February
        ("110101199013014478", "date of birth"),  # month 13
        ("", "17 digits"),
    ],
)
def test_invalid_id_numbers(number, why):
    error = id_number_error(number)
    assert error is not None and why in error


def test_id_check_character_known_values():
    assert id_check_character("11010519491231002") == "X"
    assert id_check_character("11010119900307447") == "7"


@pytest.mark.parametrize("code", VALID_USCC)
def test_valid_credit_codes(code):
    assert uscc_error(code) is None
    assert uscc_error(code.lower()) is None


@pytest.mark.parametrize(
    ("code", "why"),
    [
        ("91350100M000100Y44", "check character"),
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000100YI3", "18 characters"),  # I is not in the alphabet
        ("91350100M0001O0Y43", "18 characters"),  # neither is O
        ("9135010AM000100Y43", "18 characters"),  # positions 3–8 are the region code digits
    ],
)
def test_invalid_credit_codes(code, why):
    error = uscc_error(code)
    assert error is not None and why in error


@pytest.mark.parametrize("phone", ["13812345678", "19912345678", "138 1234 5678"])
def test_valid_phones(phone):
    assert phone_error(phone) is None


@pytest.mark.parametrize("phone", ["12812345678", "1381234567", "138123456789", "0571-8888888", ""])
def test_invalid_phones(phone):
    assert phone_error(phone)


def test_masks():
    assert mask_id("110101199003074477") == "1101**********4477"
    assert mask_id("91350100M000100Y43") == "9135**********0Y43"
    assert mask_id("1234") == "****"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("123") == "***"
    assert mask_name("张三丰") == "张*丰"
    assert mask_name("王五") == "王*"
    assert mask_name("欧阳明日") == "欧**日"
    assert mask_name("李") == "李"


# --- properties ------------------------------------------------------------------------------

birth_dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2099, 12, 31))
regions = st.text(alphabet=string.digits, min_size=6, max_size=6)
sequences = st.text(alphabet=string.digits, min_size=3, max_size=3)


@st.composite
def id_numbers(draw: st.DrawFn) -> str:
    first17 = draw(regions) + draw(birth_dates).strftime("%Y%m%d") + draw(sequences)
    return first17 + id_check_character(first17)


@st.composite
def credit_codes(draw: st.DrawFn) -> str:
    free = st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2)
    tail = st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9)
    first17 = draw(free) + draw(regions) + draw(tail)
    return first17 + uscc_check_character(first17)


@given(number=id_numbers())
def test_a_computed_id_check_digit_always_validates(number):
    assert id_number_error(number) is None


@given(number=id_numbers(), position=st.integers(0, 17), data=st.data())
def test_any_single_change_of_an_id_number_is_refused(number, position, data):
    alphabet = string.digits + ("X" if position == 17 else "")
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != number[position]]))
    changed = number[:position] + replacement + number[position + 1 :]
    assert id_number_error(changed) is not None


@given(code=credit_codes())
def test_a_computed_credit_code_check_character_always_validates(code):
    assert uscc_error(code) is None


@given(code=credit_codes(), position=st.integers(0, 17), data=st.data())
def test_any_single_change_of_a_credit_code_is_refused(code, position, data):
    alphabet = string.digits if 2 <= position <= 7 else USCC_ALPHABET
    replacement = data.draw(st.sampled_from([c for c in alphabet if c != code[position]]))
    changed = code[:position] + replacement + code[position + 1 :]
    assert uscc_error(changed) is not None


@given(number=id_numbers())
def test_masked_id_keeps_only_the_ends(number):
    masked = mask_id(number)
    assert len(masked) == 18
    assert masked[:4] == number[:4] and masked[-4:] == number[-4:]
    assert set(masked[4:-4]) == {"*"}
