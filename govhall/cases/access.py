"""Who may see which cases, and fetching one by a user-supplied id (missing = forbidden = 404).

A case is visible in the user's center subtree (or, for an escalated case, in the subtree of
the center it was forwarded to). Department roles see their own department's cases and the
joint cases in which their department has a review task. Guides and social supervisors do not
read cases (they hold no case work and must not see applicants' data).

Whether a visible case may be *acted on* is the state machine's business
(`govhall.cases.services.permissions`), not this module's.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from govhall.cases.models import Case, CaseQuerySet, JointTask
from govhall.core.roles import CASE_ACTOR_ROLES, CASE_READER_ROLES
from govhall.org.access import centers_in_scope, scope_of
from govhall.org.models import Center


def can_read_cases(user: object) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & CASE_READER_ROLES)


# Up to this many centers the scope is sent as a list of ids: the planner then uses the
# (center, status, due date) index, which it cannot do with a subquery inside an OR
# (bench/cases.py, 1,000,000 cases on PostgreSQL). A bigger subtree stays a subquery.
CENTER_ID_LIST_MAX = 2000


def _center_ids(user: object) -> list[int] | QuerySet[Center]:
    centers = centers_in_scope(user)
    ids = list(centers.values_list("pk", flat=True)[: CENTER_ID_LIST_MAX + 1])
    return centers if len(ids) > CENTER_ID_LIST_MAX else ids


def cases_in_scope(user: object) -> CaseQuerySet:
    scope = scope_of(user)
    if scope.everything:
        return Case.objects.all()
    if scope.nothing or not can_read_cases(user):
        return Case.objects.none()
    centers = _center_ids(user)
    cases = Case.objects.filter(Q(center_id__in=centers) | Q(escalated_to_id__in=centers))
    if scope.department_id is not None:
        # A subquery, not a join: no duplicate rows and no DISTINCT needed.
        has_task = Exists(
            JointTask.objects.filter(case=OuterRef("pk"), department_id=scope.department_id)
        )
        cases = cases.filter(Q(department_id=scope.department_id) | has_task)
    return cases


def access_case(user: object, case_id: object, *, for_write: bool = False) -> Case:
    """The case with this id if the user may see it. `for_write` asks for a role that can act
    on cases at all (not supervisors or department leaders, who only read)."""
    scope = scope_of(user)
    if for_write and not (scope.everything or scope.roles & CASE_ACTOR_ROLES):
        raise Http404
    try:
        pk = int(str(case_id))
    except ValueError:
        raise Http404 from None
    case = (
        cases_in_scope(user)
        .select_related("center", "item", "department", "applicant", "window", "received_window")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def access_case_by_number(user: object, number: str) -> Case:
    case = cases_in_scope(user).filter(number=(number or "").strip()).first()
    if case is None:
        raise Http404
    return access_case(user, case.pk)
