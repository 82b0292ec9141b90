# ruff: noqa: E501  (data: long Chinese texts read better unwrapped)
"""Demo cases (办件): about fifty cases in the demo county and two of its towns, in every state.

Every case is made the way a real one is: `case_receive` / `case_submit_online` at intake, then
`case_act` for each later step, and the joint, fee and notice services — never by writing rows.
Each step runs at a moment in the past (N working days before today, on the center's calendar):
the engine gets it as `at=`, and the rest of the code (event log, joint task completion, notice
confirmation, outbox) reads it from a clock set back for the duration of the step. So the clock
of each case, its events and its notices agree, and the lists show every colour of urgency:
cases due in a few days, due tomorrow, due today and overdue.

Loading is idempotent: each case carries the idempotency key `demo-case:<key>`, and a case whose
key is already there is skipped with all its steps. Each step commits on its own, so the SMS of
a step goes to the outbox at the step's moment.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import Case, JointTask, Notice
from govhall.cases.queries.reuse import reuse_offers
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.fees import case_fee_record
from govhall.cases.services.intake import (
    ApplicantData,
    MaterialCheck,
    Outcome,
    case_receive,
    case_submit_online,
)
from govhall.cases.services.joint import (
    joint_meeting_record,
    joint_proposal_submit,
    joint_task_complete,
)
from govhall.cases.services.notices import notice_confirm
from govhall.cases.statuses import TaskStatus
from govhall.catalog.models import FeeItem, ServiceItem
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.cli.demo.people import TOWN as PEOPLE_TOWN
from govhall.cli.demo.people import person_name
from govhall.core.idnumbers import id_check_character, uscc_check_character
from govhall.core.models import User
from govhall.core.roles import Role, roles_of
from govhall.org.models import Center, Department, Window
from govhall.org.services.staff import staff_create
from govhall.workdays.queries.calendar import calendar_for
from govhall.workdays.queries.work_calendar import WorkCalendar

KEY_PREFIX = "demo-case:"
TOWN = PEOPLE_TOWN  # 城关镇便民服务中心
TOWN2 = "330100102"  # 青山镇便民服务中心

# --- people the cases need besides the demo hall's staff -------------------------------------


@dataclass(frozen=True)
class BackOfficeSpec:
    username: str
    role: Role
    department: str
    full_name: str
    title: str


# Back-office reviewers and approvers of departments whose demo cases go to the back office
# (市场监管 has its own: the `reviewer` and `approver` logins), and the API service account of
# 市场监管's approval system (`govhall api_token create --user dept-system --name …`). Like every
# demo account that is not one of the listed logins, they have no usable password.
BACK_OFFICE = (
    BackOfficeSpec("zrgh-reviewer", Role.REVIEWER, "ZRGH", "冯建明", "后台审核（自然资源和规划）"),
    BackOfficeSpec("zrgh-approver", Role.APPROVER, "ZRGH", "蒋立华", "审批科长（自然资源和规划）"),
    BackOfficeSpec("bdc-approver", Role.APPROVER, "BDC", "韩雪梅", "登记审核岗（不动产）"),
)
SYSTEM_ACCOUNT = BackOfficeSpec(
    "dept-system", Role.APPROVER, "SCJG", "市场监管审批系统", "部门业务系统接口账号"
)

# --- applicants -------------------------------------------------------------------------------

ENTERPRISES = (
    "示例县青禾餐饮管理有限公司",
    "示例县明德商贸有限公司",
    "示例县绿源农产品专业合作社",
    "示例县恒泰建设工程有限公司",
    "示例县仁和大药房有限公司",
    "示例县丰收食品有限公司",
    "示例县安达物流有限公司",
    "示例县云帆信息技术有限公司",
    "示例县金穗米业有限公司",
    "示例县康宁医疗器械有限公司",
    "示例县新城置业有限公司",
    "示例县百味轩餐饮店",
)


def person(serial: int) -> ApplicantData:
    """A citizen with a valid ID number (GB 11643) and a mobile phone."""
    birth = datetime.date(1958, 3, 1) + datetime.timedelta(days=serial * 397)
    first17 = f"330100{birth:%Y%m%d}{100 + serial:03d}"
    return ApplicantData(
        kind="person",
        name=person_name(300 + serial),
        id_number=first17 + id_check_character(first17),
        phone=f"1{(serial % 7) + 3}{serial * 7919 % 1_000_000_000:09d}",
    )


def enterprise(serial: int) -> ApplicantData:
    """An enterprise with a valid unified social credit code (GB 32100)."""
    body = f"91330100MA{2800 + serial:04d}K{serial % 10}X"
    body = body[:17]
    representative = person_name(400 + serial)
    return ApplicantData(
        kind="enterprise",
        name=ENTERPRISES[serial % len(ENTERPRISES)],
        id_number=body + uscc_check_character(body),
        phone=f"139{serial * 104_729 % 100_000_000:08d}",
        legal_representative=representative,
        contact_name=person_name(450 + serial),
    )


# --- the cases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Act:
    """One step after intake, `day` working days before today.

    `action` is a case action (see `govhall.cases.case_transitions.Action`) or one of: "task"
    (a joint review task of department `params["department"]` is completed), "proposal" (the lead
    window's joint-handling proposal to the director), "meeting" (the
    director records a joint review meeting), "fee" (a fee is recorded), "confirm" (the
    applicant signs the latest notice of kind `params["kind"]`). `by` is a username; empty means
    the clerk of the case's window.
    """

    action: str
    day: int
    by: str = ""
    params: dict[str, Any] = field(default_factory=dict)
    note: str = ""


@dataclass(frozen=True)
class CaseSpec:
    key: str
    item: str
    window: int  # window number in the center
    day: int  # received this many working days before today
    applicant: ApplicantData
    outcome: str = Outcome.PROMISED  # an Outcome value, or "online" (submitted online)
    center: str = COUNTY_CODE
    missing: tuple[str, ...] = ()  # materials not brought (name prefixes)
    pending: tuple[str, ...] = ()  # green channel: materials accepted as pending
    # Issue 17 item 2: conditional materials whose condition does not apply (name prefixes),
    # and materials reused from the applicant's verified earlier case (listed before this one).
    not_applicable: tuple[str, ...] = ()
    reused: tuple[str, ...] = ()
    reason: str = ""
    basis: str = ""
    acts: tuple[Act, ...] = ()
    by: str = ""  # who receives it; empty: the window's clerk


FOOD = "食品经营许可"
FOOD_FILING = "食品经营备案（仅销售预包装食品）"
FOOD_PRODUCTION = "食品生产许可（低风险食品）"
PHARMACY = "药品零售企业许可"
EQUIPMENT = "特种设备使用登记"
COMPANY = "有限责任公司设立登记"
COMPANY_CHANGE = "公司变更登记"
COMPANY_CLOSE = "公司注销登记（含简易注销）"
SOLE_TRADER = "个体工商户设立登记"
OPENING = "企业开办（设立登记、公章刻制、发票申领“一件事”）"
AGENT = "授权委托书"
# Limited authorization: the window forwards, the back office reviews (后台审核), the chief approves.
MEDICAL_DEVICE = "第三类医疗器械经营许可"

FOOD_RETURN_BASIS = "《中华人民共和国行政许可法》第三十二条；《食品生产许可管理办法》第十五条"
DENY_BASIS = "《药品经营和使用质量监督管理办法》第十五条；《药品经营质量管理规范》"


def _certificate(number: str) -> dict[str, Any]:
    return {"certificate_number": number}


CASES: tuple[CaseSpec, ...] = (
    # --- intake outcomes: supplement (补办件), returned (退回件), online, pre-review ------------
    CaseSpec(
        "supplement-food",
        FOOD,
        3,
        2,
        person(1),
        Outcome.SUPPLEMENT,
        missing=(AGENT,),
        acts=(Act("confirm", 2, params={"kind": "one_time"}),),
    ),
    CaseSpec(
        "supplement-company-change",
        COMPANY_CHANGE,
        2,
        0,
        enterprise(1),
        Outcome.SUPPLEMENT,
        missing=(AGENT,),
    ),
    CaseSpec(
        "supplement-medical",
        "医疗费用手工（零星）报销",
        13,
        3,
        person(2),
        Outcome.SUPPLEMENT,
        missing=("本人社会保障卡",),
    ),
    CaseSpec(
        "supplement-then-accepted",
        FOOD,
        3,
        4,
        enterprise(2),
        Outcome.SUPPLEMENT,
        missing=(AGENT,),
        acts=(Act("receive_supplement", 2), Act("accept", 2)),
    ),
    # Online; the one-time notice came 6 working days after receipt, so the clock runs from the
    # day of receipt (行政许可法 §32) and the case is overdue today. Its acceptance notice still
    # never promised the past: 7 promised working days from receipt end on the acceptance day
    # (with FOOD's 3 days a late notice always would, and the clerk is warned of that).
    CaseSpec(
        "late-notice",
        "建设工程规划许可证核发",
        7,
        8,
        enterprise(3),
        "online",
        missing=("设计方案审查意见",),
        acts=(
            Act("prereview_pass", 7),
            Act("request_supplement", 2),
            Act("receive_supplement", 1),
            Act("accept", 1, params={"kind": "promised"}),
        ),
    ),
    CaseSpec(
        "returned",
        FOOD_PRODUCTION,
        3,
        3,
        enterprise(4),
        Outcome.RETURNED,
        missing=("食品生产主要设备",),
        reason="申请人未能提供食品生产主要设备、设施清单，且生产场所尚未完成装修，不具备申请条件。",
        basis=FOOD_RETURN_BASIS,
        acts=(Act("confirm", 3, params={"kind": "not_accepted"}),),
    ),
    CaseSpec(
        "supplement-company",
        COMPANY,
        1,
        1,
        enterprise(33),
        Outcome.SUPPLEMENT,
        missing=(AGENT,),
        acts=(Act("confirm", 1, params={"kind": "one_time"}),),
    ),
    CaseSpec("online-company-change", COMPANY_CHANGE, 2, 0, enterprise(5), "online"),
    CaseSpec("online-company", COMPANY, 1, 0, enterprise(34), "online"),
    CaseSpec("online-food", FOOD, 3, 1, enterprise(6), "online"),
    CaseSpec(
        "prereview-returned",
        COMPANY,
        1,
        4,
        enterprise(7),
        "online",
        acts=(
            Act(
                "prereview_return",
                3,
                params={
                    "reason": "上传的公司章程缺少全体股东签字页，请补充后重新提交。",
                    "basis": "《中华人民共和国市场主体登记管理条例实施细则》第二十六条",
                },
            ),
        ),
    ),
    # --- accepted, at the window (partial authorization: the window reviews next) -------------
    CaseSpec(
        "accepted-food",
        FOOD,
        3,
        1,
        enterprise(8),
        acts=(Act("confirm", 1, params={"kind": "acceptance"}),),
    ),
    CaseSpec("accepted-food-near", FOOD, 3, 2, enterprise(9)),
    CaseSpec("accepted-food-due-today", FOOD, 3, 3, enterprise(10)),
    CaseSpec("accepted-equipment-overdue", EQUIPMENT, 3, 7, enterprise(11)),
    CaseSpec("accepted-company", COMPANY, 1, 0, enterprise(12)),
    CaseSpec(
        "green-channel",
        FOOD,
        3,
        1,
        enterprise(13),
        pending=("营业执照",),
    ),
    # --- back office: awaiting approval ------------------------------------------------------
    CaseSpec(
        "awaiting-approval",
        FOOD_PRODUCTION,
        3,
        3,
        enterprise(14),
        acts=(Act("review", 2, note="材料齐全，现场核查符合要求，拟同意许可。"),),
    ),
    CaseSpec(
        "approval-overdue",
        PHARMACY,
        3,
        9,
        enterprise(15),
        acts=(Act("review", 5, note="经营场所、仓储设施符合要求，拟同意。"),),
    ),
    CaseSpec(
        "approval-due-today",
        COMPANY_CLOSE,
        2,
        1,
        enterprise(16),
        acts=(Act("review", 1, note="清算报告完整，拟准予注销登记。"),),
    ),
    CaseSpec(
        "extended",
        FOOD_PRODUCTION,
        3,
        6,
        enterprise(17),
        acts=(
            Act("review", 5, note="需组织现场核查。"),
            Act(
                "extend",
                2,
                by="approver",
                params={
                    "days": 5,
                    "reason": "需组织专家对生产场所进行现场核查，依法延长审查期限。",
                },
            ),
            Act("confirm", 2, params={"kind": "extension"}),
        ),
    ),
    CaseSpec(
        "suspended",
        PHARMACY,
        3,
        10,
        enterprise(18),
        acts=(
            Act("review", 9, note="材料齐全，待现场核查。"),
            Act(
                "suspend",
                6,
                by="approver",
                params={
                    "reason": "inspection",
                    "note": "经营场所和仓库实地检查，申请人整改期间暂停计时。",
                },
            ),
        ),
    ),
    # Suspended for 4 working days and resumed: both deadlines moved by 4 working days.
    CaseSpec(
        "resumed",
        EQUIPMENT,
        3,
        9,
        enterprise(19),
        acts=(
            Act(
                "suspend",
                8,
                params={"reason": "testing", "note": "等待特种设备检验机构出具定期检验报告。"},
            ),
            Act("resume", 4),
            Act("review", 3, note="检验报告合格，拟同意登记。"),
        ),
    ),
    # --- decided, delivered, archived --------------------------------------------------------
    CaseSpec(
        "certificate-ready",
        FOOD,
        3,
        8,
        enterprise(20),
        acts=(
            Act("confirm", 8, params={"kind": "acceptance"}),
            Act("review", 7, note="符合食品经营许可条件。"),
            Act("approve", 5, by="approver", note="同意许可。"),
            Act("make_certificate", 5, params=_certificate("JY23301000012045")),
            Act("confirm", 5, params={"kind": "decision"}),
        ),
    ),
    CaseSpec(
        "delivered-archived",
        FOOD,
        3,
        14,
        enterprise(21),
        acts=(
            Act("review", 13, note="符合条件。"),
            Act("approve", 12, by="approver", note="同意许可。"),
            Act("make_certificate", 12, params=_certificate("JY23301000011872")),
            Act("deliver", 11, params={"method": "pickup"}),
            Act("archive", 10),
        ),
    ),
    CaseSpec(
        "delivered-express",
        COMPANY_CHANGE,
        2,
        6,
        enterprise(22),
        acts=(
            Act("review", 6, note="变更事项符合规定。"),
            Act("approve", 5, by="approver", note="准予变更登记。"),
            Act("make_certificate", 5),
            Act("deliver", 4, params={"method": "express", "tracking_number": "SF1402345678901"}),
        ),
    ),
    CaseSpec(
        "denied",
        PHARMACY,
        3,
        15,
        enterprise(23),
        acts=(
            Act("review", 12, note="现场核查发现质量管理体系不健全。"),
            Act(
                "deny",
                10,
                by="approver",
                params={
                    "reason": "经现场核查，企业未配备依法经过资格认定的执业药师，质量管理文件不符合要求。",
                    "basis": DENY_BASIS,
                },
            ),
        ),
    ),
    CaseSpec(
        "immediate-delivered",
        SOLE_TRADER,
        1,
        0,
        person(3),
        Outcome.IMMEDIATE,
        acts=(
            Act("make_certificate", 0, params=_certificate("92330100MA2J8Q4K7P")),
            Act("deliver", 0, params={"method": "pickup"}),
        ),
    ),
    CaseSpec("immediate-approved", SOLE_TRADER, 1, 1, person(4), Outcome.IMMEDIATE),
    CaseSpec(
        "immediate-filing",
        FOOD_FILING,
        3,
        2,
        person(16),
        Outcome.IMMEDIATE,
        acts=(Act("make_certificate", 2), Act("deliver", 1, params={"method": "pickup"})),
    ),
    # --- transfer, withdrawal, voiding -------------------------------------------------------
    CaseSpec(
        "transferred",
        COMPANY,
        2,
        1,
        enterprise(24),
        acts=(Act("transfer", 1, params={"window": 1}),),
    ),
    CaseSpec(
        "withdrawn",
        COMPANY_CLOSE,
        2,
        5,
        enterprise(25),
        acts=(Act("withdraw", 4, params={"reason": "申请人主动撤回申请，企业决定继续经营。"}),),
    ),
    CaseSpec(
        "voided",
        COMPANY,
        1,
        2,
        enterprise(26),
        acts=(
            Act("void", 2, by="director", params={"reason": "窗口重复录入同一申请，作废重复件。"}),
        ),
    ),
    # --- joint cases (联办件) ------------------------------------------------------------------
    # 公安's review task is overdue; the director called a joint review meeting.
    CaseSpec(
        "joint-overdue-task",
        OPENING,
        1,
        3,
        enterprise(27),
        Outcome.JOINT,
        acts=(
            Act("confirm", 3, params={"kind": "joint"}),
            Act(
                "task",
                2,
                by="sw-head",
                params={"department": "SW", "opinion": "已核定发票种类和数量，同意。"},
            ),
            Act(
                "proposal",
                1,
                params={
                    "text": "拟请公安窗口负责人于今日内完成印章刻制备案审查；如仍未完成，"
                    "请大厅主任召集市场监管、税务、公安窗口负责人召开联审会议。"
                },
            ),
            Act(
                "meeting",
                1,
                by="director",
                params={
                    "participants": "王建国（大厅主任）、刘志强（市场监管首席代表）、税务、公安窗口负责人",
                    "conclusions": "公安印章刻制备案因系统升级延误，公安窗口于明日前完成审查；其余环节已办结。",
                },
            ),
        ),
    ),
    CaseSpec("joint-open", OPENING, 1, 0, enterprise(28), Outcome.JOINT),
    CaseSpec(
        "joint-delivered",
        OPENING,
        1,
        5,
        enterprise(29),
        Outcome.JOINT,
        acts=(
            Act(
                "task",
                5,
                by="sw-head",
                params={"department": "SW", "opinion": "同意，已发放税务UKey。"},
            ),
            Act(
                "task",
                4,
                by="ga-head",
                params={"department": "GA", "opinion": "印章刻制备案完成。"},
            ),
            Act("approve", 4, note="各部门意见一致，准予设立登记。"),
            Act("make_certificate", 4, params=_certificate("91330100MA2H7Q5X3B")),
            Act("deliver", 3, params={"method": "pickup"}),
        ),
    ),
    CaseSpec(
        "joint-construction",
        "建筑工程施工许可证核发",
        14,
        2,
        enterprise(30),
        Outcome.JOINT,
    ),
    CaseSpec(
        "joint-property",
        "国有建设用地使用权及房屋所有权转移登记（二手房买卖）",
        4,
        2,
        person(5),
        Outcome.JOINT,
        acts=(
            Act(
                "fee",
                2,
                params={
                    "fee": "不动产登记费（住宅）",
                    "quantity": 1,
                    "receipt": "FS330100-2026-004187",
                },
            ),
            Act(
                "fee",
                2,
                params={
                    "fee": "不动产权证书工本费（每增加一本）",
                    "quantity": 1,
                    "receipt": "FS330100-2026-004188",
                },
            ),
            Act(
                "task",
                1,
                by="sw-head",
                params={"department": "SW", "opinion": "契税、增值税已完税。"},
            ),
        ),
    ),
    # --- other departments --------------------------------------------------------------------
    CaseSpec(
        "property-certificate",
        "不动产权证书补证、换证",
        5,
        3,
        person(6),
        acts=(
            Act(
                "fee",
                3,
                params={
                    "fee": "不动产权证书工本费",
                    "quantity": 1,
                    "receipt": "FS330100-2026-004102",
                },
            ),
            Act("review", 2, note="遗失声明已公告期满，拟同意补证。"),
        ),
    ),
    CaseSpec(
        "planning-in-review",
        "建设工程规划许可证核发",
        7,
        4,
        enterprise(31),
        acts=(Act("forward", 4, note="材料齐全，转自然资源和规划局后台审查。"),),
    ),
    CaseSpec(
        "planning-approval-overdue",
        "建设用地规划许可证核发",
        7,
        6,
        enterprise(32),
        acts=(
            Act("forward", 6),
            Act("review", 3, by="zrgh-reviewer", note="符合控制性详细规划，拟同意核发。"),
        ),
    ),
    # --- 后台审核 at 市场监管 (issue 17 item 13): the `reviewer` and `approver` logins' work ----
    CaseSpec(
        "device-in-review",
        MEDICAL_DEVICE,
        3,
        3,
        enterprise(35),
        not_applicable=(AGENT,),  # the legal representative applied in person
        acts=(Act("forward", 2, note="材料齐全，转市场监管局后台审核。"),),
    ),
    CaseSpec(
        "device-awaiting-approval",
        MEDICAL_DEVICE,
        3,
        6,
        enterprise(36),
        acts=(
            Act("forward", 5, note="材料齐全，转市场监管局后台审核。"),
            Act("review", 2, by="reviewer", note="现场核查合格，质量管理制度健全，拟同意许可。"),
        ),
    ),
    CaseSpec(
        "device-approved",
        MEDICAL_DEVICE,
        3,
        9,
        enterprise(37),
        not_applicable=(AGENT,),
        acts=(
            Act("forward", 8),
            Act("review", 5, by="reviewer", note="符合第三类医疗器械经营条件。"),
            Act("approve", 3, by="approver", note="同意许可。"),
        ),
    ),
    # The same enterprise applies again: its 营业执照 is reused from the verified case above.
    CaseSpec(
        "device-holder-food",
        FOOD,
        3,
        1,
        enterprise(37),
        not_applicable=(AGENT,),
        reused=("营业执照",),
    ),
    CaseSpec(
        "passport",
        "普通护照签发",
        10,
        2,
        person(7),
        acts=(
            Act(
                "fee",
                2,
                params={"fee": "普通护照工本费", "quantity": 1, "receipt": "GA330100-2026-118304"},
            ),
        ),
    ),
    CaseSpec("housing-loan-near", "住房公积金个人住房贷款", 20, 4, person(8)),
    CaseSpec("subsistence", "最低生活保障审核确认", 15, 5, person(9)),
    CaseSpec("pension-overdue", "城乡居民基本养老保险待遇申领", 11, 6, person(10)),
    # --- towns: escalated to the county (上报件) ---------------------------------------------
    CaseSpec(
        "town-escalated",
        "农村最低生活保障申请",
        1,
        3,
        person(11),
        Outcome.ESCALATED,
        center=TOWN,
    ),
    CaseSpec(
        "town-escalation-closed",
        "残疾人证申领（受理转报）",
        1,
        12,
        person(12),
        Outcome.ESCALATED,
        center=TOWN,
        acts=(
            Act(
                "receive_result",
                2,
                by="director",
                params={
                    "result": "经县残疾人联合会审核，符合残疾人证核发条件，已核发第二代残疾人证（肢体三级）。",
                    "approved": True,
                },
            ),
        ),
    ),
    CaseSpec(
        "town2-escalated",
        "特困人员救助供养申请",
        1,
        1,
        person(13),
        Outcome.ESCALATED,
        center=TOWN2,
    ),
    CaseSpec("town-accepted", "高龄津贴申领", 1, 2, person(14), center=TOWN),
    CaseSpec(
        "town-immediate",
        "城乡居民基本医疗保险参保登记（乡镇）",
        1,
        0,
        person(15),
        Outcome.IMMEDIATE,
        center=TOWN,
        acts=(Act("make_certificate", 0), Act("deliver", 0, params={"method": "pickup"})),
    ),
)


# --- loading ----------------------------------------------------------------------------------


@dataclass
class CasesResult:
    cases: int = 0  # created now
    staff: int = 0  # accounts created now
    skipped: str = ""  # why nothing was loaded, when the database cannot take the cases


@contextmanager
def _moment(at: datetime.datetime) -> Iterator[None]:
    """Run one step at `at`: Django's clock reads `at` meanwhile, and the step commits alone."""
    real_now = timezone.now
    timezone.now = lambda: at
    try:
        with transaction.atomic():
            yield
    finally:
        timezone.now = real_now


class _Loader:
    def __init__(self, county: Center) -> None:
        self.county = county
        self.result = CasesResult()
        self.real_now = timezone.now()
        self.users: dict[str, User] = {}
        self.centers = {
            c.code: c for c in Center.objects.filter(code__in=[COUNTY_CODE, TOWN, TOWN2])
        }

    # --- lookups ---

    def user(self, username: str) -> User:
        if username not in self.users:
            self.users[username] = User.objects.get(username=username)
        return self.users[username]

    def clerk_of(self, center: Center, window: int) -> str:
        """The A staff of the window's first post (window 1 of the county: the `clerk` login)."""
        if center.code == COUNTY_CODE:
            return "clerk" if window == 1 else f"w{window:02d}-1a"
        return f"t{center.code[-3:]}-w{window:02d}-1a"

    def calendar(self, center: Center) -> WorkCalendar:
        return calendar_for(center.pk)

    def day(self, center: Center, working_days_ago: int) -> datetime.date:
        calendar = self.calendar(center)
        today = timezone.localdate(self.real_now)
        base = today if calendar.is_workday(today) else calendar.subtract_workdays(today, 1)
        return calendar.subtract_workdays(base, working_days_ago) if working_days_ago else base

    def at(
        self, center: Center, working_days_ago: int, minutes: int, after: datetime.datetime | None
    ) -> datetime.datetime:
        """A moment in office hours of that day, after `after`, never in the future."""
        start = datetime.datetime.combine(
            self.day(center, working_days_ago),
            datetime.time(9, 0),
            tzinfo=timezone.get_current_timezone(),
        )
        moment = start + datetime.timedelta(minutes=minutes)
        if after is not None and moment <= after:
            moment = after + datetime.timedelta(minutes=25)
        return min(moment, self.real_now - datetime.timedelta(minutes=1))

    # --- people ---

    def back_office(self) -> None:
        for spec in (*BACK_OFFICE, SYSTEM_ACCOUNT):
            if User.objects.filter(username=spec.username).exists():
                continue
            staff_create(
                actor=None,
                center=self.county,
                username=spec.username,
                full_name=spec.full_name,
                roles=[spec.role],
                department=Department.objects.get(center=self.county, code=spec.department),
                title=spec.title,
            )
            self.result.staff += 1

    # --- one case ---

    def load(self, index: int, spec: CaseSpec) -> None:
        key = KEY_PREFIX + spec.key
        if Case.objects.filter(idempotency_key=key).exists():
            return
        center = self.centers[spec.center]
        item = ServiceItem.objects.get(center=center, name=spec.item)
        window = Window.objects.get(center=center, number=spec.window)
        clerk = spec.by or self.clerk_of(center, spec.window)
        at = self.at(center, spec.day, 10 + (index * 17) % 90, None)
        offers = (
            reuse_offers(id_number=spec.applicant.id_number, materials=item.materials.all(), now=at)
            if spec.reused
            else {}
        )
        checks = []
        for material in item.materials.all():
            missing = any(material.name.startswith(name) for name in spec.missing)
            pending = any(material.name.startswith(name) for name in spec.pending)
            excused = any(material.name.startswith(name) for name in spec.not_applicable)
            offer = offers.get(material.pk)
            reused = offer is not None and any(
                material.name.startswith(name) for name in spec.reused
            )
            checks.append(
                MaterialCheck(
                    material_id=material.pk,
                    received=not (missing or pending or excused or reused),
                    form=material.form,
                    copies=material.copies,
                    pending=pending,
                    not_applicable=excused,
                    reused_from=offer.case_id if offer is not None and reused else None,
                )
            )
        with _moment(at):
            if spec.outcome == "online":
                case, _created = case_submit_online(
                    actor=self.user(SYSTEM_ACCOUNT.username),
                    item=item,
                    applicant=spec.applicant,
                    materials=checks,
                    idempotency_key=key,
                    at=at,
                )
            else:
                pending_due = None
                if spec.pending:
                    pending_due = self.calendar(center).add_workdays(timezone.localdate(at), 3)
                case = case_receive(
                    actor=self.user(clerk),
                    item=item,
                    window=window,
                    applicant=spec.applicant,
                    materials=checks,
                    outcome=spec.outcome,
                    green_channel=bool(spec.pending),
                    pending_due_on=pending_due,
                    reason=spec.reason,
                    basis=spec.basis,
                    idempotency_key=key,
                    at=at,
                )
        for act in spec.acts:
            at = self.at(center, act.day, 60 + (index * 13) % 240, at)
            with _moment(at):
                case = self.act(case, act, center, clerk, at)
        self.result.cases += 1

    def act(self, case: Case, act: Act, center: Center, clerk: str, at: datetime.datetime) -> Case:
        actor = self.user(act.by or clerk)
        if act.action == "task":
            task = JointTask.objects.get(
                case=case, department__code=act.params["department"], status=TaskStatus.OPEN
            )
            joint_task_complete(actor=actor, task=task, opinion=act.params["opinion"], agrees=True)
            return case
        if act.action == "proposal":
            joint_proposal_submit(actor=actor, case=case, text=act.params["text"])
            return case
        if act.action == "meeting":
            joint_meeting_record(
                actor=actor,
                case=case,
                held_at=at - datetime.timedelta(minutes=20),
                participants=act.params["participants"],
                conclusions=act.params["conclusions"],
            )
            return case
        if act.action == "fee":
            fee = FeeItem.objects.get(item=case.item, name=act.params["fee"])
            quantity = act.params["quantity"]
            case_fee_record(
                actor=actor,
                case=case,
                fee_item=fee,
                quantity=quantity,
                amount=Decimal(fee.standard_amount) * quantity,
                receipt_number=act.params["receipt"],
            )
            return case
        if act.action == "confirm":
            notice = Notice.objects.filter(case=case, kind=act.params["kind"]).latest("issued_at")
            notice_confirm(actor=actor, notice=notice, confirmed_by_name=case.applicant.name)
            return case
        return case_act(
            actor=actor,
            case=case,
            action=act.action,
            note=act.note,
            params=action_params(act.action, self.params(case, act, center)),
            at=at,
        )

    def params(self, case: Case, act: Act, center: Center) -> dict[str, Any]:
        params = dict(act.params)
        missing = case.materials.filter(
            received=False, pending=False, not_applicable=False
        ).values_list("pk", flat=True)
        if act.action == "request_supplement":
            params["missing"] = list(missing)
        elif act.action == "receive_supplement":
            params["received"] = list(missing)
        elif act.action == "transfer":
            params["window_id"] = Window.objects.get(center=center, number=params.pop("window")).pk
        elif act.action == "deliver":
            params["recipient_name"] = case.applicant.name
            if params["method"] == "pickup":
                params["id_last4"] = case.applicant.id_number[-4:]
        return params


def demo_cases_loaded() -> bool:
    keys = [KEY_PREFIX + spec.key for spec in CASES]
    return Case.objects.filter(idempotency_key__in=keys).count() == len(keys)


def load_demo_cases() -> CasesResult:
    """Add the demo cases that are not there yet (nothing when the demo hall is missing)."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    if county is None or demo_cases_loaded():
        return CasesResult()
    if not roles_of(User.objects.get(username="clerk")):
        # The role groups come with the migrations; without them every step would be refused.
        return CasesResult(skipped=_("the staff have no roles (the database is not migrated)"))
    loader = _Loader(county)
    with transaction.atomic():
        loader.back_office()
    # The SMS of the demo cases go to the outbox; a log line for each would drown the output.
    notify_log = logging.getLogger("govhall.notify")
    level = notify_log.level
    notify_log.setLevel(max(level, logging.WARNING))
    try:
        for index, spec in enumerate(CASES):
            loader.load(index, spec)
    finally:
        notify_log.setLevel(level)
    return loader.result


__all__ = ["CASES", "KEY_PREFIX", "CaseSpec", "CasesResult", "demo_cases_loaded", "load_demo_cases"]
