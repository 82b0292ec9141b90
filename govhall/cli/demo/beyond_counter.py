"""The demo's service beyond the counter (issue 21 item 6; seeds/002… 三(一)3, seeds/000… 篇1
六(四)), in the county center:

- two extended services (延时服务) last week at window 1, recorded as overtime;
- two home visits (上门服务) for the market regulation bureau: one scheduled, one done;
- a key project with two follow-up calls (跟踪服务), the next one due today;
- an approved off-hours appointment whose named staff member is on leave that day, for the
  bureau's leader (the demo login "leader") to reassign.

The overtime rows are written directly (they summarise lines served on past days); the rest
goes through the services as the hall director, the window clerk and the leader. Idempotent:
skipped when the county has a home visit already.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from govhall.cli.demo.departments import COUNTY_CODE
from govhall.core.idnumbers import id_check_character
from govhall.core.models import User
from govhall.frontdesk.models import HomeVisit, Overtime, ServiceGroup
from govhall.frontdesk.models.outreach import VisitReason
from govhall.frontdesk.queries.hours import closing_moment, is_workday
from govhall.frontdesk.services.appointment_off_hours import (
    appointment_decide,
    appointment_request_off_hours,
)
from govhall.frontdesk.services.appointment_slots import booking_window
from govhall.frontdesk.services.follow_ups import follow_up_log, key_project_create
from govhall.frontdesk.services.home_visits import (
    home_visit_book,
    home_visit_record_result,
    home_visit_schedule,
)
from govhall.org.models import Center, Department, Staff, Window
from govhall.staffing.models.leave import Leave, LeaveKind, LeaveStatus

DEPARTMENT_CODE = "SCJG"


def _id(n: int) -> str:
    first17 = f"33010219450101{n:03d}"
    return first17 + id_check_character(first17)


def _workdays_back(center: Center, today: datetime.date, count: int) -> list[datetime.date]:
    days: list[datetime.date] = []
    day = today - datetime.timedelta(days=7 + today.weekday())  # Monday last week
    while len(days) < count and day < today:
        if is_workday(center, day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _overtime(center: Center, window: Window, clerk: User, today: datetime.date) -> None:
    for day, minutes, served in zip(
        _workdays_back(center, today, 2), (25, 40), (3, 5), strict=False
    ):
        closes = closing_moment(center, day)
        record = Overtime.objects.create(
            center=center,
            window=window,
            day=day,
            closing_time=center.closing_time,
            started_at=closes + datetime.timedelta(minutes=2),
            ended_at=closes + datetime.timedelta(minutes=minutes),
            started_by=clerk,
            ended_by=clerk,
            minutes=minutes,
            tickets_served=served,
            waiting_at_start=served,
        )
        record.staff.add(clerk)


def _visits(center: Center, department: Department, clerk: User, leader: User) -> None:
    today = timezone.localdate()
    soon = timezone.now() + datetime.timedelta(days=2)
    first = home_visit_book(
        actor=clerk,
        center=center,
        department=department,
        person_name="沈桂英",
        id_number=_id(1),
        phone="13905710001",
        address="城关镇南街社区 12 幢 3 单元 101",
        reason=VisitReason.ELDERLY,
        matter="个体工商户营业执照变更（行动不便）",
        requested_date=today + datetime.timedelta(days=2),
    )
    home_visit_schedule(actor=leader, visit=first, assigned=[clerk], scheduled_for=soon)
    second = home_visit_book(
        actor=clerk,
        center=center,
        department=department,
        person_name="蒋建华",
        phone="13905710002",
        address="经济开发区纬三路 8 号（项目工地）",
        reason=VisitReason.KEY_PROJECT,
        matter="重点项目食品生产许可现场核查",
        requested_date=today,
    )
    home_visit_schedule(actor=leader, visit=second, assigned=[clerk, leader], scheduled_for=soon)
    home_visit_record_result(
        actor=clerk,
        visit=second,
        result="现场核查通过，材料当场收齐，许可证 3 个工作日内送达企业。",
    )


def _project(center: Center, department: Department, clerk: User) -> None:
    today = timezone.localdate()
    project = key_project_create(
        actor=clerk,
        center=center,
        department=department,
        name="绿源食品产业园一期",
        enterprise="示例县绿源食品有限公司",
        contact_name="钱立新",
        contact_phone="13905710003",
        next_call_due=today,
    )
    follow_up_log(
        actor=clerk,
        project=project,
        called_on=today - datetime.timedelta(days=14),
        summary="企业已取得营业执照，询问食品生产许可所需材料，已一次性告知。",
        next_due=today - datetime.timedelta(days=7),
    )
    follow_up_log(
        actor=clerk,
        project=project,
        called_on=today - datetime.timedelta(days=7),
        summary="厂房装修完成，约定现场核查时间；提醒提前准备检验报告。",
        next_due=today,
    )


def _reassignable(center: Center, department: Department, director: User) -> None:
    group = ServiceGroup.objects.filter(center=center, department=department).first()
    person = (
        Staff.objects.filter(center=center, department=department, user__is_active=True)
        .exclude(user__username__in=["clerk", "head", "reviewer", "approver", "leader"])
        .select_related("user")
        .first()
    )
    if group is None or person is None:
        return
    first, last = booking_window(center.pk, timezone.localdate())
    day = first + datetime.timedelta(days=1)
    while day <= last and not is_workday(center, day):
        day += datetime.timedelta(days=1)
    if day > last:
        return
    request = appointment_request_off_hours(
        actor=director,
        group=group,
        date=day,
        starts=datetime.time(18, 30),
        name="许海燕",
        id_number=_id(2),
        phone="13905710004",
        matter="下班后办理营业执照（白天在外地施工）",
        channel="phone",
    )
    appointment_decide(actor=director, appointment=request, approve=True, assigned_to=person.user)
    zone = timezone.get_current_timezone()
    Leave.objects.create(
        user=person.user,
        center=center,
        kind=LeaveKind.SICK,
        starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30)), zone),
        ends_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(21, 0)), zone),
        working_days=1,
        reason="就医",
        status=LeaveStatus.APPROVED,
        decided_by=director,
        decided_at=timezone.now(),
    )


def load_demo_beyond_counter() -> None:
    center = Center.objects.filter(code=COUNTY_CODE).first()
    if center is None or HomeVisit.objects.filter(center=center).exists():
        return
    department = Department.objects.filter(center=center, code=DEPARTMENT_CODE).first()
    users = {
        u.username: u for u in User.objects.filter(username__in=["clerk", "leader", "director"])
    }
    window = Window.objects.filter(center=center, number=1).first()
    if department is None or window is None or len(users) < 3:
        return
    with transaction.atomic():
        _overtime(center, window, users["clerk"], timezone.localdate())
        _visits(center, department, users["clerk"], users["leader"])
        _project(center, department, users["clerk"])
        _reassignable(center, department, users["director"])
