"""Background work with progress, and the Celery tasks of core.

With a broker (`GOVHALL_BROKER_URL`), a job is sent to the Celery workers once the caller's
transaction commits (`run_job`, on the same engine as the periodic work). Without one it runs
in a thread of the web process (no broker needed for the demo hall); `GOVHALL_TASK_MODE=eager`
runs it inline, which the tests use. A job function is a module-level function of govhall
(the worker finds it by its dotted path); it receives the Job id and reports progress through
`job_progress`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F
from django.utils.module_loading import import_string

from govhall.core.models import Job, User
from govhall.core.ratelimit import rate_counters_prune

log = logging.getLogger(__name__)

JobFunction = Callable[..., None]


def job_start(
    *, actor: User, kind: str, func: JobFunction, center_id: int | None = None, **kwargs: Any
) -> Job:
    job = Job.objects.create(kind=kind, created_by=actor, center_id=center_id)

    if settings.GOVHALL_TASK_MODE == "eager":
        # Inline, in the caller's transaction: what the tests and the CLI use.
        _run(job.pk, func, kwargs)
        job.refresh_from_db()
    elif settings.GOVHALL_BROKER_URL:
        path = job_function_path(func)
        transaction.on_commit(lambda: run_job.delay(job.pk, path, kwargs))
    else:
        transaction.on_commit(
            lambda: threading.Thread(
                target=_threaded, args=(job.pk, func, kwargs), daemon=True
            ).start()
        )
    return job


def job_function_path(func: JobFunction) -> str:
    """The dotted path a worker imports `func` by; refused for anything but a module-level
    function of govhall (a lambda or a nested function cannot travel through the broker)."""
    path = f"{func.__module__}.{func.__qualname__}"
    if not path.startswith("govhall.") or "<" in path or import_string(path) is not func:
        raise ValueError(f"a job function must be a module-level function of govhall: {path}")
    return path


@shared_task
def run_job(job_id: int, path: str, kwargs: dict[str, Any]) -> None:
    """A job sent through the broker. Not acknowledged late: a job is never run twice, even
    when its worker dies half-way (the job then stays shown as running)."""
    if not path.startswith("govhall."):
        raise ValueError(f"not a govhall job function: {path}")
    _run(job_id, import_string(path), kwargs)


@shared_task(acks_late=True)
def prune_rate_counters() -> int:
    """Delete the rate-limit windows that ended; idempotent. Returns how many."""
    return rate_counters_prune()


def _threaded(job_id: int, func: JobFunction, kwargs: dict[str, Any]) -> None:
    try:
        _run(job_id, func, kwargs)
    finally:
        close_old_connections()


def _run(job_id: int, func: JobFunction, kwargs: dict[str, Any]) -> None:
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING)
    try:
        func(job_id=job_id, **kwargs)
    except Exception as exc:  # a job's failure is shown to its owner, never swallowed silently
        log.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(status=Job.Status.FAILED, message=str(exc)[:2000])
        return
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(status=Job.Status.SUCCEEDED)


def job_set_total(job_id: int, total: int) -> None:
    Job.objects.filter(pk=job_id).update(total=total)


def job_progress(job_id: int, step: int = 1) -> None:
    Job.objects.filter(pk=job_id).update(done=F("done") + step)


def job_fail(job_id: int, *, message: str, errors: list[dict[str, Any]] | None = None) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, message=message, errors=errors or []
    )


def job_finish(job_id: int, *, message: str = "", result: dict[str, Any] | None = None) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.SUCCEEDED, message=message, result=result or {}
    )
