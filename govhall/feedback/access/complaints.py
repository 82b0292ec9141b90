"""Who reads complaints, who sees the complainant, and who acts (投诉, issue 15 item 2).

Confidentiality (SPEC §9: "the complainant's identity is visible only to handlers"):

- **Complaint handlers** (`COMPLAINT_HANDLER_ROLES`) of the complaint's center: management
  (hall directors and administrators whose subtree holds the center) and the center's
  supervisors (the hall's 督查 office, which takes complaints), plus the complaint's own
  `handler`. They read the whole complaint, complainant included (every full view is logged
  through `feedback_personal_data_view_record`), and take the handler's actions.
- **The department that received the 交办单** (`assigned_department`): its staff (department
  roles of that department, the department leader included) read the matter and reply, but
  NEVER the complainant — not on pages, the printed 交办单, the API or exports. Nothing of the
  complainant leaves the service layer for them: the faces ask `sees_complainant`.
- **The target staff member** never reads a complaint against them (not even as a handler or
  as staff of the department), so never learns who complained.
- Everyone else: nothing (404, as for a missing complaint).
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q, QuerySet
from django.http import Http404

from govhall.core.roles import COMPLAINT_HANDLER_ROLES, DEPARTMENT_ROLES
from govhall.feedback.complaint_transitions import ComplaintParty
from govhall.feedback.models.complaints import Complaint
from govhall.org.access.scope import centers_in_scope, scope_of

# The complainant's fields (never shown to those who do not `sees_complainant`).
COMPLAINANT_FIELDS = ("complainant_name", "complainant_phone", "complainant_address")


def _pk(user: object) -> int:
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else 0


def is_complaint_handler(user: object) -> bool:
    """Handles complaints of a part of the hall (management, supervisors)."""
    scope = scope_of(user)
    return not scope.nothing and (scope.everything or bool(scope.roles & COMPLAINT_HANDLER_ROLES))


def can_register_complaints(user: object) -> bool:
    return is_complaint_handler(user)


def _department_id(user: object) -> int | None:
    scope = scope_of(user)
    if scope.nothing or scope.department_id is None or not scope.roles & DEPARTMENT_ROLES:
        return None
    return scope.department_id


def can_read_assigned_complaints(user: object) -> bool:
    """Staff of a department, who read the complaints assigned to it (交办单)."""
    return _department_id(user) is not None


def can_read_complaints(user: object) -> bool:
    return is_complaint_handler(user) or can_read_assigned_complaints(user)


def handler_filter(user: object) -> Q:
    """The complaints `user` handles (and so sees the complainant of)."""
    reach = Q(handler_id=_pk(user)) if _pk(user) else Q(pk__in=[])
    if is_complaint_handler(user):
        scope = scope_of(user)
        reach |= Q() if scope.everything else Q(center__in=centers_in_scope(user))
    return reach & ~Q(target_staff_id=_pk(user))


def department_filter(user: object) -> Q:
    """The complaints assigned (交办) to the user's department."""
    department = _department_id(user)
    if department is None:
        return Q(pk__in=[])
    return Q(assigned_department_id=department) & ~Q(target_staff_id=_pk(user))


def complaints_in_scope(user: object) -> QuerySet[Complaint]:
    """Every complaint `user` may read (the matter; the complainant only as handler)."""
    if not can_read_complaints(user):
        return Complaint.objects.none()
    return Complaint.objects.filter(handler_filter(user) | department_filter(user))


def assigned_to_department(user: object) -> QuerySet[Complaint]:
    """The complaints assigned to the user's department ("assigned to us")."""
    return Complaint.objects.filter(department_filter(user))


def complaint_parties(user: object, complaint: Complaint) -> frozenset[str]:
    """The user's relations to the complaint (`complaint_transitions.ComplaintParty`)."""
    if not _pk(user) or complaint.target_staff_id == _pk(user):
        return frozenset()
    parties: set[str] = set()
    if complaint.handler_id == _pk(user) or (
        is_complaint_handler(user)
        and (
            scope_of(user).everything
            or centers_in_scope(user).filter(pk=complaint.center_id).exists()
        )
    ):
        parties.add(ComplaintParty.HANDLER.value)
    department = _department_id(user)
    if department is not None and complaint.assigned_department_id == department:
        parties.add(ComplaintParty.DEPARTMENT.value)
    return frozenset(parties)


def sees_complainant(user: object, complaint: Complaint) -> bool:
    """Only the complaint's handlers and management see who complained."""
    return ComplaintParty.HANDLER.value in complaint_parties(user, complaint)


def may_target_center(user: object, center_id: int) -> bool:
    """May register a complaint about this center (and its staff, windows, departments)."""
    if not is_complaint_handler(user):
        return False
    return scope_of(user).everything or centers_in_scope(user).filter(pk=center_id).exists()


def access_complaint(user: object, complaint_id: object, *, for_write: bool = False) -> Complaint:
    """A complaint `user` may read (or act on, `for_write`: which action is allowed now is the
    service's answer); 404 for missing and forbidden alike."""
    qs = complaints_in_scope(user).select_related(
        "center",
        "target_staff",
        "target_window",
        "target_department",
        "assigned_department",
        "handler",
        "received_by",
    )
    try:
        complaint = qs.get(pk=int(str(complaint_id)))
    except (ValueError, ObjectDoesNotExist):
        raise Http404 from None
    if for_write and not complaint_parties(user, complaint):
        raise Http404
    return complaint
