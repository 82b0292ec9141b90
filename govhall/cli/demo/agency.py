"""Demo 代办 (issue 19 item 6): two agents carrying cases for their applicants.

- the county's 代办员 (login `agent`, in `people.LOGINS`) carries three open window cases of the
  county, the first as 全程代办 (an investment project the 代办窗口 carries to delivery);
- the 村级全程代办员 of 城关镇's first village room is given the 代办员 role and carries two open
  cases of its town (or, when the town has none open, of the county), the first as 全程代办.

Named by the hall director through `agency_assign`, each on an authorization letter dated the
day the case was received. Idempotent: an agent who already carries a case gets nothing more.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from govhall.cases.case_transitions import OPEN_STATUSES
from govhall.cases.models import Case
from govhall.cases.services.agency import AgencyData, agency_assign
from govhall.cases.statuses import Channel
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.cli.demo.people import TOWN
from govhall.core.models import User
from govhall.core.roles import Role, roles_of
from govhall.org.models import Center, Staff
from govhall.org.models.centers import CenterLevel
from govhall.org.services.staff import staff_set_roles

SCOPES = ("项目投资审批全程代办：申请、补正、领取结果", "代为申请、递交材料、领取结果")


def _open_cases(center: Center, count: int) -> list[Case]:
    return list(
        Case.objects.filter(
            center=center,
            status__in=OPEN_STATUSES,
            decided_at__isnull=True,  # still on its way: the agent has work to carry
            agent__isnull=True,
            channel=Channel.WINDOW,
        ).order_by("number")[:count]
    )


def _carry(director: User, agent: User, cases: list[Case], prefix: str) -> int:
    for index, case in enumerate(cases):
        agency_assign(
            actor=director,
            case=case,
            data=AgencyData(
                agent_id=agent.pk,
                letter_number=f"{prefix}-{case.number[-6:]}",
                letter_on=timezone.localdate(case.received_at),
                full=index == 0,
                scope=SCOPES[0] if index == 0 else SCOPES[1],
            ),
        )
    return len(cases)


def _village_agent() -> User | None:
    staff = (
        Staff.objects.select_related("user")
        .filter(center__parent__code=TOWN, center__level=CenterLevel.VILLAGE, user__is_active=True)
        .order_by("center__path", "id")
        .first()
    )
    if staff is None:
        return None
    user = staff.user
    roles = roles_of(user)
    if Role.AGENT not in roles:
        staff_set_roles(
            actor=None,
            user=user,
            roles=[*(role.value for role in roles), Role.AGENT.value],
            reason="村级全程代办员兼任代办员",
        )
    return user


@transaction.atomic
def load_demo_agency() -> int:
    """Give the demo agents their cases; returns how many cases were given."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    town = Center.objects.filter(code=TOWN).first()
    director = User.objects.filter(username="director").first()
    agent = User.objects.filter(username="agent", is_active=True).first()
    if county is None or town is None or director is None:
        return 0
    added = 0
    if agent is not None and not Case.objects.filter(agent=agent).exists():
        added += _carry(director, agent, _open_cases(county, 3), "委托")
    village_agent = _village_agent()
    if village_agent is not None and not Case.objects.filter(agent=village_agent).exists():
        cases = _open_cases(town, 2) or _open_cases(county, 2)
        added += _carry(director, village_agent, cases, "村委托")
    return added


__all__ = ["load_demo_agency"]
