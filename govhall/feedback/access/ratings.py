"""Who reads ratings and enters one taken by phone (好差评, issue 15 item 1): the questions the
menu, the pages, the API and `rating_give` ask.

The rating office (`RATING_OFFICE_ROLES`: hall directors, supervisors, window heads, department
leaders) reads the ratings of their part of the center tree — department roles only their own
department's — and enters a rating a citizen gave on the phone after a call-back for an occasion
of that part. Missing and forbidden both raise Http404.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404

from govhall.core.roles import RATING_OFFICE_ROLES
from govhall.feedback.models.ratings import Rating, RatingQuerySet
from govhall.org.access.scope import centers_in_scope, scope_of


def can_read_ratings(user: object) -> bool:
    """The rating office of a part of the hall (see the module text)."""
    scope = scope_of(user)
    return not scope.nothing and (scope.everything or bool(scope.roles & RATING_OFFICE_ROLES))


def can_enter_ratings(user: object) -> bool:
    """May enter ratings taken by phone after a call-back (the same people)."""
    return can_read_ratings(user)


def occasion_scope_filter(user: object, *, prefix: str = "") -> Q:
    """The rows (tickets, cases, ratings: `prefix` names the path to their center and
    department) of the user's scope; nothing without the rating office's roles."""
    if not can_read_ratings(user):
        return Q(pk__in=[])
    scope = scope_of(user)
    reach = Q(**{f"{prefix}center__in": centers_in_scope(user)})
    if scope.department_id is not None:
        reach &= Q(**{f"{prefix}department_id": scope.department_id})
    return reach


def ratings_in_scope(user: object) -> RatingQuerySet:
    return Rating.objects.filter(occasion_scope_filter(user))


def may_enter_rating_for(user: object, *, center_id: int, department_id: int | None) -> bool:
    """Whether `user` may enter a phone rating of an occasion of this center and department."""
    if not can_enter_ratings(user):
        return False
    scope = scope_of(user)
    if scope.department_id is not None and department_id != scope.department_id:
        return False
    return centers_in_scope(user).filter(pk=center_id).exists()


def access_rating(user: object, rating_id: object) -> Rating:
    """A rating of the user's scope; 404 for missing and forbidden alike."""
    qs = ratings_in_scope(user).select_related(
        "center", "item", "department", "window", "staff", "entered_by", "ticket", "case"
    )
    try:
        return qs.get(pk=int(str(rating_id)))
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None
