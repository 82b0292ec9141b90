"""Who may patrol and read patrol records (每日巡查); fetching rounds and findings by id.

Hall directors and supervisors walk the rounds of the centers in their scope (`can_patrol`,
`can_patrol_center`). The records and the weekly summary are read by them, by system
administrators and by department leaders, who see their own department's windows only
(`can_read_patrols`, `patrol_visits_in_scope`). Missing and forbidden both answer Http404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from govhall.core.access import id_or_404
from govhall.core.roles import PATROL_READER_ROLES, PATROL_ROLES
from govhall.org.access.scope import centers_in_scope, scope_of, windows_in_scope
from govhall.org.models import Center
from govhall.supervision.models import PatrolFinding, PatrolRound, PatrolVisit


def can_patrol(user: object) -> bool:
    """Walks patrol rounds: a hall director or supervisor with a workplace (or a superuser)."""
    scope = scope_of(user)
    if scope.nothing:
        return False
    return scope.everything or bool(scope.roles & PATROL_ROLES)


def can_patrol_center(user: object, center: Center) -> bool:
    """May patrol `center`: `can_patrol` and the center lies in the user's subtree."""
    return can_patrol(user) and centers_in_scope(user).filter(pk=center.pk).exists()


def can_read_patrols(user: object) -> bool:
    """Reads rounds, findings, photos and the weekly summary of their scope."""
    scope = scope_of(user)
    if scope.nothing:
        return False
    return scope.everything or bool(scope.roles & PATROL_READER_ROLES)


def patrol_rounds_in_scope(user: object) -> QuerySet[PatrolRound]:
    if not can_read_patrols(user):
        return PatrolRound.objects.none()
    return PatrolRound.objects.filter(center__in=centers_in_scope(user))


def patrol_visits_in_scope(user: object) -> QuerySet[PatrolVisit]:
    """Visits the user may read: in their centers, and of their department's windows for
    department leaders."""
    if not can_read_patrols(user):
        return PatrolVisit.objects.none()
    return PatrolVisit.objects.filter(
        round__center__in=centers_in_scope(user), window__in=windows_in_scope(user)
    )


def access_patrol_round(user: object, round_id: object, *, for_write: bool = False) -> PatrolRound:
    """A round the user may read; with `for_write`, one they may record on (they may patrol its
    center)."""
    allowed = can_patrol(user) if for_write else can_read_patrols(user)
    found = (
        patrol_rounds_in_scope(user)
        .select_related("center", "inspector")
        .filter(pk=id_or_404(round_id))
        if allowed
        else PatrolRound.objects.none()
    ).first()
    if found is None:
        raise Http404
    return found


def access_patrol_visit(user: object, visit_id: object, *, for_write: bool = False) -> PatrolVisit:
    allowed = can_patrol(user) if for_write else can_read_patrols(user)
    found = (
        patrol_visits_in_scope(user)
        .select_related("round", "round__center", "window")
        .filter(pk=id_or_404(visit_id))
        if allowed
        else PatrolVisit.objects.none()
    ).first()
    if found is None:
        raise Http404
    return found


def access_patrol_finding(user: object, finding_id: object) -> PatrolFinding:
    """A finding (and its photo) the user may read."""
    found = (
        PatrolFinding.objects.filter(
            pk=id_or_404(finding_id), visit__in=patrol_visits_in_scope(user)
        ).select_related("visit", "visit__round", "visit__window")
    ).first()
    if found is None:
        raise Http404
    return found
