"""The demo front desk: service groups built from the windows' items, a morning of tickets
(finished, being served, called and waiting), the last working days' tickets for the queue
statistics, first inquiries and appointments.

Made through the front-desk services (`groups_build`, `ticket_take`, `ticket_call_next`,
`ticket_act`, `inquiry_log`, `appointment_book` …) with `at=` moments in the past, never by
writing rows. Loading is idempotent: nothing is added when the county already has a group.
The hall's opening hours are not enforced while loading, so the demo can be loaded at any hour.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from govhall.catalog.models import ServiceItem
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.cli.demo.people import person_name
from govhall.core.idnumbers import id_check_character
from govhall.core.models import User
from govhall.frontdesk.models import InquiryChannel, InquiryOutcome, ServiceGroup, TicketPriority
from govhall.frontdesk.services.appointment_booking import appointment_book, appointment_cancel
from govhall.frontdesk.services.appointment_off_hours import appointment_request_off_hours
from govhall.frontdesk.services.appointment_slots import bookable_days, slot_times
from govhall.frontdesk.services.groups import group_create, groups_build
from govhall.frontdesk.services.inquiries import inquiry_finish, inquiry_log
from govhall.frontdesk.services.phone_codes import phone_code_issue
from govhall.frontdesk.services.tickets import ticket_act, ticket_call_next, ticket_take
from govhall.frontdesk.ticket_transitions import TicketAction
from govhall.org.models import Center, Department, Post, Window
from govhall.workdays.queries.calendar import calendar_for

PAST_WORKING_DAYS = 5
PAST_TICKETS_PER_DAY = 24
# Today: finished, then one at each calling window, then these still waiting.
TODAY_FINISHED = 12
TODAY_WAITING = 9


# (working days ago, hour, who, channel, matter, outcome, contact, finished by the receiver)
INQUIRIES: tuple[tuple[int, int, str, str, str, str, str, bool], ...] = (
    (0, 9, "guide", "visit", "新办食品经营许可需要哪些材料？", "guided", "", False),
    (0, 10, "guide", "phone", "不动产登记周六是否办公？", "answered", "王女士 13905710001", False),
    (0, 10, "clerk", "visit", "个体户变更经营范围能否当场办结？", "answered", "", False),
    (
        1,
        9,
        "guide",
        "phone",
        "企业注销后社保账户如何处理？",
        "transferred",
        "李先生 13905710002",
        False,
    ),
    (1, 11, "guide", "web", "网上申请营业执照提交后多久审核？", "answered", "", False),
    (2, 14, "clerk", "visit", "餐饮店油烟投诉应向哪个部门反映？", "outside", "", False),
    (
        2,
        15,
        "guide",
        "phone",
        "食品经营许可证遗失如何补办？",
        "transferred",
        "赵女士 13905710003",
        True,
    ),
    (3, 9, "guide", "fax", "外地企业设立分公司的办理流程", "guided", "钱经理 0571-88880001", False),
    (
        4,
        10,
        "guide",
        "phone",
        "公积金提取需要本人到场吗？",
        "answered",
        "孙先生 13905710004",
        False,
    ),
    (
        6,
        10,
        "guide",
        "phone",
        "药品零售许可现场核查的时间安排",
        "transferred",
        "周女士 13905710005",
        False,
    ),
)


@dataclass
class FrontDeskResult:
    groups: int = 0
    tickets: int = 0
    inquiries: int = 0
    appointments: int = 0


@dataclass(frozen=True)
class Desk:
    window: Window
    clerk: User
    groups: tuple[ServiceGroup, ...]


def demo_frontdesk_loaded(county: Center) -> bool:
    return ServiceGroup.objects.filter(center=county).exists()


def _desks(county: Center, groups: list[ServiceGroup]) -> list[Desk]:
    """The first window of each group with its A staff (one desk per window)."""
    desks: dict[int, Desk] = {}
    for group in groups:
        window = group.windows.order_by("number").first()
        if window is None or window.pk in desks:
            continue
        post = Post.objects.filter(window=window, a_staff__isnull=False).order_by("pk").first()
        if post is None or post.a_staff is None:
            continue
        served = tuple(g for g in groups if g.windows.filter(pk=window.pk).exists())
        desks[window.pk] = Desk(window=window, clerk=post.a_staff, groups=served)
    return list(desks.values())


class _Loader:
    def __init__(self, county: Center) -> None:
        self.county = county
        self.result = FrontDeskResult()
        self.now = timezone.now()
        self.calendar = calendar_for(county.pk)
        self.director = User.objects.get(username="director")
        self.guide = User.objects.get(username="guide")
        self._items: dict[tuple[int, int | None], list[ServiceItem]] = {}

    def items_of(self, group: ServiceGroup, window: Window | None = None) -> list[ServiceItem]:
        """The group's published items (those `window` accepts, when named): what the citizen
        names at the kiosk (issue 17 item 1)."""
        key = (group.pk, window.pk if window is not None else None)
        if key not in self._items:
            items = group.items.filter(is_active=True).order_by("pk")
            if window is not None:
                items = items.filter(item_windows__window=window)
            self._items[key] = list(items)
        return self._items[key]

    def item_for(self, group: ServiceGroup, n: int, window: Window | None = None) -> Any:
        items = self.items_of(group, window)
        return items[n % len(items)] if items else None

    def moment(self, day: datetime.date, minutes: float) -> datetime.datetime:
        opens = datetime.datetime.combine(
            day, self.county.morning_opens, tzinfo=timezone.get_current_timezone()
        )
        return opens + datetime.timedelta(minutes=minutes)

    def serve_day(self, desks: list[Desk], day: datetime.date, count: int) -> None:
        """`count` tickets taken from opening time, each called, served and finished."""
        for n in range(count):
            desk = desks[n % len(desks)]
            group = desk.groups[n % len(desk.groups)]
            taken = self.moment(day, n * 9)
            priority = TicketPriority.ELDERLY_DISABLED if n % 7 == 3 else TicketPriority.NORMAL
            ticket_take(
                group=group, priority=priority, at=taken, item=self.item_for(group, n, desk.window)
            )
            called_at = taken + datetime.timedelta(minutes=4 + n % 11)
            ticket = ticket_call_next(actor=desk.clerk, window=desk.window, at=called_at)
            if ticket is None:
                continue
            if n % 10 == 9:
                ticket_act(
                    actor=desk.clerk,
                    ticket=ticket,
                    action=TicketAction.NO_SHOW,
                    at=called_at + datetime.timedelta(minutes=2),
                )
                continue
            started = called_at + datetime.timedelta(minutes=1)
            ticket_act(actor=desk.clerk, ticket=ticket, action=TicketAction.START, at=started)
            ticket_act(
                actor=desk.clerk,
                ticket=ticket,
                action=TicketAction.FINISH,
                at=started + datetime.timedelta(minutes=6 + n % 13),
            )
        self.result.tickets += count

    def today(self, desks: list[Desk]) -> None:
        """A morning under way: finished tickets, one at hand at each desk, a waiting line."""
        day = timezone.localdate(self.now)
        # Spread over the last 100 minutes, but never before midnight.
        midnight = datetime.datetime.combine(
            day, datetime.time(0, 1), tzinfo=timezone.get_current_timezone()
        )
        start = max(midnight, self.now - datetime.timedelta(minutes=100))
        step = (self.now - start) / (TODAY_FINISHED + len(desks) + TODAY_WAITING + 1)
        moments = (start + step * i for i in range(1000))
        for n in range(TODAY_FINISHED):
            desk = desks[n % len(desks)]
            taken = next(moments)
            group = desk.groups[n % len(desk.groups)]
            ticket_take(group=group, at=taken, item=self.item_for(group, n, desk.window))
            ticket = ticket_call_next(actor=desk.clerk, window=desk.window, at=taken + step / 4)
            if ticket is not None:
                ticket_act(
                    actor=desk.clerk, ticket=ticket, action=TicketAction.START, at=taken + step / 3
                )
                ticket_act(
                    actor=desk.clerk, ticket=ticket, action=TicketAction.FINISH, at=taken + step / 2
                )
        for n, desk in enumerate(desks):
            taken = next(moments)
            ticket_take(
                group=desk.groups[0],
                phone=f"1390000{n:04d}",
                at=taken,
                item=self.item_for(desk.groups[0], n, desk.window),
            )
            ticket = ticket_call_next(actor=desk.clerk, window=desk.window, at=taken + step / 2)
            if ticket is not None and n % 2 == 0:
                ticket_act(
                    actor=desk.clerk, ticket=ticket, action=TicketAction.START, at=taken + step
                )
        for n in range(TODAY_WAITING):
            desk = desks[n % len(desks)]
            extra: dict[str, Any] = {}
            if n == 4:
                extra = {"actor": self.guide, "priority": TicketPriority.GREEN_CHANNEL}
            elif n == 2:
                extra = {"priority": TicketPriority.ELDERLY_DISABLED}
            # Waiting tickets name any item of the line: each waits for a window accepting it.
            group = desk.groups[-1]
            ticket_take(group=group, at=next(moments), item=self.item_for(group, n), **extra)
        self.result.tickets += TODAY_FINISHED + len(desks) + TODAY_WAITING

    def queue(self) -> None:
        groups = groups_build(actor=self.director, center=self.county)
        self.result.groups = len(groups)
        desks = _desks(self.county, groups)[:6]
        if not desks:
            return
        today = timezone.localdate(self.now)
        day = today
        for _n in range(PAST_WORKING_DAYS):
            day = self.calendar.subtract_workdays(day, 1)
            self.serve_day(desks, day, PAST_TICKETS_PER_DAY)
        self.today(desks)


def _inquiries(loader: _Loader) -> None:
    """First inquiries of the last working days: every outcome, the phone record book, a transfer
    finished by the department, two still followed up (one of them overdue)."""
    county = loader.county
    department = Department.objects.get(center=county, code="SCJG")
    guided_to = Window.objects.filter(center=county, is_active=True).order_by("number")[2]
    receiver = User.objects.get(username="approver")
    today = timezone.localdate(loader.now)
    base = (
        today if loader.calendar.is_workday(today) else loader.calendar.subtract_workdays(today, 1)
    )
    for back, hour, who, channel, matter, outcome, contact, finished in INQUIRIES:
        day = loader.calendar.subtract_workdays(base, back) if back else base
        at = datetime.datetime.combine(
            day, datetime.time(hour, 5 * back), tzinfo=timezone.get_current_timezone()
        )
        at = min(at, loader.now - datetime.timedelta(minutes=30 - back))
        name, _space, phone = contact.partition(" ")
        extra: dict[str, Any] = {}
        if outcome == InquiryOutcome.GUIDED:
            extra["guided_window"] = guided_to
        elif outcome == InquiryOutcome.TRANSFERRED:
            extra = {
                "transferred_department": department,
                "transferred_contact": "市场监管局 陈科长",
            }
        else:
            extra["answer"] = (
                "已告知办理条件、材料和时限，并提供办事指南。"
                if outcome == InquiryOutcome.ANSWERED
                else "该事项不属于中心职责范围，已告知向县城管执法局反映及其联系电话。"
            )
        inquiry = inquiry_log(
            actor=User.objects.get(username=who),
            center=county,
            channel=InquiryChannel(channel),
            matter=matter,
            outcome=InquiryOutcome(outcome),
            contact_name=name,
            contact_phone=phone,
            at=at,
            **extra,
        )
        if finished:
            inquiry_finish(
                actor=receiver,
                inquiry=inquiry,
                result="已联系申请人，告知补办材料并预约到窗口办理。",
                at=at + datetime.timedelta(hours=3),
            )
        loader.result.inquiries += 1


def _demo_person(serial: int) -> tuple[str, str, str]:
    """A name, a valid ID number (GB 11643) and a mobile phone for demo applicant `serial`."""
    born = datetime.date(1968, 3, 1) + datetime.timedelta(days=serial * 397)
    first17 = f"330100{born:%Y%m%d}{serial:03d}"
    return person_name(serial + 300), first17 + id_check_character(first17), f"1370571{serial:04d}"


def _appointments(loader: _Loader) -> None:
    """Bookings for today (made on the last working day, ready to check in at the kiosk) and the
    next working days, from the portal and by phone; one cancelled; one off-hours request waiting
    for the director."""
    groups = list(ServiceGroup.objects.filter(center=loader.county).order_by("position")[:3])
    if not groups:
        return
    now = loader.now
    today = timezone.localdate(now)
    clerk = User.objects.get(username="clerk")
    serial = 0
    yesterday = loader.calendar.subtract_workdays(today, 1)
    booked_yesterday = datetime.datetime.combine(
        yesterday, datetime.time(16, 0), tzinfo=timezone.get_current_timezone()
    )
    plans: list[tuple[datetime.datetime, datetime.date]] = []
    if loader.calendar.is_workday(today):
        plans += [(booked_yesterday, today)] * 3
    days = bookable_days(groups[0], today)
    # Booked a while ago, but today: just after midnight "40 minutes ago" is yesterday, whose
    # booking window ends a day earlier than today's `days`.
    midnight = datetime.datetime.combine(
        today, datetime.time(0), tzinfo=timezone.get_current_timezone()
    )
    booked_recently = max(now - datetime.timedelta(minutes=40), midnight)
    plans += [(booked_recently, day) for day in days for _n in range(2)]
    for n, (booked_at, day) in enumerate(plans):
        group = groups[n % len(groups)]
        later = [
            starts
            for starts, _ends in slot_times(loader.county, group.slot_minutes)
            if day != today or starts > timezone.localtime(now).time()
        ]
        if not later:
            continue
        serial += 1
        name, id_number, phone = _demo_person(serial)
        public = n % 3 != 2
        # A citizen confirms the phone with the SMS code before booking (issue 12).
        code = phone_code_issue(phone=phone, at=booked_at)[1] if public else ""
        appointment = appointment_book(
            actor=None if public else clerk,
            group=group,
            date=day,
            starts=later[(n * 3) % len(later)],
            name=name,
            id_number=id_number,
            phone=phone,
            # Most name the item they come for (its name becomes the matter); some only say.
            item=loader.item_for(group, n) if n % 4 != 3 else None,
            matter="" if n % 4 != 3 else "办理" + group.name + "业务",
            channel="portal" if public else "phone",
            at=booked_at,
            client="demo",
            phone_code=code,
        )
        loader.result.appointments += 1
        if n == len(plans) - 1:
            appointment_cancel(actor=clerk, appointment=appointment, reason="申请人来电改期")
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    if not loader.calendar.is_workday(saturday):
        serial += 1
        name, id_number, phone = _demo_person(serial)
        asked_at = now - datetime.timedelta(minutes=20)
        appointment_request_off_hours(
            actor=None,
            group=groups[0],
            date=saturday,
            starts=datetime.time(9, 0),
            name=name,
            id_number=id_number,
            phone=phone,
            matter="外出务工返乡，仅周末可到场办理",
            channel="portal",
            at=asked_at,
            client="demo",
            phone_code=phone_code_issue(phone=phone, at=asked_at)[1],
        )
        loader.result.appointments += 1


# Town and village rooms (issue 17 item 1): tickets waiting today per town, bookings per room.
TOWN_TICKETS_WAITING = 4
ROOM_BOOKINGS = 2
# A village room has no window: its 全程代办员 serves booked visits (a line without windows).
VILLAGE_GROUP = ("A", "预约代办")


def _book_room(
    loader: _Loader, group: ServiceGroup, serial: int, n: int, item: ServiceItem | None
) -> bool:
    """One portal booking in `group` on its first bookable day; False when none is free."""
    days = bookable_days(group, timezone.localdate(loader.now))
    times = slot_times(group.center, group.slot_minutes)
    if not days or not times:
        return False
    name, id_number, phone = _demo_person(serial)
    booked_at = loader.now - datetime.timedelta(minutes=30)
    appointment_book(
        actor=None,
        group=group,
        date=days[n % len(days)],
        starts=times[(n * 5) % len(times)][0],
        name=name,
        id_number=id_number,
        phone=phone,
        item=item,
        matter="" if item is not None else "委托代办：" + group.center.name,
        channel="portal",
        at=booked_at,
        client=f"demo-{group.center.code}",  # each room's citizens, not one address
        phone_code=phone_code_issue(phone=phone, at=booked_at)[1],
    )
    return True


def _towns(loader: _Loader) -> None:
    """Town centers get their groups built from their windows' items (like the county), a few
    tickets waiting today that name their item, and bookings; each village room gets a line for
    booked visits with its 全程代办员."""
    serial = 500
    towns = Center.objects.filter(parent=loader.county, is_active=True).order_by("path")
    for town in towns:
        groups = groups_build(actor=loader.director, center=town)
        loader.result.groups += len(groups)
        if not groups:
            continue
        now = loader.now
        if calendar_for(town.pk).is_workday(timezone.localdate(now)):
            for n in range(TOWN_TICKETS_WAITING):
                group = groups[n % len(groups)]
                ticket_take(
                    group=group,
                    at=now - datetime.timedelta(minutes=5 * (TOWN_TICKETS_WAITING - n)),
                    item=loader.item_for(group, n),
                )
                loader.result.tickets += 1
        for n in range(ROOM_BOOKINGS):
            serial += 1
            group = groups[n % len(groups)]
            if _book_room(loader, group, serial, n, loader.item_for(group, n)):
                loader.result.appointments += 1
        for village in Center.objects.filter(parent=town, is_active=True).order_by("path"):
            room = group_create(
                actor=loader.director,
                center=village,
                letter=VILLAGE_GROUP[0],
                name=VILLAGE_GROUP[1],
                slot_minutes=60,
                slot_capacity=2,
            )
            loader.result.groups += 1
            serial += 1
            if _book_room(loader, room, serial, 0, None):
                loader.result.appointments += 1


def load_demo_frontdesk() -> FrontDeskResult:
    """Add the demo front desk unless the county already has one (nothing when the demo hall is
    missing)."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    if county is None or demo_frontdesk_loaded(county):
        return FrontDeskResult()
    loader = _Loader(county)
    notify_log = logging.getLogger("govhall.notify")
    level = notify_log.level
    notify_log.setLevel(max(level, logging.WARNING))
    try:
        with override_settings(GOVHALL_QUEUE_ENFORCE_HOURS=False), transaction.atomic():
            loader.queue()
            _inquiries(loader)
            _appointments(loader)
            _towns(loader)
    finally:
        notify_log.setLevel(level)
    return loader.result


__all__ = ["FrontDeskResult", "demo_frontdesk_loaded", "load_demo_frontdesk"]
