"""The quarterly satisfaction survey (seeds/002… 六5; issue 15 item 6): management defines,
opens and closes the surveys of the centers it manages; management and supervisors read the
results of their centers. A survey is answered on the portal by its public token while open
(a draft is not public). Missing and forbidden both answer Http404.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from govhall.core.access import id_or_404
from govhall.feedback.access.voice import manages_voice, reads_voice
from govhall.feedback.models import Survey, SurveyStatus
from govhall.org.access.scope import centers_in_scope
from govhall.org.access.standing import manages_center


def can_read_surveys(user: object) -> bool:
    return reads_voice(user)


def can_manage_surveys(user: object) -> bool:
    return manages_voice(user)


def can_manage_survey(user: object, survey: Survey) -> bool:
    return can_manage_surveys(user) and manages_center(user, survey.center_id)


def surveys_in_scope(user: object) -> QuerySet[Survey]:
    if not can_read_surveys(user):
        return Survey.objects.none()
    return Survey.objects.filter(center__in=centers_in_scope(user))


def access_survey(user: object, survey_id: object, *, for_write: bool = False) -> Survey:
    """A survey the user may read; with `for_write`, one they may change, open or close."""
    found = surveys_in_scope(user).select_related("center").filter(pk=id_or_404(survey_id)).first()
    if found is None or (for_write and not can_manage_survey(user, found)):
        raise Http404
    return found


def public_survey(token: str) -> Survey:
    """A survey on the portal by its token: open or closed (a closed one says so); never a
    draft."""
    found = (
        Survey.objects.filter(public_token=str(token)[:24])
        .exclude(status=SurveyStatus.DRAFT)
        .select_related("center")
        .first()
    )
    if found is None:
        raise Http404
    return found
