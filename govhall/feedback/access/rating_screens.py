"""Who add, pair and revoke the rating screens (评价器) of windows (issue 15 item 1).

A hall manager (`RATING_SCREEN_ROLES` ∩ MANAGER_ROLES: director, administrator) manages the
screens of every window of the centers they manage; a window head the screens of the windows
they head (`Window.head`), in their own centers. Another center's director or another window's
head sees nothing: missing and forbidden both raise Http404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from govhall.core.access import id_or_404
from govhall.core.roles import MANAGER_ROLES, RATING_SCREEN_ROLES
from govhall.feedback.models.ratings import RatingScreen
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Window


def can_manage_rating_screens(user: object) -> bool:
    """Opens the rating screens page: a hall manager or a window head with a workplace."""
    scope = scope_of(user)
    if scope.nothing:
        return False
    return scope.everything or bool(scope.roles & RATING_SCREEN_ROLES)


def rating_screen_windows(user: object) -> QuerySet[Window]:
    """The windows whose screens `user` manages (see the module text)."""
    if not can_manage_rating_screens(user):
        return Window.objects.none()
    scope = scope_of(user)
    in_centers = Window.objects.filter(center__in=centers_in_scope(user))
    if scope.everything or scope.roles & MANAGER_ROLES:
        return in_centers
    return in_centers.filter(head_id=getattr(user, "pk", None))


def can_manage_window_screens(user: object, window: Window) -> bool:
    return rating_screen_windows(user).filter(pk=window.pk).exists()


def access_rating_window(user: object, window_id: object, *, for_write: bool = False) -> Window:
    """A window whose screens the user manages (reading and writing need the same standing)."""
    found = (
        rating_screen_windows(user).select_related("center").filter(pk=id_or_404(window_id)).first()
    )
    if found is None:
        raise Http404
    return found


def access_rating_screen(
    user: object, screen_id: object, *, for_write: bool = False
) -> RatingScreen:
    """A rating screen of a window the user manages; 404 for missing and forbidden alike."""
    found = (
        RatingScreen.objects.select_related("window", "window__center")
        .filter(Q(window__in=rating_screen_windows(user)), pk=id_or_404(screen_id))
        .first()
    )
    if found is None:
        raise Http404
    return found
