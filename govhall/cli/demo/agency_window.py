"""Demo 代办窗口 (issue 19 item 6): the county hall's agency window and its agent.

- a new window "代办服务窗口" of the county, marked `is_agency`, serving the items of the county's
  一件事 bundles (so a bundle can be received there, with the 代办 fields ready);
- the county's 代办员 (login `agent`) becomes window staff, also a clerk (a clerk receives cases)
  and holds its A post (the window head `head` heads it and takes its B post), signed in like
  every window person;
- the queue groups taking those items call at it too (their windows follow the catalog's links).

Made through the org, staff and catalog services. Idempotent: an existing agency window of the
county is kept as it is.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from govhall.catalog.models import Authorization, Bundle, ItemWindow
from govhall.catalog.queries.bundles import bundle_items
from govhall.catalog.services.item_windows import item_window_set
from govhall.cli.demo.attendance import load_demo_attendance
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.core.models import User
from govhall.core.roles import Role, roles_of
from govhall.frontdesk.models import ServiceGroup
from govhall.frontdesk.services.groups import group_update
from govhall.org.models import Center, Department, Window
from govhall.org.services.staff import staff_set_roles, staff_update
from govhall.org.services.windows import post_create, window_create

NAME = "代办服务窗口"
LOCATION = "一楼东侧 代办服务区"


def _authorization(item_id: int) -> str:
    """The widest authorization the item has at another window of the hall."""
    links = set(ItemWindow.objects.filter(item_id=item_id).values_list("authorization", flat=True))
    for authorization in (Authorization.FULL, Authorization.PARTIAL, Authorization.LIMITED):
        if authorization in links:
            return str(authorization)
    return str(Authorization.PARTIAL)


@transaction.atomic
def load_demo_agency_window() -> Window | None:
    """The county's agency window with the demo agent at its post (None without them)."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    agent = User.objects.filter(username="agent", is_active=True).select_related("staff").first()
    if county is None or agent is None or not hasattr(agent, "staff"):
        return None
    existing = Window.objects.filter(center=county, is_agency=True).first()
    if existing is not None:
        return existing
    items = [
        item
        for bundle in Bundle.objects.filter(center=county, is_active=True).order_by("id")
        for item in bundle_items(bundle)
    ]
    departments = Department.objects.filter(pk__in={item.department_id for item in items})
    number = (Window.objects.filter(center=county).aggregate(top=Max("number"))["top"] or 0) + 1
    cover = User.objects.filter(username="head", is_active=True).first()
    window = window_create(
        actor=None,
        head=cover,
        center=county,
        number=number,
        name=NAME,
        departments=list(departments),
        location=LOCATION,
        is_agency=True,
    )
    for item in items:
        item_window_set(actor=None, item=item, window=window, authorization=_authorization(item.pk))
    if not agent.staff.is_window_staff:
        staff_update(actor=None, staff=agent.staff, is_window_staff=True)
    roles = roles_of(agent)
    if Role.CLERK not in roles:
        staff_set_roles(
            actor=None,
            user=agent,
            roles=[*(role.value for role in roles), Role.CLERK.value],
            reason="代办员在代办窗口收件",
        )
    post_create(actor=None, window=window, name="代办岗", a_staff=agent, b_staff=cover)
    groups = ServiceGroup.objects.filter(
        center=county, is_active=True, items__in=[item.pk for item in items]
    ).distinct()
    director = User.objects.filter(username="director", is_active=True).first()
    for group in groups:  # the queue's management: the hall director
        group_update(actor=director, group=group, windows=[*group.windows.all(), window])
    load_demo_attendance()  # the agent signs in like every window person (idempotent)
    return window


__all__ = ["load_demo_agency_window"]
