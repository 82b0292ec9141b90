"""Who may read core records, and access to core objects by a user-supplied id (missing and
forbidden both raise Http404)."""

from __future__ import annotations

from django.http import Http404

from govhall.core.models import Job
from govhall.core.roles import RECORD_READER_ROLES, roles_of

# Ids are bigint columns: a number outside them would be a database error, not a missing row.
ID_MAX = 2**63 - 1


def id_or_404(value: object) -> int:
    """A user-supplied object id as an int; Http404 when it is not a positive id at all (a word,
    zero, a number beyond the column), like a missing object."""
    try:
        pk = int(str(value))
    except ValueError:
        raise Http404 from None
    if not 1 <= pk <= ID_MAX:
        raise Http404
    return pk


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
