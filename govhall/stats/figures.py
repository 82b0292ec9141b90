"""The case figures (issue 18 item 1), each defined ONCE here: code, label, hint (our formula;
there is no national one) and how it is computed from the sums of the daily rollups
(`govhall.stats.models.CaseDayRollup`). Pages, the API, reports and the README read this list.

THE on-time rule (one definition for the figures, the period reports, the big screen and the
public /on-time/ page, all read through `govhall.stats.queries.figures.figure_sums`):
- completed: a case decided (approved or denied, `decided_at` set) counts on the local day of
  its decision, unless it was voided or withdrawn afterwards (`cases.statuses.NOT_COMPLETED`);
- on time: completed on or before its promised deadline (`promised_due_on`, which suspensions
  and granted extensions move), the due day itself included; no deadline (an immediate case)
  is on time; early: before the deadline; overdue: after it;
- on-time rate: on time ÷ completed × 100%, one decimal.
Staff: received and accepted count for who received the case; completed, on time, early,
overdue and days used for who decided it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Sums = Mapping[str, int | None]


@dataclass(frozen=True)
class Figure:
    code: str
    label: Promise
    hint: Promise
    value: Callable[[Sums], float | int | None]
    unit: str = ""  # "%" for rates, "" for counts
    # Which case list a number drills down to (`govhall.stats.queries.figures.drill_params`):
    # "received" / "accepted" (cases received / accepted in the period), "completed",
    # "on_time", "early" or "overdue" (cases DECIDED in the period, by how they ended), or ""
    # for figures with no list of their own.
    drill: str = "received"


def _n(sums: Sums, key: str) -> int:
    return int(sums.get(key) or 0)


def share(part: int, whole: int) -> float | None:
    """A percentage with one decimal; None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return round(100.0 * part / whole, 1)


def ratio(part: int, whole: int, digits: int = 2) -> float | None:
    if whole <= 0:
        return None
    return round(part / whole, digits)


FIGURES: tuple[Figure, ...] = (
    Figure(
        "received",
        _("Received"),
        _(
            "Cases received in the period (by the day of receipt, every channel: window, "
            "online, 12345 hotline, assigned by a higher level); per staff member: who received "
            "the case."
        ),
        lambda s: _n(s, "received"),
    ),
    Figure(
        "accepted",
        _("Accepted"),
        _(
            "Cases accepted in the period (by the day of acceptance); per staff member: who "
            "received the case."
        ),
        lambda s: _n(s, "accepted"),
        drill="accepted",
    ),
    Figure(
        "completed",
        _("Completed"),
        _(
            "Cases decided (approved or denied) in the period, by the day of the decision; a "
            "case voided or withdrawn after its decision is not completed; per staff member: "
            "who decided the case."
        ),
        lambda s: _n(s, "completed"),
        drill="completed",
    ),
    Figure(
        "on_time",
        _("On time"),
        _(
            "Completed cases decided on or before the promised deadline; a case decided on its "
            "due day is on time; suspended days and granted extensions move the deadline and "
            "are not counted; an immediate case without a deadline is on time; per staff "
            "member: who decided the case."
        ),
        lambda s: _n(s, "on_time"),
        drill="on_time",
    ),
    Figure(
        "on_time_rate",
        _("On-time rate"),
        _(
            "On time ÷ completed × 100% (target ≥ 95%); the same rule on the public on-time "
            "page, in the period reports and on the big screen."
        ),
        lambda s: share(_n(s, "on_time"), _n(s, "completed")),
        unit="%",
    ),
    Figure(
        "early",
        _("Early"),
        _("Completed cases decided before the promised deadline (提前办结)."),
        lambda s: _n(s, "early"),
        drill="early",
    ),
    Figure(
        "overdue",
        _("Overdue"),
        _("Completed cases decided after the promised deadline."),
        lambda s: _n(s, "overdue"),
        drill="overdue",
    ),
    Figure(
        "immediate_share",
        _("Immediate share"),
        _("Immediate cases (即办件) ÷ cases received × 100%."),
        lambda s: share(_n(s, "immediate"), _n(s, "received")),
        unit="%",
    ),
    Figure(
        "online_share",
        _("Online application share"),
        _("Cases submitted online ÷ cases received × 100%."),
        lambda s: share(_n(s, "online"), _n(s, "received")),
        unit="%",
    ),
    Figure(
        "full_online_share",
        _("Fully online share"),
        _(
            "Cases submitted online for an item needing no visit (全程网办) ÷ cases received "
            "× 100%."
        ),
        lambda s: share(_n(s, "full_online"), _n(s, "received")),
        unit="%",
    ),
    Figure(
        "visits_per_case",
        _("Visits per case"),
        _("The visits the items require (0, 1 or 2), summed over cases received ÷ cases received."),
        lambda s: ratio(_n(s, "visits_sum"), _n(s, "received")),
        drill="",
    ),
    Figure(
        "visits_0_share",
        _("Zero-visit share"),
        _("Cases received for items needing no visit ÷ cases received × 100%."),
        lambda s: share(_n(s, "visits_0"), _n(s, "received")),
        unit="%",
    ),
    Figure(
        "visits_1_share",
        _("One-visit share"),
        _("Cases received for items needing at most one visit ÷ cases received × 100%."),
        lambda s: share(_n(s, "visits_1"), _n(s, "received")),
        unit="%",
    ),
    Figure(
        "visits_2_share",
        _("Two-visit share"),
        _("Cases received for items needing two visits ÷ cases received × 100%."),
        lambda s: share(_n(s, "visits_2"), _n(s, "received")),
        unit="%",
    ),
    Figure(
        "avg_days_used",
        _("Average working days used"),
        _(
            "Working days from the day after the clock started to the day of the decision, "
            "minus the working days suspended, averaged over completed cases."
        ),
        lambda s: ratio(_n(s, "days_used_sum"), _n(s, "completed"), 1),
        drill="",
    ),
    Figure(
        "legal_compression",
        _("Compression against the legal limit"),
        _("1 − working days used ÷ legal limits, over completed cases × 100% (压缩比)."),
        lambda s: (
            None
            if _n(s, "legal_days_sum") <= 0
            else round(100.0 * (1 - _n(s, "days_used_sum") / _n(s, "legal_days_sum")), 1)
        ),
        unit="%",
    ),
    Figure(
        "promised_compression",
        _("Compression against the promised limit"),
        _("1 − working days used ÷ promised limits, over completed cases × 100%."),
        lambda s: (
            None
            if _n(s, "promised_days_sum") <= 0
            else round(100.0 * (1 - _n(s, "days_used_sum") / _n(s, "promised_days_sum")), 1)
        ),
        unit="%",
    ),
    Figure(
        "satisfaction_rate",
        _("Satisfaction rate"),
        _(
            "Counting ratings at level 基本满意 or better ÷ all counting ratings given in the "
            "period × 100% (GB/T 39735-2020; appealed-away and re-rated ratings excluded)."
        ),
        lambda s: share(_n(s, "ratings_good"), _n(s, "ratings_total")),
        unit="%",
        drill="",
    ),
    Figure(
        "bad_ratings",
        _("Bad ratings"),
        _("Counting ratings at 不满意 or 非常不满意 given in the period (差评)."),
        lambda s: _n(s, "ratings_bad"),
        drill="",
    ),
    Figure(
        "complaints",
        _("Complaints"),
        _("Complaints registered in the period."),
        lambda s: _n(s, "complaints"),
        drill="",
    ),
)

BY_CODE: dict[str, Figure] = {figure.code: figure for figure in FIGURES}


def evaluate(sums: Sums) -> dict[str, float | int | None]:
    """Every figure's value from one group's sums."""
    return {figure.code: figure.value(sums) for figure in FIGURES}
