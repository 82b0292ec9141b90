"""Cases API (SPEC §6): lists, one case, its timeline, the actions of the state machine, intake
at the window and online, notices (PDF), fees and joint review.

Auth: a bearer token of a department system (`govhall api_token create`) or a signed-in staff
session; a token acts with its user's roles and scope. Every case is fetched through
`govhall.cases.access.cases`: a case outside the caller's scope answers 404, like a missing one.

Errors follow the API's one policy (`govhall/api/schemas.py`): bad input or a refused action
→ 422 `{"detail": "...", "errors": {field: [...]}}`; the case changed meanwhile (stale
`expected_version`, or the action is no longer possible from the current status) → 409;
missing or forbidden → 404.
"""

# No `from __future__ import annotations` here: django-ninja resolves the annotations of the
# paginated list view in the pagination module's namespace, where string annotations of this
# module's schemas cannot be found.
import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.pagination import paginate

from govhall.api.auth import SESSION_OR_TOKEN
from govhall.api.schemas import (
    SERVICE_REFUSALS,
    Code,
    Count,
    ErrorOut,
    FieldRefused,
    Id,
    Line,
    LongName,
    Money,
    Pagination,
    PersonOut,
    Short,
    Small,
    Text,
    field_refusal,
    service_refusal,
)
from govhall.cases.access.cases import access_case
from govhall.cases.case_transitions import NATIONAL_CODE, NATIONAL_LABEL, Action
from govhall.cases.clock import days_left, urgency
from govhall.cases.models import (
    Case,
    CaseFee,
    JointMeeting,
    JointProposal,
    JointTask,
    Notice,
    PrereviewTask,
)
from govhall.cases.notice_render import notice_pdf, progress_url_for
from govhall.cases.queries.cases import (
    STATE_ALL,
    STATE_CLOSED,
    CaseFilters,
    case_list,
    case_timeline,
)
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act
from govhall.cases.services.agency import AgencyData, agency_assign, agency_end
from govhall.cases.services.bundles import case_bundle_receive
from govhall.cases.services.fees import case_fee_record
from govhall.cases.services.intake import (
    ApplicantData,
    MaterialCheck,
    Outcome,
    case_receive,
    case_submit_online,
    check_material_flags,
    propose_outcome,
)
from govhall.cases.services.joint import (
    joint_meeting_record,
    joint_proposal_submit,
    joint_task_complete,
)
from govhall.cases.services.notices import notice_confirm
from govhall.cases.services.permissions import available_actions
from govhall.cases.services.prereview import prereview_task_decide
from govhall.cases.services.privacy import personal_data_view_record
from govhall.cases.statuses import CaseStatus, NoticeKind
from govhall.catalog.models import FeeItem, ServiceItem
from govhall.catalog.queries.bundles import public_bundles
from govhall.catalog.queries.online_forms import online_refusal
from govhall.core.files import stored_file_response
from govhall.core.idnumbers import mask_id, mask_phone
from govhall.core.models import User
from govhall.core.pagination import IdsFirst
from govhall.org.access.scope import centers_in_scope
from govhall.org.models import Center, Department, Window

router = Router(auth=SESSION_OR_TOKEN)

CASE_RELATED = ("item", "department", "center", "applicant", "window")
DETAIL_RELATED = (
    *CASE_RELATED,
    "received_window",
    "received_by",
    "decided_by",
    "escalated_to",
    "agent",
)
IDEMPOTENCY_HEADER = "Idempotency-Key"


# --- schemas ------------------------------------------------------------------------------------


class RefOut(Schema):
    id: int
    name: str


class CodeRefOut(Schema):
    id: int
    code: str
    name: str


class CaseWindowOut(Schema):
    id: int
    number: int = Field(..., description="Window number shown in the hall")
    name: str


class ApplicantMaskedOut(Schema):
    kind: str = Field(..., description="person or enterprise")
    name: str
    id_number: str = Field(..., description="ID number / credit code, masked (1101**********1234)")
    phone: str = Field(..., description="Phone, masked (138****5678)")


class ApplicantFullOut(Schema):
    kind: str = Field(..., description="person or enterprise")
    name: str
    id_number: str = Field(..., description="ID number (GB 11643) or credit code (GB 32100)")
    phone: str
    legal_representative: str
    contact_name: str


def _today() -> datetime.date:
    return timezone.localdate()


class CaseBase(Schema):
    id: int
    number: str = Field(..., description="Case number: center code + yyyyMMdd + serial")
    status: str = Field(..., description="Status (see CaseStatus), e.g. accepted, in_review")
    status_label: str = Field(..., description="Status in words")
    national_code: str = Field(..., description="National exchange status code, 02–13")
    national_label: str = Field(..., description="National status name, e.g. 受理, 在办, 办结")
    kind: str = Field(..., description="immediate, promised, joint, escalated, or empty")
    channel: str = Field(..., description="window, online, hotline (12345) or assigned")
    authorization: str = Field(..., description="full, partial or limited (window's level)")
    item: CodeRefOut = Field(..., description="Service item")
    department: CodeRefOut = Field(..., description="Lead department")
    center: CodeRefOut = Field(..., description="Service center")
    window: CaseWindowOut | None = Field(None, description="Window holding the case now")
    green_channel: bool = Field(..., description="Priority handling (绿色通道)")
    received_at: datetime.datetime
    accepted_at: datetime.datetime | None
    clock_started_on: datetime.date | None = Field(
        None, description="The clock runs from the day after this date"
    )
    promised_due_on: datetime.date | None = Field(None, description="Promised deadline")
    legal_due_on: datetime.date | None = Field(None, description="Legal deadline")
    working_days_left: int | None = Field(
        None, description="Working days to the promised deadline (negative: overdue)"
    )
    urgency: str = Field(
        ..., description="overdue, due_today, near, yellow, ok, suspended, or empty (no clock)"
    )
    completed_at: datetime.datetime | None
    archived_at: datetime.datetime | None
    version: int = Field(
        ..., description="Bumped by every action; send it back as expected_version"
    )

    @staticmethod
    def resolve_status_label(obj: Case) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_national_code(obj: Case) -> str:
        return NATIONAL_CODE[obj.status]

    @staticmethod
    def resolve_national_label(obj: Case) -> str:
        return NATIONAL_LABEL[NATIONAL_CODE[obj.status]]

    @staticmethod
    def resolve_working_days_left(obj: Case) -> int | None:
        return days_left(obj, _today())

    @staticmethod
    def resolve_urgency(obj: Case) -> str:
        return urgency(obj, _today())


class CaseOut(CaseBase):
    """A case in a list: the applicant's ID and phone numbers masked."""

    applicant: ApplicantMaskedOut

    @staticmethod
    def resolve_applicant(obj: Case) -> dict[str, str]:
        applicant = obj.applicant
        return {
            "kind": applicant.kind,
            "name": applicant.name,
            "id_number": mask_id(applicant.id_number),
            "phone": mask_phone(applicant.phone),
        }


class CaseMaterialOut(Schema):
    id: int
    material_id: int | None = Field(None, description="Catalog material, if any")
    name: str
    is_main: bool = Field(..., description="Main material (else attachment)")
    received: bool
    form: str = Field(..., description="original, copy or both")
    copies: int
    received_on: datetime.date | None
    pending: bool = Field(..., description="Green channel: accepted with this one pending")
    due_on: datetime.date | None = Field(None, description="Pending material due on")
    not_applicable: bool = Field(False, description="A conditional material not needed here")
    reused_from_id: int | None = Field(
        None, description="The earlier case this material was reused from"
    )


class JointTaskOut(Schema):
    id: int
    department: CodeRefOut
    status: str = Field(..., description="open or done")
    due_on: datetime.date
    opinion: str
    agrees: bool | None
    done_by: PersonOut | None
    done_at: datetime.datetime | None


class JointProposalOut(Schema):
    id: int
    text: str = Field(..., description="The lead window's joint-handling proposal (联办意见)")
    proposed_by: PersonOut
    proposed_at: datetime.datetime


class JointMeetingOut(Schema):
    id: int
    proposal_id: int | None = Field(None, description="The proposal the director met on")
    held_at: datetime.datetime
    participants: str
    conclusions: str
    recorded_by: PersonOut
    recorded_at: datetime.datetime


class CaseFeeOut(Schema):
    id: int
    fee_item: RefOut
    quantity: int
    amount: Decimal = Field(..., description="Yuan, never above standard × quantity")
    receipt_number: str
    recorded_by: PersonOut
    recorded_at: datetime.datetime


class CenterRefOut(Schema):
    id: int
    code: str
    name: str


class CaseDetailOut(CaseBase):
    """One case with the applicant's full data (each read is logged as a personal-data view)."""

    applicant: ApplicantFullOut
    received_window: CaseWindowOut | None = Field(None, description="First responder's window")
    received_by: PersonOut | None = Field(None, description="First responder")
    pending_due_on: datetime.date | None
    legal_days: int
    promised_days: int
    extension_days: int
    extension_reason: str
    suspended_days: int
    suspension_reason: str = Field(
        ...,
        description="Legal ground of the suspension: hearing, expert_review, inspection, "
        "testing, quarantine, public_notice (empty when never suspended)",
    )
    suspension_note: str = Field("", description="Optional note given with the suspension")
    decided_at: datetime.datetime | None
    decided_by: PersonOut | None
    reason: str = Field(..., description="Reason of a return, denial, void or withdrawal")
    basis: str = Field(..., description="Legal basis of a return or denial")
    escalated_to: CenterRefOut | None = Field(None, description="Higher-level center")
    forward_by: datetime.date | None = Field(None, description="Promised forwarding date")
    escalation_result: str
    delivery_method: str = Field(..., description="pickup, express, or empty")
    tracking_number: str
    recipient_name: str
    delivered_at: datetime.datetime | None
    supplement_notices: int = Field(..., description="One-time notices issued")
    agent: PersonOut | None = Field(
        None, description="代办: the agent who carries the case for the applicant"
    )
    agency_full: bool = Field(False, description="全程代办: from application to delivery")
    agency_letter_number: str = Field("", description="The applicant's authorization letter")
    agency_letter_on: datetime.date | None = Field(None, description="The letter's date")
    agency_scope: str = Field("", description="What the letter authorizes")
    agency_letter_url: str | None = Field(
        None,
        description="The scanned authorization letter (PDF, JPEG or PNG), served to those who "
        "may see the case; null when no copy is stored",
    )
    materials: list[CaseMaterialOut]
    joint_tasks: list[JointTaskOut]
    joint_proposals: list[JointProposalOut]
    joint_meetings: list[JointMeetingOut]
    fees: list[CaseFeeOut]

    @staticmethod
    def resolve_materials(obj: Case) -> list[Any]:
        return list(obj.materials.all())

    @staticmethod
    def resolve_agency_letter_url(obj: Case) -> str | None:
        if not obj.agency_letter:
            return None
        return reverse("api:case_agency_letter", kwargs={"case_id": obj.pk})

    @staticmethod
    def resolve_joint_tasks(obj: Case) -> list[Any]:
        return list(obj.joint_tasks.all())

    @staticmethod
    def resolve_joint_proposals(obj: Case) -> list[Any]:
        return list(obj.joint_proposals.all())

    @staticmethod
    def resolve_joint_meetings(obj: Case) -> list[Any]:
        return list(obj.joint_meetings.all())

    @staticmethod
    def resolve_fees(obj: Case) -> list[Any]:
        return list(obj.fees.all())


class EventOut(Schema):
    id: int
    at: datetime.datetime
    action: str = Field(..., description="case.<action>, e.g. case.accept, case.issue_notice")
    actor: PersonOut | None
    note: str
    data: dict[str, Any] = Field(..., description="from/to status, window and the parameters")


class ActionOut(Schema):
    action: str = Field(..., description="Name to POST to /cases/{id}/actions/{action}")
    label: str
    next_status: str | None = Field(
        None, description="Status after the action; null: unchanged (or back from suspension)"
    )


class ActionsOut(Schema):
    case_id: int
    status: str
    version: int = Field(..., description="Send as expected_version with the action")
    actions: list[ActionOut] = Field(..., description="What the caller may do now")


PARAMS_HELP = (
    "Parameters of the action (* required): prereview_return reason*, basis; "
    "request_supplement missing* (case material ids), extra (list of texts), override_reason; "
    "receive_supplement received (case material ids); accept kind* (online cases), "
    "joint_departments (ids); return reason*, basis*; deny reason*, basis*; start_joint "
    "departments (ids), task_days; suspend reason* (the legal ground: hearing, expert_review, "
    "inspection, testing, quarantine or public_notice), note; extend days*, reason*; "
    "transfer window_id*; "
    "escalate center_id, forward_by (YYYY-MM-DD); receive_result result*, approved (bool); "
    "make_certificate certificate_number; deliver method* (pickup|express), recipient_name*, "
    "id_last4 (pickup), tracking_number* (express); withdraw reason*; void reason*. "
    "Any action: confirm_past_promise (bool) issues a notice whose promised date has already "
    "passed; without it such an action answers 422 on confirm_past_promise and changes nothing."
)


class ActionIn(Schema):
    expected_version: Count | None = Field(
        None,
        description="The version the caller saw; if the case has changed since, 409 Conflict",
    )
    note: Text = Field("", description="Free-text note or opinion, kept in the timeline")
    params: dict[str, Any] = Field(default_factory=dict, description=PARAMS_HELP)


class ApplicantIn(Schema):
    kind: Literal["person", "enterprise"] = Field(..., description="person or enterprise")
    name: LongName = Field(..., description="Person's or enterprise's name")
    id_number: Code = Field(
        ..., description="ID number (GB 11643 check digit) or credit code (GB 32100)"
    )
    phone: Code = Field(..., description="Mobile phone, 11 digits")
    legal_representative: Short = Field("", description="Enterprise: legal representative")
    contact_name: Short = Field("", description="Enterprise: contact person")


class MaterialCheckIn(Schema):
    material_id: Id = Field(..., description="Catalog material of the item")
    received: bool = Field(..., description="The applicant handed it in")
    form: Literal["original", "copy", "both"] = Field("original", description="Form received")
    copies: Small = Field(1, description="Copies received")
    pending: bool = Field(
        False,
        description="Accept with this one to come by pending_due_on: a main material in the "
        "green channel only; an attachment on the applicant's promise (承诺补齐)",
    )
    held_not_brought: bool = Field(
        False,
        description="The applicant has it but did not bring it (已有但未带来): a missing main "
        "material marked so makes a supplement case (补办件), not a returned one",
    )
    not_applicable: bool = Field(
        False,
        description="A conditional material (the catalog's `condition`, e.g. 委托代理人办理时) "
        "whose condition does not apply to this applicant: never counted as missing. 422 on a "
        "material without a condition or together with received/pending/held_not_brought",
    )
    reused_from_case_id: Id | None = Field(
        None,
        description="Reuse this material from an earlier accepted case of the same applicant "
        "(same ID number / USCC) on which it was handed in: counts as received and is "
        "recorded as reused. 422 when that case does not hold it",
    )


class ProposeIn(Schema):
    item_id: Id = Field(..., description="Service item")
    window_id: Id | None = Field(None, description="Receiving window (optional)")
    materials: list[MaterialCheckIn] = Field(default_factory=list)
    green_channel: bool = Field(False, description="Green channel (容缺受理)")
    id_number: Code = Field(
        "", description="The applicant's ID number or USCC: needed for a material reused"
    )


class MaterialRefOut(Schema):
    id: int
    name: str
    is_main: bool


class ProposalOut(Schema):
    outcome: str = Field(
        ..., description="immediate, promised, joint, escalated, supplement or returned"
    )
    outcome_label: str
    reasons: list[str] = Field(..., description="Why, in words")
    missing_main: list[MaterialRefOut]
    missing_other: list[MaterialRefOut]


class AgencyIn(Schema):
    """代办 (issue 19 item 6): the agent and the applicant's authorization letter."""

    agent_id: Id = Field(..., description="A staff member holding the agent role (代办员)")
    letter_number: Line = Field(..., description="The authorization letter's number")
    letter_on: datetime.date = Field(..., description="The letter's date (not in the future)")
    full: bool = Field(False, description="全程代办: the agent carries it to delivery")
    scope: Line = Field("", description="What the letter authorizes")


class AgencyEndIn(Schema):
    reason: Line = Field("", description="Why the agency ends")


class ReceiveIn(Schema):
    item_id: Id = Field(..., description="Service item")
    window_id: Id = Field(..., description="Receiving window (the caller must serve it now)")
    applicant: ApplicantIn
    materials: list[MaterialCheckIn] = Field(..., description="The item's materials as checked")
    outcome: Literal["immediate", "promised", "joint", "escalated", "supplement", "returned"] = (
        Field(..., description="How intake ends (POST /cases/propose suggests one)")
    )
    outcome_reason: Line = Field("", description="Needed when the outcome differs from proposed")
    channel: Literal["window", "hotline", "assigned"] = Field(
        "window",
        description=(
            "Where the case came from: window (default), hotline (a 12345 hotline order) or "
            "assigned (上级交办); online cases come only from POST /cases/online"
        ),
    )
    green_channel: bool = False
    pending_due_on: datetime.date | None = Field(
        None, description="Green channel: date the pending materials come"
    )
    reason: Line = Field("", description="Returned: the reason")
    basis: Line = Field("", description="Returned: the legal basis")
    escalate_to_id: Id | None = Field(
        None, description="Escalated: the higher-level center (default: the deciding level)"
    )
    forward_by: datetime.date | None = Field(None, description="Escalated: forwarding date")
    joint_department_ids: list[Id] | None = Field(
        None, description="Joint: participating departments (default: the item's)"
    )
    idempotency_key: str | None = Field(
        None, description="Same as the Idempotency-Key header: a repeat returns the same case"
    )
    agency: AgencyIn | None = Field(
        None, description="代办: the agent applying for the applicant on their letter"
    )


class OnlineIn(Schema):
    item_id: Id = Field(..., description="Service item (published, served by a window)")
    applicant: ApplicantIn
    materials: list[MaterialCheckIn] = Field(default_factory=list)
    idempotency_key: str | None = Field(
        None, description="Same as the Idempotency-Key header: a repeat returns the same case"
    )


class NoticeOut(Schema):
    id: int
    kind: str = Field(..., description="acceptance, one_time, not_accepted, …, decision")
    kind_label: str
    number: str = Field(..., description="Notice number: <case number>-<kind code><seq>")
    issued_at: datetime.datetime
    issued_by: PersonOut | None
    override_reason: str = Field(..., description="Second one-time notice: the reason")
    confirmed_at: datetime.datetime | None = Field(None, description="Applicant signed at")
    confirmed_by_name: str
    pdf_url: str = Field(..., description="A4 PDF with the QR code to the progress page")

    @staticmethod
    def resolve_kind_label(obj: Notice) -> str:
        return str(NoticeKind(obj.kind).label)

    @staticmethod
    def resolve_pdf_url(obj: Notice) -> str:
        return reverse("api:case_notice_pdf", kwargs={"case_id": obj.case_id, "notice_id": obj.pk})


class ConfirmIn(Schema):
    confirmed_by_name: LongName = Field(..., description="Name of the person who signed")


class FeeIn(Schema):
    fee_item_id: Id = Field(..., description="Fee item of the case's service item")
    quantity: Count = Field(1, description="Units charged")
    amount: Money = Field(..., description="Yuan; refused above standard × quantity")
    receipt_number: Code = Field("", description="Receipt (票据) number")


class JointTaskCompleteIn(Schema):
    opinion: Text = Field(..., description="The department's opinion")
    agrees: bool = Field(..., description="Whether the department agrees")


class PrereviewTaskDecideIn(Schema):
    decision: Literal["pass", "return"] = Field(..., description="pass or return")
    opinion: Text = Field("", description="The department's opinion (required to return)")


class PrereviewTaskOut(Schema):
    id: int
    department: CodeRefOut
    is_lead: bool
    status: str = Field(..., description="pending, passed or returned")
    opinion: str
    done_by: PersonOut | None
    done_at: datetime.datetime | None


class JointProposalIn(Schema):
    text: Text = Field(..., description="How the lead window proposes to handle the joint case")


class JointMeetingIn(Schema):
    held_at: datetime.datetime = Field(..., description="When the meeting was held")
    participants: Text = Field(..., description="Who took part")
    conclusions: Text = Field(..., description="What was concluded")


class CaseListQuery(Schema):
    status: Short = Field(
        "",
        description="Empty: open cases; closed; all; or one status (e.g. accepted, in_review)",
    )
    kind: Literal["", "immediate", "promised", "joint", "escalated"] = Field(
        "", description="Case kind"
    )
    department: Id | None = Field(None, description="Lead department id")
    window: Id | None = Field(None, description="Window id")
    due: Literal["", "near", "overdue"] = Field(
        "", description="near: at most one working day left; overdue: past the promised date"
    )
    green: bool = Field(False, description="Green-channel cases only")
    q: str = Field("", max_length=60, description="Case number or applicant name contains")
    agent: Literal["", "me"] = Field("", description="me: only the cases I carry (代办)")


# --- helpers ------------------------------------------------------------------------------------

REFUSALS = {404: ErrorOut, **SERVICE_REFUSALS}


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _refused(error: ValidationError) -> Status[dict[str, Any]]:
    """422 (or 409 for a `CaseConflict`) with the service's messages."""
    return service_refusal(error)


def _fresh(case: Case) -> Case:
    """The case as a service returned it, re-read only when its related rows are not loaded
    (`case_act` and intake hand back a case read or written in their own transaction)."""
    if all(getattr(Case, name).field.is_cached(case) for name in CASE_RELATED):
        return case
    return Case.objects.select_related(*CASE_RELATED).get(pk=case.pk)


def _detail(case_id: int) -> Case:
    people = ("done_by", "department")
    return (
        Case.objects.select_related(*DETAIL_RELATED)
        .prefetch_related(
            "materials",
            Prefetch("joint_tasks", JointTask.objects.select_related(*people)),
            Prefetch("joint_proposals", JointProposal.objects.select_related("proposed_by")),
            Prefetch("joint_meetings", JointMeeting.objects.select_related("recorded_by")),
            Prefetch("fees", CaseFee.objects.select_related("fee_item", "recorded_by")),
        )
        .get(pk=case_id)
    )


def _idempotency_key(header: str | None, body: str | None) -> str | None:
    header = (header or "").strip() or None
    body = (body or "").strip() or None
    if header and body and header != body:
        raise ValidationError(
            {
                "idempotency_key": [
                    _("The Idempotency-Key header and the body's idempotency_key differ.")
                ]
            }
        )
    return header or body


def _checks(materials: list[MaterialCheckIn]) -> list[MaterialCheck]:
    return [
        MaterialCheck(
            material_id=m.material_id,
            received=m.received,
            form=m.form,
            copies=m.copies,
            pending=m.pending,
            held_not_brought=m.held_not_brought,
            not_applicable=m.not_applicable,
            reused_from=m.reused_from_case_id,
        )
        for m in materials
    ]


def _applicant(data: ApplicantIn) -> ApplicantData:
    return ApplicantData(
        kind=data.kind,
        name=data.name,
        id_number=data.id_number,
        phone=data.phone,
        legal_representative=data.legal_representative,
        contact_name=data.contact_name,
    )


def _item_in_scope(user: User, item_id: int) -> ServiceItem:
    """A published item of the caller's centers (any department: a comprehensive window serves
    several); whether the caller may receive it is the intake service's check."""
    item = (
        ServiceItem.objects.active()
        .filter(pk=item_id, center__in=centers_in_scope(user))
        .select_related("center", "department")
        .first()
    )
    if item is None:
        raise Http404
    return item


def _window_in_scope(user: User, window_id: int) -> Window:
    window = (
        Window.objects.filter(pk=window_id, center__in=centers_in_scope(user))
        .select_related("center")
        .first()
    )
    if window is None:
        raise Http404
    return window


# --- lists and one case -------------------------------------------------------------------------


@router.get(
    "/",
    response=list[CaseOut],
    summary="Cases I may see, filtered, most urgent first (ID and phone masked)",
    description=(
        "Green-channel cases first, then the nearest promised deadline. Paginated with "
        "`limit` and `offset`; the answer is `{items, count}`."
    ),
)
@paginate(Pagination)
def list_cases(request: HttpRequest, filters: Query[CaseListQuery]):
    status = filters.status.strip()
    if status and status not in {STATE_CLOSED, STATE_ALL, *CaseStatus.values}:
        raise FieldRefused("status", _("Unknown status %(status)s.") % {"status": status})
    case_filters = CaseFilters(
        state=status,
        kind=filters.kind,
        department_id=filters.department,
        window_id=filters.window,
        due=filters.due,
        green=filters.green,
        q=filters.q.strip(),
    )
    cases = case_list(request.user, case_filters, _today())
    if filters.agent == "me":
        cases = cases.filter(agent_id=_user(request).pk)
    return IdsFirst(cases)


@router.get(
    "/{int:case_id}",
    response={200: CaseDetailOut, 404: ErrorOut, 422: ErrorOut},
    summary="One case with the applicant's full data (the read is logged)",
    description=(
        "Shows the full ID and phone numbers, so every call records a personal-data view "
        "(who, when, which case, `purpose`) in the case's log, as SPEC §11 requires."
    ),
    url_name="case_detail",
)
def get_case(
    request: HttpRequest,
    case_id: int,
    purpose: str = Query("", max_length=300, description="Why the data is read (logged)"),
):
    case = access_case(request.user, case_id)
    try:
        personal_data_view_record(
            actor=_user(request),
            case=case,
            purpose=purpose.strip() or _("Case read through the API"),
        )
    except ValidationError as error:
        return _refused(error)
    return _detail(case.pk)


@router.get(
    "/{int:case_id}/events",
    response=list[EventOut],
    summary="The case's timeline: every action, who, when, note, oldest first",
)
def case_events(request: HttpRequest, case_id: int):
    case = access_case(request.user, case_id)
    return list(case_timeline(case))


@router.get(
    "/{int:case_id}/actions",
    response=ActionsOut,
    summary="What I may do with the case now (the state machine's buttons)",
)
def case_actions(request: HttpRequest, case_id: int):
    case = access_case(request.user, case_id)
    rows = available_actions(_user(request), case)
    return {
        "case_id": case.pk,
        "status": case.status,
        "version": case.version,
        "actions": [
            {
                "action": row.action,
                "label": str(Action(row.action).label),
                "next_status": row.next_status if row.next_status in CaseStatus.values else None,
            }
            for row in rows
        ],
    }


@router.post(
    "/{int:case_id}/actions/{action}",
    response={200: CaseOut, **REFUSALS},
    summary="Take an action on the case (accept, approve, deny, suspend, deliver, …)",
    description=(
        "Send the `version` you showed as `expected_version`: if somebody acted first, the "
        "answer is 409 and nothing changes. A forbidden action or bad parameters answer 422 "
        "with the reason. " + PARAMS_HELP
    ),
)
def act(request: HttpRequest, case_id: int, action: str, payload: ActionIn):
    case = access_case(request.user, case_id, for_write=True)
    if action not in Action.values:
        return field_refusal("action", _("Unknown action %(action)s.") % {"action": action})
    try:
        case = case_act(
            actor=_user(request),
            case=case,
            action=action,
            expected_version=payload.expected_version,
            note=payload.note,
            params=action_params(action, payload.params),
        )
    except ValidationError as error:
        return _refused(error)
    return _fresh(case)


# --- intake -------------------------------------------------------------------------------------


@router.post(
    "/propose",
    response={200: ProposalOut, **REFUSALS},
    summary="Propose how intake ends for these materials (SPEC §6)",
    description=(
        "immediate, promised, joint, escalated, supplement (补办: something missing) or "
        "returned (退回: a main material missing). Changes nothing."
    ),
)
def propose(request: HttpRequest, payload: ProposeIn):
    user = _user(request)
    item = _item_in_scope(user, payload.item_id)
    window = _window_in_scope(user, payload.window_id) if payload.window_id else None
    checks = _checks(payload.materials)
    try:
        check_material_flags(item=item, checks=checks, id_number=payload.id_number)
    except ValidationError as error:
        return _refused(error)
    proposal = propose_outcome(
        item=item,
        window=window,
        checks=checks,
        green_channel=payload.green_channel,
    )
    return {
        "outcome": proposal.outcome,
        "outcome_label": str(Outcome(proposal.outcome).label),
        "reasons": [str(reason) for reason in proposal.reasons],
        "missing_main": proposal.missing_main,
        "missing_other": proposal.missing_other,
    }


@router.post(
    "/",
    response={200: CaseOut, 201: CaseOut, **REFUSALS},
    summary="Receive an application at a window and end intake in the chosen outcome",
    description=(
        "The caller must serve the window now. With an `Idempotency-Key` header (or the "
        "body's `idempotency_key`), a repeat returns the case made the first time with 200 "
        "instead of 201, and makes nothing new."
    ),
)
def receive(
    request: HttpRequest,
    payload: ReceiveIn,
    idempotency_key: str | None = Header(
        None, alias=IDEMPOTENCY_HEADER, description="A repeat with the same key makes one case"
    ),
):
    user = _user(request)
    try:
        key = _idempotency_key(idempotency_key, payload.idempotency_key)
    except ValidationError as error:
        return _refused(error)
    window = _window_in_scope(user, payload.window_id)
    item = _item_in_scope(user, payload.item_id)
    if item.center_id != window.center_id:
        return field_refusal("item", _("The window and the item belong to different centers."))
    escalate_to = None
    if payload.escalate_to_id is not None:
        ancestors = [int(part) for part in item.center.path.strip("/").split("/") if part]
        escalate_to = (
            Center.objects.filter(pk__in=ancestors)
            .exclude(pk=item.center_id)
            .filter(pk=payload.escalate_to_id)
            .first()
        )
        if escalate_to is None:
            return field_refusal(
                "escalate_to_id", _("Forward only to a higher-level center of this center.")
            )
    departments = None
    if payload.joint_department_ids is not None:
        wanted = set(payload.joint_department_ids)
        departments = list(Department.objects.filter(center_id=item.center_id, pk__in=wanted))
        if len(departments) != len(wanted):
            return field_refusal(
                "joint_department_ids", _("Joint departments must be departments of this center.")
            )
    existed = key is not None and Case.objects.filter(idempotency_key=key).exists()
    try:
        case = case_receive(
            actor=user,
            item=item,
            window=window,
            applicant=_applicant(payload.applicant),
            materials=_checks(payload.materials),
            outcome=payload.outcome,
            outcome_reason=payload.outcome_reason,
            green_channel=payload.green_channel,
            pending_due_on=payload.pending_due_on,
            reason=payload.reason,
            basis=payload.basis,
            escalate_to=escalate_to,
            forward_by=payload.forward_by,
            joint_departments=departments,
            idempotency_key=key,
            channel=payload.channel,
            agency=_agency(payload.agency),
        )
    except ValidationError as error:
        return _refused(error)
    return Status(200 if existed else 201, _fresh(case))


# --- 一件事 bundles at a window (issue 19 item 5) ------------------------------------------------


class BundleReceiveIn(Schema):
    bundle_code: Code = Field(..., description="A published bundle (一件事) of the window's center")
    window_id: Id = Field(..., description="Receiving window; it must serve every item")
    applicant: ApplicantIn
    materials: list[MaterialCheckIn] = Field(
        ...,
        description=(
            "The bundle's merged materials as checked: a check naming a material counts for "
            "every item asking a material of the same name"
        ),
    )
    idempotency_key: str | None = Field(None, max_length=64)


class CaseBundleOut(Schema):
    number: str
    bundle_code: str
    promised_days: int
    promised_due_on: datetime.date | None
    cases: list[CaseOut]


@router.post(
    "/bundles",
    response={200: CaseBundleOut, 201: CaseBundleOut, **REFUSALS},
    summary="Receive a 一件事 bundle at a window: one case per item, all or nothing",
    description=(
        "Each item's case ends intake in its proposed outcome; an item that would be returned "
        "or asked to supplement refuses the whole bundle (422, nothing made). A repeat with the "
        "same `Idempotency-Key` returns the first application with 200; a key used by someone "
        "else answers 409."
    ),
)
def receive_bundle(
    request: HttpRequest,
    payload: BundleReceiveIn,
    idempotency_key: str | None = Header(
        None, alias=IDEMPOTENCY_HEADER, description="A repeat with the same key makes nothing"
    ),
):
    user = _user(request)
    try:
        key = _idempotency_key(idempotency_key, payload.idempotency_key)
    except ValidationError as error:
        return _refused(error)
    window = _window_in_scope(user, payload.window_id)
    bundle = public_bundles(window.center).filter(code=payload.bundle_code).first()
    if bundle is None:
        raise Http404
    try:
        application, created = case_bundle_receive(
            actor=user,
            bundle=bundle,
            window=window,
            applicant=_applicant(payload.applicant),
            materials=_checks(payload.materials),
            idempotency_key=key,
        )
    except ValidationError as error:
        return _refused(error)
    cases = Case.objects.filter(bundle=application).select_related(*CASE_RELATED).order_by("pk")
    body = {
        "number": application.number,
        "bundle_code": bundle.code,
        "promised_days": application.promised_days,
        "promised_due_on": application.promised_due_on,
        "cases": list(cases),
    }
    return Status(201 if created else 200, body)


def _agency(data: AgencyIn | None) -> AgencyData | None:
    return None if data is None else _agency_of(data)


def _agency_of(data: AgencyIn) -> AgencyData:
    return AgencyData(
        agent_id=data.agent_id,
        letter_number=data.letter_number,
        letter_on=data.letter_on,
        full=data.full,
        scope=data.scope,
    )


@router.put(
    "/{int:case_id}/agency",
    response={200: CaseDetailOut, **REFUSALS},
    summary="Name or change the agent of an open case (代办, with the authorization letter)",
    description=(
        "By the window staff or management whose scope covers the case, or the case's own "
        "agent. The agent's center must be the case's center or below it. 409 when the case "
        "is closed or the caller may not change its agency."
    ),
)
def put_agency(request: HttpRequest, case_id: int, payload: AgencyIn):
    case = access_case(request.user, case_id)
    try:
        agency_assign(actor=_user(request), case=case, data=_agency_of(payload))
    except ValidationError as error:
        return _refused(error)
    return _detail(case.pk)


@router.delete(
    "/{int:case_id}/agency",
    response={200: CaseDetailOut, **REFUSALS},
    summary="End the agency of an open case",
)
def delete_agency(request: HttpRequest, case_id: int, payload: AgencyEndIn | None = None):
    case = access_case(request.user, case_id)
    try:
        agency_end(actor=_user(request), case=case, reason=payload.reason if payload else "")
    except ValidationError as error:
        return _refused(error)
    return _detail(case.pk)


@router.post(
    "/online",
    response={200: CaseOut, 201: CaseOut, **REFUSALS},
    summary="Submit an application online (it waits for pre-review at a window)",
    description=(
        "Send an `Idempotency-Key` header (or the body's `idempotency_key`) so that a repeated "
        "submit makes one case: the first answer is 201, a repeat 200 with the same case."
    ),
)
def submit_online(
    request: HttpRequest,
    payload: OnlineIn,
    idempotency_key: str | None = Header(
        None, alias=IDEMPOTENCY_HEADER, description="A repeat with the same key makes one case"
    ),
):
    user = _user(request)
    try:
        key = _idempotency_key(idempotency_key, payload.idempotency_key)
    except ValidationError as error:
        return _refused(error)
    item = _item_in_scope(user, payload.item_id)
    refusal = online_refusal(item)  # issue 19 item 2: only items the catalog offers online
    if refusal:
        return _refused(ValidationError({"item": [refusal]}))
    try:
        case, created = case_submit_online(
            actor=user,
            item=item,
            applicant=_applicant(payload.applicant),
            materials=_checks(payload.materials),
            idempotency_key=key,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201 if created else 200, _fresh(case))


# --- notices ------------------------------------------------------------------------------------


def _notice_of(case: Case, notice_id: int) -> Notice:
    notice = Notice.objects.select_related("case", "issued_by").filter(case=case, pk=notice_id)
    found = notice.first()
    if found is None:
        raise Http404
    return found


@router.get(
    "/{int:case_id}/notices",
    response=list[NoticeOut],
    summary="The case's notices (acceptance, one-time, return, joint, extension, decision)",
)
def notices(request: HttpRequest, case_id: int):
    case = access_case(request.user, case_id)
    return list(
        Notice.objects.filter(case=case).select_related("issued_by").order_by("issued_at", "id")
    )


@router.get(
    "/{int:case_id}/agency/letter",
    response={404: ErrorOut},
    summary="The scanned authorization letter of a case carried by an agent (代办)",
    description="Served inline with nosniff to those who may see the case; every read logged.",
    url_name="case_agency_letter",
    openapi_extra={
        "responses": {
            200: {
                "description": "The scanned letter (PDF, JPEG or PNG)",
                "content": {"application/octet-stream": {"schema": {"type": "string"}}},
            }
        }
    },
)
def agency_letter_download(request: HttpRequest, case_id: int):
    case = access_case(request.user, case_id)
    if not case.agency_letter:
        raise Http404
    personal_data_view_record(
        actor=_user(request), case=case, purpose=_("scanned authorization letter")
    )
    return stored_file_response(case.agency_letter, stem=f"{case.number}-authorization")


@router.get(
    "/{int:case_id}/notices/{int:notice_id}/pdf",
    response={404: ErrorOut},
    summary="A notice as an A4 PDF (Chinese text, QR code to the progress page)",
    url_name="case_notice_pdf",
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def notice_pdf_download(request: HttpRequest, case_id: int, notice_id: int):
    case = access_case(request.user, case_id)
    notice = _notice_of(case, notice_id)
    pdf = notice_pdf(notice, progress_url=progress_url_for(case, request))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{notice.number}.pdf"'
    return response


@router.post(
    "/{int:case_id}/notices/{int:notice_id}/confirm",
    response={200: NoticeOut, **REFUSALS},
    summary="Record the applicant's signature on a notice (once)",
)
def confirm_notice(request: HttpRequest, case_id: int, notice_id: int, payload: ConfirmIn):
    case = access_case(request.user, case_id, for_write=True)
    notice = _notice_of(case, notice_id)
    try:
        confirmed = notice_confirm(
            actor=_user(request), notice=notice, confirmed_by_name=payload.confirmed_by_name
        )
    except ValidationError as error:
        return _refused(error)
    return Notice.objects.select_related("issued_by").get(pk=confirmed.pk)


# --- fees and joint review ----------------------------------------------------------------------


@router.post(
    "/{int:case_id}/fees",
    response={201: CaseFeeOut, **REFUSALS},
    summary="Record a fee charged on the case (never above the approved standard)",
)
def record_fee(request: HttpRequest, case_id: int, payload: FeeIn):
    case = access_case(request.user, case_id, for_write=True)
    fee_item = FeeItem.objects.filter(pk=payload.fee_item_id, item_id=case.item_id).first()
    if fee_item is None:
        return field_refusal("fee_item", _("This fee does not belong to the case's service item."))
    try:
        fee = case_fee_record(
            actor=_user(request),
            case=case,
            fee_item=fee_item,
            quantity=payload.quantity,
            amount=payload.amount,
            receipt_number=payload.receipt_number,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201, CaseFee.objects.select_related("fee_item", "recorded_by").get(pk=fee.pk))


@router.post(
    "/{int:case_id}/joint-tasks/{int:task_id}/complete",
    response={200: JointTaskOut, **REFUSALS},
    summary="A participating department gives its opinion on a joint case (once)",
)
def complete_joint_task(
    request: HttpRequest, case_id: int, task_id: int, payload: JointTaskCompleteIn
):
    case = access_case(request.user, case_id, for_write=True)
    task = JointTask.objects.filter(case=case, pk=task_id).first()
    if task is None:
        raise Http404
    try:
        done = joint_task_complete(
            actor=_user(request), task=task, opinion=payload.opinion, agrees=payload.agrees
        )
    except ValidationError as error:
        return _refused(error)
    return JointTask.objects.select_related("department", "done_by").get(pk=done.pk)


@router.post(
    "/{int:case_id}/prereview-tasks/{int:task_id}/decide",
    response={200: PrereviewTaskOut, **REFUSALS},
    summary="A participating department passes or returns its pre-review of an online case "
    "(同步预审; the lead department passes through the prereview_pass action)",
)
def decide_prereview_task(
    request: HttpRequest, case_id: int, task_id: int, payload: PrereviewTaskDecideIn
):
    case = access_case(request.user, case_id, for_write=True)
    task = PrereviewTask.objects.filter(case=case, pk=task_id).first()
    if task is None:
        raise Http404
    try:
        done = prereview_task_decide(
            actor=_user(request),
            task=task,
            passed=payload.decision == "pass",
            opinion=payload.opinion,
        )
    except ValidationError as error:
        return _refused(error)
    return PrereviewTask.objects.select_related("department", "done_by").get(pk=done.pk)


@router.post(
    "/{int:case_id}/joint-proposals",
    response={201: JointProposalOut, **REFUSALS},
    summary="The lead window sends its joint-handling proposal to the hall director "
    "(needed before the joint review meeting)",
)
def submit_joint_proposal(request: HttpRequest, case_id: int, payload: JointProposalIn):
    case = access_case(request.user, case_id, for_write=True)
    try:
        proposal = joint_proposal_submit(actor=_user(request), case=case, text=payload.text)
    except ValidationError as error:
        return _refused(error)
    return Status(201, JointProposal.objects.select_related("proposed_by").get(pk=proposal.pk))


@router.post(
    "/{int:case_id}/joint-meetings",
    response={201: JointMeetingOut, **REFUSALS},
    summary="The hall director records a joint review meeting on a joint case",
)
def record_joint_meeting(request: HttpRequest, case_id: int, payload: JointMeetingIn):
    case = access_case(request.user, case_id, for_write=True)
    held_at = payload.held_at
    if timezone.is_naive(held_at):
        held_at = timezone.make_aware(held_at, timezone.get_current_timezone())
    try:
        meeting = joint_meeting_record(
            actor=_user(request),
            case=case,
            held_at=held_at,
            participants=payload.participants,
            conclusions=payload.conclusions,
        )
    except ValidationError as error:
        return _refused(error)
    return Status(201, JointMeeting.objects.select_related("recorded_by").get(pk=meeting.pk))
