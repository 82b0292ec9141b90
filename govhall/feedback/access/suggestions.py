"""Who reads and replies to the suggestion box and message book (意见箱, 留言簿; issue 15 item 5).

The hall's management (director, system administrator) and supervisors read the entries of the
centers in their subtree; the management of an entry's own center subtree replies to it and
types in entries from paper (`can_reply_suggestion`, the permission on the object). Social
supervisors do not reply: they record their own findings (access/supervisors.py). Missing and
forbidden both answer Http404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from govhall.core.access import id_or_404
from govhall.feedback.access.voice import manages_voice, reads_voice
from govhall.feedback.models import Suggestion
from govhall.org.access.scope import centers_in_scope
from govhall.org.access.standing import manages_center


def can_read_suggestions(user: object) -> bool:
    return reads_voice(user)


def can_reply_suggestions(user: object) -> bool:
    """Replies to entries and types in paper ones (of the centers they manage)."""
    return manages_voice(user)


def can_reply_suggestion(user: object, suggestion: Suggestion) -> bool:
    return can_reply_suggestions(user) and manages_center(user, suggestion.center_id)


def suggestions_in_scope(user: object) -> QuerySet[Suggestion]:
    if not can_read_suggestions(user):
        return Suggestion.objects.none()
    return Suggestion.objects.filter(center__in=centers_in_scope(user))


def access_suggestion(
    user: object, suggestion_id: object, *, for_write: bool = False
) -> Suggestion:
    """An entry the user may read; with `for_write`, one they may reply to."""
    found = (
        suggestions_in_scope(user)
        .select_related("center")
        .filter(pk=id_or_404(suggestion_id))
        .first()
    )
    if found is None or (for_write and not can_reply_suggestion(user, found)):
        raise Http404
    return found
