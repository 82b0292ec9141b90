"""Who reads the bad-rating inbox and fetches one bad rating (issue 15 item 1).

The inbox is the rating office's (`access/ratings.py`: hall directors, supervisors, window heads,
department leaders; department roles their own department's, the others their center subtree),
plus the head of a rating's window. Who may act on one is the transition table's business
(`rating_transitions.py`, parties in `queries/rating_follow_up.BadRatingViewer`). Missing and
forbidden both raise Http404.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404

from govhall.feedback.access.ratings import can_read_ratings
from govhall.feedback.models.ratings import Rating
from govhall.feedback.queries.rating_follow_up import BadRatingViewer


def can_read_bad_ratings(user: object) -> bool:
    """The bad-rating inbox and its targets."""
    return can_read_ratings(user)


def access_bad_rating(
    user: object, rating_id: object, *, viewer: BadRatingViewer | None = None
) -> Rating:
    """A bad rating the user sees; 404 for missing and forbidden alike."""
    viewer = viewer or BadRatingViewer(user)
    qs = Rating.objects.filter(viewer.visible()).select_related(
        "center",
        "item",
        "department",
        "window",
        "staff",
        "case",
        "ticket",
        "called_back_by",
        "rectified_by",
        "appealed_by",
        "appeal_decided_by",
    )
    try:
        pk = int(str(rating_id))
        if not 0 < pk < 2**63:
            raise Http404
        return qs.get(pk=pk)
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None
