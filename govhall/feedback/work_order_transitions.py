"""The life of a 12345 hotline work order as data (issue 15 item 4).

Receiving an order (`work_order_receive`: from the hotline platform's API, or typed in by staff)
creates it in RECEIVED. Then one row per (status, action): who may take it and where the order
goes. The same table draws the buttons of the order's page, answers the API's `actions` and is
checked by every service (`govhall.feedback.services.work_orders.work_order_refusal`); anything
it does not allow is refused with nothing changed.

Who is a relation of the user to the order (`WorkOrderViewer.parties`):
- `department`: staff of the order's department holding a role of
  `WORK_ORDER_DEPARTMENT_ROLES` (window head, reviewer, approver, department leader);
- `manager`: hall management (director, administrator) of the order's center subtree;
- `hotline`: the hotline platform's own account (`GOVHALL_HOTLINE_USERNAME`), which records the
  return visit it made (回访).

Guards (predicates of the service, keyed by name, answering why not):
- `has_department`: an order is signed only once it has a department;
- `send_back_window`: sending back as not ours only until `send_back_due_at` (2 working days);
- `extension_once`: one extension, asked before the finish limit ends.

Deadlines, all in working days of the order's center, a limit ending with its last day:
sign within GOVHALL_WORK_ORDER_SIGN_WORKDAYS (1) of receipt, send back within
GOVHALL_WORK_ORDER_SEND_BACK_WORKDAYS (2); finish from signing within
GOVHALL_WORK_ORDER_SHORT_WORKDAYS (5) for 咨询/求助 and GOVHALL_WORK_ORDER_LONG_WORKDAYS (15) for
投诉/举报 and 建议 (a suggestion is studied like a complaint, so it takes the long limit); one
extension of up to GOVHALL_WORK_ORDER_EXTENSION_WORKDAYS (10). A dissatisfied return visit sends
the order back to SIGNED (发回重办) with a new finish limit counted from that day.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from govhall.core.lifecycle import Transition, TransitionTable
from govhall.feedback.models.workorders import WorkOrderStatus as S


class WorkOrderAction(models.TextChoices):
    ROUTE = "route", _("Route to a department")
    SIGN = "sign", _("Sign for it (签收)")
    SEND_BACK = "send_back", _("Send back as not ours")
    EXTEND = "extend", _("Extend the time limit")
    REPLY = "reply", _("Reply to the hotline")
    RETURN_VISIT = "return_visit", _("Record the return visit")


class WorkOrderParty(models.TextChoices):
    DEPARTMENT = "department", _("Staff of the order's department")
    MANAGER = "manager", _("Hall management of the order's center")
    HOTLINE = "hotline", _("The hotline platform")


A = WorkOrderAction
HANDLERS = frozenset({WorkOrderParty.DEPARTMENT.value, WorkOrderParty.MANAGER.value})
MANAGER = frozenset({WorkOrderParty.MANAGER.value})
VISITORS = frozenset({WorkOrderParty.MANAGER.value, WorkOrderParty.HOTLINE.value})

WORK_ORDER_TRANSITIONS = TransitionTable(
    [
        Transition(S.RECEIVED, A.ROUTE, MANAGER, S.RECEIVED),
        Transition(S.RECEIVED, A.SIGN, HANDLERS, S.SIGNED, guard="has_department"),
        Transition(S.RECEIVED, A.SEND_BACK, HANDLERS, S.SENT_BACK, guard="send_back_window"),
        Transition(S.SIGNED, A.EXTEND, HANDLERS, S.SIGNED, guard="extension_once"),
        Transition(S.SIGNED, A.REPLY, HANDLERS, S.REPLIED),
        # Satisfied: CLOSED; dissatisfied: back to SIGNED to be redone (the service decides).
        Transition(S.REPLIED, A.RETURN_VISIT, VISITORS, None),
    ]
)

# The statuses whose order still waits for the department (lists put them first).
OPEN_STATUSES = (S.RECEIVED, S.SIGNED)
