"""Reading complaints (投诉): the register's list with its filters (overdue first), the rows as
lists show them (the complainant masked, and only for those who see it), and the public status
behind a web complaint's follow link."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from govhall.core.idnumbers import mask_name, mask_phone
from govhall.feedback.models.complaints import Complaint, ComplaintStatus

OPEN_STATUSES = (ComplaintStatus.REGISTERED, ComplaintStatus.ASSIGNED)
SEARCH_MAX = 100


@dataclass(frozen=True)
class ComplaintFilters:
    q: str = ""
    status: str = ""
    channel: str = ""
    finding: str = ""
    target_kind: str = ""
    overdue: bool = False
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def overdue_q(now: datetime.datetime) -> Q:
    """Not answered by its due time, or a 交办单 not replied to by its own."""
    return Q(status__in=OPEN_STATUSES, due_at__lt=now) | Q(
        status=ComplaintStatus.ASSIGNED,
        department_replied_at__isnull=True,
        assignment_due_at__lt=now,
    )


def complaint_list(
    complaints: QuerySet[Complaint],
    filters: ComplaintFilters,
    *,
    now: datetime.datetime | None = None,
) -> QuerySet[Complaint]:
    """`complaints` (already scoped) filtered, overdue first, then open by due time, then the
    newest. Searching the complainant is not offered: lists never expose who complained."""
    moment = now or timezone.now()
    qs = complaints
    if filters.q:
        text = filters.q[:SEARCH_MAX]
        qs = qs.filter(Q(number__icontains=text) | Q(summary__icontains=text))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.finding:
        qs = qs.filter(finding=filters.finding)
    if filters.target_kind:
        qs = qs.filter(target_kind=filters.target_kind)
    if filters.date_from:
        qs = qs.filter(received_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(received_at__date__lte=filters.date_to)
    late = overdue_q(moment)
    if filters.overdue:
        qs = qs.filter(late)
    is_open = Q(status__in=OPEN_STATUSES)
    return (
        qs.annotate(
            is_overdue=Case(When(late, then=Value(True)), default=Value(False)),
            is_open=Case(When(is_open, then=Value(True)), default=Value(False)),
        )
        .select_related(
            "center", "target_staff", "target_window", "target_department", "assigned_department"
        )
        .order_by("-is_overdue", "-is_open", "due_at", "-received_at", "-id")
    )


def target_label(complaint: Complaint) -> str:
    """Whom the complaint is about, in words."""
    if complaint.target_staff_id and complaint.target_staff is not None:
        return complaint.target_staff.display_name
    if complaint.target_window_id and complaint.target_window is not None:
        return f"{complaint.target_window.number} {complaint.target_window.name}"
    if complaint.target_department_id and complaint.target_department is not None:
        return complaint.target_department.name
    return complaint.center.name


def complainant_masked(complaint: Complaint) -> dict[str, str]:
    """The complainant as lists show them (to those who may see them at all)."""
    return {
        "name": mask_name(complaint.complainant_name),
        "phone": mask_phone(complaint.complainant_phone) if complaint.complainant_phone else "",
    }


def is_overdue(complaint: Complaint, now: datetime.datetime | None = None) -> bool:
    moment = now or timezone.now()
    return Complaint.objects.filter(overdue_q(moment), pk=complaint.pk).exists()


def public_complaint(token: str) -> Complaint | None:
    """The web complaint behind a follow link, or None (no token, or a wrong one)."""
    token = (token or "").strip()
    if not token or len(token) > 24:
        return None
    return (
        Complaint.objects.select_related("center", "target_window", "target_department")
        .filter(public_token=token)
        .first()
    )


def public_status(complaint: Complaint) -> dict[str, Any]:
    """What the complainant's follow link shows: number, status, due time and — once answered —
    the finding and result. Never internal notes (the department's reply, the handler, the
    delay reason)."""
    answered = complaint.status in (ComplaintStatus.ANSWERED, ComplaintStatus.CLOSED)
    return {
        "number": complaint.number,
        "center": complaint.center.name,
        "summary": complaint.summary,
        "received_at": complaint.received_at,
        "status": complaint.status,
        "status_label": complaint.get_status_display(),
        "due_at": complaint.due_at,
        "answered": answered,
        "finding": complaint.get_finding_display() if answered else "",
        "result": complaint.result if answered else "",
        "answered_at": complaint.answered_at if answered else None,
    }
