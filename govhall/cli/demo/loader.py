"""Loads the demo hall through the same service functions the workbench uses.

Everything happens in one transaction: either the whole demo is there or nothing is. Changes are
recorded in the event log with no actor (the system).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from govhall.catalog.services.fees import fee_add
from govhall.catalog.services.item_windows import item_window_set
from govhall.catalog.services.items import item_create
from govhall.catalog.services.materials import material_add
from govhall.cli.demo.codes import credit_code, implementation_code
from govhall.cli.demo.departments import (
    COUNTY,
    COUNTY_AREA,
    COUNTY_CODE,
    DEPARTMENTS,
    WINDOWS,
    CenterSpec,
    DepartmentSpec,
    WindowSpec,
)
from govhall.cli.demo.items import COUNTY_ITEMS, ItemSpec
from govhall.cli.demo.people import COUNTY as COUNTY_KEY
from govhall.cli.demo.people import DEMO_PASSWORD, LOGINS, TOWN, LoginSpec, person_name
from govhall.cli.demo.towns import TOWN_DEPARTMENTS, TOWN_ITEMS, TOWN_WINDOWS, TOWNS
from govhall.core.models import User
from govhall.core.roles import Role
from govhall.org.models import Center, Department, Window
from govhall.org.services.centers import center_create
from govhall.org.services.departments import department_create
from govhall.org.services.staff import staff_create
from govhall.org.services.windows import post_create, window_create
from govhall.workdays.models import CenterDay
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.services.center_days import center_day_set

LEVEL_NAMES = {"province": "省级", "city": "市级", "county": "县级", "town": "乡镇"}


@dataclass
class LoadResult:
    loaded: bool  # False when the demo was already there
    centers: int = 0
    departments: int = 0
    windows: int = 0
    posts: int = 0
    staff: int = 0
    items: int = 0
    warnings: list[str] = field(default_factory=list)


def demo_is_loaded() -> bool:
    return Center.objects.filter(code=COUNTY_CODE).exists()


@dataclass
class _Hall:
    """One center being built: its departments, windows and the people hired so far."""

    center: Center
    area: str
    departments: dict[str, Department] = field(default_factory=dict)
    credits: dict[str, str] = field(default_factory=dict)
    windows: dict[int, Window] = field(default_factory=dict)
    window_specs: dict[int, WindowSpec] = field(default_factory=dict)


class _Loader:
    def __init__(self) -> None:
        self.result = LoadResult(loaded=True)
        self.people = 0  # serial for generated names
        self.logins: dict[str, User] = {}

    # --- building blocks ----------------------------------------------------------------------

    def center(self, spec: CenterSpec, parent: Center | None) -> Center:
        self.result.centers += 1
        return center_create(
            actor=None,
            code=spec.code,
            name=spec.name,
            level=spec.level,
            parent=parent,
            address=spec.address,
            phone=spec.phone,
        )

    def departments(self, hall: _Hall, specs: Sequence[DepartmentSpec], serial_base: int) -> None:
        for spec in specs:
            hall.departments[spec.code] = department_create(
                actor=None,
                center=hall.center,
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                phone=spec.phone or hall.center.phone,
            )
            hall.credits[spec.code] = credit_code(hall.area, serial_base + spec.serial)
            self.result.departments += 1

    def person(
        self,
        hall: _Hall,
        username: str,
        role: Role,
        *,
        department: str = "",
        window_staff: bool = False,
        title: str = "",
        full_name: str = "",
    ) -> User:
        self.people += 1
        self.result.staff += 1
        return staff_create(
            actor=None,
            center=hall.center,
            username=username,
            full_name=full_name or person_name(self.people),
            roles=[role],
            department=hall.departments[department] if department else None,
            is_window_staff=window_staff,
            title=title,
            phone=f"139{self.people:08d}",
        )

    def login(self, hall: _Hall, spec: LoginSpec) -> User:
        user = self.person(
            hall,
            spec.username,
            spec.role,
            department=spec.department,
            window_staff=spec.window_staff,
            title=spec.title,
            full_name=spec.full_name,
        )
        self.logins[spec.username] = user
        return user

    def windows(
        self,
        hall: _Hall,
        specs: Sequence[WindowSpec],
        *,
        prefix: str,
        heads: dict[str, User],
        first_a_staff: User | None = None,
    ) -> None:
        """Open the windows and staff every post with an A and a B (AB岗)."""
        for spec in specs:
            window = window_create(
                actor=None,
                center=hall.center,
                number=spec.number,
                name=spec.name,
                departments=[hall.departments[code] for code in spec.departments],
                head=heads[spec.head],
                location=spec.location,
            )
            hall.windows[spec.number] = window
            hall.window_specs[spec.number] = spec
            self.result.windows += 1
            # Single-department windows are staffed by that department; comprehensive windows
            # (综合受理) by the hall's own staff.
            department = spec.departments[0] if len(spec.departments) == 1 else ""
            for index, post_name in enumerate(spec.posts, start=1):
                base = f"{prefix}w{spec.number:02d}-{index}"
                if first_a_staff is not None:
                    a_staff, first_a_staff = first_a_staff, None
                else:
                    a_staff = self.person(
                        hall,
                        f"{base}a",
                        Role.CLERK,
                        department=department,
                        window_staff=True,
                        title=f"{post_name}A岗",
                    )
                b_staff = self.person(
                    hall,
                    f"{base}b",
                    Role.CLERK,
                    department=department,
                    window_staff=True,
                    title=f"{post_name}B岗",
                )
                post_create(
                    actor=None, window=window, name=post_name, a_staff=a_staff, b_staff=b_staff
                )
                self.result.posts += 1

    def items(self, hall: _Hall, specs: Sequence[ItemSpec]) -> None:
        serials: dict[str, int] = {}
        for spec in specs:
            department = hall.departments[spec.department]
            serials[spec.department] = serials.get(spec.department, 0) + 1
            first_window = hall.windows[spec.windows[0][0]]
            saved = item_create(
                actor=None,
                center=hall.center,
                department=department,
                code=implementation_code(
                    hall.credits[spec.department], spec.item_type, serials[spec.department]
                ),
                name=spec.name,
                item_type=spec.item_type,
                legal_days=spec.legal_days,
                promised_days=spec.promised_days,
                joint_departments=[hall.departments[code] for code in spec.joint],
                basis=spec.basis,
                conditions=spec.conditions,
                procedure=spec.procedure or _standard_procedure(spec),
                on_the_spot=spec.on_the_spot,
                place=f"{hall.center.name}{first_window.location}{first_window.number}号窗口",
                phone=department.phone,
                online_available=spec.online_available,
                visits_required=spec.visits_required,
                deciding_level=spec.deciding_level,
                overdue_defaults_to_approval=spec.overdue_defaults_to_approval,
            )
            item = saved.item
            self.result.items += 1
            self.result.warnings.extend(f"{item.name}: {warning}" for warning in saved.warnings)
            for material in spec.materials:
                material_add(
                    actor=None,
                    item=item,
                    name=material.name,
                    is_main=material.is_main,
                    form=material.form,
                    copies=material.copies,
                    source=material.source,
                    note=material.note,
                    condition=material.condition,
                )
            for fee in spec.fees:
                fee_add(
                    actor=None,
                    item=item,
                    name=fee.name,
                    standard_amount=fee.amount,
                    standard_basis=fee.basis,
                    unit=fee.unit,
                )
            for number, authorization in spec.windows:
                item_window_set(
                    actor=None, item=item, window=hall.windows[number], authorization=authorization
                )

    # --- the demo -----------------------------------------------------------------------------

    def county(self) -> _Hall:
        hall = _Hall(center=self.center(COUNTY, None), area=COUNTY_AREA)
        self.departments(hall, DEPARTMENTS, 0)
        for login in LOGINS:
            if login.center == COUNTY_KEY:
                self.login(hall, login)
        # A second guide at the front desk, and a chief representative (首席代表) per department;
        # the `head` login represents 市场监管. Comprehensive windows have the hall's own head.
        self.person(hall, "guide2", Role.GUIDE, title="导服员")
        heads = {"SCJG": self.logins["head"]}
        for department in DEPARTMENTS:
            if department.code not in heads:
                heads[department.code] = self.person(
                    hall,
                    f"{department.code.lower()}-head",
                    Role.WINDOW_HEAD,
                    department=department.code,
                    window_staff=True,
                    title=f"首席代表（{department.short_name}）",
                )
        heads[""] = self.person(
            hall, "zh-head", Role.WINDOW_HEAD, window_staff=True, title="综合窗口负责人"
        )
        self.windows(hall, WINDOWS, prefix="", heads=heads, first_a_staff=self.logins["clerk"])
        self.items(hall, COUNTY_ITEMS)
        return hall

    def towns(self, county: Center) -> None:
        for town in TOWNS:
            hall = _Hall(center=self.center(town.center, county), area=COUNTY_AREA)
            self.departments(hall, TOWN_DEPARTMENTS, town.department_serial)
            prefix = f"t{town.center.code[-3:]}-"
            logins = [s for s in LOGINS if s.center == town.center.code]
            for spec in logins:
                self.login(hall, spec)
            if not logins:
                self.person(hall, f"{prefix}director", Role.DIRECTOR, title="便民服务中心主任")
            head = self.person(
                hall,
                f"{prefix}head",
                Role.WINDOW_HEAD,
                department="SHSW",
                window_staff=True,
                title="便民服务中心副主任（窗口负责人）",
            )
            self.windows(hall, TOWN_WINDOWS, prefix=prefix, heads={"SHSW": head})
            self.items(hall, TOWN_ITEMS)
            for village in town.villages:
                room = _Hall(center=self.center(village, hall.center), area=COUNTY_AREA)
                self.person(
                    room,
                    f"v{village.code[-6:]}",
                    Role.GUIDE,
                    title="村级全程代办员",
                )

    def town_closure(self) -> None:
        """A planned power outage closes 城关镇's center for a day (a per-center override)."""
        town = Center.objects.get(code=TOWN)
        day = _closure_day(timezone.localdate())
        center_day_set(
            actor=None,
            center_id=town.pk,
            date=day,
            kind=CenterDay.Kind.CLOSED,
            reason="计划停电（供电线路检修），暂停窗口服务一天，急办事项请到县政务服务中心办理",
        )

    def finish_logins(self) -> None:
        # Hashing is deliberately slow; every demo login shares one hash of the demo password.
        User.objects.filter(pk__in=[user.pk for user in self.logins.values()]).update(
            password=make_password(DEMO_PASSWORD), password_changed_at=timezone.now()
        )
        # The system administrator also gets Django's admin site.
        User.objects.filter(username="admin").update(is_staff=True, is_superuser=True)


def _closure_day(today: datetime.date) -> datetime.date:
    """The first national working day that is a Wednesday at least two weeks from today."""
    calendar = calendar_for(None)
    day = today + datetime.timedelta(days=14)
    while day.weekday() != 2 or not calendar.is_workday(day):
        day += datetime.timedelta(days=1)
    return day


def _standard_procedure(spec: ItemSpec) -> str:
    if spec.on_the_spot:
        return (
            "1. 申请：到窗口提交申请，或通过政务服务网在线申请；"
            "2. 受理：窗口当场审核材料；"
            "3. 办结：符合条件的当场办结、当场发证（即办件）。"
        )
    accept = (
        "2. 受理：材料齐全、符合法定形式的出具受理通知书；材料不全的一次性告知需要补正的全部内容；"
    )
    if spec.deciding_level:
        level = LEVEL_NAMES.get(spec.deciding_level, spec.deciding_level)
        return (
            "1. 申请：到窗口提交申请材料；"
            + accept
            + f"3. 初审转报：窗口初审后报{level}主管部门审查决定；"
            "4. 送达：结果返回后通知申请人到窗口领取或免费邮寄送达。"
        )
    review = "3. 审查：现场核查并审查材料；" if spec.inspection else "3. 审查：审查申请材料；"
    return (
        "1. 申请：到窗口或通过政务服务网在线提交申请；"
        + accept
        + review
        + "4. 决定：在承诺时限内作出决定；"
        + "5. 送达：窗口领取或免费邮寄送达。"
    )


def load_demo() -> LoadResult:
    """Load the demo hall unless it is already there (then nothing changes)."""
    loader = _Loader()
    with transaction.atomic():
        if demo_is_loaded():
            return LoadResult(loaded=False)
        county = loader.county()
        loader.towns(county.center)
        loader.town_closure()
        loader.finish_logins()
    return loader.result


def login_rows() -> list[tuple[str, str, str, str]]:
    """(role, username, center, job title) of every demo login, in the order of LOGINS."""
    center_names = {COUNTY_KEY: COUNTY.name} | {t.center.code: t.center.name for t in TOWNS}
    return [
        (str(spec.role.label), spec.username, center_names[spec.center], spec.title)
        for spec in LOGINS
    ]
