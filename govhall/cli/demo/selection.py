"""Demo window staff selection (issue 21 item 1): the market regulator (SCJG) nominated four
people — one waits for the interview, one for the county leader, one approved person has 2 of
the 4 readiness steps, and one is stationed with a trial ending within a week. Idempotent: a
county that has selections is left alone."""

from __future__ import annotations

import datetime

from django.utils import timezone

from govhall.cli.demo.departments import COUNTY_CODE
from govhall.core.idnumbers import id_check_character
from govhall.core.models import User
from govhall.org.models import Center, Department, Window
from govhall.staffing.models.selection import StaffSelection
from govhall.staffing.services.assignments import assignment_start
from govhall.staffing.services.selection import (
    readiness_record,
    selection_approve,
    selection_interview,
    selection_nominate,
)

PEOPLE = (
    ("陈思雨", datetime.date(1995, 4, 12), "女", "13805710011", "市监推〔2026〕11号"),
    ("郭嘉豪", datetime.date(1992, 8, 3), "男", "13805710012", "市监推〔2026〕12号"),
    ("沈佳怡", datetime.date(1997, 1, 25), "女", "13805710013", "市监推〔2026〕13号"),
    ("马骁", datetime.date(1990, 11, 30), "男", "13805710014", "市监推〔2026〕14号"),
)


def _id_for(birth: datetime.date, serial: int) -> str:
    first = f"330102{birth:%Y%m%d}{serial:03d}"
    return first + id_check_character(first)


def load_demo_selection() -> int:
    """Returns how many selections were made."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=["leader", "director", "countyleader"])
    }
    department = Department.objects.filter(center=county, code="SCJG").first()
    if county is None or department is None or len(users) < 3:
        return 0
    if StaffSelection.objects.filter(center=county).exists():
        return 0
    leader, director, county_leader = users["leader"], users["director"], users["countyleader"]
    window = Window.objects.filter(center=county, departments=department).order_by("number").first()
    made = []
    for n, (name, birth, gender, phone, letter) in enumerate(PEOPLE):
        made.append(
            selection_nominate(
                actor=leader,
                department=department,
                candidate_name=name,
                id_number=_id_for(birth, 101 + n * 2),
                letter_number=letter,
                is_established=True,
                gender=gender,
                phone=phone,
                education="大学本科",
                current_post="市场监管所科员",
                reason="业务骨干，熟悉登记注册业务，能熟练操作计算机。",
                window=window,
            )
        )
    for selection in made[1:]:
        selection_interview(
            actor=director,
            selection=selection,
            passed=True,
            score="86.5",
            notes="表达清楚，业务熟悉",
        )
    made[2:] = [
        selection_approve(actor=county_leader, selection=selection, note="同意选派")
        for selection in made[2:]
    ]
    steps = ("qualification", "policy", "business", "etiquette")
    for step in steps[:2]:
        readiness_record(actor=director, selection=made[2], step=step, hours="4", result="合格")
    for step in steps:
        readiness_record(actor=director, selection=made[3], step=step, hours="4", result="合格")
    person = made[3].user
    assert person is not None
    today = timezone.localdate()
    assignment_start(
        actor=None,
        user=person,
        department=department,
        window=window,
        starts_on=today - datetime.timedelta(days=25),
    )
    return len(made)
