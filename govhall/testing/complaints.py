"""Complaints for tests (投诉): registered through the service, about a staff member by default."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from govhall.core.models import User
from govhall.feedback.models import Complaint, ComplaintChannel, ComplaintTarget
from govhall.feedback.services.complaints import complaint_register
from govhall.org.models import Center

COMPLAINANT = {"complainant_name": "张三丰", "complainant_phone": "13812345678"}


def local(*args: int) -> datetime.datetime:
    """An aware local moment, e.g. local(2025, 9, 30, 10, 0)."""
    return timezone.make_aware(datetime.datetime(*args), timezone.get_current_timezone())


def make_complaint(
    actor: User, center: Center, *, target: User | None = None, **fields: Any
) -> Complaint:
    """A complaint registered by `actor` (a handler) about `target` (or the center)."""
    values: dict[str, Any] = {
        "center_id": center.pk,
        "channel": ComplaintChannel.PHONE,
        "target_kind": ComplaintTarget.STAFF if target else ComplaintTarget.CENTER,
        "target_id": target.pk if target else None,
        "summary": "窗口人员态度生硬",
        "details": "办理营业执照时被呵斥。",
        **COMPLAINANT,
    }
    values.update(fields)
    return complaint_register(actor=actor, **values)
