"""Benchmark of the statistics (issue 18 item 6): the figures from the daily rollups against
the direct GROUP BY over the cases, on PostgreSQL.

Run from the repository root:

    DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python bench/stats.py   # 10,000,000
    DATABASE_URL=… .venv/bin/python bench/stats.py --cases 1000000               # quicker

It loads the demo hall and seeds CASES cases of the county over the last two years with one
`INSERT … SELECT … FROM generate_series` (not measured; a second run on the same database
reuses the seed when it holds at least CASES cases), rebuilds the rollups
(`govhall stats_rebuild`, timed, no goal), then prints the median of `--repeat` runs of:

1. the month dashboard of the whole county: `figure_table` of last month per department, with
   the previous month (环比) and the same month a year before (同比), ratings and complaints;
2. the same for one department (its approver's scope), per service item;
3. the year report: this year so far per month, with the previous year's;

each against the direct GROUP BY over the cases that computes the same case counts for the
same three periods (received, accepted, completed, on time, overdue, immediate, online), and
the ratio. Goal on PostgreSQL: under 1 s each.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cases import prepare_hall, setup_django  # noqa: E402

GOAL = 1.0  # seconds
DAYS = 730  # the seed spreads the cases over the last two years


def literal(field: Any) -> str:
    """The SQL literal of a model field's default (the seed fills every other column)."""
    from django.db import models

    default = field.get_default()
    if default is None:
        return "NULL"
    if isinstance(field, models.BooleanField):
        return "TRUE" if default else "FALSE"
    if isinstance(default, int | float):
        return str(default)
    if isinstance(field, models.DateTimeField):
        return "now()"
    if isinstance(field, models.JSONField):
        return "'{}'::jsonb"
    return "'" + str(default).replace("'", "''") + "'"


def seed(hall: Any, count: int) -> float:
    """Insert `count` cases in one INSERT … SELECT over generate_series: routes (item, window,
    department, kind) in turn, received over the last DAYS days, 95% accepted, 80% decided
    0–14 days later (about one in eight after its promised day), a third online."""
    from django.db import connection
    from django.db.models import Max

    from govhall.cases.models import Applicant, Case

    started = time.perf_counter()
    applicant, _created = Applicant.objects.get_or_create(
        id_number="110101199003074477",
        defaults={"kind": "person", "name": "基准测试", "phone": "13812345678"},
    )
    first = (Case.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    routes = ", ".join(
        f"({n}, {r.item_id}, {r.department_id}, {r.window_id}, '{r.kind}', '{r.authorization}', "
        f"{r.legal_days}, {r.promised_days})"
        for n, r in enumerate(hall.routes)
    )
    given = {
        "number": f"'B{first}-' || g",
        "center_id": str(hall.center.pk),
        "item_id": "r.item_id",
        "department_id": "r.department_id",
        "applicant_id": str(applicant.pk),
        "kind": "r.kind",
        "status": "CASE WHEN g % 5 = 0 THEN 'accepted' ELSE 'delivered' END",
        "channel": "CASE WHEN g % 3 = 0 THEN 'online' ELSE 'window' END",
        "authorization": "r.auth",
        "received_window_id": "r.window_id",
        "window_id": "r.window_id",
        "received_at": "t.received_at",
        "accepted_at": "CASE WHEN g % 20 = 0 THEN NULL ELSE t.received_at END",
        "clock_started_on": "(t.received_at AT TIME ZONE 'Asia/Shanghai')::date",
        "legal_days": "r.legal_days",
        "promised_days": "r.promised_days",
        "promised_due_on": "(t.received_at AT TIME ZONE 'Asia/Shanghai')::date"
        " + (r.promised_days * 7 / 5)",
        "legal_due_on": "(t.received_at AT TIME ZONE 'Asia/Shanghai')::date"
        " + (r.legal_days * 7 / 5)",
        "decided_at": "CASE WHEN g % 5 = 0 OR g % 20 = 0 THEN NULL"
        " ELSE t.received_at + ((g * 7) % 15) * interval '1 day' END",
        "completed_at": "CASE WHEN g % 5 = 0 OR g % 20 = 0 THEN NULL"
        " ELSE t.received_at + ((g * 7) % 15) * interval '1 day' END",
        "step_started_at": "t.received_at",
    }
    fields = [f for f in Case._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = ", ".join(given.get(f.attname, literal(f)) for f in fields)
    sql = f"""
        INSERT INTO cases_case ({columns})
        SELECT {values}
        FROM generate_series(1, %s) AS g
        JOIN (VALUES {routes}) AS r(n, item_id, department_id, window_id, kind, auth,
                                    legal_days, promised_days)
          ON r.n = g % {len(hall.routes)}
        CROSS JOIN LATERAL (
            SELECT date_trunc('day', now()) - (g % {DAYS}) * interval '1 day'
                   + interval '30 minutes' + (g % 480) * interval '1 minute' AS received_at
        ) AS t
    """
    sql = sql.replace("%", "%%").replace("%%s", "%s")  # modulo, not a placeholder
    with connection.cursor() as cursor:
        cursor.execute(sql, [count])
    return time.perf_counter() - started


def median_s(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def direct(
    center_ids: list[int],
    periods: list[tuple[datetime.date, datetime.date]],
    group: str,
    department_id: int | None = None,
) -> list[Any]:
    """The same case counts straight from the cases: one GROUP BY per period."""
    from django.db import connection

    out = []
    for first, last in periods:
        local = "AT TIME ZONE 'Asia/Shanghai'"
        # The on-time rule: a case voided or withdrawn after its decision is not completed.
        completed = "status NOT IN ('voided', 'withdrawn')"
        where_department = "AND department_id = %(department)s" if department_id else ""
        sql = f"""
            SELECT {group} AS key,
              count(*) FILTER (WHERE (received_at {local})::date BETWEEN %(first)s AND %(last)s),
              count(*) FILTER (WHERE (accepted_at {local})::date BETWEEN %(first)s AND %(last)s),
              count(*) FILTER (WHERE (decided_at {local})::date BETWEEN %(first)s AND %(last)s
                               AND {completed}),
              count(*) FILTER (WHERE (decided_at {local})::date BETWEEN %(first)s AND %(last)s
                               AND {completed}
                               AND (promised_due_on IS NULL
                                    OR (decided_at {local})::date <= promised_due_on)),
              count(*) FILTER (WHERE (decided_at {local})::date BETWEEN %(first)s AND %(last)s
                               AND {completed}
                               AND (decided_at {local})::date > promised_due_on),
              count(*) FILTER (WHERE (received_at {local})::date BETWEEN %(first)s AND %(last)s
                               AND kind = 'immediate'),
              count(*) FILTER (WHERE (received_at {local})::date BETWEEN %(first)s AND %(last)s
                               AND channel = 'online')
            FROM cases_case
            WHERE center_id = ANY(%(centers)s) {where_department}
              AND ((received_at >= %(start)s AND received_at < %(end)s)
                   OR (accepted_at >= %(start)s AND accepted_at < %(end)s)
                   OR (decided_at >= %(start)s AND decided_at < %(end)s))
            GROUP BY 1
        """
        from govhall.workdays.queries.calendar import day_start

        params: dict[str, Any] = {
            "first": first,
            "last": last,
            "start": day_start(first),
            "end": day_start(last + datetime.timedelta(days=1)),
            "centers": center_ids,
            "department": department_id,
        }
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            out.append(cursor.fetchall())
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000_000, help="cases (10,000,000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measure (5)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="govhall-bench-") as var_dir:
        vendor = setup_django(var_dir)
        if vendor != "postgresql":
            sys.exit("this benchmark measures PostgreSQL: set DATABASE_URL to an empty database")
        from django.conf import settings
        from django.db import connection
        from django.utils import timezone

        from govhall.cases.models import Case
        from govhall.org.models import Center
        from govhall.stats.access.stats import stats_scope
        from govhall.stats.models import CaseDayRollup
        from govhall.stats.queries.figures import (
            figure_table,
            period_bounds,
            previous_period,
            year_before,
        )
        from govhall.stats.services.rollups import rebuild

        settings.DEBUG = False
        hall = prepare_hall()
        existing = Case.objects.count()
        if existing >= args.cases * 0.95:
            print(f"reusing the {existing:,} cases already in the database")
            seeded = 0.0
        else:
            print(f"seeding {args.cases - existing:,} cases …", flush=True)
            seeded = seed(hall, args.cases - existing)
            print(f"  seeded in {seeded:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_case")
        if not CaseDayRollup.objects.exists() or seeded:
            started = time.perf_counter()
            rows = rebuild()
            print(f"  rollups rebuilt: {rows:,} rows in {time.perf_counter() - started:.1f} s")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE stats_casedayrollup")
        total = Case.objects.count()

        today = timezone.localdate()
        month = period_bounds("month", today.replace(day=1) - datetime.timedelta(days=1))
        month_periods = [month, previous_period(*month, "month"), year_before(*month)]
        year = (datetime.date(today.year, 1, 1), today)
        year_periods = [year, year_before(*year)]
        county = stats_scope(hall.director)
        department = stats_scope(hall.department_user)
        department_id = department.department_id
        centers = list(Center.objects.subtree_of(hall.center).values_list("pk", flat=True))

        measures: list[tuple[str, Callable[[], object], Callable[[], object]]] = [
            (
                "month dashboard, whole county",
                lambda: figure_table(county, *month, dimension="department", period="month"),
                lambda: direct(centers, month_periods, "department_id"),
            ),
            (
                "month dashboard, one department",
                lambda: figure_table(department, *month, dimension="item", period="month"),
                lambda: direct(centers, month_periods, "item_id", department_id),
            ),
            (
                "year report, whole county",
                lambda: figure_table(county, *year, dimension="month", period="range"),
                lambda: direct(
                    centers,
                    year_periods,
                    "date_trunc('month', received_at AT TIME ZONE 'Asia/Shanghai')",
                ),
            ),
        ]
        print(
            f"\n{total:,} cases, {CaseDayRollup.objects.count():,} rollup rows; "
            f"median of {args.repeat} runs after a warm-up\n"
        )
        print(f"  {'':34}{'rollups':>12}{'GROUP BY':>12}{'ratio':>9}")
        failed = False
        for label, rolled, grouped in measures:
            rolled()
            grouped()
            fast = median_s(rolled, args.repeat)
            slow = median_s(grouped, args.repeat)
            failed |= fast > GOAL
            print(f"  {label:34}{fast * 1e3:>9.1f} ms{slow * 1e3:>9.1f} ms{slow / fast:>8.1f}×")
        print(f"\ngoal: under {GOAL:.0f} s each: {'NOT MET' if failed else 'met'}")


if __name__ == "__main__":
    main()
