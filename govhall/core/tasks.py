"""Background work with progress.

By default a job runs in a thread of the web process (no broker needed for the demo hall);
`GOVHALL_TASK_MODE=eager` runs it inline, which the tests use. A job function receives the
Job id and reports progress through `job_progress`.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F

from govhall.core.models import Job, User

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
    else:
        transaction.on_commit(
            lambda: threading.Thread(
                target=_threaded, args=(job.pk, func, kwargs), daemon=True
            ).start()
        )
    return job


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
