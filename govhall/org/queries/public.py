"""The centers as the public sees them (issue 18 item 5: the disclosure pages, the public API):
active centers with their name, address and the enquiry, complaint and supervision phones,
looked up by their public code. Nothing else of a center leaves here."""

from __future__ import annotations

from django.db.models import QuerySet

from govhall.org.models import Center

PUBLIC_CENTER_FIELDS = (
    "pk",
    "code",
    "name",
    "path",
    "level",
    "phone",
    "complaint_phone",
    "supervision_phone",
    "address",
)


def public_center_list() -> QuerySet[Center]:
    """Every active center, in the order of the tree."""
    return Center.objects.active().only(*PUBLIC_CENTER_FIELDS).order_by("path")


def public_center(code: str) -> Center | None:
    """The active center with this public code, or None."""
    return public_center_list().filter(code=code).first()
