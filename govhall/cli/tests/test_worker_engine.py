"""Issue 14 item 1: background jobs on Celery with Redis as broker and beat as the scheduler.

The real-worker tests start `govhall worker` processes (Celery workers, one with the beat
scheduler, one with `--no-beat`) against the Redis server scripts/test starts for the
PostgreSQL pass (`GOVHALL_TEST_REDIS_URL`) and the test database, which they see because the
test commits its rows. Without a broker every task runs in the calling process.
"""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from govhall.cases.models import ProgressLookup
from govhall.cases.tasks import prune_progress_lookups
from govhall.catalog.models import ServiceItem
from govhall.catalog.services.imports import run_catalog_import
from govhall.celery import app as celery_app
from govhall.core.models import Job
from govhall.core.tasks import job_function_path
from govhall.testing.catalog_sheets import item_row, workbook_bytes

REDIS_URL = os.environ.get("GOVHALL_TEST_REDIS_URL", "")
GOVHALL = Path(sys.executable).with_name("govhall")
TIMEOUT = 120

needs_redis = pytest.mark.skipif(
    not REDIS_URL or connection.vendor != "postgresql",
    reason="needs GOVHALL_TEST_REDIS_URL (a real Redis: scripts/test starts one for the "
    "PostgreSQL pass) and a database that worker processes can see",
)


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _old_progress_lookup() -> ProgressLookup:
    lookup = ProgressLookup.objects.create(client="10.0.0.1", case_number="OLD1")
    ProgressLookup.objects.filter(pk=lookup.pk).update(
        at=timezone.now() - datetime.timedelta(days=2)
    )
    return lookup


class Workers:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.processes: list[tuple[subprocess.Popen[bytes], Path]] = []

    def env(self, var_dir: Path) -> dict[str, str]:
        """A deployment's environment: this test database, the Redis broker."""
        env = {k: v for k, v in os.environ.items() if k != "GOVHALL_TEST_REDIS_URL"}
        env.update(
            DJANGO_SETTINGS_MODULE="govhall.settings",
            DATABASE_URL=_database_url(),
            GOVHALL_BROKER_URL=REDIS_URL,
            GOVHALL_VAR_DIR=str(var_dir),
            GOVHALL_PRUNE_SECONDS="5",
        )
        return env

    def start(self, *args: str) -> None:
        env = self.env(self.directory)
        log = self.directory / f"worker-{len(self.processes)}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [str(GOVHALL), "worker", "--concurrency=1", *args],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # the worker and its children stop as one group
            )
        self.processes.append((process, log))

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}:\n{log.read_text(errors='replace')[-4000:]}"
            for _p, log in self.processes
        )

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if condition():
                return
            for process, _log in self.processes:
                assert process.poll() is None, f"a worker exited while waiting for {what}\n" + (
                    self.logs()
                )
            time.sleep(0.5)
        pytest.fail(f"no {what} within {TIMEOUT} s\n{self.logs()}")

    def stop(self) -> None:
        for process, _log in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)  # warm shutdown
        for process, _log in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    running = Workers(tmp_path)
    yield running
    running.stop()


@pytest.mark.django_db(transaction=True)
@needs_redis
def test_workers_on_one_redis_run_the_schedule_and_the_import_jobs(
    workers, county, department, director, tmp_path
):
    old = _old_progress_lookup()
    recent = ProgressLookup.objects.create(client="10.0.0.1", case_number="NEW1")
    # One worker with the scheduler, one more without: one database, one Redis.
    workers.start()
    workers.start("--no-beat")

    # Beat sends the pruning every 5 s (GOVHALL_PRUNE_SECONDS); a worker runs it.
    workers.wait_for(
        lambda: not ProgressLookup.objects.filter(pk=old.pk).exists(), "pruning by beat"
    )
    assert ProgressLookup.objects.filter(pk=recent.pk).exists()

    # A web process (here `govhall shell`) sends catalog imports through the broker once the
    # upload is committed; the workers run them.
    books = []
    for n in range(2):
        book = tmp_path / f"catalog{n}.xlsx"
        book.write_bytes(workbook_bytes([item_row(f"W{n}{i}") for i in range(3)]))
        books.append(str(book))
    code = (
        "from django.core.files.uploadedfile import SimpleUploadedFile\n"
        "from govhall.catalog.services.imports import catalog_import_start\n"
        "from govhall.core.models import User\n"
        "from govhall.org.models import Center\n"
        f"actor = User.objects.get(pk={director.pk}); center = Center.objects.get(pk={county.pk})\n"
        f"for path in {books!r}:\n"
        "    upload = SimpleUploadedFile('catalog.xlsx', open(path, 'rb').read())\n"
        "    print(catalog_import_start(actor=actor, center=center, upload=upload).pk)\n"
    )
    web = subprocess.run(
        [str(GOVHALL), "shell", "-c", code],
        env=workers.env(tmp_path / "web"),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert web.returncode == 0, web.stderr
    # (the shell also reports its automatic imports: only the printed ids are numbers)
    jobs = [Job.objects.get(pk=int(line)) for line in web.stdout.splitlines() if line.isdigit()]
    assert len(jobs) == 2
    workers.wait_for(
        lambda: (
            Job.objects.filter(
                pk__in=[j.pk for j in jobs], status__in=[Job.Status.SUCCEEDED, Job.Status.FAILED]
            ).count()
            == len(jobs)
        ),
        "finished import jobs",
    )
    for job in jobs:
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED, (job.message, job.errors[:3])
    assert ServiceItem.objects.filter(center=county).count() == 6
    assert not list((tmp_path / "web").rglob("*.xlsx")), "the worker removed the uploads"


@pytest.mark.django_db
def test_without_a_broker_a_task_runs_in_the_calling_process(settings):
    assert not settings.GOVHALL_BROKER_URL and celery_app.conf.task_always_eager
    old = _old_progress_lookup()
    assert prune_progress_lookups.delay().get() == 1
    assert not ProgressLookup.objects.filter(pk=old.pk).exists()


def test_a_job_function_travels_by_its_dotted_path():
    path = job_function_path(run_catalog_import)
    assert path == "govhall.catalog.services.imports.run_catalog_import"
    with pytest.raises(ValueError, match="module-level"):
        job_function_path(lambda **kwargs: None)


def test_an_extra_worker_without_a_broker_is_refused(settings):
    settings.GOVHALL_BROKER_URL = ""
    with pytest.raises(CommandError, match="GOVHALL_BROKER_URL"):
        call_command("worker", "--no-beat")


def test_the_schedule_names_real_tasks_and_a_broker_turns_inline_running_off(settings):
    celery_app.loader.import_default_modules()  # what a worker does at start
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in celery_app.tasks
    script = (
        "import django; django.setup()\n"
        "from govhall.celery import app\n"
        "print(app.conf.task_always_eager, app.conf.broker_url)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="govhall.settings", GOVHALL_BROKER_URL="redis://10.0.0.5/0")
    configured = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert configured.stdout.split() == ["False", "redis://10.0.0.5/0"], configured.stderr
