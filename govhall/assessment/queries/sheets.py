"""Reading score sheets: a center's month with grades and tiers, windows and departments from
their staff (两个挂钩), red-flag windows and service stars, the periods of one person
(周清月结年考核) and the quantified evaluation.

Tiers (胶州 30/40/30, "每档至少要相差1分"): the month's sheets of a center ranked by score, the top
30% (rounded half up, at least one person), the middle 40%, the bottom 30%. Tiers must be at least
1 point apart: whoever is less than 1 point below the lowest score of the tier above moves up
into it (repeated until it holds), so equal and near-equal scores share the higher tier and the
lower tiers may come out smaller than 40% / 30%.

Red-flag windows (红旗窗口) are the GOVHALL_ASSESSMENT_RED_FLAG_WINDOWS best windows of the month
by average score, service stars (服务之星) the GOVHALL_ASSESSMENT_SERVICE_STARS best window staff
graded excellent; everyone tied with the last place counts too.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from django.conf import settings
from django.db.models import Avg, Count, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from govhall.assessment.grading import START_SCORE, Grade, grade_of
from govhall.assessment.models import (
    DEFAULT_WEIGHTS,
    EvaluationMark,
    EvaluationSource,
    EvaluationWeights,
    ScoreEntry,
    ScoreSheet,
    SheetStatus,
)
from govhall.assessment.months import month_end, quarter_months, week_of, year_months
from govhall.assessment.queries.covers import cover_window_deductions
from govhall.org.models import Center

T = TypeVar("T")
TIER_TOP = "top"
TIER_MIDDLE = "middle"
TIER_BOTTOM = "bottom"
TIER_LABELS = {
    TIER_TOP: _("Top 30%"),
    TIER_MIDDLE: _("Middle 40%"),
    TIER_BOTTOM: _("Bottom 30%"),
}
TIER_GAP = Decimal("1")
ONE_DECIMAL = Decimal("0.1")


def _share(n: int, percent: int) -> int:
    return int((Decimal(n) * percent / 100).to_integral_value(rounding=ROUND_HALF_UP))


def tier_cuts(scores: Sequence[Decimal]) -> tuple[int, int]:
    """Where the middle and the bottom tier start in `scores` sorted from high to low."""
    n = len(scores)
    if n == 0:
        return 0, 0
    top = max(1, _share(n, 30))
    bottom = _share(n, 30)
    first_cut = min(top, n)
    second_cut = max(first_cut, n - bottom)
    # Less than 1 point below the tier above: move up (the cut moves down the list).
    while first_cut < n and scores[first_cut] > scores[first_cut - 1] - TIER_GAP:
        first_cut += 1
    second_cut = max(second_cut, first_cut)
    while first_cut < second_cut < n and scores[second_cut] > scores[second_cut - 1] - TIER_GAP:
        second_cut += 1
    if second_cut == first_cut:
        # No middle tier: the bottom must be 1 point below the top.
        while second_cut < n and scores[second_cut] > scores[second_cut - 1] - TIER_GAP:
            second_cut += 1
    return first_cut, second_cut


def tiers_of(sheets: Iterable[ScoreSheet]) -> dict[int, str]:
    """Sheet id → tier (ties in score keep the id order, so the result is stable)."""
    ranked = sorted(sheets, key=lambda s: (-s.score, s.pk))
    first_cut, second_cut = tier_cuts([s.score for s in ranked])
    tiers: dict[int, str] = {}
    for index, sheet in enumerate(ranked):
        if index < first_cut:
            tiers[sheet.pk] = TIER_TOP
        elif index < second_cut:
            tiers[sheet.pk] = TIER_MIDDLE
        else:
            tiers[sheet.pk] = TIER_BOTTOM
    return tiers


@dataclass
class SheetRow:
    sheet: ScoreSheet
    grade: Grade
    tier: str
    tier_label: str
    window_score: Decimal | None
    department_score: Decimal | None


@dataclass
class UnitScore:
    """A window's or department's score: the average of its staff's sheets."""

    pk: int
    name: str
    score: Decimal
    people: int
    sheets: list[ScoreSheet] = field(default_factory=list)
    # Taken off a window's average for its temporary covers' faults (seeds/000… 篇5 考勤 5).
    cover_deduction: Decimal = Decimal(0)


@dataclass
class MonthView:
    center: Center
    month: datetime.date
    rows: list[SheetRow]
    windows: list[UnitScore]
    departments: list[UnitScore]
    red_flag_windows: list[UnitScore]
    service_stars: list[ScoreSheet]
    published: int
    drafts: int


def _avg(values: Sequence[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def unit_scores(sheets: Sequence[ScoreSheet], attr: str) -> list[UnitScore]:
    """Average score per window (`attr` "window") or department, best first."""
    groups: dict[int, list[ScoreSheet]] = defaultdict(list)
    for sheet in sheets:
        key = getattr(sheet, f"{attr}_id")
        if key is not None:
            groups[key].append(sheet)
    units = [
        UnitScore(
            pk=key,
            name=str(getattr(members[0], attr)),
            score=_avg([s.score for s in members]),
            people=len(members),
            sheets=members,
        )
        for key, members in groups.items()
    ]
    return sorted(units, key=lambda u: (-u.score, u.name))


def with_cover_deductions(windows: list[UnitScore], month: datetime.date) -> list[UnitScore]:
    """The windows' scores less their temporary covers' points (`queries.covers`), best first."""
    deductions = cover_window_deductions([u.pk for u in windows], month)
    for unit in windows:
        unit.cover_deduction = deductions.get(unit.pk, Decimal(0))
        unit.score = max(Decimal(0), unit.score - unit.cover_deduction)
    return sorted(windows, key=lambda u: (-u.score, u.name))


def _top(items: Sequence[T], count: int, score_of: Callable[[T], Decimal]) -> list[T]:
    """The first `count` items by score and everyone tied with the last of them."""
    if not items or count <= 0:
        return []
    ordered = sorted(items, key=lambda i: -score_of(i))
    cutoff = score_of(ordered[min(count, len(ordered)) - 1])
    return [i for i in ordered if score_of(i) >= cutoff]


def center_month_sheets(center: Center, month: datetime.date) -> QuerySet[ScoreSheet]:
    return ScoreSheet.objects.filter(center=center, month=month).select_related(
        "person", "window", "department"
    )


def month_view(sheets: QuerySet[ScoreSheet], center: Center, month: datetime.date) -> MonthView:
    """Everything the month page, the exports and the API show of a center's month."""
    listed = list(sheets.order_by("-score", "person__username"))
    tiers = tiers_of(listed)
    windows = with_cover_deductions(unit_scores(listed, "window"), month)
    departments = unit_scores(listed, "department")
    window_of = {u.pk: u.score for u in windows}
    department_of = {u.pk: u.score for u in departments}
    rows = [
        SheetRow(
            sheet=s,
            grade=grade_of(s.score),
            tier=tiers[s.pk],
            tier_label=str(TIER_LABELS[tiers[s.pk]]),
            window_score=window_of.get(s.window_id) if s.window_id else None,
            department_score=department_of.get(s.department_id) if s.department_id else None,
        )
        for s in listed
    ]
    return MonthView(
        center=center,
        month=month,
        rows=rows,
        windows=windows,
        departments=departments,
        red_flag_windows=_top(
            windows, settings.GOVHALL_ASSESSMENT_RED_FLAG_WINDOWS, lambda u: u.score
        ),
        service_stars=_top(
            [s for s in listed if s.window_id and grade_of(s.score) == Grade.EXCELLENT],
            settings.GOVHALL_ASSESSMENT_SERVICE_STARS,
            lambda s: s.score,
        ),
        published=sum(1 for s in listed if s.status == SheetStatus.PUBLISHED),
        drafts=sum(1 for s in listed if s.status == SheetStatus.DRAFT),
    )


def links_of(sheet: ScoreSheet) -> dict[str, object]:
    """两个挂钩 on one sheet: its window's and its department's score of the month, and the
    sheets of the colleagues at the same window."""
    same_month = ScoreSheet.objects.filter(month=sheet.month)
    window = (
        same_month.filter(window_id=sheet.window_id).aggregate(a=Avg("score"), n=Count("pk"))
        if sheet.window_id
        else {"a": None, "n": 0}
    )
    department = (
        same_month.filter(department_id=sheet.department_id).aggregate(
            a=Avg("score"), n=Count("pk")
        )
        if sheet.department_id
        else {"a": None, "n": 0}
    )

    def q(value: object) -> Decimal | None:
        return None if value is None else Decimal(str(value)).quantize(ONE_DECIMAL)

    window_score = q(window["a"])
    if window_score is not None and sheet.window_id:
        deducted = cover_window_deductions([sheet.window_id], sheet.month).get(sheet.window_id)
        if deducted:
            window_score = max(Decimal(0), window_score - deducted)
    return {
        "window_score": window_score,
        "window_people": window["n"],
        "department_score": q(department["a"]),
        "department_people": department["n"],
        "colleagues": list(
            same_month.filter(window_id=sheet.window_id)
            .exclude(pk=sheet.pk)
            .select_related("person")
            .order_by("-score")
        )
        if sheet.window_id
        else [],
    }


# --- periods of one person: 周清 月结 季 年考核 -------------------------------------------------


@dataclass
class Period:
    label: str
    score: Decimal | None
    grade: Grade | None
    months: int


def weekly_points(sheet: ScoreSheet) -> list[tuple[datetime.date, datetime.date, Decimal]]:
    """The points of each (ISO) week touching the sheet's month (周清)."""
    weeks: dict[datetime.date, Decimal] = {}
    day = sheet.month
    last = month_end(sheet.month)
    while day <= last:
        weeks.setdefault(week_of(day)[0], Decimal(0))
        day += datetime.timedelta(days=7)
    weeks.setdefault(week_of(last)[0], Decimal(0))
    for occurred_on, points in sheet.entries.values_list("occurred_on", "points"):
        weeks[week_of(occurred_on)[0]] = weeks.get(week_of(occurred_on)[0], Decimal(0)) + points
    return [(monday, week_of(monday)[1], total) for monday, total in sorted(weeks.items())]


def _period(label: str, scores: list[Decimal]) -> Period:
    if not scores:
        return Period(label=label, score=None, grade=None, months=0)
    score = _avg(scores)
    return Period(label=label, score=score, grade=grade_of(score), months=len(scores))


def person_year(person_id: int, year: int) -> dict[str, object]:
    """The monthly scores of a person's year, each quarter's and the year's average (月结, 季,
    年考核)."""
    by_month = dict(
        ScoreSheet.objects.filter(person_id=person_id, month__in=year_months(year)).values_list(
            "month", "score"
        )
    )
    months = [
        _period(f"{m:%Y-%m}", [by_month[m]] if m in by_month else []) for m in year_months(year)
    ]
    quarters = [
        _period(f"{year} Q{q}", [by_month[m] for m in quarter_months(year, q) if m in by_month])
        for q in range(1, 5)
    ]
    return {
        "months": months,
        "quarters": quarters,
        "year": _period(str(year), list(by_month.values())),
    }


def year_scores(center: Center, year: int) -> dict[int, Decimal]:
    """Average published monthly score per person of the center in `year` (to 0.1)."""
    rows = ScoreSheet.objects.filter(
        center=center, status=SheetStatus.PUBLISHED, month__in=year_months(year)
    ).values_list("person_id", "score")
    grouped: dict[int, list[Decimal]] = defaultdict(list)
    for person, score in rows:
        grouped[person].append(score)
    return {person: _avg(scores) for person, scores in grouped.items()}


def quarter_feedback(center: Center, year: int, quarter: int) -> list[dict[str, object]]:
    """The quarterly feedback to each department (平时考核结果每季度向派驻部门反馈): its staff's
    monthly scores, the quarter's average and grade, and the deductions behind them."""
    months = quarter_months(year, quarter)
    sheets = list(
        ScoreSheet.objects.filter(center=center, month__in=months, department__isnull=False)
        .select_related("person", "department")
        .order_by("department__name", "person__username", "month")
    )
    departments: dict[int, dict[str, object]] = {}
    for sheet in sheets:
        entry = departments.setdefault(
            sheet.department_id or 0,
            {"department": sheet.department, "people": {}, "scores": []},
        )
        people: dict[int, dict[str, object]] = entry["people"]  # type: ignore[assignment]
        person = people.setdefault(
            sheet.person_id, {"person": sheet.person, "months": {}, "scores": []}
        )
        person["months"][sheet.month] = sheet.score  # type: ignore[index]
        person["scores"].append(sheet.score)  # type: ignore[attr-defined]
        entry["scores"].append(sheet.score)  # type: ignore[attr-defined]
    deductions = dict(
        ScoreEntry.objects.filter(sheet__in=sheets, points__lt=0)
        .values("sheet__person_id")
        .annotate(total=Sum("points"))
        .values_list("sheet__person_id", "total")
    )
    result = []
    for entry in departments.values():
        rows = []
        for person_id, person in entry["people"].items():  # type: ignore[attr-defined]
            score = _avg(person["scores"])
            rows.append(
                {
                    "person": person["person"],
                    "months": [person["months"].get(m) for m in months],
                    "score": score,
                    "grade": grade_of(score),
                    "deducted": -(deductions.get(person_id) or Decimal(0)),
                }
            )
        result.append(
            {
                "department": entry["department"],
                "rows": rows,
                "score": _avg(entry["scores"]),  # type: ignore[arg-type]
            }
        )
    return result


# --- the quantified evaluation (量化测评) ----------------------------------------------------


def weights_of(center: Center | int) -> dict[str, int]:
    pk = center.pk if isinstance(center, Center) else center
    row = EvaluationWeights.objects.filter(center_id=pk).first()
    return row.as_dict() if row else {str(k): v for k, v in DEFAULT_WEIGHTS.items()}


@dataclass
class EvaluationRow:
    source: str
    label: str
    weight: int
    mark: Decimal | None


@dataclass
class Evaluation:
    rows: list[EvaluationRow]
    result: Decimal | None
    complete: bool


def evaluation_of(sheet: ScoreSheet) -> Evaluation:
    """Each source's mark (patrol: the sheet's score unless marked), its weight and the weighted
    result over the sources that have a mark (weights re-scaled over those)."""
    weights = weights_of(sheet.center_id)
    marks: dict[str, Decimal] = {
        m.source: m.mark for m in EvaluationMark.objects.filter(sheet=sheet)
    }
    marks.setdefault(EvaluationSource.PATROL.value, min(sheet.score, START_SCORE))
    rows = [
        EvaluationRow(
            source=source, label=str(label), weight=weights[source], mark=marks.get(source)
        )
        for source, label in EvaluationSource.choices
    ]
    present = [r for r in rows if r.mark is not None and r.weight]
    total_weight = sum(r.weight for r in present)
    result = None
    if total_weight:
        weighted = sum((Decimal(r.weight) * (r.mark or 0) for r in present), Decimal(0))
        result = (weighted / total_weight).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)
    return Evaluation(rows=rows, result=result, complete=len(present) == len(rows))
