"""The load test of a large hall's morning against a running stack (issue 20 item 6).

    scripts/prod-stack start /tmp/stack             # prints the base URL (nginx, https)
    DATABASE_URL=… .venv/bin/python bench/load/seed.py --out /tmp/load-hall.json
    DATABASE_URL=… .venv/bin/python bench/load/run.py --host https://127.0.0.1:PORT --seconds 90
    DATABASE_URL=… .venv/bin/python bench/load/run.py --host … --burst 10000 --users 500

It runs Locust headless (bench/load/hall_morning.py, or bench/load/burst.py with --burst) for
the given time, prints throughput and p50/p95/p99 per endpoint with the errors, then checks the
database (bench/load/integrity.py) against what the clients were acknowledged. It exits 1 when
a check fails (or, for --burst, unless the run's keys made exactly --burst cases).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.load.integrity import Findings, check_integrity  # noqa: E402


def run_locust(
    *,
    locustfile: str,
    host: str,
    users: int,
    spawn_rate: float,
    seconds: int,
    env: dict[str, str],
    out_dir: str,
) -> tuple[int, float]:
    """Run Locust headless; returns (its exit code, wall seconds)."""
    command = [
        str(ROOT / ".venv" / "bin" / "locust"),
        "-f",
        str(ROOT / "bench" / "load" / locustfile),
        "--headless",
        "--host",
        host,
        "-u",
        str(users),
        "-r",
        str(spawn_rate),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--csv",
        f"{out_dir}/locust",
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    started = time.perf_counter()
    done = subprocess.run(
        command,
        env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
        stdout=open(f"{out_dir}/locust.out", "w"),  # noqa: SIM115
        stderr=subprocess.STDOUT,
        check=False,
    )
    return done.returncode, time.perf_counter() - started


def print_stats(out_dir: str, wall: float) -> dict[str, Any]:
    """The per-endpoint table from Locust's CSV; returns the aggregated row."""
    rows = list(csv.DictReader(open(f"{out_dir}/locust_stats.csv")))  # noqa: SIM115
    total: dict[str, Any] = {}
    print(
        f"  {'endpoint':<34} {'requests':>9} {'errors':>7} {'req/s':>7} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
    )
    for row in rows:
        name = row["Name"]
        if row["Type"] == "" and name == "Aggregated":
            total = row
            continue
        print(
            f"  {name:<34} {int(row['Request Count']):>9,} {int(row['Failure Count']):>7,} "
            f"{float(row['Requests/s']):>7.1f} {row['50%']:>8} {row['95%']:>8} {row['99%']:>8}"
        )
    if total:
        print(
            f"  {'all':<34} {int(total['Request Count']):>9,} {int(total['Failure Count']):>7,} "
            f"{float(total['Requests/s']):>7.1f} {total['50%']:>8} {total['95%']:>8} "
            f"{total['99%']:>8}   ({wall:.0f} s)"
        )
    failures = list(csv.DictReader(open(f"{out_dir}/locust_failures.csv")))  # noqa: SIM115
    failures.sort(key=lambda row: -int(row["Occurrences"]))
    for row in failures[:8]:
        print(f"  error ×{int(row['Occurrences']):,} {row['Name']}: {row['Error'][:110]}")
    return total


def setup_django() -> None:
    warnings.filterwarnings("ignore", "No directory at")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govhall.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def report(findings: Findings) -> None:
    for line in findings.lines:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default=os.environ.get("LOAD_HOST", ""))
    parser.add_argument("--hall", default="/tmp/load-hall.json")
    parser.add_argument("--seconds", type=int, default=90, help="length of the morning")
    parser.add_argument("--clerks", type=int, default=200)
    parser.add_argument("--kiosks", type=int, default=10)
    parser.add_argument("--boards", type=int, default=20)
    parser.add_argument("--online", type=int, default=20)
    parser.add_argument("--inquiries", type=int, default=10)
    parser.add_argument("--spawn-rate", type=float, default=50)
    parser.add_argument("--burst", type=int, default=0, help="N concurrent case submissions")
    parser.add_argument("--users", type=int, default=500, help="concurrent clients of --burst")
    parser.add_argument("--out", default="", help="keep Locust's CSV and ledger here")
    args = parser.parse_args()
    if not args.host:
        sys.exit("Give the stack's base URL: --host https://127.0.0.1:PORT (or LOAD_HOST).")
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Give the stack's database as DATABASE_URL (for the checks afterwards).")
    out_dir = args.out or tempfile.mkdtemp(prefix="load-")
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    ledger = f"{out_dir}/ledger.json"
    env = {
        "LOAD_HALL": args.hall,
        "LOAD_LEDGER": ledger,
        "LOAD_RUN": uuid.uuid4().hex[:8],
        "LOAD_CLERKS": str(args.clerks),
        "LOAD_KIOSKS": str(args.kiosks),
        "LOAD_BOARDS": str(args.boards),
        "LOAD_ONLINE": str(args.online),
        "LOAD_INQUIRIES": str(args.inquiries),
        "BURST_CASES": str(args.burst),
    }
    if args.burst:
        users = min(args.users, args.burst)
        print(
            f"{args.burst:,} case submissions with idempotency keys, {users} at once → {args.host}"
        )
        code, wall = run_locust(
            locustfile="burst.py",
            host=args.host,
            users=users,
            spawn_rate=max(args.spawn_rate, users),
            seconds=max(args.seconds, 3600),
            env=env,
            out_dir=out_dir,
        )
    else:
        users = args.clerks + args.kiosks + args.boards + args.online + args.inquiries
        print(
            f"A hall's morning for {args.seconds} s → {args.host}: {args.clerks} clerks, "
            f"{args.kiosks} kiosks, {args.boards} boards, {args.online} online clients, "
            f"{args.inquiries} inquirers"
        )
        code, wall = run_locust(
            locustfile="hall_morning.py",
            host=args.host,
            users=users,
            spawn_rate=args.spawn_rate,
            seconds=args.seconds,
            env=env,
            out_dir=out_dir,
        )
    print_stats(out_dir, wall)
    if not Path(ledger).exists():
        print(open(f"{out_dir}/locust.out").read()[-3000:])  # noqa: SIM115
        sys.exit("Locust wrote no ledger (see its output above).")
    data = json.loads(Path(ledger).read_text())
    if not args.burst:
        print(f"  board events received: {data['board_events']:,}")
    for line in data["bad_outage_answers"][:5]:
        print(f"  unclean answer: {line}")
    setup_django()
    findings = check_integrity(
        keys_sent=data["keys_sent"],
        keys_acked=data["keys_acked"],
        tickets_acked=data["tickets_acked"],
        called=data["called"],
    )
    if args.burst:
        from govhall.cases.models import Case

        made = Case.objects.filter(idempotency_key__startswith=f"burst-{env['LOAD_RUN']}-").count()
        findings.check(
            made == args.burst,
            f"burst: {made:,} cases made by {args.burst:,} keys "
            f"({len(data['keys_acked']):,} acknowledged) — exactly {args.burst:,} expected",
        )
        if wall:
            print(f"  {len(data['keys_acked']) / wall:.1f} cases/s acknowledged over {wall:.0f} s")
    report(findings)
    print(f"  Locust output and CSV: {out_dir}")
    sys.exit(1 if findings.problems or code not in (0, 1) else 0)


if __name__ == "__main__":
    main()
