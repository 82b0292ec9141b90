"""Benchmark of the push to the screens (issue 20 item 2): one application process under uvicorn
(ASGI) holding many open display-board streams, its memory, and how fast a call reaches every
board.

Run from the repository root:

    .venv/bin/python bench/push.py                    # starts a throwaway PostgreSQL cluster
    .venv/bin/python bench/push.py --boards 200 --calls 3        # quicker
    DATABASE_URL=postgres://USER@HOST:PORT/DB .venv/bin/python bench/push.py   # your server

Without DATABASE_URL it starts a PostgreSQL cluster of its own with `scripts/pg-throwaway` and
removes it at the end; with DATABASE_URL give it an empty database you can throw away. It builds
one center with one window and one queue, starts ONE uvicorn process (`govhall.asgi`, one
worker, DEBUG off) on a free loopback port, and opens the boards' streams
(`/board/<code>/stream`) with an aiohttp client, waiting for each board's first state. Then:

1. the server process's resident memory (RSS) at 10, 100 and --boards open streams (and how
   many database connections the cluster holds): flat memory means no thread per stream;
2. --calls times, a ticket taken and called (`ticket_call_next`, committed in this process),
   and for every board the time from the commit until its stream delivered the call: p50, p99
   and max over all boards and calls, and the worst "every board has it" per call (goal ≤ 1 s);
3. baselines of the same run: the time of the call itself (the service, in this process), and
   the same measurement with ONE open board.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))


def setup_django(var_dir: str) -> None:
    warnings.filterwarnings("ignore", "No directory at")
    os.environ["GOVHALL_VAR_DIR"] = var_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "govhall.settings"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("GOVHALL_TASK_MODE", "eager")
    os.environ["GOVHALL_QUEUE_ENFORCE_HOURS"] = "false"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def create_database(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')


def build_hall() -> dict[str, Any]:
    from govhall.core.roles import Role
    from govhall.frontdesk.models import ServiceGroup
    from govhall.org.models import Center, Window
    from govhall.org.models.centers import CenterLevel
    from govhall.testing.factories import CenterFactory, PostFactory, WindowFactory, make_staff
    from govhall.testing.sign_in import signed_in

    center = cast(
        Center, CenterFactory(code="339901", name="推送压测政务服务中心", level=CenterLevel.COUNTY)
    )
    group = ServiceGroup.objects.create(center=center, letter="A", name="综合", position=0)
    clerk = make_staff(Role.CLERK, center, username="bench-push-clerk", window_staff=True)
    window = cast(Window, WindowFactory(center=center, number=1, name="综合窗口1"))
    PostFactory(window=window, a_staff=clerk)
    group.windows.add(window)
    signed_in(clerk)
    return {"center": center, "group": group, "clerk": clerk, "window": window}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def raise_open_files() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def threads_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    return 0


def database_connections() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return int(cursor.fetchone()[0]) - 1  # not this process's own


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class Board:
    """One open board stream: remembers when each called ticket number first showed."""

    def __init__(self) -> None:
        self.first = asyncio.Event()
        self.seen: dict[str, float] = {}

    async def run(self, session: Any, url: str) -> None:
        async with session.get(url) as response:
            assert response.status == 200, response.status
            event = ""
            async for raw in response.content:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "board":
                    now = time.monotonic()
                    # The latest call's number, without decoding the whole state: the client
                    # is the instrument here, a thousand boards in one Python process.
                    calls = line.find('"calls":[{')
                    if calls >= 0:
                        start = line.index('"number":"', calls) + 10
                        self.seen.setdefault(line[start : line.index('"', start)], now)
                    self.first.set()


async def open_boards(session: Any, url: str, boards: list[Board], count: int) -> None:
    tasks = []
    while len(boards) < count:
        board = Board()
        boards.append(board)
        tasks.append(asyncio.create_task(board.run(session, url)))
        if len(tasks) % 50 == 0:
            await asyncio.gather(*(b.first.wait() for b in boards))
    await asyncio.wait_for(asyncio.gather(*(b.first.wait() for b in boards)), 120)
    globals().setdefault("_tasks", []).extend(tasks)


def call_one(hall: dict[str, Any]) -> tuple[str, float, float]:
    """A ticket taken and called; (its number, the call's duration, the commit's moment)."""
    from django.db import connection

    from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
    from govhall.frontdesk.ticket_transitions import TicketAction

    ticket = ticket_take(group=hall["group"])
    started = time.monotonic()
    called = ticket_call_next(actor=hall["clerk"], window=hall["window"])
    done = time.monotonic()
    assert called is not None and called.pk == ticket.pk
    ticket_act(actor=hall["clerk"], ticket=called, action=TicketAction.NO_SHOW)
    connection.close()
    return ticket.number, done - started, done


async def measure_calls(
    hall: dict[str, Any], boards: list[Board], calls: int
) -> tuple[list[float], list[float], list[float]]:
    """(every board's delay, every call's worst delay, every call's own time)."""
    delays: list[float] = []
    worst: list[float] = []
    own: list[float] = []
    for _ in range(calls):
        number, duration, committed = await asyncio.to_thread(call_one, hall)
        deadline = time.monotonic() + 10
        while any(number not in b.seen for b in boards) and time.monotonic() < deadline:
            await asyncio.sleep(0.005)
        missing = sum(number not in b.seen for b in boards)
        if missing:
            print(f"  {missing} boards never received {number} within 10 s")
        these = [b.seen[number] - committed for b in boards if number in b.seen]
        delays += these
        worst.append(max(these))
        own.append(duration)
        await asyncio.sleep(0.2)  # the mark-no-show's notification settles
    return delays, worst, own


async def run_bench(args: argparse.Namespace, hall: dict[str, Any], base: str, pid: int) -> None:
    import aiohttp

    url = f"{base}/board/{hall['center'].code}/stream"
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=None, sock_read=None)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        single: list[Board] = []
        await open_boards(session, url, single, 1)
        one_delays, _one_worst, _ = await measure_calls(hall, single, args.calls)
        one_p50 = statistics.median(one_delays) * 1000
        print(
            f"  baseline, ONE open board: call → board p50 {one_p50:.0f} ms,"
            f" max {max(one_delays) * 1000:.0f} ms"
        )
        boards = single
        for count in sorted({10, 100, args.boards}):
            started = time.monotonic()
            await open_boards(session, url, boards, count)
            await asyncio.sleep(1)
            print(
                f"  {count:>5} open boards: server RSS {rss_mib(pid):6.1f} MiB,"
                f" {threads_of(pid):3d} threads,"
                f" {await asyncio.to_thread(database_connections):3d} database connections"
                f" (opened in {time.monotonic() - started:.1f} s)"
            )
        delays, worst, own = await measure_calls(hall, boards, args.calls)
        print(
            f"  call → every one of {len(boards)} boards, {args.calls} calls:"
            f" p50 {percentile(delays, 0.5) * 1000:.0f} ms,"
            f" p99 {percentile(delays, 0.99) * 1000:.0f} ms,"
            f" max {max(delays) * 1000:.0f} ms (goal ≤ 1000 ms)"
        )
        print(
            f"  worst board per call: {', '.join(f'{w * 1000:.0f}' for w in worst)} ms;"
            f" the call itself (ticket_call_next) p50 {statistics.median(own) * 1000:.1f} ms"
        )
        print(
            f"  ratio, p99 to every board / the call itself:"
            f" {percentile(delays, 0.99) / statistics.median(own):.1f}×;"
            f" to one board: {percentile(delays, 0.99) / statistics.median(one_delays):.1f}×"
        )
        print(f"  server RSS after the calls: {rss_mib(pid):.1f} MiB")
        for task in globals().get("_tasks", []):
            task.cancel()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--boards", type=int, default=1000)
    parser.add_argument("--calls", type=int, default=10)
    args = parser.parse_args()
    raise_open_files()
    # Stopped (SIGTERM): still stop the server and remove the cluster.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    with tempfile.TemporaryDirectory(prefix="govhall-bench-push-") as tmp:
        cluster = None
        if not os.environ.get("DATABASE_URL"):
            cluster = Path(tempfile.mkdtemp(prefix="govhall-bench-pg-"))
            url = subprocess.run(
                [str(ROOT / "scripts" / "pg-throwaway"), "start", str(cluster)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            create_database(url)
            os.environ["DATABASE_URL"] = url
        server = None
        try:
            setup_django(tmp)
            hall = build_hall()
            port = free_port()
            env = {
                **os.environ,
                "GOVHALL_DEBUG": "false",
                "GOVHALL_BOARD_STREAM_SECONDS": "3600",  # no reconnects while measuring
            }
            server = subprocess.Popen(
                [
                    str(ROOT / ".venv" / "bin" / "uvicorn"),
                    "govhall.asgi:application",
                    "--host=127.0.0.1",
                    f"--port={port}",
                    "--log-level=warning",
                    "--no-access-log",
                ],
                cwd=ROOT,
                env=env,
            )
            base = f"http://127.0.0.1:{port}"
            for _ in range(300):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.1)
            print(f"bench/push.py: one uvicorn process (pid {server.pid}), PostgreSQL")
            print(f"  server RSS at start: {rss_mib(server.pid):.1f} MiB")
            asyncio.run(run_bench(args, hall, base, server.pid))
            return 0
        finally:
            if server is not None:
                server.send_signal(signal.SIGINT)
                try:
                    server.wait(10)
                except subprocess.TimeoutExpired:
                    server.kill()
            if cluster is not None:
                subprocess.run([str(ROOT / "scripts" / "pg-throwaway"), "stop", str(cluster)])


if __name__ == "__main__":
    sys.exit(main())
