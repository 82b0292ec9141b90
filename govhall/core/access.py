"""Access to core objects by a user-supplied id (missing and forbidden both raise Http404)."""

from __future__ import annotations

from django.http import Http404

from govhall.core.models import Job


def access_job(user: object, job_id: object, *, for_write: bool = False) -> Job:
    """A job is visible only to the person who started it."""
    try:
        return Job.objects.get(pk=int(str(job_id)), created_by_id=getattr(user, "pk", None))
    except (ValueError, Job.DoesNotExist):
        raise Http404 from None
