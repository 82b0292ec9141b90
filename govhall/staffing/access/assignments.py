"""Who follows the return warnings (people due to be returned to their department, SPEC §9):
the question the menu, the pages and the API ask."""

from __future__ import annotations

from django.http import Http404

from govhall.core.access import id_or_404
from govhall.core.roles import RECORD_READER_ROLES
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.access.standing import manages_center
from govhall.org.models import Staff
from govhall.staffing.models.assignment import ReturnDecision


def can_see_return_warnings(user: object) -> bool:
    """Hall managers and supervisors follow who is due to be returned to their department."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & RECORD_READER_ROLES)


def can_decide_return(user: object, center_id: int) -> bool:
    """Management (the hall managers of the person's center) decides a return (issue 16)."""
    return manages_center(user, center_id)


def access_return_person(user: object, user_id: object) -> Staff:
    """The staff row of a person whose return `user` may decide; 404 otherwise."""
    pk = id_or_404(user_id)
    staff = Staff.objects.select_related("user", "center").filter(user_id=pk).first()
    if staff is None or not can_decide_return(user, staff.center_id):
        raise Http404
    return staff


def access_return_decision(user: object, decision_id: object) -> ReturnDecision:
    """A return decision (and its notice) for those who follow the warnings in its center."""
    pk = id_or_404(decision_id)
    if not can_see_return_warnings(user):
        raise Http404
    decision = (
        ReturnDecision.objects.select_related("user", "center", "department", "assignment__window")
        .filter(pk=pk, center__in=centers_in_scope(user))
        .first()
    )
    if decision is None:
        raise Http404
    return decision
