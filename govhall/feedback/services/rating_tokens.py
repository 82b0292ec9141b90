"""The links a citizen rates through without an account (QR codes, SMS invitations, the
progress page, the re-rating after a bad rating was rectified).

A token is the occasion ("ticket:<id>", "case:<id>") or "rerate:<rating id>", signed with the
site's secret, so nobody can rate another occasion by changing a number. It carries no expiry of
its own: the rating service decides what is still open (the supplementary limit, one rating per
occasion, one re-rating per rating).
"""

from __future__ import annotations

from django.core import signing

SALT = "govhall.feedback.rating"
RERATE = "rerate"


def occasion_token(occasion: str) -> str:
    """The token of a service occasion, e.g. occasion_token("case:42")."""
    return signing.dumps(occasion, salt=SALT, compress=False)


def rerate_token(rating_id: int) -> str:
    """The token inviting the citizen to rate again after rating `rating_id` was followed up."""
    return signing.dumps(f"{RERATE}:{rating_id}", salt=SALT, compress=False)


def read_token(token: str) -> tuple[str, int] | None:
    """("ticket" | "case" | "rerate", id) of a token, or None when it is forged or malformed."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, str) or value.count(":") != 1:
        return None
    kind, _sep, number = value.partition(":")
    if kind not in ("ticket", "case", RERATE) or not number.isdigit():
        return None
    return kind, int(number)
