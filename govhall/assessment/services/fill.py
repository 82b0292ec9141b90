"""Filling the monthly score sheets from the supervision alerts (issue 14 item 7).

Entry point: `score_sheets_fill(*, month, centers=None) -> FillResult`, run by the beat task
`govhall.assessment.tasks.fill_score_sheets` and before a page shows a draft.

- Every window staff member of the centers gets a sheet for the month (starting at 100), and so
  does anyone an alert of the month names as responsible.
- Each alert that counts (`Alert.objects.counting()`: live, not excused by an accepted
  explanation) with points, of the month (`occurred_on`), becomes one entry on its responsible
  person's draft sheet: the person who served at that moment, B when B covered for A (the scans
  resolve it; patrol findings and attendance arrive as alerts too).
- An alert withdrawn or excused later drops its entry while the sheet is a draft; a reviewed
  sheet is left alone until reopened, a published one is frozen (corrections are by hand).

Idempotent and safe with two fills at once: the database keeps one sheet per person and month
and one entry per sheet and alert (inserts skip conflicts); a constant number of queries whatever
the number of alerts (the writes are batched).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from govhall.assessment.grading import START_SCORE
from govhall.assessment.models import EntryKind, ScoreEntry, ScoreSheet, SheetStatus
from govhall.assessment.months import month_start, next_month
from govhall.org.models import Center, Post, Staff
from govhall.supervision.models import Alert, AlertStatus

BATCH_SIZE = 1000


@dataclass(frozen=True)
class FillResult:
    sheets_opened: int
    entries_added: int
    entries_dropped: int


def _center_ids(centers: QuerySet[Center] | Iterable[int | Center] | None) -> list[int] | None:
    if centers is None:
        return None
    if isinstance(centers, QuerySet):
        return list(centers.values_list("pk", flat=True))
    return [c.pk if isinstance(c, Center) else int(c) for c in centers]


def sheets_rescore(sheets: QuerySet[ScoreSheet]) -> int:
    """Set each sheet's `score` to 100 + the sum of its entries (one UPDATE)."""
    total = (
        ScoreEntry.objects.filter(sheet=OuterRef("pk"))
        .order_by()
        .values("sheet")
        .annotate(total=Sum("points"))
        .values("total")
    )
    zero = Value(Decimal("0"), output_field=DecimalField(max_digits=6, decimal_places=1))
    return sheets.update(
        score=Value(START_SCORE, output_field=DecimalField(max_digits=5, decimal_places=1))
        + Coalesce(Subquery(total, output_field=DecimalField(max_digits=6, decimal_places=1)), zero)
    )


def _windows_of(user_ids: set[int]) -> dict[int, int]:
    """The window of each person's post: A first, else B."""
    found: dict[int, int] = {}
    for field in ("b_staff_id", "a_staff_id"):  # A overrides B
        for user_id, window_id in Post.objects.filter(
            **{f"{field}__in": user_ids}, window__is_active=True
        ).values_list(field, "window_id"):
            found[user_id] = window_id
    return found


def sheets_open(*, month: datetime.date, user_ids: set[int]) -> int:
    """A sheet for each of the people (with a workplace) who has none for the month."""
    first = month_start(month)
    have = set(
        ScoreSheet.objects.filter(month=first, person_id__in=user_ids).values_list(
            "person_id", flat=True
        )
    )
    wanted = user_ids - have
    if not wanted:
        return 0
    windows = _windows_of(wanted)
    rows = Staff.objects.filter(user_id__in=wanted).values_list(
        "user_id", "center_id", "department_id"
    )
    created = ScoreSheet.objects.bulk_create(
        [
            ScoreSheet(
                person_id=user_id,
                center_id=center_id,
                department_id=department_id,
                window_id=windows.get(user_id),
                month=first,
            )
            for user_id, center_id, department_id in rows
        ],
        batch_size=BATCH_SIZE,
        ignore_conflicts=True,
    )
    return len(created)


@transaction.atomic
def score_sheets_fill(
    *,
    month: datetime.date,
    centers: QuerySet[Center] | Iterable[int | Center] | None = None,
) -> FillResult:
    """Open the month's sheets and bring their alert entries in line with the alerts that count
    (see the module's docstring)."""
    first = month_start(month)
    after = next_month(first)
    center_ids = _center_ids(centers)

    staff = Staff.objects.filter(is_window_staff=True, user__is_active=True)
    alerts = Alert.objects.counting().filter(
        occurred_on__gte=first,
        occurred_on__lt=after,
        points__gt=0,
        responsible__isnull=False,
        responsible__staff__isnull=False,
    )
    month_sheets = ScoreSheet.objects.filter(month=first)
    if center_ids is not None:
        staff = staff.filter(center_id__in=center_ids)
        alerts = alerts.filter(responsible__staff__center_id__in=center_ids)
        month_sheets = month_sheets.filter(center_id__in=center_ids)

    entered = ScoreEntry.objects.filter(sheet__month=first, alert__isnull=False).values("alert_id")
    new_alerts = list(
        alerts.exclude(pk__in=entered).values_list(
            "pk", "responsible_id", "points", "occurred_on", "detail", "rule__subject", "level"
        )
    )
    people = set(staff.values_list("user_id", flat=True)) | {row[1] for row in new_alerts}
    opened = sheets_open(month=first, user_ids=people)

    # Lock the month's drafts in id order before changing them: two fills at once (the beat task
    # and a page) then wait for each other instead of deadlocking on the rescoring UPDATE.
    list(
        month_sheets.filter(status=SheetStatus.DRAFT)
        .select_for_update()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    drafts = dict(
        ScoreSheet.objects.filter(
            month=first,
            status=SheetStatus.DRAFT,
            person_id__in={row[1] for row in new_alerts},
        ).values_list("person_id", "pk")
    )
    entries = [
        ScoreEntry(
            sheet_id=drafts[responsible],
            kind=EntryKind.ALERT,
            alert_id=pk,
            points=-points,
            occurred_on=day,
            reason=(detail or f"{subject}.{level}")[:300],
        )
        for pk, responsible, points, day, detail, subject, level in new_alerts
        if responsible in drafts
    ]
    added = ScoreEntry.objects.bulk_create(entries, batch_size=BATCH_SIZE, ignore_conflicts=True)

    dropped, _by_model = (
        ScoreEntry.objects.filter(
            kind=EntryKind.ALERT,
            sheet__in=month_sheets.filter(status=SheetStatus.DRAFT),
        )
        .filter(
            Q(alert__withdrawn_at__isnull=False)
            | Q(alert__status=AlertStatus.ACCEPTED)
            | Q(alert__points=0)
        )
        .delete()
    )
    sheets_rescore(month_sheets.filter(status=SheetStatus.DRAFT))
    return FillResult(sheets_opened=opened, entries_added=len(added), entries_dropped=dropped)


def score_sheet_refill(sheet: ScoreSheet) -> None:
    """Fill the month of one sheet's center before a page shows it as a draft."""
    if sheet.status == SheetStatus.DRAFT:
        score_sheets_fill(month=sheet.month, centers=[sheet.center_id])
        sheet.refresh_from_db(fields=["score"])
