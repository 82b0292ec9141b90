"""Who may see and act on first inquiries (首问负责制, SPEC §7).

Every staff member of a center is a first responder (seeds/001… 首问责任制: 所有"中心"工作人员
均属首问责任人范围). A department-bound user (clerk, window head, reviewer, approver, department
leader) sees what they logged, what their department's people logged or logged at their
department's windows, and what was transferred to their department; hall-wide roles (guide,
director, supervisor, administrator) see their whole center subtree. Social supervisors see none.
Missing and forbidden both raise Http404.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from govhall.core.roles import (
    INQUIRY_LOGGER_ROLES,
    INQUIRY_RECEIVER_ROLES,
    OVERSIGHT_ROLES,
    Role,
)
from govhall.frontdesk.models import Inquiry
from govhall.frontdesk.models.inquiry import InquiryQuerySet
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Staff, Window

# Who logs (INQUIRY_LOGGER_ROLES), who takes on transfers (INQUIRY_RECEIVER_ROLES) and who
# reads the rates (OVERSIGHT_ROLES) are named in govhall.core.roles; any of them views.
VIEWER_ROLES = INQUIRY_LOGGER_ROLES | INQUIRY_RECEIVER_ROLES | OVERSIGHT_ROLES


def _has(user: object, roles: frozenset[Role]) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & roles)


def can_view_inquiries(user: object) -> bool:
    return _has(user, VIEWER_ROLES)


def can_log_inquiries(user: object) -> bool:
    return _has(user, INQUIRY_LOGGER_ROLES)


def can_receive_inquiries(user: object) -> bool:
    return _has(user, INQUIRY_RECEIVER_ROLES)


def can_read_inquiry_rates(user: object) -> bool:
    return _has(user, OVERSIGHT_ROLES)


def can_read_phone_book(user: object) -> bool:
    """The phone record book: those who log inquiries and those who read the rates."""
    return can_log_inquiries(user) or can_read_inquiry_rates(user)


def inquiries_in_scope(user: object) -> InquiryQuerySet:
    scope = scope_of(user)
    if not _has(user, VIEWER_ROLES):
        return Inquiry.objects.none()
    qs = Inquiry.objects.in_centers(centers_in_scope(user))
    if scope.department_id is not None:
        department = scope.department_id
        qs = qs.filter(
            Q(first_responder_id=getattr(user, "pk", None))
            | Q(first_responder__staff__department_id=department)
            | Q(transferred_department_id=department)
            | Q(window__in=Window.objects.filter(departments=department).values("pk"))
        )
    return qs


def inquiries_to_act_on(user: object) -> InquiryQuerySet:
    """The inquiries the user may change: their own, their department's transfers, and every
    inquiry of a center they manage (the services decide what each may do)."""
    scope = scope_of(user)
    qs = inquiries_in_scope(user)
    if scope.everything:
        return qs
    if scope.can_manage:
        return qs
    pk = getattr(user, "pk", None)
    condition = Q(first_responder_id=pk)
    department = _department_of(user)
    if department is not None:
        condition |= Q(transferred_department_id=department)
    return qs.filter(condition)


def _department_of(user: object) -> int | None:
    pk = getattr(user, "pk", None)
    if not isinstance(pk, int):
        return None
    cached = getattr(user, "_govhall_department", 0)
    if cached != 0:
        return cached  # type: ignore[no-any-return,unused-ignore]
    value: int | None = (
        Staff.objects.filter(user_id=pk).values_list("department_id", flat=True).first()
    )
    user._govhall_department = value  # type: ignore[attr-defined]
    return value


def department_of(user: object) -> int | None:
    """The department the user's staff record belongs to (None for hall-wide staff)."""
    return _department_of(user)


def access_inquiry(user: object, inquiry_id: object, *, for_write: bool = False) -> Inquiry:
    qs = inquiries_to_act_on(user) if for_write else inquiries_in_scope(user)
    try:
        pk = int(str(inquiry_id))
        inquiry: Inquiry = (
            qs.select_related(
                "center",
                "first_responder",
                "window",
                "guided_window",
                "transferred_department",
                "acknowledged_by",
                "done_by",
                "item",
            )
            .distinct()
            .get(pk=pk)
        )
    except (ValueError, Inquiry.DoesNotExist):
        raise Http404 from None
    return inquiry
