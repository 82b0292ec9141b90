"""A center's own closures and extra working days (SPEC §4).

Only the managers of that center (its subtree's managers) or the system; every change is atomic,
logged and announced (services/_common.py).

Cascade (issue 16 item 9): `center_day_cascade` sets the day for a center AND every active center
below it in one transaction. Below, a day is written as a copy marked `cascaded_from` = the
origin; a center's own entry for that day (or a copy from a nearer level) is kept untouched, and
an earlier copy from the same origin is replaced. A lower center setting the day itself makes
it its own (the mark is cleared), so later cascades leave it alone. The actor must manage every
center touched, otherwise the whole change is refused naming the ones out of scope. One event
per touched center; one calendar change listing them all, so open deadlines are recomputed by
the same hooks as for a single center.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.workdays.access.calendar import (
    centers_below,
    require_center_days_manager,
    require_center_days_manager_of_all,
)
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


@dataclass
class CenterDayCascade:
    """What `center_day_cascade` did: the origin's day, the centers below that received the day
    (`applied`) and those whose own entry for that day was kept (`kept`), ids in tree order."""

    day: CenterDay
    applied: list[int] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)


def _checked(date: datetime.date, kind: str, reason: str) -> tuple[str, str]:
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
    return kind, reason


def _write_day(
    *,
    actor: User | None,
    center_id: int,
    date: datetime.date,
    kind: str,
    reason: str,
    cascaded_from: int | None,
    extra: dict[str, object] | None = None,
) -> CenterDay:
    day, created = CenterDay.objects.select_for_update().get_or_create(
        center_id=center_id,
        date=date,
        defaults={
            "kind": kind,
            "reason": reason,
            "created_by": actor,
            "cascaded_from": cascaded_from,
        },
    )
    if not created:
        day.kind, day.reason, day.created_by = kind, reason, actor
        day.cascaded_from = cascaded_from
        day.save(update_fields=["kind", "reason", "created_by", "cascaded_from", "updated_at"])
    data: dict[str, object] = {"date": date.isoformat(), "kind": kind, "replaced": not created}
    if cascaded_from is not None:
        data["cascaded_from"] = cascaded_from
    record_event(
        actor=actor,
        action=WorkdaysEvent.CENTER_DAY_SET,
        obj=day,
        center_id=center_id,
        note=reason,
        data=data | (extra or {}),
    )
    return day


def _announce(action: str, center_ids: set[int], date: datetime.date) -> None:
    calendar_changed(
        CalendarChange(
            action=action,
            center_ids=frozenset(center_ids),
            years=frozenset({date.year}),
            since=date,
        )
    )


@transaction.atomic
def center_day_set(
    *, actor: User | None, center_id: int, date: datetime.date, kind: str, reason: str
) -> CenterDay:
    """Close a center on a working day, or open it on a day off (replacing an earlier entry
    for the same day, which becomes the center's own). Only the managers of that center (its
    subtree's managers) or the system."""
    require_center_days_manager(actor, center_id)
    kind, reason = _checked(date, kind, reason)
    day = _write_day(
        actor=actor, center_id=center_id, date=date, kind=kind, reason=reason, cascaded_from=None
    )
    _announce(WorkdaysEvent.CENTER_DAY_SET, {center_id}, date)
    return day


@transaction.atomic
def center_day_cascade(
    *, actor: User | None, center_id: int, date: datetime.date, kind: str, reason: str
) -> CenterDayCascade:
    """`center_day_set` for the center and, in the same step, every active center below it
    (module docstring: own entries below are kept; all or nothing on permission)."""
    require_center_days_manager(actor, center_id)
    kind, reason = _checked(date, kind, reason)
    below = centers_below(center_id)
    require_center_days_manager_of_all(actor, below)
    below_ids = [pk for pk, _name in below]
    existing = {
        day.center_id: day
        for day in CenterDay.objects.select_for_update().filter(center_id__in=below_ids, date=date)
    }
    result = CenterDayCascade(day=CenterDay())
    for pk in below_ids:
        current = existing.get(pk)
        if current is not None and current.cascaded_from != center_id:
            result.kept.append(pk)
        else:
            result.applied.append(pk)
    result.day = _write_day(
        actor=actor,
        center_id=center_id,
        date=date,
        kind=kind,
        reason=reason,
        cascaded_from=None,
        extra={"applied_below": result.applied, "kept_below": result.kept},
    )
    for pk in result.applied:
        _write_day(
            actor=actor, center_id=pk, date=date, kind=kind, reason=reason, cascaded_from=center_id
        )
    _announce(WorkdaysEvent.CENTER_DAY_SET, {center_id, *result.applied}, date)
    return result


@transaction.atomic
def center_day_remove(
    *, actor: User | None, center_id: int, date: datetime.date, include_below: bool = False
) -> None:
    """Remove the center's entry for `date`; with `include_below` also the copies it cascaded
    to the centers below (their own entries stay). Without it the copies stay below."""
    require_center_days_manager(actor, center_id)
    day = CenterDay.objects.select_for_update().filter(center_id=center_id, date=date).first()
    if day is None:
        raise ValidationError(
            {"date": _("There is no override on %(date)s.") % {"date": date.isoformat()}}
        )
    days = [day]
    if include_below:
        below = dict(centers_below(center_id))
        copies = list(
            CenterDay.objects.select_for_update()
            .filter(center_id__in=below, date=date, cascaded_from=center_id)
            .order_by("center_id")
        )
        require_center_days_manager_of_all(
            actor, [(c.center_id, below[c.center_id]) for c in copies]
        )
        days += copies
    for each in days:
        record_event(
            actor=actor,
            action=WorkdaysEvent.CENTER_DAY_REMOVE,
            obj=each,
            center_id=each.center_id,
            data={"date": date.isoformat(), "kind": each.kind, "reason": each.reason},
        )
    CenterDay.objects.filter(pk__in=[each.pk for each in days]).delete()
    _announce(WorkdaysEvent.CENTER_DAY_REMOVE, {each.center_id for each in days}, date)
