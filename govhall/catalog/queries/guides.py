"""The public guides: published items of active centers."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from govhall.catalog.models import ServiceItem, ServiceItemQuerySet
from govhall.catalog.queries.items import text_filter, windows_prefetch
from govhall.catalog.step_limits import Step, step_limit
from govhall.org.models import Center, Department


def public_centers() -> QuerySet[Center]:
    return Center.objects.active().only("pk", "code", "name", "path", "level")


def public_departments(center: Center | None = None) -> QuerySet[Department]:
    """Departments with at least one published item, for the guide search form."""
    departments = Department.objects.filter(
        is_active=True, center__is_active=True, items__is_active=True
    )
    if center is not None:
        departments = departments.filter(center=center)
    return departments.select_related("center").distinct().order_by("center__path", "code")


def guide_search(
    center: Center | None = None,
    q: str = "",
    department: Department | int | None = None,
    item_type: str | None = None,
    *,
    department_code: str = "",
) -> ServiceItemQuerySet:
    """Published items of active centers for the public guide list (all centers by default)."""
    items = ServiceItem.objects.active().filter(center__is_active=True)
    if center is not None:
        items = items.filter(center=center)
    items = items.filter(text_filter(q))
    if department is not None:
        items = items.filter(
            department_id=department.pk if isinstance(department, Department) else department
        )
    if department_code:
        items = items.filter(department__code=department_code)
    if item_type:
        items = items.filter(item_type=item_type)
    return items.select_related("center", "department").order_by(
        "center__path", "department__code", "code"
    )


def published_guide(code: str) -> ServiceItem:
    """One published item with everything its guide page shows (raises DoesNotExist)."""
    return (
        ServiceItem.objects.active()
        .filter(center__is_active=True)
        .select_related("center", "department")
        .prefetch_related("materials", "fees", "joint_departments", windows_prefetch())
        .get(code=code)
    )


# A procedure written on one line separates its steps with arrows or dashes
# ("申请—受理—审核—发照", "申请→受理") or numbers them after a semicolon ("1. 申请；2. 受理");
# numbering typed at a step's start is dropped, the page numbers the steps itself.
_STEP_SEPARATORS = re.compile(r"\s*(?:—+|→|->|＞|－{1,2}|-{2,})\s*")
_NUMBERED_STEP = re.compile(
    r"(?<=[;；。])\s*(?=(?:第?[0-9一二三四五六七八九十]+步|[0-9]{1,2}[.、．](?!\d)))"
)
_STEP_NUMBER = re.compile(
    r"^\s*(?:第?[0-9一二三四五六七八九十]+(?:步[:：、]?|[.、．)）:：])|[（(][0-9一二三四五六七八九十]+[)）])\s*"
)


def procedure_steps(procedure: str) -> list[str]:
    """The steps of an item's procedure text, for the guide's numbered list: one a line, or
    split at the arrows or dashes of a one-line procedure; empty lines and typed numbers out."""
    lines = [line.strip() for line in procedure.splitlines() if line.strip()]
    if len(lines) == 1:
        lines = _NUMBERED_STEP.split(lines[0])
    if len(lines) == 1:
        lines = _STEP_SEPARATORS.split(lines[0])
    steps = [_STEP_NUMBER.sub("", line).strip().rstrip(";；") for line in lines]
    return [step for step in steps if step]


@dataclass(frozen=True)
class FlowStep:
    """One box of an item's procedure flow chart (issue 18 item 5)."""

    title: str  # the short name shown in the box ("受理")
    detail: str = ""  # the rest of the step's text ("窗口一次收齐材料"), or ""
    days: int | None = None  # the step's own time limit in working days, for route steps


_STEP_HEAD = re.compile(r"^([^:：]{1,40})[:：]\s*(.+)$", re.S)


def procedure_flow(item: ServiceItem) -> list[FlowStep]:
    """The boxes of the item's flow chart, in order: the steps of its procedure text (a step
    "申请：到4号窗口提交申请" is the box "申请" with its detail), else the route every case of
    the item takes (受理, 审查, 决定, joint review when the item has joint departments, 制证,
    送达) with each step's time limit (`catalog.step_limits.step_limit`)."""
    boxes = []
    for step in procedure_steps(item.procedure):
        head = _STEP_HEAD.match(step)
        if head:
            boxes.append(FlowStep(title=head.group(1).strip(), detail=head.group(2).strip()))
        else:
            boxes.append(FlowStep(title=step))
    if boxes:
        return boxes
    route = [Step.ACCEPTANCE, Step.REVIEW, Step.APPROVAL]
    if item.pk and len(item.joint_departments.all()):  # prefetched on the guide page
        route.append(Step.JOINT)
    route += [Step.CERTIFICATE, Step.DELIVERY]
    return [FlowStep(title=str(step.label), days=step_limit(item, step)) for step in route]
