"""Benchmark of the working-day calendar (issue 2, item 5).

Run from the repository root:  .venv/bin/python bench/workdays.py [--count N] [--sample N]

It sets Django up on a throwaway SQLite file (nothing else needed), gives one center a closure
so its calendar is a real per-center one, then times:

1. building one center calendar (database read + arrays);
2. COUNT deadline computations `calendar_for(center).add_workdays(start, n)` with random start
   dates 2004–2026 and n 1–60, the hot path upper layers use (cache lookup included);
3. the same with the calendar object held by the caller;
4. the day-by-day loop (`naive_add_workdays` over chinesecalendar) on a SAMPLE of the same
   computations, and the same loop over our own precomputed flags, with the ratios;

and checks that every sampled answer agrees.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str) -> None:
    os.environ.pop("DATABASE_URL", None)
    os.environ["GOVHALL_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "govhall.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "workdays", verbosity=0)


def per_call(seconds: float, calls: int) -> str:
    return f"{seconds / calls * 1e9:,.0f} ns/call"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="fast computations")
    parser.add_argument("--sample", type=int, default=5_000, help="day-by-day computations")
    parser.add_argument("--seed", type=int, default=20251001)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="govhall-bench-") as var_dir:
        setup_django(var_dir)
        from govhall.workdays.models import CenterDay
        from govhall.workdays.queries.calendar import (
            build_calendar,
            calendar_for,
            drop_cached_calendars,
        )
        from govhall.workdays.queries.work_calendar import naive_add_workdays

        center_id = 1
        CenterDay.objects.create(
            center_id=center_id,
            date=datetime.date(2025, 10, 14),
            kind=CenterDay.Kind.CLOSED,
            reason="停电检修",
        )

        builds = 20
        calendar_for(None)  # the national calendar a center calendar is laid over
        started = time.perf_counter()
        for _ in range(builds):
            build_calendar(center_id)
        build_seconds = (time.perf_counter() - started) / builds
        drop_cached_calendars()
        started = time.perf_counter()
        calendar_for(center_id)
        cold_seconds = time.perf_counter() - started

        rng = random.Random(args.seed)
        first = datetime.date(2004, 1, 1).toordinal()
        last = datetime.date(2026, 12, 31).toordinal()
        starts = [datetime.date.fromordinal(rng.randint(first, last)) for _ in range(args.count)]
        counts = [rng.randint(1, 60) for _ in range(args.count)]
        work = list(zip(starts, counts, strict=True))

        started = time.perf_counter()
        for start, n in work:
            calendar_for(center_id).add_workdays(start, n)
        fast_seconds = time.perf_counter() - started

        calendar = calendar_for(center_id)
        add = calendar.add_workdays
        started = time.perf_counter()
        for start, n in work:
            add(start, n)
        held_seconds = time.perf_counter() - started

        sample = work[: args.sample]
        started = time.perf_counter()
        naive_answers = [naive_add_workdays(start, n) for start, n in sample]
        naive_seconds = time.perf_counter() - started

        is_workday = calendar.is_workday
        started = time.perf_counter()
        for start, n in sample:
            naive_add_workdays(start, n, is_workday)
        flags_loop_seconds = time.perf_counter() - started

        national = calendar_for(None)
        mismatches = sum(
            1
            for (start, n), answer in zip(sample, naive_answers, strict=True)
            if national.add_workdays(start, n) != answer
        )

        fast = fast_seconds / args.count
        naive = naive_seconds / len(sample)
        flags_loop = flags_loop_seconds / len(sample)
        print("govhall working-day calendar benchmark")
        print(f"python {sys.version.split()[0]}, start dates 2004–2026, n 1–60, seed {args.seed}")
        print()
        print(
            f"build one center calendar:           {build_seconds * 1e3:8.2f} ms (mean of {builds})"
        )
        print(f"first calendar_for(center), cold:    {cold_seconds * 1e3:8.2f} ms (with DB reads)")
        print(
            f"{args.count:,} deadlines, calendar_for(...).add_workdays: "
            f"{fast_seconds:.3f} s  ({per_call(fast_seconds, args.count)})"
        )
        print(
            f"{args.count:,} deadlines, calendar held by caller:       "
            f"{held_seconds:.3f} s  ({per_call(held_seconds, args.count)})"
        )
        print(
            f"{len(sample):,} deadlines, day-by-day naive_add_workdays (chinesecalendar): "
            f"{naive_seconds:.3f} s  ({per_call(naive_seconds, len(sample))})"
        )
        print(
            f"{len(sample):,} deadlines, day-by-day over our precomputed flags:        "
            f"{flags_loop_seconds:.3f} s  ({per_call(flags_loop_seconds, len(sample))})"
        )
        print()
        print(
            f"day-by-day (chinesecalendar) / calendar_for(...).add_workdays: {naive / fast:,.0f}×"
        )
        ratio = flags_loop / fast
        print(f"day-by-day (own flags)       / calendar_for(...).add_workdays: {ratio:,.1f}×")
        print(
            f"1,000,000 day-by-day (chinesecalendar) computations would take about "
            f"{naive * 1_000_000:,.0f} s"
        )
        print(f"sampled answers that disagree with the day-by-day loop: {mismatches}")
        if mismatches:
            sys.exit(1)


if __name__ == "__main__":
    main()
