"""Benchmark of the case-deadline scan (issue 14): full, incremental, against a bare count.

Run from the repository root:

    DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python bench/supervision.py
    DATABASE_URL=… .venv/bin/python bench/supervision.py --cases 200000     # quicker
    .venv/bin/python bench/supervision.py --cases 20000    # SQLite: a smoke run, no goals

It loads the demo hall and seeds CASES open cases of the county whose clock runs (accepted, in
review, awaiting approval), received over the last weeks with their promised due dates from the
calendar, about one in ten past it, with COPY (not measured). Then, in the same run:

1. the first full scan, which raises every alert the seed calls for (reported, no goal);
2. the full scan on that state, `scan_case_deadlines(now=…, full=True)`: the periodic check
   and the scan after a calendar change, which must look at every open case;
3. the incremental scan after 1% of the open cases changed as case actions change them (an
   extension, a decision or a suspension: the fields and an event per case), in `--rounds`
   rounds, each on a fresh 1%;
4. the floor: a bare `count(*)` of the overdue open cases of the center on the
   (center, status, promised due date) index.

Goals on PostgreSQL: full scan ≤ 5× the floor, incremental < 0.2 s. `--explain` prints the
slowest statements of one full scan with their EXPLAIN ANALYZE.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.cases import BATCH, Hall, Inserter, person_id, phone, prepare_hall, setup_django  # noqa: E402

OPEN_STATUSES = ("accepted", "in_review", "awaiting_approval")
OPEN_WEIGHTS = (0.5, 0.2, 0.3)
SQLITE_MAX = 200_000
OVERDUE_SHARE = 0.1
FULL_GOAL = 5.0  # × the floor
INCREMENTAL_GOAL = 0.2  # seconds


def seed_open_cases(hall: Hall, count: int, rng: random.Random) -> float:
    """Insert `count` running cases (and an applicant for every ten); returns seconds."""
    from django.db.models import Max
    from django.utils import timezone

    from govhall.cases.models import Applicant, Case
    from govhall.cli.demo.people import person_name
    from govhall.workdays.queries.calendar import calendar_for

    started = time.perf_counter()
    calendar = calendar_for(hall.center.pk)
    tz = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate()

    first = (Applicant.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    applicants = Inserter(Applicant)
    wanted = max(1_000, count // 10)
    for start in range(0, wanted, BATCH):
        applicants.insert(
            [
                {
                    "kind": "person",
                    "name": person_name(s),
                    "id_number": person_id(s),
                    "phone": phone(s),
                    "created_at": now,
                    "updated_at": now,
                }
                for s in range(first + start, first + min(start + BATCH, wanted))
            ]
        )
    applicant_ids = list(Applicant.objects.filter(pk__gte=first).values_list("id", flat=True))

    clocked = [r for r in hall.routes if r.kind in {"promised", "escalated", "joint"}]
    workdays = [
        today - datetime.timedelta(days=n)
        for n in range(120)
        if calendar.is_workday(today - datetime.timedelta(days=n))
    ]
    due_cache: dict[tuple[datetime.date, int], datetime.date] = {}

    def add(day: datetime.date, days: int) -> datetime.date:
        key = (day, days)
        if key not in due_cache:
            due_cache[key] = calendar.add_workdays(day, days)
        return due_cache[key]

    serial_of_day: dict[datetime.date, int] = {}
    cases = Inserter(Case)
    code = hall.center.code
    made = 0
    while made < count:
        size = min(BATCH, count - made)
        rows: list[dict[str, Any]] = []
        for status in rng.choices(OPEN_STATUSES, OPEN_WEIGHTS, k=size):
            route = rng.choice(clocked)
            # Most open cases are within their time; one in ten runs over it.
            promised = route.promised_days
            if rng.random() < OVERDUE_SHARE:
                elapsed = promised + rng.randint(1, max(1, promised // 2))
            else:
                elapsed = rng.randint(0, promised)
            day = workdays[min(elapsed, len(workdays) - 1)]
            received_at = datetime.datetime.combine(
                day, datetime.time(8, 30), tzinfo=tz
            ) + datetime.timedelta(minutes=rng.randint(0, 480))
            serial = serial_of_day.get(day, 0) + 1
            serial_of_day[day] = serial
            rows.append(
                {
                    "number": f"S{code}-{first}-{day:%Y%m%d}{serial:06d}",  # unique per run
                    "center_id": hall.center.pk,
                    "item_id": route.item_id,
                    "department_id": route.department_id,
                    "applicant_id": rng.choice(applicant_ids),
                    "kind": "promised",
                    "status": status,
                    "channel": "window",
                    "authorization": route.authorization,
                    "received_window_id": route.window_id,
                    "window_id": route.window_id,
                    "received_at": received_at,
                    "accepted_at": received_at,
                    "clock_started_on": day,
                    "legal_days": route.legal_days,
                    "promised_days": route.promised_days,
                    "promised_due_on": add(day, route.promised_days),
                    "legal_due_on": add(day, route.legal_days),
                }
            )
        cases.insert(rows)
        made += size
        print(f"\r  seeding: {made:,} / {count:,} open cases", end="", flush=True)
    print()
    return time.perf_counter() - started


def change_cases(share: float, rng: random.Random) -> int:
    """Change `share` of the running cases as case actions do, the fields and one event per
    case: half move on a step (accepted → in review → awaiting approval), 30% are approved,
    10% extended by 3 working days, 10% suspended."""
    from django.db import transaction
    from django.utils import timezone

    from govhall.cases.case_transitions import CLOCK_RUNNING_STATUSES
    from govhall.cases.models import Case
    from govhall.core.models import Event
    from govhall.workdays.queries.calendar import calendar_for

    running = Case.objects.filter(status__in=CLOCK_RUNNING_STATUSES)
    count = max(1, int(running.count() * share))
    # A random sample without sorting the whole table: a random start in the id range.
    ids = list(running.order_by("id").values_list("id", flat=True))
    picked = rng.sample(ids, count)
    now = timezone.now()
    cut = [0, count // 2, count * 8 // 10, count * 9 // 10, count]
    step, approve, extend, suspend = (picked[a:b] for a, b in itertools.pairwise(cut))
    with transaction.atomic():
        extended = list(
            Case.objects.filter(pk__in=extend).only(
                "id", "center_id", "clock_started_on", "promised_days", "extension_days"
            )
        )
        for case in extended:
            case.extension_days += 3
            assert case.clock_started_on is not None
            case.promised_due_on = calendar_for(case.center_id).add_workdays(
                case.clock_started_on, case.promised_days + case.extension_days
            )
        Case.objects.bulk_update(
            extended, ["extension_days", "promised_due_on"], batch_size=BATCH // 5
        )
        for before, after in (
            ("awaiting_approval", "approved"),
            ("in_review", "awaiting_approval"),
            ("accepted", "in_review"),
        ):
            Case.objects.filter(pk__in=step, status=before).update(status=after)
        Case.objects.filter(pk__in=approve).update(status="approved", decided_at=now)
        Case.objects.filter(pk__in=suspend).update(
            status="suspended", suspended_from="in_review", suspended_at=now
        )
        rows = list(Case.objects.filter(pk__in=picked).values_list("id", "center_id", "number"))
        action = {
            pk: name
            for name, part in zip(
                ("review", "approve", "extend", "suspend"),
                (step, approve, extend, suspend),
                strict=True,
            )
            for pk in part
        }
        Event.objects.bulk_create(
            [
                Event(
                    action=f"case.{action[pk]}",
                    object_type=Case._meta.label_lower,
                    object_id=str(pk),
                    object_repr=number,
                    center_id=center,
                )
                for pk, center, number in rows
            ],
            batch_size=BATCH // 5,
        )
    return count


@contextmanager
def captured() -> Iterator[list[tuple[float, str, Any]]]:
    """The statements run inside, with their seconds."""
    from django.db import connection

    box: list[tuple[float, str, Any]] = []

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            box.append((time.perf_counter() - started, sql, params))

    with connection.execute_wrapper(wrapper):
        yield box


def explain_slowest(statements: list[tuple[float, str, Any]], top: int) -> None:
    from django.db import connection, transaction

    print(f"the {top} slowest statements of the full scan ({len(statements)} in all):")
    for seconds, sql, params in sorted(statements, key=lambda s: -s[0])[:top]:
        print(f"\n--- {seconds * 1e3:.1f} ms: {sql[:600]}")
        if not sql.lstrip().upper().startswith("SELECT") or isinstance(params, list):
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            for (line,) in cursor.fetchall():
                print("   ", line)
            transaction.set_rollback(True)


def seconds(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=None, help="open cases (1,000,000)")
    parser.add_argument("--share", type=float, default=0.01, help="share changed (0.01)")
    parser.add_argument("--rounds", type=int, default=3, help="incremental rounds (3)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of the full scan and floor")
    parser.add_argument("--seed", type=int, default=20261207)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN the slowest statements")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="govhall-bench-") as var_dir:
        vendor = setup_django(var_dir)
        if args.cases is None:
            args.cases = 1_000_000 if vendor == "postgresql" else 20_000
        if vendor != "postgresql" and args.cases > SQLITE_MAX:
            sys.exit(
                f"this benchmark measures PostgreSQL: set DATABASE_URL to an empty database "
                f"you can throw away (on {vendor}, at most --cases {SQLITE_MAX:,})"
            )
        from django.conf import settings
        from django.db import connection
        from django.utils import timezone

        from govhall.cases.case_transitions import CLOCK_RUNNING_STATUSES
        from govhall.cases.models import Case
        from govhall.supervision.models import Alert, AlertRule
        from govhall.supervision.services.scan import scan_case_deadlines

        settings.DEBUG = False
        rng = random.Random(args.seed)
        hall = prepare_hall()
        running = Case.objects.filter(center=hall.center, status__in=CLOCK_RUNNING_STATUSES)
        existing = running.count()
        if existing >= args.cases * 0.95:
            seed_seconds = 0.0
            print(f"reusing the {existing:,} open cases already in the database")
        else:
            seed_seconds = seed_open_cases(hall, args.cases - existing, rng)

        def vacuum() -> None:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")

        vacuum()
        now = timezone.now()
        today = timezone.localdate(now)

        def full() -> Any:
            return scan_case_deadlines(now=now, full=True)

        def incremental() -> Any:
            return scan_case_deadlines(now=now)

        overdue = running.filter(promised_due_on__lt=today)

        def floor() -> int:
            return overdue.count()

        # The first scan raises every alert the seed calls for; with the rules' SMS on it would
        # write a message per alert and person told to the outbox, one by one (the red rule
        # tells the department's leaders and the directors: ~200,000 messages; not what is
        # measured here). The later scans tell people as configured.
        rules = AlertRule.objects.filter(subject="case_deadline")
        switches = [
            "notify_responsible",
            "notify_window_head",
            "notify_department_leader",
            "notify_director",
        ]
        flags = list(rules.values("pk", *switches))
        rules.update(**dict.fromkeys(switches, False))
        started = time.perf_counter()
        first = full()
        first_seconds = time.perf_counter() - started
        for row in flags:
            AlertRule.objects.filter(pk=row.pop("pk")).update(**row)
        vacuum()
        floor()  # warm
        full_times, floor_times = [], []
        results = []
        for _ in range(args.repeat):  # interleaved: both see the same machine
            started = time.perf_counter()
            results.append(full())
            full_times.append(time.perf_counter() - started)
            floor_times.append(seconds(floor))
        quiet = statistics.median(seconds(incremental) for _ in range(args.repeat))
        changed_counts, incremental_times, incremental_results = [], [], []
        for _ in range(args.rounds):
            changed_counts.append(change_cases(args.share, rng))
            started = time.perf_counter()
            incremental_results.append(incremental())
            incremental_times.append(time.perf_counter() - started)
        if args.explain and vendor == "postgresql":
            with captured() as statements:
                full()
            explain_slowest(statements, 5)
            print()

        full_ms = statistics.median(full_times) * 1e3
        floor_ms = statistics.median(floor_times) * 1e3
        incremental_s = statistics.median(incremental_times)
        open_now = running.count()
        live = Alert.objects.live().filter(rule__subject="case_deadline").count()
        print()
        print("govhall supervision benchmark (case-deadline scan)")
        print(
            f"{vendor}, python {sys.version.split()[0]}, {max(existing, args.cases):,} "
            f"open cases seeded (in {seed_seconds:.0f} s, not measured), {open_now:,} open "
            f"now, {overdue.count():,} overdue, {live:,} live alerts, seed {args.seed}"
        )
        print()
        print(
            f"  first full scan:                  {first_seconds:9.2f} s "
            f"({first.raised:,} raised, {first.withdrawn:,} withdrawn; no goal)"
        )
        print(
            f"  full scan:                        {full_ms:9.1f} ms "
            f"(median of {args.repeat}; raised {sum(r.raised for r in results)})"
        )
        print(f"  floor, count(*) of overdue cases: {floor_ms:9.1f} ms (median of {args.repeat})")
        print(f"  incremental scan, nothing changed:{quiet * 1e3:9.1f} ms")
        print(
            f"  incremental scan after {args.share:.0%} changed: {incremental_s * 1e3:9.1f} ms "
            f"(median of {args.rounds} rounds of {changed_counts[0]:,} cases; max "
            f"{max(incremental_times) * 1e3:.1f} ms; withdrawn "
            f"{[r.withdrawn for r in incremental_results]}, raised "
            f"{[r.raised for r in incremental_results]})"
        )
        ratio = full_ms / floor_ms
        print(f"  full scan / floor:                {ratio:9.1f}×   (goal ≤ {FULL_GOAL:.0f}×)")
        print(
            f"  incremental / goal:               {incremental_s / INCREMENTAL_GOAL:9.2f}    "
            f"(goal < {INCREMENTAL_GOAL} s)"
        )
        if vendor == "postgresql":
            met = ratio <= FULL_GOAL and incremental_s < INCREMENTAL_GOAL
            print(f"  goals: {'met' if met else 'MISSED'}")


if __name__ == "__main__":
    main()
