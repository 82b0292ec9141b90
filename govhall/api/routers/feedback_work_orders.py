"""12345 hotline work orders API (issue 15 item 4), under /api/v1/feedback/work-orders/.

Who calls it:
- The hotline platform posts orders (`POST /`) with a bearer token (`Authorization: Bearer gh_…`,
  made by `govhall api_token create`) of its OWN account: the user named by
  `GOVHALL_HOTLINE_USERNAME` (default "hotline12345"), with a staff record at the center that
  receives the orders and NO role. A token acts as its user, so this token can post orders to
  that center's subtree, read them and record the return visit (回访) — and nothing else of the
  hall (no role: every other list and page answers empty or 404). Deliberately not a director's
  account, whose token could change staff and settle cases.
  The hotline's own order number (`hotline_number`) is the idempotency key: the same number with
  the same content again answers 200 with the existing order (also when two posts race), the
  same number with different content 409, a new one 201.
- Staff (a signed-in session or a department system's token) list the orders of their scope
  (phone masked), read one (full phone; the view is logged), see what they may do (`actions`)
  and act: route (management), sign (签收), send back as not ours, extend, reply, return visit.

Errors follow the API's one policy (`govhall/api/schemas.py`): 422 refused input or action, 409
a conflict (a stale `version`, an order no longer in that state, a second extension, a number
reused with other content), 404 missing or forbidden. Every path needs credentials, so there is
no public door to rate-limit.
"""

# No `from __future__ import annotations`: django-ninja resolves the annotations of paginated
# views in the pagination module's namespace (see routers/cases.py).
import datetime
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.schemas import (
    SERVICE_REFUSALS,
    Code,
    Count,
    ErrorOut,
    Id,
    Label,
    Line,
    Pagination,
    PersonOut,
    Search,
    TransitionOut,
    field_refusal,
    service_refusal,
)
from govhall.core.idnumbers import mask_phone
from govhall.core.models import User
from govhall.feedback.access.work_orders import (
    access_work_order,
    can_enter_work_orders,
    hotline_home,
    is_hotline_account,
)
from govhall.feedback.models import WorkOrder
from govhall.feedback.queries.work_orders import LIST_RELATED, WorkOrderFilters, work_order_list
from govhall.feedback.services.privacy import feedback_personal_data_view_record
from govhall.feedback.services.work_orders import (
    work_order_actions,
    work_order_extend,
    work_order_receive,
    work_order_reply,
    work_order_return_visit,
    work_order_route,
    work_order_send_back,
    work_order_sign,
)
from govhall.feedback.work_order_transitions import WorkOrderAction
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import scope_of
from govhall.org.models import Center, Department

router = Router(auth=SESSION_OR_TOKEN)

Kind = Literal["consult", "help", "complaint", "report", "suggest"]
LongText = Field(..., max_length=10000)


class WorkOrderOut(Schema):
    id: int
    hotline_number: str = Field(..., description="The hotline's own order number")
    center_id: int
    source: str = Field(..., description="api (the hotline platform) or staff (typed in)")
    kind: str = Field(
        ..., description="consult 咨询, help 求助, complaint 投诉, report 举报, suggest 建议"
    )
    title: str
    content: str
    citizen_name: str
    citizen_phone: str = Field(..., description="Masked (138****5678) in lists")
    department_id: int | None
    department_code: str | None = None
    status: str = Field(..., description="received, signed, sent_back, replied or closed")
    received_at: datetime.datetime
    sign_due_at: datetime.datetime = Field(..., description="Sign for it before this moment")
    send_back_due_at: datetime.datetime = Field(..., description="Send back before this moment")
    signed_at: datetime.datetime | None
    signed_by: PersonOut | None
    finish_due_at: datetime.datetime | None = Field(
        None, description="Reply before this moment (extension and 发回重办 included)"
    )
    extension_days: int
    extension_reason: str
    send_back_reason: str
    reply: str
    replied_at: datetime.datetime | None
    redo_count: int = Field(..., description="Times sent back to be redone (发回重办)")
    return_visit_satisfied: bool | None
    closed_at: datetime.datetime | None
    version: int = Field(..., description="Send it back with an action (optimistic locking)")

    @staticmethod
    def resolve_citizen_phone(obj: WorkOrder) -> str:
        return mask_phone(obj.citizen_phone) if obj.citizen_phone else ""

    @staticmethod
    def resolve_department_code(obj: WorkOrder) -> str | None:
        return obj.department.code if obj.department else None


class WorkOrderDetailOut(WorkOrderOut):
    citizen_phone: str = Field(..., description="The full number (the view is logged)")

    @staticmethod
    def resolve_citizen_phone(obj: WorkOrder) -> str:
        return obj.citizen_phone


class WorkOrderIn(Schema):
    hotline_number: Code = Field(
        "", description="The hotline's order number (the idempotency key); staff may leave it out"
    )
    kind: Kind
    title: Label
    content: str = LongText
    citizen_name: str = Field("", max_length=60)
    citizen_phone: str = Field("", max_length=20)
    department_code: Code = Field(
        "", description="Code of a department of the center; empty: management routes it"
    )
    center: Id | None = Field(
        None, description="Center id; default: the hotline account's (or the caller's) center"
    )
    received_at: datetime.datetime | None = Field(None, description="Default: now")


class WorkOrderVersionIn(Schema):
    version: Count | None = Field(None, description="The order's version you saw (409 if stale)")


class WorkOrderRouteIn(WorkOrderVersionIn):
    department: Id


class WorkOrderSendBackIn(WorkOrderVersionIn):
    reason: Line


class WorkOrderExtendIn(WorkOrderVersionIn):
    days: int = Field(..., ge=1, le=365, description="Working days (at most the setting, 10)")
    reason: Line


class WorkOrderReplyIn(WorkOrderVersionIn):
    reply: str = LongText


class WorkOrderReturnVisitIn(WorkOrderVersionIn):
    satisfied: bool
    note: Line = Field("", description="Required when dissatisfied")


class WorkOrderListQuery(Schema):
    status: Literal["", "received", "signed", "sent_back", "replied", "closed"] = ""
    kind: Literal["", "consult", "help", "complaint", "report", "suggest"] = ""
    department: Id | None = None
    overdue: bool = False
    q: Search = ""


class WorkOrderActionsOut(Schema):
    id: int
    status: str
    version: int
    actions: list[TransitionOut]


REFUSALS = {404: ErrorOut, **SERVICE_REFUSALS}


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _reload(pk: int) -> WorkOrder:
    return WorkOrder.objects.select_related(*LIST_RELATED).get(pk=pk)


def _center_for(user: User, center_id: int | None) -> Center:
    if is_hotline_account(user):
        home = hotline_home(user)
        if home is None:
            raise Http404
        if center_id is None:
            return home
        center = Center.objects.subtree_of(home).filter(pk=center_id).first()
        if center is None:
            raise Http404
        return center
    if not can_enter_work_orders(user):
        raise Http404  # forbidden answers like missing (the error policy)
    if center_id is not None:
        return access_center(user, center_id)
    root = scope_of(user).root
    if root is None:
        raise Http404
    return root


@router.post(
    "/",
    response={200: WorkOrderOut, 201: WorkOrderOut, **REFUSALS},
    summary="Receive an order from the hotline platform (idempotent on hotline_number)",
    description=(
        "201 a new order; 200 the existing order when the same `hotline_number` was posted "
        "before with the same content; 409 when it was posted with different content."
    ),
)
def receive(request: HttpRequest, payload: WorkOrderIn):
    user = _user(request)
    center = _center_for(user, payload.center)
    department = None
    if payload.department_code:
        department = Department.objects.filter(
            center=center, code=payload.department_code, is_active=True
        ).first()
        if department is None:
            return field_refusal(
                "department_code", _("The department is not stationed in this center.")
            )
    try:
        order, created = work_order_receive(
            actor=user,
            center=center,
            kind=payload.kind,
            title=payload.title,
            content=payload.content,
            hotline_number=payload.hotline_number,
            citizen_name=payload.citizen_name,
            citizen_phone=payload.citizen_phone,
            department=department,
            source="api" if is_hotline_account(user) else "staff",
            received_at=payload.received_at,
        )
    except ValidationError as error:
        return service_refusal(error)
    return Status(201 if created else 200, _reload(order.pk))


@router.get(
    "/",
    response=list[WorkOrderOut],
    summary="Orders I may see: overdue first, then by the limit of their step (phone masked)",
    description="Paginated with `limit` and `offset`; the answer is `{items, count}`.",
)
@paginate(Pagination)
def list_work_orders(request: HttpRequest, filters: Query[WorkOrderListQuery]):
    chosen = WorkOrderFilters(
        status=filters.status,
        kind=filters.kind,
        department_id=filters.department,
        overdue=filters.overdue,
        q=filters.q.strip(),
    )
    return work_order_list(request.user, chosen)


@router.get(
    "/{int:order_id}",
    response={200: WorkOrderDetailOut, 404: ErrorOut},
    summary="One order with the citizen's full phone (the view is logged)",
)
def get_work_order(request: HttpRequest, order_id: int):
    order = access_work_order(request.user, order_id)
    if order.citizen_phone:
        feedback_personal_data_view_record(
            actor=_user(request),
            obj=order,
            center_id=order.center_id,
            fields=["citizen_phone"],
            purpose=_("12345 work order read through the API"),
        )
    return order


@router.get(
    "/{int:order_id}/actions",
    response={200: WorkOrderActionsOut, 404: ErrorOut},
    summary="What I may do with an order now (the work order state machine)",
)
def actions(request: HttpRequest, order_id: int):
    order = access_work_order(request.user, order_id)
    return {
        "id": order.pk,
        "status": order.status,
        "version": order.version,
        "actions": [
            {"action": row.action, "label": str(WorkOrderAction(row.action).label)}
            for row in work_order_actions(_user(request), order)
        ],
    }


def _act(request: HttpRequest, order_id: int, run: Any) -> Any:
    order = access_work_order(request.user, order_id, for_write=True)
    try:
        run(_user(request), order)
    except ValidationError as error:
        return service_refusal(error)
    return _reload(order.pk)


@router.post(
    "/{int:order_id}/route",
    response={200: WorkOrderOut, **REFUSALS},
    summary="Route an unsigned order to a department of its center (management)",
)
def route(request: HttpRequest, order_id: int, payload: WorkOrderRouteIn):
    order = access_work_order(request.user, order_id, for_write=True)
    department = Department.objects.filter(pk=payload.department, center_id=order.center_id).first()
    if department is None:
        return field_refusal("department", _("The department is not stationed in this center."))
    return _act(
        request,
        order_id,
        lambda user, found: work_order_route(
            actor=user, order=found, department=department, version=payload.version
        ),
    )


@router.post(
    "/{int:order_id}/sign",
    response={200: WorkOrderOut, **REFUSALS},
    summary="Sign for the order (签收); the finish limit starts",
)
def sign(request: HttpRequest, order_id: int, payload: WorkOrderVersionIn):
    return _act(
        request,
        order_id,
        lambda user, found: work_order_sign(actor=user, order=found, version=payload.version),
    )


@router.post(
    "/{int:order_id}/send-back",
    response={200: WorkOrderOut, **REFUSALS},
    summary="Send the order back as not ours, with the reason (within 2 working days)",
)
def send_back(request: HttpRequest, order_id: int, payload: WorkOrderSendBackIn):
    return _act(
        request,
        order_id,
        lambda user, found: work_order_send_back(
            actor=user, order=found, reason=payload.reason, version=payload.version
        ),
    )


@router.post(
    "/{int:order_id}/extend",
    response={200: WorkOrderOut, **REFUSALS},
    summary="Extend the finish limit once, by up to 10 working days, with the reason",
)
def extend(request: HttpRequest, order_id: int, payload: WorkOrderExtendIn):
    return _act(
        request,
        order_id,
        lambda user, found: work_order_extend(
            actor=user,
            order=found,
            days=payload.days,
            reason=payload.reason,
            version=payload.version,
        ),
    )


@router.post(
    "/{int:order_id}/reply",
    response={200: WorkOrderOut, **REFUSALS},
    summary="Reply; the reply goes back to the hotline through the webhook",
)
def reply(request: HttpRequest, order_id: int, payload: WorkOrderReplyIn):
    return _act(
        request,
        order_id,
        lambda user, found: work_order_reply(
            actor=user, order=found, reply=payload.reply, version=payload.version
        ),
    )


@router.post(
    "/{int:order_id}/return-visit",
    response={200: WorkOrderOut, **REFUSALS},
    summary="Record the return visit: satisfied closes, dissatisfied sends it back (发回重办)",
)
def return_visit(request: HttpRequest, order_id: int, payload: WorkOrderReturnVisitIn):
    return _act(
        request,
        order_id,
        lambda user, found: work_order_return_visit(
            actor=user,
            order=found,
            satisfied=payload.satisfied,
            note=payload.note,
            version=payload.version,
        ),
    )
