"""Petitions (信访) for tests: registered through the service on a chosen day."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from govhall.core.models import User
from govhall.feedback.models.petitions import Petition
from govhall.feedback.services.petitions import petition_register
from govhall.org.models import Center

# A valid resident ID number (check digit right) and a mobile number for the register.
ID_NUMBER = "11010519491231002X"
PHONE = "13912345678"


def local_moment(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """`day` at `hour` local time, aware."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def make_petition(
    actor: User, center: Center, *, day: datetime.date | None = None, **fields: Any
) -> Petition:
    """A petition registered by `actor` (its handler) at `center`, received on `day` (default:
    now); `fields` override the register's values."""
    values: dict[str, Any] = {
        "name": "张三丰",
        "gender": "male",
        "age": 56,
        "occupation": "农民",
        "political_status": "masses",
        "address_or_employer": "城关镇幸福村三组",
        "phone": PHONE,
        "id_number": ID_NUMBER,
        "matter": "反映村道路硬化工程质量问题",
    }
    if day is not None:
        values["received_at"] = local_moment(day)
    values.update(fields)
    return petition_register(actor=actor, center=center, **values)


def set_fields(petition: Petition, **fields: Any) -> Petition:
    """Move a petition's dates as if time had passed (tests only)."""
    Petition.objects.filter(pk=petition.pk).update(**fields)
    petition.refresh_from_db()
    return petition
