"""Who runs and reads study sessions and trainings (issue 21 item 2); fetching them by id.

The hall's management (MANAGER_ROLES: hall directors, system administrators) plans the study
sessions of the centers of their subtree, keeps the register, the notes and the archive, and
records trainings with their participants (`can_run_learning`, `can_run_learning_at`). Everyone
else with a workplace reads their own record ("my study"): the sessions whose register lists
them, the trainings they took part in. Missing and forbidden both answer Http404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from govhall.core.access import id_or_404
from govhall.org.access.scope import can_use_workbench, centers_in_scope, scope_of
from govhall.org.access.standing import manages_center
from govhall.staffing.models.learning import StudySession, TrainingEvent


def _pk(user: object) -> int:
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else 0


def can_run_learning(user: object) -> bool:
    """Plans sessions and records trainings: a hall manager with a workplace (or a superuser)."""
    scope = scope_of(user)
    return not scope.nothing and scope.can_manage


def can_run_learning_at(user: object, center_id: object) -> bool:
    """May plan, mark and archive sessions and record trainings of this center."""
    return can_run_learning(user) and manages_center(user, center_id)


def can_see_own_learning(user: object) -> bool:
    """Reads their own study record: anyone working in the hall."""
    return can_use_workbench(user)


def study_sessions_in_scope(user: object) -> QuerySet[StudySession]:
    """Sessions the user may read: of their centers for managers, else those listing them."""
    if can_run_learning(user):
        return StudySession.objects.filter(center__in=centers_in_scope(user))
    if not can_see_own_learning(user):
        return StudySession.objects.none()
    return StudySession.objects.filter(register__user_id=_pk(user)).distinct()


def trainings_in_scope(user: object) -> QuerySet[TrainingEvent]:
    if can_run_learning(user):
        return TrainingEvent.objects.filter(center__in=centers_in_scope(user))
    if not can_see_own_learning(user):
        return TrainingEvent.objects.none()
    return TrainingEvent.objects.filter(participants__user_id=_pk(user)).distinct()


def access_study_session(
    user: object, session_id: object, *, for_write: bool = False
) -> StudySession:
    """A session the user may read; with `for_write`, one of a center they manage."""
    pk = id_or_404(session_id)
    found = study_sessions_in_scope(user).filter(pk=pk).select_related("center").first()
    if found is None or (for_write and not can_run_learning_at(user, found.center_id)):
        raise Http404
    return found


def access_training(user: object, event_id: object, *, for_write: bool = False) -> TrainingEvent:
    pk = id_or_404(event_id)
    found = trainings_in_scope(user).filter(pk=pk).select_related("center").first()
    if found is None or (for_write and not can_run_learning_at(user, found.center_id)):
        raise Http404
    return found


def own_filter(user: object) -> Q:
    """A filter on StudySession for the sessions listing `user` in the register."""
    return Q(register__user_id=_pk(user))
