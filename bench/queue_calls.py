"""Benchmark of the queue (issue 4): call-next latency with many windows calling at once on
PostgreSQL, and tickets issued per second.

Run from the repository root:

    .venv/bin/python bench/queue.py                  # starts a throwaway PostgreSQL cluster
    DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python bench/queue.py   # your server
    .venv/bin/python bench/queue.py --sqlite         # the same on a throwaway SQLite file

Without DATABASE_URL (and without --sqlite) it starts a PostgreSQL cluster of its own with
`scripts/pg-throwaway` on a free loopback port and removes it at the end. With DATABASE_URL give
it an empty database you can throw away.

It builds one center with WINDOWS windows (one clerk each, as A staff of the window's post) and
GROUPS service groups, each window calling from two of them, and seeds HISTORY_DAYS past days of
1,500 finished tickets a day (the seed is not measured), so that today's line is found among a
real table. Then, in the same run:

1. tickets issued per second: `ticket_take` at the kiosk, one after the other, and from KIOSKS
   kiosks at once (one process each);
2. call-next latency: CALLS tickets wait in line; every window, each in its own process with its
   own connection (as under a multi-process web server), calls next (`ticket_call_next`: the
   A/B cover check, the line under SKIP LOCKED, the conditional update, the call row, the event
   and the near-turn SMS check) and marks the ticket a no-show, until the line is empty; the time
   of each `ticket_call_next` is recorded: median and p99;
3. baselines in the same run: the same calls from one window alone (no contention), and a bare
   transaction from every window at once that locks and updates one row of its own (the floor
   the database and the processes give); the ratios of 2 to both.
4. realistic load (`--mode realistic`, or `all`, the default): every window serves each citizen
   2–5 minutes (started, then finished) and calls the next one, while KIOSKS kiosks issue
   tickets as fast as the windows call (one in five with a phone for the near-turn SMS), time
   compressed `--compress` times (printed) for `--realistic-seconds`; the call's median and p99
   against the bare lock-and-update of 3, and of the same pacing.

Every ticket must be called exactly once: the script exits 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
# This file is named like the standard library's `queue`: take its own folder off the path so
# that `import queue` (psycopg, multiprocessing) finds the real one.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

DAY_TICKETS = 1_500


def setup_django(var_dir: str) -> str:
    warnings.filterwarnings("ignore", "No directory at")
    os.environ["GOVHALL_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "govhall.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("GOVHALL_TASK_MODE", "eager")
    # The hall's opening hours are not what is measured.
    os.environ["GOVHALL_QUEUE_ENFORCE_HOURS"] = "false"
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    call_command("migrate", verbosity=0)
    return connection.vendor


def create_database(url: str) -> None:
    """The throwaway cluster has no `govhall` database yet."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


# --- the hall ---------------------------------------------------------------------------------


def build_hall(windows: int, groups: int) -> dict[str, Any]:
    from govhall.core.models import User
    from govhall.core.roles import Role
    from govhall.frontdesk.models import ServiceGroup
    from govhall.org.models import Center, Window
    from govhall.org.models.centers import CenterLevel
    from govhall.testing.factories import CenterFactory, PostFactory, WindowFactory, make_staff

    center = cast(
        Center, CenterFactory(code="339900", name="压测县政务服务中心", level=CenterLevel.COUNTY)
    )
    guide = make_staff(Role.GUIDE, center, username="bench-guide")
    group_rows = [
        ServiceGroup.objects.create(center=center, letter=chr(65 + n), name=f"队列{n}", position=n)
        for n in range(groups)
    ]
    desks = []
    for n in range(windows):
        clerk = make_staff(Role.CLERK, center, username=f"bench-w{n:02d}", window_staff=True)
        window = cast(Window, WindowFactory(center=center, number=n + 1, name=f"综合窗口{n + 1}"))
        PostFactory(window=window, a_staff=clerk)
        group_rows[n % groups].windows.add(window)
        group_rows[(n + 1) % groups].windows.add(window)
        desks.append((window.pk, clerk.pk))
    # Signed in for the day: during service hours cover counts only signed-in clerks.
    from govhall.testing.sign_in import signed_in

    signed_in(*User.objects.filter(pk__in=[clerk for _window, clerk in desks]))
    return {"center": center, "guide": guide, "groups": group_rows, "desks": desks}


def seed_history(hall: dict[str, Any], days: int) -> int:
    """Finished tickets of past days, in bulk (not measured)."""
    import secrets

    from django.utils import timezone

    from govhall.frontdesk.models import Ticket, TicketStatus

    today = timezone.localdate()
    groups = hall["groups"]
    windows = [pk for pk, _clerk in hall["desks"]]
    rows = []
    total = 0
    for back in range(days, 0, -1):
        day = today - datetime.timedelta(days=back)
        opens = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30)))
        for serial in range(1, DAY_TICKETS + 1):
            group = groups[serial % len(groups)]
            taken = opens + datetime.timedelta(seconds=serial * 19)
            rows.append(
                Ticket(
                    center_id=hall["center"].pk,
                    group=group,
                    service_date=day,
                    serial=serial,
                    number=f"{group.letter}{serial:04d}",
                    token=secrets.token_urlsafe(12),
                    status=TicketStatus.DONE,
                    taken_at=taken,
                    queued_at=taken,
                    called_at=taken + datetime.timedelta(minutes=9),
                    started_at=taken + datetime.timedelta(minutes=10),
                    finished_at=taken + datetime.timedelta(minutes=22),
                    wait_seconds=540,
                    service_seconds=720,
                    window_id=windows[serial % len(windows)],
                )
            )
        if len(rows) >= 10_000:
            Ticket.objects.bulk_create(rows)
            total += len(rows)
            rows = []
    Ticket.objects.bulk_create(rows)
    return total + len(rows)


# --- measured work (each runs in a child process with its own connection) --------------------


def _child(target: Callable[..., Any], args: tuple[Any, ...], out: Any, start: Any) -> None:
    from django.db import connections

    try:
        start.wait()
        out.put(target(*args))
    except Exception as error:  # reported by the parent
        out.put(error)
    finally:
        connections.close_all()


def run_processes(target: Callable[..., Any], arg_list: list[tuple[Any, ...]]) -> list[Any]:
    """Run `target(*args)` for each args in its own forked process, released together."""
    return run_jobs([(target, args) for args in arg_list])


def run_jobs(jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> list[Any]:
    """Run each `target(*args)` in its own forked process, released together; the results in
    the order they finish."""
    from django.db import connections

    connections.close_all()  # a forked child must not share the parent's connection
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    start = context.Event()
    children = [
        context.Process(target=_child, args=(target, args, out, start)) for target, args in jobs
    ]
    for child in children:
        child.start()
    start.set()
    results = [out.get() for _ in children]
    for child in children:
        child.join()
    errors = [r for r in results if isinstance(r, Exception)]
    if errors:
        raise errors[0]
    return results


def take_tickets(group_ids: list[int], count: int) -> float:
    from govhall.frontdesk.models import ServiceGroup
    from govhall.frontdesk.services.tickets import ticket_take

    groups = list(ServiceGroup.objects.filter(pk__in=group_ids))
    started = time.perf_counter()
    for n in range(count):
        ticket_take(group=groups[n % len(groups)])
    return time.perf_counter() - started


def call_until_empty(window_id: int, clerk_id: int) -> list[float]:
    from govhall.core.models import User
    from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next
    from govhall.frontdesk.ticket_transitions import TicketAction
    from govhall.org.models import Window

    window = Window.objects.get(pk=window_id)
    clerk = User.objects.get(pk=clerk_id)
    latencies = []
    while True:
        started = time.perf_counter()
        ticket = ticket_call_next(actor=clerk, window=window)
        latencies.append(time.perf_counter() - started)
        if ticket is None:
            return latencies[:-1]  # the last, empty answer is not a call
        ticket_act(actor=clerk, ticket=ticket, action=TicketAction.NO_SHOW)


def bare_lock_and_update(row_id: int, count: int) -> list[float]:
    """One row of its own per process: SELECT … FOR UPDATE and UPDATE, in a transaction."""
    from django.db import transaction
    from django.db.models import F

    from govhall.frontdesk.models import TicketCounter

    latencies = []
    for _ in range(count):
        started = time.perf_counter()
        with transaction.atomic():
            TicketCounter.objects.select_for_update().get(pk=row_id)
            TicketCounter.objects.filter(pk=row_id).update(last=F("last") + 1)
        latencies.append(time.perf_counter() - started)
    return latencies


def paced_window(
    window_id: int, clerk_id: int, seed: int, until: float, compress: float, bare_row: int | None
) -> list[float]:
    """Realistic load, one window: serve each citizen 2–5 minutes (compressed), then call the
    next one (timed: `ticket_call_next`, or with `bare_row` the bare lock-and-update instead).
    A called ticket is started and, after the service time, finished."""
    import random

    from django.db import transaction
    from django.db.models import F

    from govhall.core.models import User
    from govhall.frontdesk.models import TicketCounter
    from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next
    from govhall.frontdesk.ticket_transitions import TicketAction
    from govhall.org.models import Window

    rng = random.Random(seed)
    window = Window.objects.get(pk=window_id)
    clerk = User.objects.get(pk=clerk_id)
    latencies = []
    # The windows do not open in step: the first call comes within one service time.
    time.sleep(rng.uniform(0, 300) / compress)
    while time.monotonic() < until:
        started = time.perf_counter()
        if bare_row is not None:
            with transaction.atomic():
                TicketCounter.objects.select_for_update().get(pk=bare_row)
                TicketCounter.objects.filter(pk=bare_row).update(last=F("last") + 1)
            ticket = None
        else:
            ticket = ticket_call_next(actor=clerk, window=window)
        if ticket is not None or bare_row is not None:  # an empty line is not a call
            latencies.append(time.perf_counter() - started)
        if ticket is not None:
            ticket = ticket_act(actor=clerk, ticket=ticket, action=TicketAction.START)
        time.sleep(rng.uniform(120, 300) / compress)
        if ticket is not None:
            ticket_act(actor=clerk, ticket=ticket, action=TicketAction.FINISH)
    return latencies


def paced_kiosk(group_ids: list[int], seed: int, until: float, every: float) -> int:
    """Realistic load, one kiosk: a ticket every `every` seconds on average (random gaps), one
    in five leaving a phone number for the near-turn SMS, one in nine elderly or disabled."""
    import random

    from govhall.frontdesk.models import ServiceGroup
    from govhall.frontdesk.services.tickets import ticket_take

    rng = random.Random(seed)
    groups = list(ServiceGroup.objects.filter(pk__in=group_ids))
    taken = 0
    while time.monotonic() < until:
        time.sleep(rng.expovariate(1 / every))
        phone = f"139{seed % 100:02d}{taken:06d}" if rng.random() < 0.2 else ""
        elderly = rng.random() < 1 / 9
        ticket_take(
            group=rng.choice(groups),
            priority="elderly_disabled" if elderly else "normal",
            phone=phone,
        )
        taken += 1
    return taken


def fill_line(hall: dict[str, Any], calls: int, groups: list[Any] | None = None) -> None:
    """`calls` waiting tickets over `groups` (default all); one in nine elderly or disabled."""
    from govhall.frontdesk.services.tickets import ticket_take

    groups = groups or hall["groups"]
    for n in range(calls):
        elderly = n % 9 == 0
        ticket_take(
            group=groups[n % len(groups)],
            actor=hall["guide"] if elderly else None,
            priority="elderly_disabled" if elderly else "normal",
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--windows", type=int, default=50)
    parser.add_argument("--groups", type=int, default=8)
    parser.add_argument("--calls", type=int, default=5_000, help="tickets in line to call")
    parser.add_argument("--takes", type=int, default=2_000, help="tickets issued one by one")
    parser.add_argument("--kiosks", type=int, default=10, help="kiosks issuing at once")
    parser.add_argument("--history-days", type=int, default=60)
    parser.add_argument("--sqlite", action="store_true", help="a throwaway SQLite file instead")
    parser.add_argument(
        "--mode",
        choices=["all", "burst", "realistic"],
        default="all",
        help="burst: every window calling at once until the line is empty; realistic: each "
        "window calling every 2-5 minutes (compressed) while the kiosks issue; all: both",
    )
    parser.add_argument(
        "--compress", type=float, default=30.0, help="realistic load: time runs this much faster"
    )
    parser.add_argument(
        "--realistic-seconds", type=float, default=60.0, help="realistic load: wall seconds"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="govhall-bench-queue-") as tmp:
        cluster = None
        if args.sqlite:
            os.environ.pop("DATABASE_URL", None)
        elif not os.environ.get("DATABASE_URL"):
            # Its own directory under /tmp: the server runs as the postgres user, which cannot
            # enter our private temporary directory.
            cluster = Path(tempfile.mkdtemp(prefix="govhall-bench-pg-"))
            url = subprocess.run(
                [str(ROOT / "scripts" / "pg-throwaway"), "start", str(cluster)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            create_database(url)
            os.environ["DATABASE_URL"] = url
        try:
            return measure(args, tmp)
        finally:
            if cluster is not None:
                subprocess.run([str(ROOT / "scripts" / "pg-throwaway"), "stop", str(cluster)])


def measure(args: argparse.Namespace, tmp: str) -> int:
    vendor = setup_django(tmp)
    from govhall.frontdesk.models import Ticket

    hall = build_hall(args.windows, args.groups)
    seeded = seed_history(hall, args.history_days)
    group_ids = [g.pk for g in hall["groups"]]
    print(
        f"queue benchmark on {vendor}: {args.windows} windows, {args.groups} groups, "
        f"{seeded:,} past tickets ({args.history_days} days × {DAY_TICKETS:,})"
    )

    # 1. Tickets issued per second.
    (single,) = run_processes(take_tickets, [(group_ids, args.takes)])
    per_kiosk = max(1, args.takes // args.kiosks)
    started = time.perf_counter()
    run_processes(take_tickets, [(group_ids, per_kiosk)] * args.kiosks)
    parallel = time.perf_counter() - started
    print(
        f"  tickets issued, one kiosk:       {args.takes / single:8.0f} tickets/s "
        f"({args.takes:,} tickets, {single / args.takes * 1e3:.1f} ms each)"
    )
    print(
        f"  tickets issued, {args.kiosks} kiosks at once: "
        f"{per_kiosk * args.kiosks / parallel:8.0f} tickets/s "
        f"({per_kiosk * args.kiosks:,} tickets in {parallel:.1f} s)"
    )
    # The taken tickets are not the ones called below.
    Ticket.objects.filter(status="waiting").update(status="cancelled")

    if args.mode == "realistic":
        floor = burst_floor(hall, args.windows, 100)
        ok = True
    else:
        ok, floor = burst(args, hall)
    if args.mode != "burst":
        ok = realistic(args, hall, floor) and ok
    return 0 if ok else 1


def burst_floor(hall: dict[str, Any], windows: int, per_calls: int) -> list[float]:
    """A bare lock-and-update transaction from every window at once, `per_calls` each."""
    from govhall.frontdesk.models import TicketCounter

    group_id = hall["groups"][0].pk
    TicketCounter.objects.filter(service_date__lt=datetime.date(2001, 1, 1)).delete()
    rows = [
        TicketCounter.objects.create(
            group_id=group_id, service_date=datetime.date(2000, 1, 1) + datetime.timedelta(n)
        ).pk
        for n in range(windows)
    ]
    return [
        v
        for part in run_processes(bare_lock_and_update, [(r, per_calls) for r in rows])
        for v in part
    ]


def burst(args: argparse.Namespace, hall: dict[str, Any]) -> tuple[bool, list[float]]:
    """Every window calls at once until CALLS tickets are called (2 and 3 above)."""
    from django.db.models import Count

    from govhall.frontdesk.models import TicketCall

    # 3a. Baseline: one window alone.
    alone_calls = min(300, args.calls)
    first_window = hall["desks"][0][0]
    fill_line(hall, alone_calls, [g for g in hall["groups"] if g.windows.filter(pk=first_window)])
    (alone,) = run_processes(call_until_empty, [hall["desks"][0]])
    # 2. Every window at once.
    fill_line(hall, args.calls)
    before = TicketCall.objects.count()
    started = time.perf_counter()
    per_window = run_processes(call_until_empty, hall["desks"])
    wall = time.perf_counter() - started
    latencies = [value for window in per_window for value in window]
    # 3b. Floor: a bare lock-and-update transaction from every window at once.
    floor = burst_floor(hall, args.windows, max(1, len(latencies) // args.windows))

    called = TicketCall.objects.count() - before
    twice = TicketCall.objects.values("ticket").annotate(n=Count("id")).filter(n__gt=1).count()
    ms = 1e3
    p50, p99 = statistics.median(latencies) * ms, percentile(latencies, 0.99) * ms
    a50, a99 = statistics.median(alone) * ms, percentile(alone, 0.99) * ms
    f50, f99 = statistics.median(floor) * ms, percentile(floor, 0.99) * ms
    print(
        f"  call next, {args.windows} windows at once:   median {p50:6.1f} ms, p99 {p99:6.1f} ms "
        f"({len(latencies):,} calls in {wall:.1f} s, {len(latencies) / wall:.0f} calls/s)"
    )
    print(
        f"  call next, one window alone:     median {a50:6.1f} ms, p99 {a99:6.1f} ms "
        f"({len(alone):,} calls)"
    )
    print(f"  bare lock+update, {args.windows} at once:    median {f50:6.1f} ms, p99 {f99:6.1f} ms")
    print(
        f"  ratio {args.windows} windows / one window:   median {p50 / a50:5.1f}×, "
        f"p99 {p99 / a99:5.1f}×"
    )
    print(f"  ratio call next / bare update:   median {p50 / f50:5.1f}×, p99 {p99 / f99:5.1f}×")
    ok = called == args.calls and twice == 0 and len(latencies) == args.calls
    print(
        f"  tickets called: {called:,} of {args.calls:,}, called twice: {twice}"
        f" — {'OK' if ok else 'WRONG'}"
    )
    return ok, floor


def realistic(args: argparse.Namespace, hall: dict[str, Any], floor: list[float]) -> bool:
    """Each window calls every 2–5 minutes (served in between), KIOSKS kiosks issue as many
    tickets as the windows call, time compressed `args.compress` times; then the same pacing
    with the bare lock-and-update in place of the call."""
    from django.db.models import Count

    from govhall.frontdesk.models import Ticket, TicketCall, TicketCounter

    compress, seconds = args.compress, args.realistic_seconds
    group_ids = [g.pk for g in hall["groups"]]
    Ticket.objects.filter(status__in=["waiting", "called", "serving"]).update(status="cancelled")
    # A morning's line to start from; the kiosks then keep up with the windows (a call every
    # 3.5 minutes per window on average, 10% more tickets than calls).
    fill_line(hall, 5 * args.windows)
    calls_per_second = args.windows / 210 * compress
    every = args.kiosks / (calls_per_second * 1.1)
    print(
        f"  realistic load: {args.windows} windows each calling every 2–5 min, {args.kiosks} "
        f"kiosks; time compressed {compress:g}× ({seconds:g} s = {seconds * compress / 60:.0f} "
        f"min of the hall, ~{calls_per_second:.1f} calls/s)"
    )

    def run(bare_rows: list[int] | None) -> tuple[list[float], int]:
        until = time.monotonic() + seconds
        jobs: list[tuple[Callable[..., Any], tuple[Any, ...]]] = [
            (
                paced_window,
                (w, c, n, until, compress, bare_rows[n] if bare_rows else None),
            )
            for n, (w, c) in enumerate(hall["desks"])
        ]
        # Other phone numbers in the second run: the first one's tickets still wait.
        first = 0 if bare_rows is None else 50
        jobs += [(paced_kiosk, (group_ids, first + n, until, every)) for n in range(args.kiosks)]
        results = run_jobs(jobs)
        calls = [v for r in results if isinstance(r, list) for v in r]
        return calls, sum(r for r in results if isinstance(r, int))

    before = TicketCall.objects.count()
    latencies, taken = run(None)
    called = TicketCall.objects.count() - before
    twice = TicketCall.objects.values("ticket").annotate(n=Count("id")).filter(n__gt=1).count()
    rows = list(
        TicketCounter.objects.filter(service_date__lt=datetime.date(2001, 1, 1))
        .order_by("service_date")
        .values_list("pk", flat=True)[: args.windows]
    )
    paced_floor, _taken = run(rows)
    ms = 1e3
    p50, p99 = statistics.median(latencies) * ms, percentile(latencies, 0.99) * ms
    f50, f99 = statistics.median(floor) * ms, percentile(floor, 0.99) * ms
    g50, g99 = statistics.median(paced_floor) * ms, percentile(paced_floor, 0.99) * ms
    print(
        f"  call next, realistic load:       median {p50:6.1f} ms, p99 {p99:6.1f} ms "
        f"({len(latencies):,} calls, {taken:,} tickets issued meanwhile)"
    )
    print(f"  bare lock+update, same pacing:   median {g50:6.1f} ms, p99 {g99:6.1f} ms")
    print(
        f"  ratio realistic / bare {args.windows} at once: median {p50 / f50:5.1f}×, "
        f"p99 {p99 / f99:5.1f}×"
    )
    print(f"  ratio realistic / bare same pacing: median {p50 / g50:5.1f}×, p99 {p99 / g99:5.1f}×")
    ok = twice == 0 and called == len(latencies)
    print(f"  tickets called: {called:,}, called twice: {twice} — {'OK' if ok else 'WRONG'}")
    return ok


if __name__ == "__main__":
    sys.exit(main())
