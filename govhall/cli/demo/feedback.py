"""The demo citizens' voice (群众评议, issue 15): the hall shows it at work as soon as it is loaded.

Ratings (好差评):
- About a month of ratings at the county's windows 1 (the `clerk` login), 2 and 3 (`w03-1a`):
  the finished tickets of the past working days (the window screen) and the delivered demo
  cases, plus some thirty 即办件 finished here through the case services (`case_receive`,
  `case_act`) on the working days of the last month, each rated when delivered — mostly
  非常满意/满意, a few 基本满意, and four 差评 whose follow-up is in each state, as the `head`
  login (head of windows 1–3) and the `director` see them:
  one OPEN with a phone and overdue for its call-back (the scan raises rating_overdue);
  one VERIFIED and found justified at level 1 (the staff fact "rated most unsatisfactory");
  one called back, found not justified and APPEALED as mistaken, awaiting the `director`;
  one CLOSED: called back, rectified, told, and rated again (非常满意) by the citizen.
- The cases delivered on the last working day are left unrated: the SMS invitation task
  (`rating_invitations_send`) picks them.
- A rating screen (评价器) on county window 1 with a live pairing code (valid
  GOVHALL_RATING_SCREEN_PAIRING_MINUTES after the load; the `director` issues a new one).

Complaints (投诉, handled by the `supervisor` login): a web complaint of the previous working day
still open (due, then overdue); one assigned to 市场监管 (交办单) and replied by the `leader`; one
verified against the `clerk` (the complaint_verified alert, −2 points); one handled on the spot;
one anonymous, answered and closed.

Petitions (信访, handled by the `director`): a collective visit of 12 people with 5
representatives (the petition_major alert to the leaders), linked to the director's next
reception day (领导接访日); a real-name accusation assigned to 市场监管 (the petitioner hidden from
the department); an accepted petition with its one extension; one closed with a 复查 open.

12345 work orders: the hotline platform's account (GOVHALL_HOTLINE_USERNAME, a staff record at the
county and no role; no token is made — `govhall api_token create --user hotline12345 --name
12345` makes one); one order received without a department (management routes it); one signed
and due today; one replied, waiting for the hotline's return visit; one closed after a
dissatisfied return visit and a second reply (发回重办). GOVHALL_HOTLINE_WEBHOOK_URL is left unset,
so the webhook deliveries stay pending (the workbench lists them).

Suggestion box and message book: eight entries over two months, most public with the
director's replies, one overdue (the suggestion_overdue alert), one typed from paper. The
`social` login is appointed social supervisor (行风监督员) with a mystery-shopping record the
director answered and an opinion still unanswered. The quarterly survey is open with twenty
answers; the previous quarter's is closed.

Made only through the feedback, case, staff and org services, at moments in the past (the
services' `at=`/`now=`, or a clock set back for the step like the demo cases), never by writing
rows (the hotline account through `hotline_account_set`). Loading is idempotent: nothing is
added when the county already has a rating, complaint, petition, work order or suggestion.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from govhall.cases.models import Case
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.intake import MaterialCheck, Outcome, case_receive
from govhall.cases.statuses import CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.cli.demo.cases import person
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.cli.demo.people import person_name
from govhall.core.idnumbers import uscc_check_character
from govhall.core.models import User
from govhall.feedback.models import (
    Complaint,
    Petition,
    Rating,
    Suggestion,
    SurveyStatus,
    WorkOrder,
)
from govhall.feedback.models.complaints import (
    ComplaintChannel,
    ComplaintComplexity,
    ComplaintFinding,
    ComplaintTarget,
    ToldVia,
)
from govhall.feedback.models.petitions import PetitionChannel, PetitionReviewKind
from govhall.feedback.models.ratings import BadRatingReason, RatingChannel
from govhall.feedback.models.suggestions import SuggestionChannel, SuggestionKind
from govhall.feedback.models.supervisors import QuestionKind, SupervisorVisitKind
from govhall.feedback.models.workorders import WorkOrderKind, WorkOrderSource
from govhall.feedback.services.complaints import (
    complaint_answer,
    complaint_assign,
    complaint_close,
    complaint_register,
    complaint_reply,
    complaint_submit_public,
    complaint_tell,
)
from govhall.feedback.services.hotline_account import hotline_account_set
from govhall.feedback.services.petitions import (
    petition_accept,
    petition_close,
    petition_extend,
    petition_register,
    petition_request_review,
    reception_receive,
    reception_schedule,
)
from govhall.feedback.services.rating_follow_up import (
    rating_appeal,
    rating_call_back,
    rating_rectify,
    rating_tell,
)
from govhall.feedback.services.rating_screens import (
    rating_screen_create,
    rating_screen_issue_code,
)
from govhall.feedback.services.ratings import CASE, TICKET, occasion_of, rating_give
from govhall.feedback.services.suggestions import suggestion_receive, suggestion_reply
from govhall.feedback.services.supervisors import (
    supervisor_appoint,
    supervisor_visit_record,
    supervisor_visit_respond,
)
from govhall.feedback.services.surveys import field_name, survey_act, survey_answer, survey_create
from govhall.feedback.services.work_orders import (
    work_order_receive,
    work_order_reply,
    work_order_return_visit,
    work_order_sign,
)
from govhall.frontdesk.models import Ticket, TicketStatus
from govhall.org.models import Center, Department, Window
from govhall.workdays.queries.calendar import calendar_for

KEY_PREFIX = "demo-feedback:"
RATED_WINDOWS = (1, 2, 3)
MONTH_WORKING_DAYS = 22
# The 即办件 finished here: (item, window, the window's clerk).
SOLE_TRADER = ("个体工商户设立登记", 1, "clerk")
FOOD_FILING = ("食品经营备案（仅销售预包装食品）", 3, "w03-1a")
# The levels of the good ratings, in turn: mostly 非常满意/满意, now and then 基本满意.
LEVELS = (5, 5, 4, 5, 4, 5, 5, 3, 5, 4, 5, 5, 4, 5, 3)
# The four bad ratings: (working days ago, window) of the finished case → follow-up state.
BAD = {(4, 3): "open", (3, 3): "verified", (5, 1): "appealed", (3, 1): "closed"}
HANDLER = "supervisor"  # complaints
PETITIONS = "director"
FOLLOW_UP = "head"  # head of windows 1–3
DEPARTMENT_STAFF = "leader"  # 市场监管's leader: replies to 交办单 and signs work orders
SOCIAL = "social"
SURVEY_QUESTIONS: list[dict[str, Any]] = [
    {
        "text": "您对本季度政务服务中心的总体服务是否满意？",
        "kind": QuestionKind.SCALE,
        "required": True,
    },
    {"text": "您对窗口工作人员的服务态度是否满意？", "kind": QuestionKind.SCALE, "required": True},
    {
        "text": "您办理这件事跑了几次？",
        "kind": QuestionKind.CHOICE,
        "required": True,
        "choices": ["一次办结", "两次", "三次及以上"],
    },
    {"text": "您对我们还有什么意见和建议？", "kind": QuestionKind.TEXT, "required": False},
]
SURVEY_REMARKS = (
    "希望增加自助打印设备。",
    "导服人员很热情。",
    "午间能延时服务就更好了。",
    "停车不太方便。",
    "",
)


@dataclass
class FeedbackResult:
    cases: int = 0  # 即办件 finished here to be rated
    ratings: int = 0
    bad_ratings: int = 0
    screens: int = 0
    pairing_code: str = ""
    complaints: int = 0
    petitions: int = 0
    work_orders: int = 0
    suggestions: int = 0
    supervisor_records: int = 0
    survey_answers: int = 0


@contextmanager
def _clock(at: datetime.datetime) -> Iterator[None]:
    """Run a step at `at`: Django's clock reads `at` meanwhile (as the demo cases do)."""
    real_now = timezone.now
    timezone.now = lambda: at
    try:
        yield
    finally:
        timezone.now = real_now


def demo_feedback_loaded(county: Center) -> bool:
    return (
        Rating.objects.filter(center=county).exists()
        or Complaint.objects.filter(center=county).exists()
        or Petition.objects.filter(center=county).exists()
        or WorkOrder.objects.filter(center=county).exists()
        or Suggestion.objects.filter(center=county).exists()
    )


class _Loader:
    def __init__(self, county: Center) -> None:
        self.county = county
        self.result = FeedbackResult()
        self.real_now = timezone.now()
        self.calendar = calendar_for(county.pk)
        today = timezone.localdate(self.real_now)
        self.base = (
            today if self.calendar.is_workday(today) else self.calendar.subtract_workdays(today, 1)
        )
        self.users: dict[str, User] = {}
        self.serial = 0

    # --- lookups ---

    def user(self, username: str) -> User:
        if username not in self.users:
            self.users[username] = User.objects.get(username=username)
        return self.users[username]

    def department(self, code: str) -> Department:
        return Department.objects.get(center=self.county, code=code)

    def window(self, number: int) -> Window:
        return Window.objects.get(center=self.county, number=number)

    def day(self, working_days_ago: int) -> datetime.date:
        if not working_days_ago:
            return self.base
        return self.calendar.subtract_workdays(self.base, working_days_ago)

    def at(self, working_days_ago: int, hour: int, minute: int = 0) -> datetime.datetime:
        """A moment of that working day, never in the future."""
        moment = datetime.datetime.combine(
            self.day(working_days_ago),
            datetime.time(hour),
            tzinfo=timezone.get_current_timezone(),
        ) + datetime.timedelta(minutes=minute)
        return min(moment, self.real_now - datetime.timedelta(minutes=1))

    def phone(self, serial: int) -> str:
        return f"139{57100000 + serial * 37:08d}"

    # --- ratings ---

    def finish_case(self, days_ago: int, spec: tuple[str, int, str], slot: int) -> Case:
        """A 即办件 received, certified and delivered at the window that day."""
        self.serial += 1
        name, number, clerk_name = spec
        key = f"{KEY_PREFIX}case-{days_ago:02d}-{number}"
        existing = Case.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        item = ServiceItem.objects.get(center=self.county, name=name)
        clerk = self.user(clerk_name)
        checks = [
            MaterialCheck(
                material_id=m.pk, received=True, form=m.form, copies=m.copies, pending=False
            )
            for m in item.materials.all()
        ]
        received = self.at(days_ago, 9, 5 + slot * 50 + (days_ago * 7) % 30)
        with _clock(received):
            case = case_receive(
                actor=clerk,
                item=item,
                window=self.window(number),
                applicant=person(60 + self.serial),
                materials=checks,
                outcome=Outcome.IMMEDIATE,
                idempotency_key=key,
                at=received,
            )
        certified = received + datetime.timedelta(minutes=12)
        params: dict[str, Any] = {}
        if number == SOLE_TRADER[1]:
            body = f"92330100MA{3100 + self.serial:04d}F{self.serial % 10}X"[:17]
            params["certificate_number"] = body + uscc_check_character(body)
        with _clock(certified):
            case = case_act(
                actor=clerk,
                case=case,
                action="make_certificate",
                note="",
                params=action_params("make_certificate", params),
                at=certified,
            )
        delivered = certified + datetime.timedelta(minutes=6)
        with _clock(delivered):
            case = case_act(
                actor=clerk,
                case=case,
                action="deliver",
                note="",
                params=action_params(
                    "deliver",
                    {
                        "method": "pickup",
                        "recipient_name": case.applicant.name,
                        "id_last4": case.applicant.id_number[-4:],
                    },
                ),
                at=delivered,
            )
        self.result.cases += 1
        return case

    def rate(
        self,
        kind: str,
        pk: int,
        level: int,
        channel: str,
        *,
        after: datetime.timedelta = datetime.timedelta(minutes=1),
        **extra: Any,
    ) -> Rating:
        moment = occasion_of(kind, pk).moment
        assert moment is not None
        at = min(moment + after, self.real_now - datetime.timedelta(minutes=1))
        with _clock(at):
            rating = rating_give(
                actor=None,
                kind=kind,
                occasion_id=pk,
                level=level,
                channel=channel,
                now=at,
                **extra,
            )
        self.result.ratings += 1
        return rating

    def ratings(self) -> None:
        head = self.user(FOLLOW_UP)
        level = iter(LEVELS * 20)
        last_day = self.day(1)
        # The tickets finished at windows 1–3 on the past days, three of four rated.
        tickets = Ticket.objects.filter(
            center=self.county,
            status=TicketStatus.DONE,
            window__number__in=RATED_WINDOWS,
            finished_at__date__lt=self.base,
        ).order_by("finished_at")
        for n, ticket in enumerate(tickets):
            if n % 4 != 3:
                self.rate(TICKET, ticket.pk, next(level), RatingChannel.WINDOW_SCREEN)
        # The demo cases delivered before the last working day.
        delivered = Case.objects.filter(
            center=self.county, status=CaseStatus.DELIVERED, delivered_at__date__lt=last_day
        ).order_by("delivered_at")
        for n, case in enumerate(delivered):
            channel = RatingChannel.QR_CODE if n % 2 else RatingChannel.PROGRESS_PAGE
            self.rate(CASE, case.pk, next(level), channel, after=datetime.timedelta(hours=2))
        # A month of 即办件 at windows 1 and 3, each rated at the window when delivered.
        bad: dict[str, Rating] = {}
        for days_ago in range(MONTH_WORKING_DAYS, 0, -1):
            both = days_ago in (3, 4, 5) or days_ago % 4 == 0
            specs = (
                (SOLE_TRADER, FOOD_FILING)
                if both
                else ((SOLE_TRADER,) if days_ago % 2 == 0 else (FOOD_FILING,))
            )
            for slot, spec in enumerate(specs):
                case = self.finish_case(days_ago, spec, slot)
                if days_ago == 1:
                    continue  # left for the SMS invitation
                state = BAD.get((days_ago, spec[1]))
                if state is None:
                    self.rate(CASE, case.pk, next(level), RatingChannel.WINDOW_SCREEN)
                else:
                    bad[state] = self.bad_rating(state, case)
        self.follow_up(head, bad)
        # The rating screen of window 1, with a pairing code valid from now.
        director = self.user("director")
        screen = rating_screen_create(
            actor=director, window=self.window(1), label="1号窗口评价器（台式）"
        )
        screen = rating_screen_issue_code(actor=director, screen=screen)
        self.result.screens = 1
        self.result.pairing_code = screen.pairing_code or ""

    def bad_rating(self, state: str, case: Case) -> Rating:
        texts = {
            "open": (2, BadRatingReason.SLOW, "只开了一个窗口，排队等了将近一个小时。"),
            "verified": (1, BadRatingReason.ATTITUDE, "工作人员态度生硬，问了两遍就不耐烦。"),
            "appealed": (
                1,
                BadRatingReason.ASKED_EXTRA,
                "要我提供经营场所的租赁合同，觉得是多要材料。",
            ),
            "closed": (
                2,
                BadRatingReason.UNCLEAR,
                "第一次来没说清楚要带经营场所证明，跑了两趟。",
            ),
        }
        level, reason, comment = texts[state]
        rating = self.rate(
            CASE,
            case.pk,
            level,
            RatingChannel.WINDOW_SCREEN,
            reason=reason,
            comment=comment,
            rater_name=case.applicant.name,
            rater_phone=case.applicant.phone,
        )
        self.result.bad_ratings += 1
        return rating

    def follow_up(self, head: User, bad: dict[str, Rating]) -> None:
        # "open": nothing done; its call-back (one working day) is overdue.
        verified = bad["verified"]
        rating_call_back(
            actor=head,
            rating=verified,
            version=verified.version,
            justified=True,
            note="已电话回访申请人，调取窗口录音录像核实：工作人员答复时语气生硬，评价属实。",
            at=self.at(2, 10, 30),
        )
        appealed = bad["appealed"]
        rating_call_back(
            actor=head,
            rating=appealed,
            version=appealed.version,
            justified=False,
            note="回访核实：经营场所证明为规定材料，窗口已一次性告知；申请人误以为是额外要求。",
            at=self.at(4, 10, 0),
        )
        appealed.refresh_from_db()
        rating_appeal(
            actor=head,
            rating=appealed,
            version=appealed.version,
            reason=(
                "经营场所使用证明是《个体工商户登记管理办法》规定的登记材料，并非额外要求；"
                "回访时申请人表示对规定不了解，同意按规定提交。请求不计入差评。"
            ),
            at=self.at(4, 15, 0),
        )
        closed = bad["closed"]
        steps = (
            (
                rating_call_back,
                {
                    "justified": True,
                    "note": "回访核实：窗口一次性告知不到位，未提示经营场所证明材料，评价属实。",
                },
                self.at(3, 16, 0),
            ),
            (
                rating_rectify,
                {
                    "result": (
                        "已在窗口办事指南和网上办事指南中补充经营场所证明材料说明，"
                        "并组织窗口人员进行一次性告知培训。"
                    )
                },
                self.at(2, 11, 0),
            ),
            (rating_tell, {"note": "电话告知整改结果，并发送再次评价链接。"}, self.at(2, 15, 0)),
        )
        for service, fields, at in steps:
            closed.refresh_from_db()
            service(actor=head, rating=closed, version=closed.version, at=at, **fields)
        # The citizen rates again from the SMS link: 非常满意.
        closed.refresh_from_db()
        assert closed.case_id is not None
        at = self.at(1, 9, 40)
        with _clock(at):
            rating_give(
                actor=None,
                kind=CASE,
                occasion_id=closed.case_id,
                level=5,
                channel=RatingChannel.SMS,
                comment="问题已经解决，感谢回访。",
                supersedes=closed,
                now=at,
            )
        self.result.ratings += 1

    # --- complaints ---

    def complaints(self) -> None:
        handler = self.user(HANDLER)
        clerk = self.user("clerk")
        scjg = self.department("SCJG")
        # A web complaint of the previous working day, not answered yet (due, then overdue).
        at = self.at(1, 16, 20)
        with _clock(at):
            complaint_submit_public(
                center=self.county,
                client="demo",
                target_kind=ComplaintTarget.WINDOW,
                target_id=self.window(5).pk,
                summary="不动产登记窗口下午四点就不再取号",
                details="下午四点到大厅办理抵押注销，取号机提示不动产登记已停止取号，但大厅五点半才下班。",
                complainant_name=person_name(501),
                complainant_phone=self.phone(501),
                at=at,
            )
        # Assigned to 市场监管 with a 交办单, the department replied; the handler answers next.
        at = self.at(4, 10, 15)
        with _clock(at):
            assigned = complaint_register(
                actor=handler,
                center_id=self.county.pk,
                channel=ComplaintChannel.PHONE,
                target_kind=ComplaintTarget.DEPARTMENT,
                target_id=scjg.pk,
                summary="食品经营许可现场核查一再推迟",
                details="申请食品经营许可已受理十多天，现场核查约了两次都临时取消，影响开业。",
                complainant_name=person_name(502),
                complainant_phone=self.phone(502),
                complexity=ComplaintComplexity.COMPLEX,
                received_at=at,
            )
            assigned = complaint_assign(
                actor=handler,
                complaint=assigned,
                version=assigned.version,
                department_id=scjg.pk,
                now=at + datetime.timedelta(minutes=30),
            )
        at = self.at(2, 14, 0)
        with _clock(at):
            complaint_reply(
                actor=self.user(DEPARTMENT_STAFF),
                complaint=assigned,
                version=assigned.version,
                reply="经查，核查人员因参加专项检查两次改期，已于本周二完成现场核查，许可证已核发；已对相关科室提出批评，今后改期须提前告知申请人。",
                now=at,
            )
        # Verified against the `clerk`: the alert (−2 points) and the staff fact.
        at = self.at(2, 9, 40)
        with _clock(at):
            verified = complaint_register(
                actor=handler,
                center_id=self.county.pk,
                channel=ComplaintChannel.VISIT,
                target_kind=ComplaintTarget.STAFF,
                target_id=clerk.pk,
                summary="窗口工作人员办理时接听私人电话",
                details="办理个体工商户登记时，工作人员接听私人电话约五分钟，让我在窗口等候。",
                complainant_name=person_name(503),
                complainant_phone=self.phone(503),
                received_at=at,
            )
            verified = complaint_answer(
                actor=handler,
                complaint=verified,
                version=verified.version,
                finding=ComplaintFinding.VERIFIED,
                result="调取窗口监控核实，工作人员办理业务期间接听私人电话属实，已批评教育，按规定扣分。",
                now=at + datetime.timedelta(hours=3),
            )
        at = self.at(1, 10, 0)
        with _clock(at):
            verified = complaint_tell(
                actor=handler,
                complaint=verified,
                version=verified.version,
                via=ToldVia.PHONE,
                now=at,
            )
            complaint_close(actor=handler, complaint=verified, version=verified.version, now=at)
        # Handled on the spot.
        at = self.at(5, 11, 10)
        with _clock(at):
            complaint_register(
                actor=handler,
                center_id=self.county.pk,
                channel=ComplaintChannel.VISIT,
                target_kind=ComplaintTarget.WINDOW,
                target_id=self.window(9).pk,
                summary="户政窗口叫号后无人应答",
                details="叫到我的号时窗口没有人，等了十分钟。",
                complainant_name=person_name(504),
                complainant_phone=self.phone(504),
                received_at=at,
                on_the_spot=True,
                finding=ComplaintFinding.UNFOUNDED,
                result="经查，该窗口工作人员按规定轮换午间岗位，已当场安排B岗人员办理并向群众解释。",
            )
        # Anonymous, from the suggestion box: answered and closed (nobody to tell).
        at = self.at(6, 15, 0)
        with _clock(at):
            anonymous = complaint_register(
                actor=handler,
                center_id=self.county.pk,
                channel=ComplaintChannel.SUGGESTION_BOX,
                target_kind=ComplaintTarget.CENTER,
                summary="大厅自助填表机经常故障",
                details="二楼自助填表机多次无法打印，也没有人维护。",
                anonymous=True,
                complexity=ComplaintComplexity.COMPLEX,
                received_at=at,
            )
        at = self.at(4, 16, 0)
        with _clock(at):
            anonymous = complaint_answer(
                actor=handler,
                complaint=anonymous,
                version=anonymous.version,
                finding=ComplaintFinding.PARTLY_VERIFIED,
                result="已通知设备维保单位更换打印模块，并安排导服人员每日巡检自助设备。",
                now=at,
            )
            complaint_close(actor=handler, complaint=anonymous, version=anonymous.version, now=at)
        self.result.complaints = 5

    # --- petitions ---

    def petitions(self) -> None:
        director = self.user(PETITIONS)
        # A collective visit: 12 people, 5 representatives → the leaders' alert; on the
        # director's next reception day.
        at = self.at(1, 9, 30)
        with _clock(at):
            collective = petition_register(
                actor=director,
                center=self.county,
                matter="锦苑小区48户业主反映购房已满三年仍未办理不动产权证书，要求协调开发商和不动产登记中心尽快办理。",
                name=person_name(601),
                channel=PetitionChannel.VISIT,
                received_at=at,
                phone=self.phone(601),
                address_or_employer="示例县城关镇锦苑小区",
                people_count=12,
                representatives=5,
            )
        reception = reception_schedule(
            actor=director,
            center=self.county,
            leader=director,
            day=self.calendar.add_workdays(timezone.localdate(self.real_now), 1),
            place="县政务服务中心三楼信访接待室",
        )
        reception_receive(actor=director, reception=reception, petition=collective)
        # A real-name accusation, assigned to 市场监管 (the petitioner is hidden from it).
        at = self.at(5, 14, 0)
        with _clock(at):
            accusation = petition_register(
                actor=director,
                center=self.county,
                matter="实名举报：某食品经营许可核查人员暗示申请人找指定中介代办。",
                name=person_name(602),
                channel=PetitionChannel.LETTER,
                received_at=at,
                phone=self.phone(602),
                is_accusation=True,
                department=self.department("SCJG"),
            )
        at = self.at(4, 10, 0)
        with _clock(at):
            petition_accept(
                actor=director,
                petition=accusation,
                version=accusation.version,
                notice="您的举报已受理，已交县市场监督管理局调查核实，我们将依法为举报人保密。",
            )
        # Accepted, then its one extension.
        at = self.at(38, 10, 0)
        with _clock(at):
            extended = petition_register(
                actor=director,
                center=self.county,
                matter="反映青山镇农村宅基地审批久拖未决，申请已提交两个多月。",
                name=person_name(603),
                channel=PetitionChannel.VISIT,
                received_at=at,
                phone=self.phone(603),
                address_or_employer="示例县青山镇青山村",
            )
        with _clock(self.at(36, 10, 0)):
            extended = petition_accept(
                actor=director,
                petition=extended,
                version=extended.version,
                notice="您反映的问题已受理，将会同自然资源和规划部门、青山镇调查处理。",
            )
        with _clock(self.at(2, 15, 0)):
            petition_extend(
                actor=director,
                petition=extended,
                version=extended.version,
                days=30,
                reason="涉及村集体土地权属核实，需组织现场踏勘和村民代表会议。",
            )
        # Closed with an opinion; the petitioner asked for a 复查.
        at = self.at(44, 9, 45)
        with _clock(at):
            reviewed = petition_register(
                actor=director,
                center=self.county,
                matter="对城乡居民医保缴费档次调整不理解，要求退还多缴费用。",
                name=person_name(604),
                channel=PetitionChannel.PHONE,
                received_at=at,
                phone=self.phone(604),
            )
        with _clock(self.at(43, 10, 0)):
            reviewed = petition_accept(
                actor=director,
                petition=reviewed,
                version=reviewed.version,
                notice="您反映的问题已受理，已请县医疗保障局核实。",
            )
        with _clock(self.at(20, 16, 0)):
            reviewed = petition_close(
                actor=director,
                petition=reviewed,
                version=reviewed.version,
                opinion="经县医疗保障局核实，缴费档次为本人自主选择，已缴费用计入个人权益，不予退还；已当面解释相关政策。",
            )
        day = self.at(6, 10, 0)
        with _clock(day):
            petition_request_review(
                actor=director,
                petition=reviewed,
                version=reviewed.version,
                kind=PetitionReviewKind.REVIEW,
                requested_on=timezone.localdate(day),
            )
        self.result.petitions = 4

    # --- 12345 work orders ---

    def hotline_account(self) -> User:
        """The hotline platform's account: a staff record at the county and no role."""
        return hotline_account_set(actor=None, center=self.county)

    def work_orders(self) -> None:
        hotline = self.hotline_account()
        staff = self.user(DEPARTMENT_STAFF)
        scjg = self.department("SCJG")

        def receive(
            n: int, days_ago: int, kind: str, title: str, content: str, **extra: Any
        ) -> WorkOrder:
            at = self.at(days_ago, 9, 20 + n * 7)
            with _clock(at):
                order, _created = work_order_receive(
                    actor=hotline,
                    center=self.county,
                    kind=kind,
                    title=title,
                    content=content,
                    hotline_number=f"12345-{self.day(days_ago):%Y%m%d}-{n:04d}",
                    citizen_name=person_name(700 + n),
                    citizen_phone=self.phone(700 + n),
                    source=WorkOrderSource.API,
                    received_at=at,
                    **extra,
                )
            return order

        receive(
            1,
            0,
            WorkOrderKind.CONSULTATION,
            "新生儿医保参保登记在哪里办理",
            "市民来电咨询：孩子刚出生，医保参保登记能否和出生登记一起办，需要带什么材料。",
        )
        near = receive(
            2,
            5,
            WorkOrderKind.CONSULTATION,
            "个体工商户变更经营者能否网上办理",
            "市民来电咨询个体工商户变更经营者的办理方式和所需材料。",
            department=scjg,
        )
        work_order_sign(actor=staff, order=near, at=self.at(5, 14, 0))
        replied = receive(
            3,
            7,
            WorkOrderKind.COMPLAINT,
            "食品经营许可证补办进度慢",
            "市民来电反映：食品经营许可证遗失补办已半个月，窗口称还在审核。",
            department=scjg,
        )
        replied = work_order_sign(actor=staff, order=replied, at=self.at(7, 11, 0))
        work_order_reply(
            actor=staff,
            order=replied,
            reply="经核实，补办申请因缺少遗失声明暂停，已电话一次性告知申请人，材料补齐后当日办结。",
            at=self.at(2, 16, 0),
        )
        redone = receive(
            4,
            14,
            WorkOrderKind.HELP,
            "企业名称自主申报系统无法提交",
            "企业来电求助：企业名称自主申报系统提交时一直提示校验失败。",
            department=scjg,
        )
        redone = work_order_sign(actor=staff, order=redone, at=self.at(14, 10, 30))
        redone = work_order_reply(
            actor=staff,
            order=redone,
            reply="已告知企业更换浏览器后重新提交。",
            at=self.at(11, 15, 0),
        )
        redone = work_order_return_visit(
            actor=hotline,
            order=redone,
            satisfied=False,
            note="市民表示更换浏览器后仍无法提交，问题未解决。",
            at=self.at(10, 10, 0),
        )
        redone = work_order_reply(
            actor=staff,
            order=redone,
            reply="经与省名称申报系统运维联系，系字号含生僻字导致校验失败，已协助企业在窗口现场完成名称申报。",
            at=self.at(7, 16, 30),
        )
        work_order_return_visit(
            actor=hotline,
            order=redone,
            satisfied=True,
            note="市民表示问题已解决，满意。",
            at=self.at(6, 10, 0),
        )
        self.result.work_orders = 4

    # --- suggestion box, supervisors, surveys ---

    def suggestions(self) -> None:
        director = self.user("director")
        entries = (
            # (working days ago, kind, public, from paper, content, reply)
            (
                40,
                SuggestionKind.SUGGESTION,
                True,
                False,
                "建议在大厅增设老年人爱心座椅，并在导服台配备老花镜。",
                "已在一楼各区增设爱心座椅12把，导服台配备老花镜和放大镜，欢迎使用。",
            ),
            (
                34,
                SuggestionKind.MESSAGE,
                True,
                False,
                "感谢3号窗口工作人员耐心指导办理食品经营备案，一次就办好了。",
                "感谢您的肯定，我们将继续做好一次性告知和帮办服务。",
            ),
            (
                27,
                SuggestionKind.SUGGESTION,
                False,
                True,
                "希望中午也能办理不动产登记业务，上班族只有午休有空。",
                "自下月起不动产登记窗口实行午间轮岗延时服务（12:00—13:30）。",
            ),
            (
                19,
                SuggestionKind.SUGGESTION,
                True,
                False,
                "大厅门口停车位太少，办事经常找不到车位。",
                "已协调在中心东侧增设临时停车位40个，办事群众可免费停放两小时。",
            ),
            (
                12,
                SuggestionKind.MESSAGE,
                False,
                False,
                "网上预约的号到了现场还要重新取号，希望能直接签到。",
                "预约群众可在取号机“预约签到”处输入手机号直接签到，已在取号机旁张贴说明。",
            ),
            (8, SuggestionKind.SUGGESTION, True, False, "希望增加周六上午的社保业务窗口。", ""),
            (3, SuggestionKind.SUGGESTION, True, False, "自助填表机旁边能不能放一些填写样例？", ""),
            (
                1,
                SuggestionKind.MESSAGE,
                False,
                False,
                "户政窗口的工作人员很负责，给我家老人上门办了身份证。",
                "",
            ),
        )
        for n, (days_ago, kind, public, paper, content, reply) in enumerate(entries):
            at = self.at(days_ago, 10 + n % 6, 15)
            with _clock(at):
                entry = suggestion_receive(
                    actor=director if paper else None,
                    center=self.county,
                    kind=kind,
                    channel=SuggestionChannel.PAPER if paper else SuggestionChannel.PORTAL,
                    content=content,
                    name=person_name(800 + n),
                    phone=self.phone(800 + n) if n % 3 == 0 else "",
                    is_public=public,
                    received_at=at if paper else None,
                )
            if reply:
                answered = self.at(days_ago - 2, 16, 0)
                with _clock(answered):
                    suggestion_reply(actor=director, suggestion=entry, reply=reply, at=answered)
            self.result.suggestions += 1

    def supervisors(self) -> None:
        director = self.user("director")
        social = self.user(SOCIAL)
        today = timezone.localdate(self.real_now)
        starts = (
            today.replace(month=1, day=1)
            if today.month > 3
            else today - datetime.timedelta(days=90)
        )
        supervisor_appoint(
            actor=director,
            user=social,
            center=self.county,
            starts_on=starts,
            ends_on=starts.replace(year=starts.year + 2) - datetime.timedelta(days=1),
            letter_number="示政服〔2026〕3号",
            employer="县人大代表、示例县第一中学教师",
        )
        mystery = supervisor_visit_record(
            actor=social,
            kind=SupervisorVisitKind.MYSTERY_SHOPPING,
            visited_on=self.day(6),
            findings="以办事群众身份咨询个体工商户设立登记：2号窗口一次性告知清楚，但叫号屏不显示窗口空闲状态，等候区群众不知道该去哪个窗口。",
            window=self.window(2),
        )
        supervisor_visit_respond(
            actor=director,
            visit=mystery,
            response="感谢监督。已请设备厂家升级叫号屏，显示各窗口办理状态，本周内完成。",
            at=self.at(4, 16, 0),
        )
        supervisor_visit_record(
            actor=social,
            kind=SupervisorVisitKind.OPINION,
            visited_on=self.day(1),
            findings="建议每季度邀请行风监督员参加一次窗口服务评议会，并公开差评整改情况。",
        )
        self.result.supervisor_records = 2

    def surveys(self) -> None:
        director = self.user("director")
        today = timezone.localdate(self.real_now)
        quarter = (today.month - 1) // 3 + 1
        previous = (today.year, quarter - 1) if quarter > 1 else (today.year - 1, 4)
        quarter_starts = datetime.datetime.combine(
            datetime.date(today.year, 3 * quarter - 2, 1),
            datetime.time(0, 0),
            tzinfo=timezone.get_current_timezone(),
        )
        rounds = (
            (previous, 12, "closed"),
            ((today.year, quarter), 20, "open"),
        )
        for (year, number), answers, state in rounds:
            survey = survey_create(
                actor=director,
                center=self.county,
                title=f"{year}年第{number}季度政务服务满意度调查",
                year=year,
                quarter=number,
                questions=SURVEY_QUESTIONS,
            )
            survey = survey_act(actor=director, survey=survey, action="open")
            questions = list(survey.questions.order_by("position"))
            for n in range(answers):
                values: dict[str, object] = {}
                for question in questions:
                    if question.kind == QuestionKind.SCALE:
                        values[field_name(question)] = LEVELS[(n + question.position) % len(LEVELS)]
                    elif question.kind == QuestionKind.CHOICE:
                        values[field_name(question)] = 0 if n % 5 else 1
                    else:
                        values[field_name(question)] = SURVEY_REMARKS[n % len(SURVEY_REMARKS)]
                # The closed survey was answered in its own quarter, the open one lately.
                at = (
                    self.real_now - datetime.timedelta(hours=(answers - n) * 3)
                    if state == "open"
                    else quarter_starts - datetime.timedelta(days=answers - n, hours=6)
                )
                survey_answer(
                    survey=survey, answers=values, device_key=f"demo-{year}-{number}-{n}", at=at
                )
                self.result.survey_answers += 1
            if state == "closed":
                survey = survey_act(actor=director, survey=survey, action="close")
                assert survey.status == SurveyStatus.CLOSED


def load_demo_feedback() -> FeedbackResult:
    """Add the demo citizens' voice unless the county has some already (nothing when the demo
    hall or its cases are missing)."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    if county is None or demo_feedback_loaded(county):
        return FeedbackResult()
    if not Case.objects.filter(center=county, status=CaseStatus.DELIVERED).exists():
        return FeedbackResult()
    loader = _Loader(county)
    # Bad ratings, complaints and replies send SMS to the outbox; a log line each would drown
    # the output.
    notify_log = logging.getLogger("govhall.notify")
    level = notify_log.level
    notify_log.setLevel(max(level, logging.WARNING))
    try:
        with transaction.atomic():
            loader.ratings()
            loader.complaints()
            loader.petitions()
            loader.work_orders()
            loader.suggestions()
            loader.supervisors()
            loader.surveys()
    finally:
        notify_log.setLevel(level)
    return loader.result


__all__ = ["FeedbackResult", "demo_feedback_loaded", "load_demo_feedback"]
