"""A center's own closures and extra working days (SPEC §4).

Only the managers of that center (its subtree's managers) or the system; every change is atomic,
logged and announced (services/_common.py).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.workdays.access.calendar import require_center_days_manager
from govhall.workdays.events import WorkdaysEvent
from govhall.workdays.models import CenterDay
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import END, EPOCH
from govhall.workdays.services._common import calendar_changed
from govhall.workdays.services.changes import CalendarChange

MAX_REASON_LENGTH = 200


def _date_errors(date: datetime.date, kind: str | None, errors: FieldErrors) -> None:
    if not EPOCH <= date <= END:
        errors.add(
            "date",
            _("The date must be between %(first)s and %(last)s.")
            % {"first": EPOCH.isoformat(), "last": END.isoformat()},
        )
        return
    if kind is None:
        return
    national_workday = calendar_for(None).is_workday(date)
    if kind == CenterDay.Kind.CLOSED and not national_workday:
        errors.add(
            "date",
            _("%(date)s is not a working day anyway; a closure is only needed on a working day.")
            % {"date": date.isoformat()},
        )
    if kind == CenterDay.Kind.EXTRA_WORKDAY and national_workday:
        errors.add(
            "date",
            _(
                "%(date)s is a working day already; an extra working day is a day off made a "
                "working day."
            )
            % {"date": date.isoformat()},
        )


@transaction.atomic
def center_day_set(
    *, actor: User | None, center_id: int, date: datetime.date, kind: str, reason: str
) -> CenterDay:
    """Close a center on a working day, or open it on a day off (replacing an earlier entry
    for the same day). Only the managers of that center (its subtree's managers) or the system."""
    require_center_days_manager(actor, center_id)
    errors = FieldErrors()
    kind = errors.choice(
        "kind", kind, CenterDay.Kind.values, message=_("Choose closed or extra working day.")
    )
    reason = errors.text(
        "reason",
        reason,
        max_length=MAX_REASON_LENGTH,
        required=_("Give the reason (for example a power outage or a flood)."),
    )
    _date_errors(date, kind, errors)
    errors.raise_if_any()
    day, created = CenterDay.objects.select_for_update().get_or_create(
        center_id=center_id,
        date=date,
        defaults={"kind": kind, "reason": reason, "created_by": actor},
    )
    if not created:
        day.kind, day.reason, day.created_by = kind, reason, actor
        day.save(update_fields=["kind", "reason", "created_by", "updated_at"])
    record_event(
        actor=actor,
        action=WorkdaysEvent.CENTER_DAY_SET,
        obj=day,
        center_id=center_id,
        note=reason,
        data={"date": date.isoformat(), "kind": kind, "replaced": not created},
    )
    calendar_changed(
        CalendarChange(
            action=WorkdaysEvent.CENTER_DAY_SET,
            center_ids=frozenset({center_id}),
            years=frozenset({date.year}),
            since=date,
        )
    )
    return day


@transaction.atomic
def center_day_remove(*, actor: User | None, center_id: int, date: datetime.date) -> None:
    require_center_days_manager(actor, center_id)
    day = CenterDay.objects.select_for_update().filter(center_id=center_id, date=date).first()
    if day is None:
        raise ValidationError(
            {"date": _("There is no override on %(date)s.") % {"date": date.isoformat()}}
        )
    record_event(
        actor=actor,
        action=WorkdaysEvent.CENTER_DAY_REMOVE,
        obj=day,
        center_id=center_id,
        data={"date": date.isoformat(), "kind": day.kind, "reason": day.reason},
    )
    day.delete()
    calendar_changed(
        CalendarChange(
            action=WorkdaysEvent.CENTER_DAY_REMOVE,
            center_ids=frozenset({center_id}),
            years=frozenset({date.year}),
            since=date,
        )
    )
