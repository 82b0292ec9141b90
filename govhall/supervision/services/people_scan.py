"""The people scans (SPEC §8–9): empty posts, late sign-in, early leave and absence.

Entry points:
def scan_people(*, now=None, full=False) -> ScanResult
def run_watches(name, watches, *, now=None, full=False) -> ScanResult   (the engine, shared with
    `frontdesk_scan.py`)

Each rule subject is watched on one or more kinds of record (a `Watch`): a vacancy of a post
(PostVacancy, "vacancy:<id>"), an attendance row per kind ("attendance:<id>:late", ":early",
":absent" — kept per row and kind so that sessions can split a day later), a temporary absence
counted as half a day's absenteeism ("absence:<id>"). Every condition is SQL over the record's
own fields and the rule row's thresholds (`threshold_minutes`, `threshold_days`); Python only
builds the drafts of the alerts to raise (who answers, where, in words).

Incremental: after a first full scan, a scan looks only at the records changed since the last
scan (their `updated_at`, or their events) and at those that may have crossed a threshold since
the last scan's day; withdrawing always checks every live alert of the rule against its record
(an index probe each), so a record removed or corrected — a late sign-in after a missed one, a
leave approved afterwards — withdraws its alert ("corrected"). A rule changed since the last
scan (its alerts that no longer hold are withdrawn as "no longer holds"), a calendar change or
`full=True` makes the scan full. Idempotent and safe to run twice at
once: the scan's state row is taken FOR UPDATE and the database keeps one live alert per rule
and subject (`alert_live_unique`).
"""

from __future__ import annotations

import datetime
import functools
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.db.models import (
    BigIntegerField,
    CharField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models import Case as SqlCase
from django.db.models.functions import Cast, Concat, Length, Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.org.models import Post, Staff
from govhall.staffing.models import Absence, Attendance, Delegation, Leave, PostVacancy
from govhall.staffing.models.leave import LeaveStatus
from govhall.supervision.models import (
    Alert,
    AlertQuerySet,
    AlertRule,
    AlertSubject,
    WithdrawalReason,
)
from govhall.supervision.services.raising import (
    AlertDraft,
    raise_alerts,
    withdraw_alerts,
    withdraw_switched_off,
)
from govhall.supervision.services.scanning import (
    ScanResult,
    locked_state,
    mark_scanned,
    may_go_incremental,
    scan_calendars,
)
from govhall.workdays.queries.calendar import current_revision, day_start
from govhall.workdays.queries.work_calendar import WorkCalendar

SCAN_NAME = "people"
# "Changed since the last scan" looks this far further back, for writes that committed just
# after the last scan had read (a record seen twice is harmless: raising is idempotent).
CHANGED_MARGIN = datetime.timedelta(minutes=5)


# --- the engine ----------------------------------------------------------------------------------


@dataclass
class Clock:
    """What a scan compares with: the moment it scans as of, its day, and for an incremental
    scan the last scan's day and the wall-clock time changes are looked for from."""

    moment: datetime.datetime
    today: datetime.date
    last_day: datetime.date | None = None
    since: datetime.datetime | None = None

    @property
    def incremental(self) -> bool:
        return self.since is not None

    @functools.cached_property
    def calendars(self) -> dict[int | None, WorkCalendar]:
        """The national calendar (key None) and each center with days of its own."""
        return scan_calendars().by_center()


def workdays_before(calendar: WorkCalendar, day: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day before `day` (weekdays only outside the calendar's years)."""
    try:
        return calendar.subtract_workdays(day, days)
    except ValueError:
        left = days
        while left:
            day -= datetime.timedelta(days=1)
            if day.weekday() < 5:
                left -= 1
        return day


def received_before_limit(clock: Clock, fieldname: str, days: int, day: datetime.date) -> Q:
    """Records whose `fieldname` moment lies more than `days` working days of their center
    before `day`: received on a day whose limit of `days` working days ended before `day`."""
    special = [pk for pk in clock.calendars if pk is not None]
    clause = ~Q(center_id__in=special) & Q(
        **{f"{fieldname}__lt": day_start(workdays_before(clock.calendars[None], day, days))}
    )
    for pk in special:
        cutoff = day_start(workdays_before(clock.calendars[pk], day, days))
        clause |= Q(center_id=pk, **{f"{fieldname}__lt": cutoff})
    return clause


Rows = QuerySet[Any]


@dataclass(frozen=True)
class Watch:
    """One kind of record a rule subject watches, and how.

    `holding`: the records the rule holds for now (raised on). `still`: those an alert stays on
    (default `holding`; wider when the fact stays true after the record moves on, e.g. a request
    answered late). `changed`: records changed since a moment. `crossed`: records that may have
    come to hold since the last scan's day without changing. `drafts`: the alerts to raise."""

    subject: str
    model: type[models.Model]
    prefix: str
    suffix: str
    holding: Callable[[AlertRule, Clock], Rows]
    changed: Callable[[datetime.datetime], Q]
    drafts: Callable[[AlertRule, Rows, Clock], list[AlertDraft]]
    still: Callable[[AlertRule, Clock], Rows] | None = None
    crossed: Callable[[AlertRule, Clock], Q] | None = None

    def key(self, pk: int) -> str:
        return f"{self.prefix}{pk}{self.suffix}"

    def live(self, rule: AlertRule) -> AlertQuerySet:
        """The rule's live alerts on this kind of record, with the record's id (`subject_pk`)."""
        start, cut = len(self.prefix) + 1, len(self.prefix) + len(self.suffix)
        mine = Q(subject_key__startswith=self.prefix, subject_key__endswith=self.suffix)
        live = (
            Alert.objects.live()
            .filter(mine, rule=rule)
            .annotate(
                subject_pk=SqlCase(
                    When(
                        mine,
                        then=Cast(
                            Substr("subject_key", start, Length("subject_key") - cut),
                            BigIntegerField(),
                        ),
                    ),
                    default=Value(None),
                    output_field=BigIntegerField(),
                )
            )
        )
        return cast(AlertQuerySet, live)

    def live_key(self, rule: AlertRule) -> QuerySet[Alert]:
        """For a subquery on the record: its live alert by this rule (the unique index)."""
        key = Concat(
            Value(self.prefix),
            Cast(OuterRef("pk"), CharField()),
            Value(self.suffix),
            output_field=CharField(),
        )
        return Alert.objects.filter(rule=rule, withdrawn_at__isnull=True, subject_key=key)


def _withdraw(rule: AlertRule, watch: Watch, clock: Clock, reason: WithdrawalReason) -> int:
    live = watch.live(rule)
    if not rule.is_active:
        return withdraw_switched_off(rule, moment=clock.moment, alerts=live)
    still = (watch.still or watch.holding)(rule, clock)
    stale = cast(AlertQuerySet, live.exclude(Exists(still.filter(pk=OuterRef("subject_pk")))))
    return withdraw_alerts(rule, stale, reason=reason, moment=clock.moment)


def _raise(rule: AlertRule, watch: Watch, clock: Clock) -> int:
    rows = watch.holding(rule, clock)
    if clock.since is not None:
        looked_at = watch.changed(clock.since)
        if watch.crossed is not None:
            looked_at |= watch.crossed(rule, clock)
        rows = rows.filter(looked_at)
    rows = rows.exclude(Exists(watch.live_key(rule))).order_by("pk")
    drafts = watch.drafts(rule, rows, clock)
    # A batch per rule and watch: `raise_alerts` announces the rows of its batch.
    return raise_alerts(rule, drafts, moment=clock.moment, batch=uuid.uuid4().hex)


def run_watches(
    name: str,
    watches: Iterable[Watch],
    *,
    now: datetime.datetime | None = None,
    full: bool = False,
) -> ScanResult:
    """Raise the missing alerts of the watches' rules and withdraw those that no longer hold."""
    watch_list = list(watches)
    started = timezone.now()  # the wall clock: what "changed since" compares with
    moment = now or started
    today = timezone.localdate(moment)
    with locked_state(name) as state:
        revision = current_revision()
        rules = list(
            AlertRule.objects.filter(subject__in={w.subject for w in watch_list}).order_by("id")
        )
        last_at, last_day = state.last_scan_at, state.last_day
        incremental = may_go_incremental(
            state, full=full, today=today, revision=revision, rules=rules
        )
        clock = Clock(moment=moment, today=today)
        if incremental:
            assert last_at is not None
            clock.last_day, clock.since = last_day, last_at - CHANGED_MARGIN
        raised = withdrawn = 0
        for rule in rules:
            # What no longer holds was corrected, unless the rule itself changed since.
            reason = (
                WithdrawalReason.NO_LONGER_HOLDS
                if last_at is not None and rule.updated_at >= last_at
                else WithdrawalReason.CORRECTED
            )
            for watch in watch_list:
                if watch.subject != rule.subject:
                    continue
                withdrawn += _withdraw(rule, watch, clock, reason)
                if rule.is_active:
                    raised += _raise(rule, watch, clock)
        mark_scanned(state, started=started, today=today, revision=revision)
    return ScanResult(day=today, full=not incremental, raised=raised, withdrawn=withdrawn)


# --- shared pieces for drafts ------------------------------------------------------------------


def a_post_window() -> Subquery:
    """The window of the post the row's user holds as A staff (one A post per person)."""
    return Subquery(Post.objects.filter(a_staff_id=OuterRef("user_id")).values("window_id")[:1])


def name_of(full_name: str | None, username: str | None) -> str:
    return full_name or username or "?"


def departments_of(user_ids: Iterable[int | None]) -> dict[int, int | None]:
    """Each user's department (Staff) in one query."""
    ids = {pk for pk in user_ids if pk}
    if not ids:
        return {}
    return dict(
        Staff.objects.filter(user_id__in=ids).values_list("user_id", "department_id").order_by()
    )


def _minutes(rule: AlertRule) -> int:
    return int(rule.threshold_minutes or 0)


# --- attendance: late sign-in, early leave, missed sign-in ---------------------------------------


def updated_since(since: datetime.datetime) -> Q:
    """Records saved since `since` (a TimeStampedModel's `updated_at`)."""
    return Q(updated_at__gte=since)


def _attendance_rows(rows: Rows) -> list[tuple[Any, ...]]:
    return list(
        rows.annotate(post_window=a_post_window()).values_list(
            "pk",
            "center_id",
            "user_id",
            "date",
            "late_minutes",
            "early_leave_minutes",
            "afternoon_late_minutes",
            "morning_early_leave_minutes",
            "user__full_name",
            "user__username",
            "post_window",
            "user__staff__department_id",
        )
    )


def _attendance_drafts(kind: str) -> Callable[[AlertRule, Rows, Clock], list[AlertDraft]]:
    def drafts(rule: AlertRule, rows: Rows, clock: Clock) -> list[AlertDraft]:
        found = []
        for (
            pk,
            center,
            user,
            day,
            late,
            early,
            late_pm,
            early_am,
            full_name,
            username,
            window,
            dept,
        ) in _attendance_rows(rows):
            words = {"name": name_of(full_name, username), "day": day.isoformat()}
            if kind == "late":
                detail = _("%(name)s signed in %(minutes)s minutes late on %(day)s.") % {
                    **words,
                    "minutes": late,
                }
            elif kind == "late_pm":
                detail = _(
                    "%(name)s signed in %(minutes)s minutes late for the afternoon on %(day)s."
                ) % {**words, "minutes": late_pm}
            elif kind == "early":
                detail = _("%(name)s signed out %(minutes)s minutes early on %(day)s.") % {
                    **words,
                    "minutes": early,
                }
            elif kind == "early_am":
                detail = _(
                    "%(name)s left the morning session %(minutes)s minutes early on %(day)s."
                ) % {**words, "minutes": early_am}
            else:
                detail = _("%(name)s did not sign in on %(day)s and was not on leave.") % words
            found.append(
                AlertDraft(
                    subject_key=f"attendance:{pk}:{kind}",
                    center_id=center,
                    occurred_on=day,
                    detail=detail,
                    department_id=dept,
                    window_id=window,
                    responsible_id=user,
                )
            )
        return found

    return drafts


# Each session is watched on its own ("late"/"early_am" the morning's arrival and departure,
# "late_pm"/"early" the afternoon's); a lapse whose explanation the hall director accepted
# (`*_excused`, issue 16) does not hold, so its alert is withdrawn as corrected.


def _late(rule: AlertRule, clock: Clock) -> Rows:
    return Attendance.objects.filter(
        late_minutes__gt=_minutes(rule), morning_late_excused=False, date__lte=clock.today
    )


def _late_pm(rule: AlertRule, clock: Clock) -> Rows:
    return Attendance.objects.filter(
        afternoon_late_minutes__gt=_minutes(rule),
        afternoon_late_excused=False,
        date__lte=clock.today,
    )


def _early(rule: AlertRule, clock: Clock) -> Rows:
    return Attendance.objects.filter(
        early_leave_minutes__gt=_minutes(rule),
        afternoon_early_excused=False,
        date__lte=clock.today,
    )


def _early_am(rule: AlertRule, clock: Clock) -> Rows:
    return Attendance.objects.filter(
        morning_early_leave_minutes__gt=_minutes(rule),
        morning_early_excused=False,
        date__lte=clock.today,
    )


def _missed(rule: AlertRule, clock: Clock) -> Rows:
    return Attendance.objects.filter(missed_sign_in=True, on_leave=False, date__lte=clock.today)


# --- temporary absence counted as half a day's absenteeism ---------------------------------------


def _absent_unapproved(rule: AlertRule, clock: Clock) -> Rows:
    return Absence.objects.filter(
        counted_as_half_day_absenteeism=True,
        approved_by__isnull=True,
        starts_at__lte=clock.moment,
    )


def _absence_drafts(rule: AlertRule, rows: Rows, clock: Clock) -> list[AlertDraft]:
    found = []
    for (
        pk,
        center,
        user,
        starts,
        back,
        window,
        post_window,
        full_name,
        username,
        dept,
    ) in rows.annotate(post_window=a_post_window()).values_list(
        "pk",
        "center_id",
        "user_id",
        "starts_at",
        "returned_at",
        "window_id",
        "post_window",
        "user__full_name",
        "user__username",
        "user__staff__department_id",
    ):
        start = timezone.localtime(starts)
        minutes = int(((back or clock.moment) - starts).total_seconds() // 60)
        found.append(
            AlertDraft(
                subject_key=f"absence:{pk}",
                center_id=center,
                occurred_on=start.date(),
                detail=_(
                    "%(name)s was away from the post for %(minutes)s minutes from %(time)s on "
                    "%(day)s without approval: half a day's absenteeism."
                )
                % {
                    "name": name_of(full_name, username),
                    "minutes": minutes,
                    "time": start.strftime("%H:%M"),
                    "day": start.date().isoformat(),
                },
                department_id=dept,
                window_id=window or post_window,
                responsible_id=user,
            )
        )
    return found


# --- empty posts ---------------------------------------------------------------------------------


def _vacant_too_long(rule: AlertRule, clock: Clock) -> Rows:
    """Vacancies that lasted (or have lasted by now) longer than the rule's minutes."""
    tolerated = datetime.timedelta(minutes=_minutes(rule))
    return PostVacancy.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=F("started_at") + tolerated),
        started_at__lt=clock.moment - tolerated,
    )


def _vacancy_crossed(rule: AlertRule, clock: Clock) -> Q:
    """Open at the last scan, or begun since: they may have lasted long enough by now."""
    assert clock.last_day is not None
    tolerated = datetime.timedelta(minutes=_minutes(rule))
    return Q(started_at__gte=day_start(clock.last_day) - tolerated)


def _who_failed(
    rows: list[tuple[Any, ...]],
) -> dict[int, int | None]:
    """Who answers for each vacancy (pk, post, start, A, B, head): A, the person who should be
    there; when A was away with leave (or an approved absence) the cover who failed — the
    delegated cover, else B, else the window head."""
    if not rows:
        return {}
    posts = {row[1] for row in rows}
    a_staff = {row[3] for row in rows if row[3]}
    first = min(row[2] for row in rows)
    last = max(row[2] for row in rows)
    delegations = list(
        Delegation.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=first))
        .filter(post_id__in=posts, starts_at__lte=last)
        .order_by("starts_at", "id")
        .values_list("post_id", "absent_user_id", "cover_user_id", "starts_at", "ends_at")
    )
    leaves = list(
        Leave.objects.filter(
            status=LeaveStatus.APPROVED,
            user_id__in=a_staff,
            starts_at__lte=last,
            ends_at__gt=first,
        ).values_list("user_id", "starts_at", "ends_at")
    )
    answer: dict[int, int | None] = {}
    for pk, post, start, a, b, head in rows:
        cover = None
        for d_post, absent, cover_user, d_start, d_end in delegations:
            if (
                d_post == post
                and absent == a
                and d_start <= start
                and (d_end is None or start < d_end)
            ):
                cover = cover_user
        on_leave = any(user == a and s <= start < e for user, s, e in leaves)
        if cover is not None:
            answer[pk] = cover
        elif on_leave or a is None:
            answer[pk] = b or head or a
        else:
            answer[pk] = a
    return answer


def _vacancy_drafts(rule: AlertRule, rows: Rows, clock: Clock) -> list[AlertDraft]:
    found = list(
        rows.values_list(
            "pk",
            "post_id",
            "started_at",
            "post__a_staff_id",
            "post__b_staff_id",
            "post__window__head_id",
            "center_id",
            "ended_at",
            "post__name",
            "post__window_id",
            "post__window__number",
        )
    )
    people = _who_failed([row[:6] for row in found])
    departments = departments_of(people.values())
    drafts = []
    for pk, _post, start, _a, _b, _head, center, end, post_name, window, number in found:
        local = timezone.localtime(start)
        words = {
            "post": post_name,
            "window": number,
            "time": local.strftime("%H:%M"),
            "day": local.date().isoformat(),
        }
        if end is None:
            detail = _(
                "Post %(post)s at window %(window)s has been empty since %(time)s on %(day)s."
            )
        else:
            words["minutes"] = int((end - start).total_seconds() // 60)
            detail = _(
                "Post %(post)s at window %(window)s was empty for %(minutes)s minutes from "
                "%(time)s on %(day)s."
            )
        responsible = people.get(pk)
        drafts.append(
            AlertDraft(
                subject_key=f"vacancy:{pk}",
                center_id=center,
                occurred_on=local.date(),
                detail=detail % words,
                department_id=departments.get(responsible) if responsible else None,
                window_id=window,
                responsible_id=responsible,
            )
        )
    return drafts


# --- the watches and the scan ------------------------------------------------------------------

PEOPLE_WATCHES = (
    Watch(
        subject=AlertSubject.POST_EMPTY.value,
        model=PostVacancy,
        prefix="vacancy:",
        suffix="",
        holding=_vacant_too_long,
        changed=updated_since,
        crossed=_vacancy_crossed,
        drafts=_vacancy_drafts,
    ),
    Watch(
        subject=AlertSubject.LATE_SIGN_IN.value,
        model=Attendance,
        prefix="attendance:",
        suffix=":late",
        holding=_late,
        changed=updated_since,
        drafts=_attendance_drafts("late"),
    ),
    Watch(
        subject=AlertSubject.LATE_SIGN_IN.value,
        model=Attendance,
        prefix="attendance:",
        suffix=":late_pm",
        holding=_late_pm,
        changed=updated_since,
        drafts=_attendance_drafts("late_pm"),
    ),
    Watch(
        subject=AlertSubject.EARLY_LEAVE.value,
        model=Attendance,
        prefix="attendance:",
        suffix=":early",
        holding=_early,
        changed=updated_since,
        drafts=_attendance_drafts("early"),
    ),
    Watch(
        subject=AlertSubject.EARLY_LEAVE.value,
        model=Attendance,
        prefix="attendance:",
        suffix=":early_am",
        holding=_early_am,
        changed=updated_since,
        drafts=_attendance_drafts("early_am"),
    ),
    Watch(
        subject=AlertSubject.ABSENT.value,
        model=Attendance,
        prefix="attendance:",
        suffix=":absent",
        holding=_missed,
        changed=updated_since,  # closing a day again moves its rows' `updated_at` too
        drafts=_attendance_drafts("absent"),
    ),
    Watch(
        subject=AlertSubject.ABSENT.value,
        model=Absence,
        prefix="absence:",
        suffix="",
        holding=_absent_unapproved,
        changed=updated_since,
        drafts=_absence_drafts,
    ),
)


def scan_people(*, now: datetime.datetime | None = None, full: bool = False) -> ScanResult:
    """Empty posts, late sign-in, early leave and absence: raise what holds, withdraw what was
    corrected."""
    return run_watches(SCAN_NAME, PEOPLE_WATCHES, now=now, full=full)
