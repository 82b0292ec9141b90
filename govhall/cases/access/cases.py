"""Who may see which cases, and fetching one by a user-supplied id (missing = forbidden = 404).

A case is visible in the user's center subtree (or, for an escalated case, in the subtree of
the center it was forwarded to). Department roles see their own department's cases and the
joint cases in which their department has a review task, and the online cases their department
pre-reviews (同步预审). Guides and social supervisors do not
read cases (they hold no case work and must not see applicants' data).

Whether a visible case may be *acted on* is the state machine's business
(`govhall.cases.services.permissions`), not this module's.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import BooleanField, Expression, F, Q, QuerySet, Subquery
from django.http import Http404

from govhall.cases.models import Case, CaseDepartment, CaseQuerySet
from govhall.core.roles import (
    AGENT_ROLES,
    CASE_ACTOR_ROLES,
    CASE_READER_ROLES,
    JOINT_TASK_ROLES,
    MANAGER_ROLES,
    RECORD_READER_ROLES,
    WINDOW_ROLES,
    Role,
)
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center


def _holds(user: object, roles: frozenset[Role]) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & roles)


# The questions the faces ask (pages, API, menu); each answered here once.


def can_read_cases(user: object) -> bool:
    return _holds(user, CASE_READER_ROLES)


def can_carry_cases(user: object) -> bool:
    """An agent (代办员, issue 19 item 6): reads the cases they carry and lists them."""
    return not scope_of(user).nothing and bool(scope_of(user).roles & AGENT_ROLES)


def can_open_cases(user: object) -> bool:
    """Opens case pages at all: a case reader, or an agent (their own cases only)."""
    return can_read_cases(user) or can_carry_cases(user)


def can_act_on_cases(user: object) -> bool:
    """Acts on cases at all (the window, the back office, management); not those who only read."""
    return _holds(user, CASE_ACTOR_ROLES)


def can_take_window_actions(user: object) -> bool:
    """Serves at a window: receives cases (intake) and prints at the window."""
    return _holds(user, WINDOW_ROLES)


def can_complete_joint_tasks(user: object) -> bool:
    """Completes their department's joint review tasks (并联审批)."""
    return _holds(user, JOINT_TASK_ROLES)


def can_propose_joint_handling(user: object) -> bool:
    """Writes the lead window's joint-handling proposal to the director (联办意见); the service
    checks that the actor is at the case's window."""
    return _holds(user, WINDOW_ROLES)


def can_hold_joint_meetings(user: object) -> bool:
    """Records a joint review meeting (the hall's management)."""
    return _holds(user, MANAGER_ROLES)


def can_export_cases_unmasked(user: object) -> bool:
    """Exports the case list with the applicants' full ID and phone numbers: the hall's
    management only (like petitions, seen in full by handlers and management). Everyone else's
    export is masked like the list (SPEC §11); the case page shows one case in full, logged."""
    return _holds(user, MANAGER_ROLES)


def can_read_outbox(user: object) -> bool:
    """Reads the notifications sent from their centers (the outbox): management, supervisors."""
    return _holds(user, RECORD_READER_ROLES)


# Up to this many centers the scope is sent as a list of ids: the planner then uses the
# (center, status, due date) index, which it cannot do with a subquery inside an OR
# (bench/cases.py, 1,000,000 cases on PostgreSQL). A bigger subtree stays a subquery.
CENTER_ID_LIST_MAX = 2000


def _center_ids(user: object) -> list[int] | QuerySet[Center]:
    centers = centers_in_scope(user)
    ids = list(centers.values_list("pk", flat=True)[: CENTER_ID_LIST_MAX + 1])
    return centers if len(ids) > CENTER_ID_LIST_MAX else ids


class _AmongIds(Expression):
    """`column IN (subquery)`; on PostgreSQL `column = ANY(ARRAY(subquery))`: the subquery runs
    once (an InitPlan) and its list becomes an index condition, so that an OR with another
    indexed condition is a BitmapOr of two index scans instead of a scan of every row."""

    conditional = True

    def __init__(self, column: Any, ids: Subquery) -> None:
        super().__init__(output_field=BooleanField())
        self.column, self.ids = column, ids

    def get_source_expressions(self) -> list[Any]:
        return [self.column, self.ids]

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.column, self.ids = exprs

    def as_sql(
        self, compiler: Any, connection: Any, template: str = "%s IN %s", **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        column_sql, column_params = compiler.compile(self.column)
        ids_sql, ids_params = compiler.compile(self.ids)  # "(SELECT …)"
        return template % (column_sql, ids_sql), (*column_params, *ids_params)

    def as_postgresql(
        self, compiler: Any, connection: Any, **extra: Any
    ) -> tuple[str, tuple[Any, ...]]:
        return self.as_sql(compiler, connection, template="%s = ANY(ARRAY%s)")


def department_cases(department_id: int) -> Q:
    """A department's cases: its own, the joint cases in which it has a review task and the
    online cases it pre-reviews (同步预审) — THE rule, read from the departments involved in
    each case (`CaseDepartment`). Its own cases are the case table's (department, status, due
    date) index; the others, few, come from that table's index as a list of ids: together one
    BitmapOr on PostgreSQL (bench/cases.py), where an OR with EXISTS over the task tables read
    every case of the center."""
    others = CaseDepartment.objects.filter(department_id=department_id, is_lead=False)
    return Q(department_id=department_id) | Q(
        _AmongIds(F("pk"), Subquery(others.order_by().values("case_id")))
    )


def cases_in_scope(user: object) -> CaseQuerySet:
    scope = scope_of(user)
    if scope.everything:
        return Case.objects.all()
    if scope.nothing:
        return Case.objects.none()
    carried = (
        Case.objects.filter(agent_id=getattr(user, "pk", 0)) if can_carry_cases(user) else None
    )
    if not can_read_cases(user):
        # An agent who reads nothing else sees the cases they carry (代办, issue 19 item 6).
        return carried if carried is not None else Case.objects.none()
    centers = _center_ids(user)
    cases = Case.objects.filter(Q(center_id__in=centers) | Q(escalated_to_id__in=centers))
    if scope.department_id is not None:
        cases = cases.filter(department_cases(scope.department_id))
    if carried is not None:
        cases = cases | carried
    return cases


def access_case(user: object, case_id: object, *, for_write: bool = False) -> Case:
    """The case with this id if the user may see it. `for_write` asks for a role that can act
    on cases at all (not supervisors or department leaders, who only read)."""
    if for_write and not can_act_on_cases(user):
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
