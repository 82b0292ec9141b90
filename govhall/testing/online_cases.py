"""Online cases for tests of pre-review, supplements and results (issue 19 item 2): a joint
item's online submission with a second and third department pre-reviewing in parallel."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from govhall.cases.models import Case
from govhall.cases.services.intake import ApplicantData, MaterialCheck, case_submit_online
from govhall.catalog.models import ServiceItem
from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department
from govhall.testing.factories import DepartmentFactory, make_staff


@dataclass
class JointOnline:
    case: Case
    second: Department
    third: Department
    second_clerk: User
    third_clerk: User


def submit_online(
    item: ServiceItem,
    applicant: ApplicantData,
    *,
    actor: User | None = None,
    key: str | None = None,
    at: datetime.datetime | None = None,
) -> Case:
    if not item.online_available:  # only items offered online are submitted online
        item.online_available = True
        item.save(update_fields=["online_available"])
    checks = [MaterialCheck(material_id=m.pk, received=True) for m in item.materials.all()]
    case, _created = case_submit_online(
        actor=actor,  # type: ignore[arg-type]  # online: nobody of the staff
        item=item,
        applicant=applicant,
        materials=checks,
        idempotency_key=key,
        at=at,
    )
    return case


def joint_online_case(
    county: Center, item: ServiceItem, applicant: ApplicantData, *, suffix: str = ""
) -> JointOnline:
    """`item` made joint with two more departments of `county`, each with a window clerk, and
    an online application for it."""
    second = DepartmentFactory(center=county, code=f"GS{suffix}", name=f"县卫生健康局{suffix}")
    third = DepartmentFactory(center=county, code=f"XF{suffix}", name=f"县消防救援大队{suffix}")
    item.joint_departments.add(second, third)
    second_clerk = make_staff(
        Role.CLERK, county, second, username=f"gs_clerk{suffix}", window_staff=True
    )
    third_clerk = make_staff(
        Role.CLERK, county, third, username=f"xf_clerk{suffix}", window_staff=True
    )
    case = submit_online(item, applicant)
    return JointOnline(case, second, third, second_clerk, third_clerk)
