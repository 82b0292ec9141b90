"""Faults under load (issue 20 item 7): kill the worker in the middle of a scan, restart
PostgreSQL, stop Redis for a while, kill an application process — then check that nothing was
lost or done twice, that requests during the outages got a clean 503, and that everything
recovered by itself.

    scripts/prod-stack start /tmp/stack                      # prints the base URL
    .venv/bin/python bench/load/faults.py --stack /tmp/stack  # seeds, loads, breaks, checks
    .venv/bin/python bench/load/faults.py --stack /tmp/stack --redis-down 60   # a full minute

The stack is read from its directory (`Stack.discover`): the base URL, DATABASE_URL and broker
URL from its environment file, the PostgreSQL data directory, the Redis pid file and command
line, the gunicorn master's pid and the Celery worker's pid. The hall is seeded as for the load
test (bench/load/seed.py) unless --hall names a seeded file. Then, with the hall's morning
running (bench/load/hall_morning.py, smaller by default), one after the other:

1. `--scan-cases` new running cases are inserted (COPY, as bench/supervision.py does) and the
   supervision scan is sent to the worker; once the worker's scan is at work in PostgreSQL the
   worker (its whole process group) is killed with SIGKILL. If nothing restarts it within
   `--restart-wait` seconds the script starts it again with the same command line, as systemd's
   Restart=always would (and says so). The scan is then sent again, as beat does at its next tick,
   and awaited;
2. PostgreSQL is restarted (`pg_ctl restart -m fast`);
3. Redis is stopped for `--redis-down` seconds (default 15; the issue asks a minute: 60) and
   started again with its own command line;
4. one application process (a gunicorn worker) is killed with SIGKILL; the master starts another.

Afterwards: the load's answers during the outages (503 with a Chinese message, or something
worse: a 500, 502, 504, a reset connection), the checks of bench/load/integrity.py (cases and
tickets against what the clients were acknowledged; alerts and SMS never doubled), a full
supervision scan in this process that must find nothing left to raise or withdraw (what the
killed scan did not do, the next one did), and the stack's health (every process back, a request
answered). Exit 1 on a failed check.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from ssl import CERT_NONE, create_default_context
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.load.integrity import Findings, check_integrity  # noqa: E402
from bench.load.run import print_stats, run_locust  # noqa: E402

SCAN_TASK = "govhall.supervision.tasks.run_supervision_scans"


def log(line: str) -> None:
    print(f"[{time.strftime('%H:%M:%S', time.gmtime())}] {line}", flush=True)


# --- the stack ------------------------------------------------------------------------------


def _read_pid(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ")[-1].startswith("Z"))


def command_line(pid: int) -> list[str]:
    return [
        part.decode() for part in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if part
    ]


def process_env(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(part.decode(errors="replace").split("=", 1) for part in raw if b"=" in part)


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(") ", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def find_processes(pattern: str, under: str) -> list[int]:
    """Pids whose command line contains `pattern` and mentions `under` (cwd or arguments or env)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            line = " ".join(command_line(int(entry.name)))
            if pattern not in line:
                continue
            env = (entry / "environ").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if under in line or under in env:
            found.append(int(entry.name))
    return found


@dataclass
class Stack:
    directory: Path
    host: str
    database_url: str
    broker_url: str
    pg_data: Path
    gunicorn_pid: int
    worker_pid: int
    worker_command: list[str]
    worker_env: dict[str, str]
    worker_cwd: str
    redis_pid_file: Path | None

    @classmethod
    def discover(cls, directory: Path, host: str = "") -> Stack:
        """Read a running stack from its directory: the environment (a file of KEY=value
        lines, or the environment of its gunicorn), the pids and the data directories."""
        env: dict[str, str] = {}
        for name in ("govhall.env", "stack.env", "env"):
            path = directory / name
            if path.is_file():
                for line in path.read_text().splitlines():
                    line = line.strip().removeprefix("export ").strip()
                    if "=" in line and not line.startswith("#"):
                        key, value = line.split("=", 1)
                        env[key.strip()] = value.strip().strip("'\"")
        # scripts/prod-stack keeps each service's process group in run/NAME.pgid.
        gunicorn_pid = _read_pid(directory / "run" / "web.pgid")
        if not alive(gunicorn_pid):
            gunicorn = next(
                (p for p in sorted(directory.rglob("gunicorn*.pid")) if alive(_read_pid(p))),
                None,
            )
            gunicorn_pid = _read_pid(gunicorn) if gunicorn else None
        if not gunicorn_pid:
            masters = [
                pid
                for pid in find_processes("gunicorn", str(directory))
                if not any(
                    pid in children(other) for other in find_processes("gunicorn", str(directory))
                )
            ]
            gunicorn_pid = masters[0] if masters else None
        if not gunicorn_pid:
            raise SystemExit(f"No gunicorn master found for the stack in {directory}")
        env = {**process_env(gunicorn_pid), **env}
        workers = [
            pid
            for pid in find_processes("worker", str(directory))
            if "gunicorn" not in " ".join(command_line(pid))
            and any(word in " ".join(command_line(pid)) for word in ("celery", "govhall"))
        ]
        # The worker's main process: the one whose parent is not another worker process.
        mains = [pid for pid in workers if not any(pid in children(o) for o in workers)]
        if not mains and not alive(_read_pid(directory / "run" / "worker.pgid")):
            raise SystemExit(f"No Celery worker found for the stack in {directory}")
        worker = _read_pid(directory / "run" / "worker.pgid") or mains[0]
        if not alive(worker):
            worker = mains[0]
        pg_data = (
            Path(env["PGDATA"])
            if env.get("PGDATA")
            else next(
                (p.parent for p in sorted(directory.rglob("postmaster.pid"))),
                None,
            )
        )
        if pg_data is None:
            raise SystemExit(f"No PostgreSQL data directory (postmaster.pid) under {directory}")
        redis_pids = find_processes("redis-server", str(directory))
        broker = env.get("GOVHALL_BROKER_URL", "")
        if not redis_pids and broker:
            port = broker.rsplit(":", 1)[-1].split("/")[0]
            redis_pids = find_processes("redis-server", f":{port}")
        if not redis_pids:
            raise SystemExit(f"No redis-server found for the stack in {directory}")
        redis_pid_file = (
            Path(env["REDIS_PID_FILE"])
            if env.get("REDIS_PID_FILE")
            else next(iter(sorted(directory.rglob("redis*.pid"))), None)
        )
        return cls(
            directory=directory,
            host=host or env.get("BASE_URL", "") or env.get("LOAD_HOST", ""),
            database_url=env["DATABASE_URL"],
            broker_url=broker,
            pg_data=pg_data,
            gunicorn_pid=gunicorn_pid,
            worker_pid=worker,
            worker_command=command_line(worker),
            worker_env=process_env(worker),
            worker_cwd=os.readlink(f"/proc/{worker}/cwd"),
            redis_pid_file=redis_pid_file,
        )

    # --- the faults ---------------------------------------------------------------------------

    def kill_worker(self) -> list[int]:
        """SIGKILL the worker's main process and its children (the pool, the beat)."""
        victims = [self.worker_pid, *children(self.worker_pid)]
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        return victims

    def worker_log(self) -> Path:
        """Where the worker writes (its standard output)."""
        return Path(os.readlink(f"/proc/{self.worker_pid}/fd/1"))

    def find_worker(self) -> int | None:
        workers = [
            pid
            for pid in find_processes("worker", str(self.directory))
            if "gunicorn" not in " ".join(command_line(pid))
            and pid != self.worker_pid
            and alive(pid)
        ]
        mains = [pid for pid in workers if not any(pid in children(o) for o in workers)]
        return mains[0] if mains else None

    def start_worker(self, log_path: Path) -> int:
        """Start the worker again as it was started (command line, environment, directory),
        in a session of its own, writing to the same log; scripts/prod-stack's pgid file is
        updated so that `prod-stack stop` ends the new one."""
        process = subprocess.Popen(
            self.worker_command,
            env=self.worker_env,
            cwd=self.worker_cwd,
            stdout=open(log_path, "a"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        pgid = self.directory / "run" / "worker.pgid"
        if pgid.exists():
            pgid.write_text(f"{process.pid}\n")
        return process.pid

    def pg_ctl(self, *args: str) -> int:
        """Run pg_ctl on the stack's cluster (its server log next to the data directory). No
        pipes: the server it starts would hold them open."""
        pg_bin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
        server_log = self.pg_data.parent / "server.log"
        command = [str(pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-l", str(server_log), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        ).returncode

    def redis_pid(self) -> int | None:
        if self.redis_pid_file and alive(_read_pid(self.redis_pid_file)):
            return _read_pid(self.redis_pid_file)
        port = self.broker_url.rsplit(":", 1)[-1].split("/")[0]
        found = find_processes("redis-server", port)
        return found[0] if found else None

    def stop_redis(self) -> None:
        pid = self.redis_pid()
        if pid:
            os.kill(pid, signal.SIGKILL)
            for _ in range(100):
                if not alive(pid):
                    break
                time.sleep(0.05)

    def start_redis(self) -> None:
        """Start Redis again on its port: with the stack's redis*.conf when there is one, else
        as scripts/redis-throwaway does (no persistence, loopback)."""
        port = self.broker_url.rsplit(":", 1)[-1].split("/")[0]
        conf = next(iter(sorted(self.directory.rglob("redis*.conf"))), None)
        home = self.redis_pid_file.parent if self.redis_pid_file else self.directory
        if conf:
            command = ["redis-server", str(conf), "--daemonize", "yes"]
        else:
            command = [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                port,
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--dir",
                str(home),
                "--pidfile",
                str(self.redis_pid_file or home / "redis.pid"),
                "--logfile",
                str(home / "redis.log"),
            ]
        subprocess.run(command, check=False, capture_output=True, cwd=str(home))

    def gunicorn_workers(self) -> list[int]:
        return [pid for pid in children(self.gunicorn_pid) if alive(pid)]


# --- the checks -----------------------------------------------------------------------------


def get(url: str, timeout: float = 10) -> tuple[int, str]:
    context = create_default_context()
    context.check_hostname = False
    context.verify_mode = CERT_NONE
    try:
        with urllib.request.urlopen(url, timeout=timeout, context=context) as response:
            return response.status, response.read().decode(errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")
    except Exception as error:
        return 0, repr(error)


def wait_until(check: Any, seconds: float, step: float = 0.2) -> float | None:
    """Seconds until `check()` is true, or None after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(step)
    return None


def setup_django(database_url: str) -> None:
    warnings.filterwarnings("ignore", "No directory at")
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govhall.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ["GOVHALL_TASK_MODE"] = "eager"
    import django

    django.setup()


def scan_finished_after(moment: Any) -> bool:
    """Has a whole round of supervision scans run since `moment`? Each scan writes its state
    at its end, so the round is over when every scan's state is newer than `moment`."""
    from django.db import close_old_connections

    from govhall.supervision.models import ScanState

    close_old_connections()
    total = ScanState.objects.count()
    return total > 0 and ScanState.objects.filter(last_scan_at__gt=moment).count() == total


def forget_scans() -> None:
    """Make the next round of scans full ones (the seeded cases have no events, which the
    incremental scans follow), so the scan killed has work to do."""
    from govhall.supervision.models import ScanState
    from govhall.supervision.services.scanning import forget_state

    for name in ScanState.objects.values_list("name", flat=True):
        forget_state(name)


def received(log_path: Path, task_id: str) -> bool:
    try:
        return task_id in log_path.read_text(errors="replace")
    except OSError:
        return False


def send_scan(stack: Stack) -> str:
    """Send the supervision scans to the worker through the stack's own Celery app (as beat
    does); returns the task id ("" if it could not be sent within a minute)."""
    try:
        done = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "celery"), "-A", "govhall", "call", SCAN_TASK],
            env=stack.worker_env,
            cwd=str(ROOT),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ""
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def seed_scan_cases(count: int) -> int:
    from bench.cases import prepare_hall
    from bench.supervision import seed_open_cases

    hall = prepare_hall()
    seed_open_cases(hall, count, random.Random(time.time_ns()))
    from govhall.cases.models import Case

    return Case.objects.count()


def database_ok() -> bool:
    from django.db import close_old_connections, connection

    try:
        close_old_connections()
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


# --- the run --------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stack", required=True, help="the stack's directory")
    parser.add_argument("--host", default="", help="base URL (default: from the stack)")
    parser.add_argument("--hall", default="", help="a hall seeded by bench/load/seed.py")
    parser.add_argument("--redis-down", type=float, default=15, help="seconds without Redis")
    parser.add_argument("--pause", type=float, default=10, help="seconds between faults")
    parser.add_argument("--scan-cases", type=int, default=20_000)
    parser.add_argument("--restart-wait", type=float, default=10)
    parser.add_argument("--kill-after", type=float, default=3, help="seconds into the scan")
    parser.add_argument("--clerks", type=int, default=50)
    parser.add_argument("--kiosks", type=int, default=5)
    parser.add_argument("--boards", type=int, default=5)
    parser.add_argument("--online", type=int, default=10)
    parser.add_argument("--inquiries", type=int, default=5)
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    stack = Stack.discover(Path(args.stack), args.host)
    if not stack.host:
        sys.exit("Give the stack's base URL with --host.")
    out_dir = args.out or tempfile.mkdtemp(prefix="faults-")
    Path(out_dir).mkdir(parents=True, exist_ok=True)
    log(
        f"stack {stack.directory}: {stack.host}, gunicorn {stack.gunicorn_pid}, "
        f"worker {stack.worker_pid}, PostgreSQL {stack.pg_data}, Redis {stack.broker_url}"
    )
    hall = args.hall or f"{out_dir}/hall.json"
    if not args.hall:
        log("seeding the hall (bench/load/seed.py)")
        subprocess.run(
            [sys.executable, str(ROOT / "bench/load/seed.py"), "--out", hall],
            env={**os.environ, "DATABASE_URL": stack.database_url},
            check=True,
        )
    setup_django(stack.database_url)
    from django.utils import timezone

    log(f"seeding {args.scan_cases:,} running cases for the scan to work on")
    seed_scan_cases(args.scan_cases)

    findings = Findings()
    did: list[str] = []
    seconds = int(args.pause * 5 + args.redis_down + 120 + args.restart_wait)
    ledger = f"{out_dir}/ledger.json"
    env = {
        "LOAD_HALL": hall,
        "LOAD_LEDGER": ledger,
        "LOAD_RUN": uuid.uuid4().hex[:8],
        "LOAD_CLERKS": str(args.clerks),
        "LOAD_KIOSKS": str(args.kiosks),
        "LOAD_BOARDS": str(args.boards),
        "LOAD_ONLINE": str(args.online),
        "LOAD_INQUIRIES": str(args.inquiries),
        "LOAD_RETRIES": "20",
    }
    users = args.clerks + args.kiosks + args.boards + args.online + args.inquiries
    result: dict[str, Any] = {}

    def load() -> None:
        result["code"], result["wall"] = run_locust(
            locustfile="hall_morning.py",
            host=stack.host,
            users=users,
            spawn_rate=50,
            seconds=seconds,
            env=env,
            out_dir=out_dir,
        )

    loader = threading.Thread(target=load, daemon=True)
    loader.start()
    log(f"load started: {users} users for up to {seconds} s")
    time.sleep(args.pause)

    # 1. The worker killed in the middle of a scan.
    from govhall.supervision.models import Alert

    alerts_before = Alert.objects.count()
    worker_log = stack.worker_log()
    forget_scans()
    sent_at = timezone.now()
    task_id = send_scan(stack)
    took = wait_until(lambda: received(worker_log, task_id), 60)
    time.sleep(args.kill_after)
    midway = not scan_finished_after(sent_at)
    raised_before_kill = Alert.objects.count() - alerts_before
    victims = stack.kill_worker()
    state = (
        f"{args.kill_after:.0f} s after it took the scan"
        if took is not None
        else "60 s after sending the scan, which it had not taken"
    )
    did.append(
        f"killed the Celery worker (SIGKILL, pids {victims}) {state}: {raised_before_kill:,} "
        f"alerts raised by then, the round of scans " + ("unfinished" if midway else "finished")
    )
    log(did[-1])
    findings.check(midway, "the worker was killed in the middle of the scans")
    restarted = wait_until(lambda: stack.find_worker() is not None, args.restart_wait, step=0.5)
    if restarted is not None:
        did.append(f"the worker came back by itself after {restarted:.1f} s")
    else:
        pid = stack.start_worker(worker_log)
        did.append(
            f"nothing restarted the worker in {args.restart_wait:.0f} s: started it again "
            f"(pid {pid}) with its own command line, as systemd Restart=always would"
        )
    log(did[-1])
    stack.worker_pid = stack.find_worker() or stack.worker_pid
    again_at = timezone.now()
    send_scan(stack)
    took = wait_until(lambda: scan_finished_after(again_at), 600, step=1)
    findings.check(
        took is not None,
        "the scan sent again after the restart finished"
        + (f" ({took:.0f} s)" if took is not None else " (not within 600 s)"),
    )
    time.sleep(args.pause)

    # 2. PostgreSQL restarted.
    started = time.monotonic()
    exit_code = stack.pg_ctl("restart", "-m", "fast", "-w", "-t", "120")
    down = time.monotonic() - started
    did.append(f"restarted PostgreSQL (pg_ctl restart -m fast: {down:.1f} s, exit {exit_code})")
    log(did[-1])
    back = wait_until(database_ok, 60, step=0.5)
    findings.check(back is not None, "PostgreSQL answers again")
    time.sleep(args.pause)

    # 3. Redis stopped for a while.
    stack.stop_redis()
    did.append(f"stopped Redis (SIGKILL) for {args.redis_down:.0f} s")
    log(did[-1])
    time.sleep(args.redis_down)
    stack.start_redis()
    up = wait_until(lambda: stack.redis_pid() is not None, 20)
    did.append(
        "started Redis again with its own command line"
        + ("" if up is not None else " — it did not come up")
    )
    log(did[-1])
    time.sleep(args.pause)

    # 4. An application process killed.
    before = stack.gunicorn_workers()
    victim = random.choice(before)
    os.kill(victim, signal.SIGKILL)
    did.append(f"killed gunicorn worker {victim} (SIGKILL; {len(before)} workers)")
    log(did[-1])
    respawned = wait_until(
        lambda: (
            len(stack.gunicorn_workers()) >= len(before) and victim not in stack.gunicorn_workers()
        ),
        60,
    )
    findings.check(
        respawned is not None,
        "gunicorn started a new worker"
        + (f" ({respawned:.1f} s)" if respawned is not None else ""),
    )

    log("faults done; the load runs on to its end")
    loader.join()
    print()
    print("What was done:")
    for line in did:
        print(f"  - {line}")
    print()
    print("The load during the faults:")
    print_stats(out_dir, result.get("wall", 0.0))
    data = json.loads(Path(ledger).read_text())
    print(f"  503 answers: {data['answers_503']:,}")
    findings.check(
        not data["bad_outage_answers"],
        f"answers during the outages other than a clean Chinese 503: "
        f"{len(data['bad_outage_answers'])} (first 20 kept)",
    )
    for line in data["bad_outage_answers"][:8]:
        print(f"    {line}")

    # Recovery: every part answers again.
    progress = json.loads(Path(hall).read_text())["cases"][0]
    code, _body = get(
        f"{stack.host}/api/v1/progress/?number={progress['number']}&last4={progress['last4']}"
    )
    findings.check(code == 200, f"the stack answers after the faults (progress inquiry: {code})")
    findings.check(stack.find_worker() is not None, "a Celery worker runs")
    findings.check(stack.redis_pid() is not None, "Redis runs")
    settled_at = timezone.now()
    send_scan(stack)
    took = wait_until(lambda: scan_finished_after(settled_at), 600, step=1)
    findings.check(took is not None, "the worker takes tasks from Redis again (a scan ran)")

    from govhall.supervision.services.scans import run_scans_results

    # The killed round worked on the seeded cases (case_deadline first); the other scans follow
    # the clock (patrols due, tickets waiting) and may find new work on their own meanwhile.
    leftovers = run_scans_results(full=True)
    case_scans = {"case_deadline", "case_step", "case_events", "timeout_default"}
    left = {
        name: (r.raised, r.withdrawn) for name, r in leftovers.items() if r.raised or r.withdrawn
    }
    undone = {name: counts for name, counts in left.items() if name in case_scans}
    findings.check(
        not undone,
        "a full scan afterwards finds nothing left undone in the case scans"
        + (f": {undone}" if undone else ""),
    )
    others = {name: counts for name, counts in left.items() if name not in case_scans}
    if others:
        findings.ok(f"clock-driven scans found new work since (raised, withdrawn): {others}")
    more = check_integrity(
        keys_sent=data["keys_sent"],
        keys_acked=data["keys_acked"],
        tickets_acked=data["tickets_acked"],
        called=data["called"],
    )
    print()
    print("What was found:")
    for line in findings.lines + more.lines:
        print(line)
    print(f"  Locust output and CSV: {out_dir}")
    sys.exit(1 if findings.problems or more.problems else 0)


if __name__ == "__main__":
    main()
