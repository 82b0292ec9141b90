"""The missing-round scan: at least one morning and one afternoon round a day per center
(seeds/002… 六3; issue 14 item 6).

Entry point:
def scan_patrol_missing(*, now=None, full=False) -> ScanResult

A center with active windows that had no round of a session by the end of it — the morning by the
center's morning close, the afternoon by its afternoon close (the hours attendance reads too) —
on one of its working days (`workdays.calendar_for`) gets one alert of the rule
"patrol_missing.yellow", subject "round:<center>:<day>:<session>"; the rule tells the hall
directors. The scan looks at the days since its last run (the first run: today; a full run: the
last GOVHALL_PATROL_SCAN_DAYS days too) and withdraws alerts that no longer hold (a round was
recorded for the session after all, or the day stopped being a working day). Idempotent and safe
twice at once: the scan's state row is taken FOR UPDATE and the database keeps one live alert
per rule and subject.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.org.models import Center, Window
from govhall.supervision.models import (
    Alert,
    AlertRule,
    AlertSubject,
    PatrolRound,
    PatrolSession,
    WithdrawalReason,
)
from govhall.supervision.services.raising import AlertDraft, raise_alerts, withdraw_alerts
from govhall.supervision.services.scanning import ScanResult, locked_state, mark_scanned
from govhall.workdays.queries.calendar import calendar_for

SCAN_NAME = AlertSubject.PATROL_MISSING.value
RULE_CODE = "patrol_missing.yellow"


def subject_key(center_id: int, day: datetime.date, session: str) -> str:
    return f"round:{center_id}:{day.isoformat()}:{session}"


def session_end(center: Center, day: datetime.date, session: str) -> datetime.datetime:
    """When a session of a center's day ends, as an aware moment in local time."""
    closes = center.morning_closes if session == PatrolSession.MORNING else center.afternoon_closes
    return timezone.make_aware(datetime.datetime.combine(day, closes))


def _days(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    return [first + datetime.timedelta(days=n) for n in range((last - first).days + 1)]


def _patrolled_centers() -> list[Center]:
    windows = Window.objects.filter(center=OuterRef("pk"), is_active=True)
    return list(Center.objects.filter(Exists(windows), is_active=True).order_by("pk"))


def _rounds_done(first: datetime.date, last: datetime.date) -> set[tuple[int, datetime.date, str]]:
    """(center, day, session) of every round from `first` to `last` (one query)."""
    return set(
        PatrolRound.objects.filter(day__gte=first, day__lte=last).values_list(
            "center_id", "day", "session"
        )
    )


def _missing(
    centers: list[Center],
    first: datetime.date,
    moment: datetime.datetime,
    done: set[tuple[int, datetime.date, str]],
) -> dict[str, tuple[Center, datetime.date, str]]:
    """Every (center, day, session) from `first` whose session ended by `moment` on a working
    day without a round, by subject key."""
    today = timezone.localdate(moment)
    found: dict[str, tuple[Center, datetime.date, str]] = {}
    for center in centers:
        calendar = calendar_for(center.pk)
        for day in _days(first, today):
            if not calendar.is_workday(day):
                continue
            for session in PatrolSession.values:
                if (center.pk, day, session) in done:
                    continue
                if session_end(center, day, session) <= moment:
                    found[subject_key(center.pk, day, session)] = (center, day, session)
    return found


def _no_longer_holding(
    rule: AlertRule, first: datetime.date, done: set[tuple[int, datetime.date, str]]
) -> list[int]:
    """Live alerts of the rule from `first` on whose round exists now (`done`) or whose day is
    no longer a working day."""
    live = Alert.objects.live().filter(rule=rule, occurred_on__gte=first)
    stale: list[int] = []
    for pk, key in live.values_list("pk", "subject_key"):
        try:
            _prefix, center_raw, day_raw, session = key.split(":")
            center_id, day = int(center_raw), datetime.date.fromisoformat(day_raw)
        except ValueError:
            continue
        if (center_id, day, session) in done or not calendar_for(center_id).is_workday(day):
            stale.append(pk)
    return stale


def scan_patrol_missing(*, now: datetime.datetime | None = None, full: bool = False) -> ScanResult:
    """Raise an alert for each session that passed without a round; withdraw those that no longer
    hold."""
    moment = now or timezone.now()
    today = timezone.localdate(moment)
    with locked_state(SCAN_NAME) as state:
        first = today if state.last_day is None else min(state.last_day, today)
        if full:
            first = min(first, today - datetime.timedelta(days=settings.GOVHALL_PATROL_SCAN_DAYS))
        rule = AlertRule.objects.filter(code=RULE_CODE).first()
        raised = withdrawn = 0
        if rule is not None:
            done = _rounds_done(first, today)
            stale = _no_longer_holding(rule, first, done)
            withdrawn = withdraw_alerts(
                rule,
                Alert.objects.filter(pk__in=stale),
                reason=WithdrawalReason.NO_LONGER_HOLDS,
                moment=moment,
            )
            missing = _missing(_patrolled_centers(), first, moment, done)
            drafts = [
                AlertDraft(
                    subject_key=key,
                    center_id=center.pk,
                    occurred_on=day,
                    detail=_("No %(session)s patrol round at %(center)s on %(day)s")
                    % {
                        "session": PatrolSession(session).label,
                        "center": center.name,
                        "day": day.isoformat(),
                    },
                )
                for key, (center, day, session) in missing.items()
            ]
            raised = raise_alerts(rule, drafts, moment=moment, batch=uuid.uuid4().hex)
        mark_scanned(state, started=timezone.now(), today=today)
    return ScanResult(day=today, full=full, raised=raised, withdrawn=withdrawn)
