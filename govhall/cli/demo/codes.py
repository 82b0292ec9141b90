"""Plausible identifiers for the demo: unified social credit codes and implementation codes."""

from __future__ import annotations

# GB 32100-2015: 18 characters, the last a check character over this alphabet.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# Two-digit type part of the national basic code (基本编码) of a service item.
TYPE_CODES = {
    "licensing": "01",
    "benefit": "05",
    "confirmation": "07",
    "reward": "08",
    "adjudication": "09",
    "other_power": "10",
    "public_service": "20",
}


def credit_code(area: str, serial: int) -> str:
    """A government body's unified social credit code (登记管理部门 1, 机关 1) with its check."""
    body = f"11{area}MB{serial:07d}"
    assert len(body) == 17, body
    total = sum(CREDIT_ALPHABET.index(ch) * w for ch, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


def implementation_code(department_credit: str, item_type: str, serial: int) -> str:
    """An implementation code (实施编码): department credit code + type + serial + variant."""
    return f"{department_credit}{TYPE_CODES[item_type]}{serial:05d}000"
