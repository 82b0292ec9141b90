"""The demo's joint meetings and emergencies (issue 21 item 4; seeds/000… 篇3 四 驻厅单位联席会议,
seeds/002… 六6 突发事件), in the county center:

- a joint meeting held twenty days ago with its attendance, minutes published and three
  decisions: one done (by the market regulation bureau's leader, the demo login "leader"), one
  open, one overdue; the next meeting planned in a month;
- the county's emergency plan in force, a section per kind with duty people and a phone;
- one drill (an evacuation for crowding) and one incident (a network outage) in the log.

Made through the services as the county's hall director (the demo login "director").
Idempotent: each part is skipped when the county has meetings, a plan or log entries already.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from govhall.cli.demo.departments import COUNTY_CODE
from govhall.core.models import User
from govhall.hallops.models import EmergencyEvent, EmergencyPlan, JointMeeting
from govhall.hallops.services.emergencies import (
    emergency_record,
    plan_draft_start,
    plan_publish,
    plan_section_save,
)
from govhall.hallops.services.meetings import (
    AttendanceDraft,
    decision_act,
    decision_add,
    meeting_act,
    meeting_attendance_save,
    meeting_minutes_save,
    meeting_plan,
)
from govhall.org.models import Center, Department, Staff

AGENDA = (
    "一、通报上月各窗口办件、好差评和投诉情况\n"
    "二、研究周六延时服务的窗口安排\n"
    "三、协调企业开办“一件事”材料互认"
)
MINUTES = (
    "会议由大厅主任主持，各驻厅单位首席代表参加。\n"
    "一、上月大厅办件平稳，差评 2 件均已整改回访。\n"
    "二、议定周六上午开设综合窗口延时服务，由市场监管局牵头排班。\n"
    "三、企业开办材料互认清单由不动产登记中心和税务局两周内会签。"
)
PLAN = {
    "outage": (
        "停电或断网时：值班人员 5 分钟内到场，启用应急照明和备用网络；"
        "窗口改为手工登记受理，向等候群众说明情况并发放预约回执；报告信息中心抢修。"
    ),
    "crowding": (
        "人员聚集时：导服台分流取号，开启备用窗口；保持安全通道畅通，"
        "必要时限流入厅并报告大厅主任，疏散按疏散图由东西两侧出口撤离。"
    ),
    "conflict": (
        "窗口发生争执时：首问责任人先行安抚，窗口负责人 3 分钟内到场调解；"
        "移至接待室处理，安保人员到场；做好记录，需要时报警。"
    ),
    "illness": (
        "群众或工作人员突发疾病时：就近工作人员立即呼叫 120，值班人员取用急救箱和 AED；"
        "保持现场通风，安排专人陪同并联系家属。"
    ),
}
PHONES = {
    "outage": "0571-88001101",
    "crowding": "0571-88001102",
    "conflict": "0571-88001103",
    "illness": "0571-88001120",
}


def _people(center: Center, usernames: tuple[str, ...]) -> list[int]:
    return list(
        Staff.objects.filter(center=center, user__username__in=usernames).values_list(
            "user_id", flat=True
        )
    )


def _meetings(center: Center, director: User) -> None:
    if JointMeeting.objects.filter(center=center).exists():
        return
    now = timezone.now()
    departments = list(Department.objects.filter(center=center, is_active=True).order_by("code"))
    if len(departments) < 3:
        return
    held = timezone.localtime(now - datetime.timedelta(days=20)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    meeting = meeting_plan(
        actor=director,
        center=center,
        held_at=held,
        place="县政务服务中心三楼会议室",
        agenda=AGENDA,
        chair=director,
    )
    meeting = meeting_act(actor=director, meeting=meeting, action="hold")
    rows = [
        AttendanceDraft(d.pk, "present", f"{d.short_name or d.name}首席代表")
        for d in departments[:-1]
    ]
    rows.append(AttendanceDraft(departments[-1].pk, "excused"))
    meeting_attendance_save(actor=director, meeting=meeting, rows=rows)
    meeting_minutes_save(actor=director, meeting=meeting, minutes=MINUTES)
    by_code = {d.code: d for d in departments}
    owner = by_code.get("SCJG", departments[0])
    others = [d for d in departments if d.pk != owner.pk]
    today = timezone.localdate()
    done = decision_add(
        actor=director,
        meeting=meeting,
        text="周六上午综合窗口延时服务排班到人",
        department=owner,
        due_on=timezone.localdate(held) + datetime.timedelta(days=7),
    )
    decision_add(
        actor=director,
        meeting=meeting,
        text="企业开办材料互认清单会签",
        department=others[0],
        due_on=today + datetime.timedelta(days=10),
    )
    decision_add(
        actor=director,
        meeting=meeting,
        text="窗口叫号屏故障报修并回复大厅",
        department=others[1],
        due_on=today - datetime.timedelta(days=5),
    )
    leader = Staff.objects.filter(center=center, department=owner, user__username="leader").first()
    decision_act(
        actor=leader.user if leader else director,
        decision=done,
        action="done",
        note="已排定周六值班表并公示",
    )
    meeting_act(actor=director, meeting=meeting, action="publish")
    following = timezone.localtime(now + datetime.timedelta(days=30)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    meeting_plan(
        actor=director,
        center=center,
        held_at=following,
        place="县政务服务中心三楼会议室",
        agenda="一、上次会议议定事项落实情况\n二、春节前后窗口值班安排",
        chair=director,
    )


def _plan(center: Center, director: User) -> None:
    if EmergencyPlan.objects.filter(center=center).exists():
        return
    draft = plan_draft_start(actor=director, center=center)
    duty = {
        "outage": ("admin", "director"),
        "crowding": ("guide", "director"),
        "conflict": ("head", "director"),
        "illness": ("guide", "admin"),
    }
    for kind, measures in PLAN.items():
        plan_section_save(
            actor=director,
            plan=draft,
            kind=kind,
            measures=measures,
            phone=PHONES[kind],
            duty_people=_people(center, duty[kind]) or [director.pk],
        )
    plan_publish(actor=director, plan=draft)


def _log(center: Center, director: User) -> None:
    if EmergencyEvent.objects.filter(center=center).exists():
        return
    now = timezone.now()
    emergency_record(
        actor=director,
        center=center,
        kind="crowding",
        is_drill=True,
        occurred_at=timezone.localtime(now - datetime.timedelta(days=12)).replace(
            hour=16, minute=0
        ),
        what_happened="演练：上午高峰取号人数超过 200 人，大厅等候区拥挤。",
        actions_taken="导服台分流取号，开启 2 个备用窗口，按疏散图组织东西两侧出口撤离。",
        people_involved="大厅主任、导服员、安保人员、各窗口首席代表",
        outcome="6 分钟完成疏散，东侧通道指示牌不醒目，已更换。",
    )
    emergency_record(
        actor=director,
        center=center,
        kind="outage",
        is_drill=False,
        occurred_at=timezone.localtime(now - datetime.timedelta(days=3)).replace(
            hour=10, minute=20
        ),
        what_happened="政务外网中断约 25 分钟，窗口无法联网受理。",
        actions_taken="窗口改为手工登记受理并发放回执，信息中心切换备用线路。",
        people_involved="系统管理员、信息中心值班人员",
        outcome="10:45 恢复，手工登记的 14 件已补录系统，无群众投诉。",
    )


def load_demo_hallops() -> None:
    center = Center.objects.filter(code=COUNTY_CODE).first()
    director = User.objects.filter(username="director").first()
    if center is None or director is None:
        return
    _meetings(center, director)
    _plan(center, director)
    _log(center, director)
