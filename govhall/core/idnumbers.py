"""Identity numbers of applicants: checking and masking.

- Resident ID number (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check character.
- Unified social credit code (GB 32100-2015): 18 characters from a 31-character alphabet with
  a MOD 31 check character.
- Mainland mobile phone numbers: 11 digits starting with 1[3-9].
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")

_PHONE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def normalize(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def normalize_phone(value: str) -> str:
    """A phone number as stored: digits only, without a "+86"/"0086" country prefix
    ("138 1234-5678", "+86 13812345678" → "13812345678"). For exact searches."""
    digits = re.sub(r"\D", "", value or "")
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11:
            return digits[len(prefix) :]
    return digits


def id_check_character(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_error(value: str) -> str | None:
    """Why `value` is not a valid resident ID number, or None when it is."""
    number = normalize(value)
    if not _ID_PATTERN.match(number):
        return _("An ID number has 17 digits followed by a digit or X.")
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return _("The date of birth in the ID number is not a real date.")
    if id_check_character(number[:17]) != number[17]:
        return _("The ID number's check digit is wrong; please check the number.")
    return None


def uscc_check_character(first17: str) -> str:
    total = sum(
        _USCC_ALPHABET.index(char) * weight
        for char, weight in zip(first17, _USCC_WEIGHTS, strict=True)
    )
    return _USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_error(value: str) -> str | None:
    """Why `value` is not a valid unified social credit code, or None when it is."""
    code = normalize(value)
    if not _USCC_PATTERN.match(code):
        return _(
            "A unified social credit code has 18 characters (digits and capital letters "
            "except I, O, Z, S, V)."
        )
    if uscc_check_character(code[:17]) != code[17]:
        return _("The unified social credit code's check character is wrong.")
    return None


def phone_error(value: str) -> str | None:
    if not _PHONE_PATTERN.match(normalize(value)):
        return _("A mobile phone number has 11 digits and starts with 13–19.")
    return None


def mask_id(value: str) -> str:
    """1101**********1234: the first four and last four characters."""
    number = normalize(value)
    if len(number) <= 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def mask_phone(value: str) -> str:
    """138****5678."""
    number = normalize(value)
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]


def mask_name(value: str) -> str:
    """张*明 / 王*: the first character, and the last one for names of three or more."""
    name = (value or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
