"""Who may see and act on 12345 hotline work orders (issue 15 item 4).

- Hall management (director, administrator) sees every order of its center subtree, types
  orders in, routes them, and sees the webhook deliveries to the hotline.
- Department staff with a role of `WORK_ORDER_DEPARTMENT_ROLES` (window head, reviewer,
  approver, department leader) see the orders routed to their own department.
- The hotline platform's account (`GOVHALL_HOTLINE_USERNAME`: a staff record at the receiving
  center and no role, so nothing else of the hall opens to its token) posts orders to its
  center subtree, reads them and records return visits.
- Everyone else sees none. Missing and forbidden both raise Http404; which action is allowed now
  is the service's answer (`work_order_refusal`).
"""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from govhall.core.roles import MANAGER_ROLES, WORK_ORDER_DEPARTMENT_ROLES
from govhall.feedback.models import WebhookDelivery, WorkOrder
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center, Staff


def _pk(user: object) -> int:
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else 0


def is_hotline_account(user: object) -> bool:
    """The hotline platform's own account (by `GOVHALL_HOTLINE_USERNAME`), active."""
    name = settings.GOVHALL_HOTLINE_USERNAME
    return (
        bool(name)
        and bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "is_active", False))
        and getattr(user, "username", None) == name
        and not scope_of(user).roles
    )


def hotline_home(user: object) -> Center | None:
    """The center the hotline account posts to (its staff record's), or None."""
    if not is_hotline_account(user):
        return None
    staff = Staff.objects.select_related("center").filter(user_id=_pk(user)).first()
    return staff.center if staff is not None else None


def hotline_centers(user: object) -> QuerySet[Center]:
    """The centers whose orders the hotline account may post and read: its center's subtree."""
    home = hotline_home(user)
    return Center.objects.subtree_of(home) if home is not None else Center.objects.none()


def _department_id(user: object) -> int | None:
    scope = scope_of(user)
    if not scope.roles & WORK_ORDER_DEPARTMENT_ROLES:
        return None
    return scope.department_id


def can_read_work_orders(user: object) -> bool:
    """Staff pages of the orders: management, or department staff who handle them."""
    scope = scope_of(user)
    if scope.nothing:
        return False
    return scope.everything or bool(scope.roles & MANAGER_ROLES) or _department_id(user) is not None


def can_enter_work_orders(user: object) -> bool:
    """Type an order in (from the hotline's phone call) and route orders: hall management."""
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & MANAGER_ROLES)


def can_read_webhook_deliveries(user: object) -> bool:
    """The deliveries to the hotline and their attempts, and a retry by hand: hall management."""
    return can_enter_work_orders(user)


def work_orders_filter(user: object) -> Q:
    """A filter on WorkOrder for the orders `user` may see (see the module text)."""
    scope = scope_of(user)
    if scope.everything:
        return Q()
    condition = Q(pk__in=[])
    if is_hotline_account(user):
        condition |= Q(center__in=hotline_centers(user))
    if scope.nothing:
        return condition
    if scope.roles & MANAGER_ROLES:
        condition |= Q(center__in=centers_in_scope(user))
    department = _department_id(user)
    if department is not None:
        condition |= Q(department_id=department, center__in=centers_in_scope(user))
    return condition


def work_orders_in_scope(user: object) -> QuerySet[WorkOrder]:
    return WorkOrder.objects.filter(work_orders_filter(user))


def access_work_order(user: object, order_id: object, *, for_write: bool = False) -> WorkOrder:
    """An order `user` may see (and act on: the service decides which action); 404 for missing
    and forbidden alike."""
    try:
        pk = int(str(order_id))
    except ValueError:
        raise Http404 from None
    found = (
        work_orders_in_scope(user)
        .select_related("center", "department", "received_by", "signed_by", "replied_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def deliveries_in_scope(user: object) -> QuerySet[WebhookDelivery]:
    if not can_read_webhook_deliveries(user):
        return WebhookDelivery.objects.none()
    return WebhookDelivery.objects.filter(work_order__in=work_orders_in_scope(user).values("pk"))


def access_webhook_delivery(user: object, delivery_id: object) -> WebhookDelivery:
    try:
        pk = int(str(delivery_id))
    except ValueError:
        raise Http404 from None
    found = deliveries_in_scope(user).select_related("work_order").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found
