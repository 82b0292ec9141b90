"""Who may read core records, and access to core objects by a user-supplied id (missing and
forbidden both raise Http404)."""

from __future__ import annotations

from django.http import Http404

from govhall.core.models import Job
from govhall.core.roles import RECORD_READER_ROLES, roles_of


def can_read_event_log(user: object) -> bool:
    """The event log is the hall's records: management and supervision (RECORD_READER_ROLES),
    and superusers. Which events is the scope's business (`Event.objects.in_centers`)."""
    if getattr(user, "is_authenticated", False) and getattr(user, "is_superuser", False):
        return True
    return bool(roles_of(user) & RECORD_READER_ROLES)


def access_job(user: object, job_id: object, *, for_write: bool = False) -> Job:
    """A job is visible only to the person who started it."""
    try:
        return Job.objects.get(pk=int(str(job_id)), created_by_id=getattr(user, "pk", None))
    except (ValueError, Job.DoesNotExist):
        raise Http404 from None
