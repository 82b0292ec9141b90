"""Notices handed to the applicant (受理通知书, 一次性告知书, 不予受理通知书, 决定书 ...).

`notice_issue` writes what the paper says into `Notice.content` at issue time, so a later change
to the case or the catalog never rewrites a paper already handed out. The engine
(`services.actions` / `services.intake`) calls it inside its own transaction, after it applied
the action's changes to the case object (saved or not): the notice reads the case as passed in.

The wording of the documents is Chinese on purpose: they are official papers in a fixed form
(like the national status labels of `case_transitions.py`), independent of the clerk's interface
language. Error messages are English msgids as everywhere else.

`content` keys (all JSON; dates ISO `YYYY-MM-DD`, missing values "" / None / []):
  kind, title, subtitle, number, case_number, issued_at (ISO datetime), issued_on,
  center {name, address, phone}, department, item {name, code},
  applicant {name, kind, id_masked}, received_on, accepted_on, clock_started_on,
  promised_days, legal_days, promised_due_on, legal_due_on,
  materials_received / materials_missing / materials_pending: [{name, is_main, form, copies,
  due_on}], extra_missing: [str], reason, basis, extension_days, extension_reason,
  decision ("approved" | "denied" | ""), decision_text, certificate_number, rights (text or ""),
  lead_department, joint_tasks: [{department, due_on}], escalated_to, forward_by,
  window, clerk, override_reason, body / closing: [paragraphs as printed before / after the
  tables], issuer (who signs and seals the paper: the center, or for a decision the licensing
  department, 以部门名义, seeds/002… 三(一)1), past_promise_confirmed (bool).

A notice whose promised date (`promised_due_on`) lies before its issue day is refused unless the
caller passes `confirm_past_promise=True` (the clerk was warned and confirmed; issue 17 item 3).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.access.cases import cases_in_scope
from govhall.cases.events import CaseEvent
from govhall.cases.models import Case, CaseMaterial, JointTask, Notice
from govhall.cases.queries.known import case_materials_of, case_notices_of, note_notice
from govhall.cases.services.permissions import manages
from govhall.cases.statuses import CaseStatus, NoticeKind
from govhall.core.events import record_event
from govhall.core.idnumbers import mask_id
from govhall.core.models import User
from govhall.core.roles import CASE_ACTOR_ROLES, roles_of
from govhall.core.validation import Conflict, FieldErrors
from govhall.org.models import Center, Department
from govhall.workdays.queries.calendar import deadline_date
from govhall.workdays.queries.work_calendar import CalendarRangeError

# Kind codes in notice numbers: <case number>-<code><2-digit sequence>,
# e.g. 3301002025100900001-SL01.
KIND_CODE: dict[str, str] = {
    NoticeKind.ACCEPTANCE: "SL",  # 受理
    NoticeKind.ONE_TIME: "BZ",  # 补正
    NoticeKind.NOT_ACCEPTED: "BSL",  # 不受理
    NoticeKind.PREREVIEW_RETURN: "YT",  # 预审退回
    NoticeKind.JOINT: "LB",  # 联办
    NoticeKind.ESCALATED: "SB",  # 上报
    NoticeKind.EXTENSION: "YQ",  # 延期
    NoticeKind.DECISION: "JD",  # 决定
}

TITLES: dict[str, tuple[str, str]] = {
    NoticeKind.ACCEPTANCE: ("受理通知书", ""),
    NoticeKind.ONE_TIME: ("一次性告知书", "（补正材料通知书）"),
    NoticeKind.NOT_ACCEPTED: ("不予受理通知书", "（退回件通知书）"),
    NoticeKind.PREREVIEW_RETURN: ("预审退回通知书", ""),
    NoticeKind.JOINT: ("联办件通知书", ""),
    NoticeKind.ESCALATED: ("上报件告知书", ""),
    NoticeKind.EXTENSION: ("延期办理告知书", ""),
}
DECISION_TITLES = {"approved": "准予许可决定书", "denied": "不予许可决定书"}
RESULT_TITLE = "转报件办理结果告知书"  # the higher level's result, outcome not stated

# 行政复议法 §20, 行政诉讼法 §46.
RIGHTS_TEXT = (
    "申请人如对本决定不服，可在收到本决定之日起60日内依法申请行政复议，"
    "或者在6个月内依法提起行政诉讼。"
)

FORM_LABELS = {"original": "原件", "copy": "复印件", "both": "原件及复印件"}

OVERRIDE_REASON_MAX = Notice._meta.get_field("override_reason").max_length or 300
# Statuses whose decision is "approved" when a decision notice does not say otherwise.
_APPROVED = {CaseStatus.APPROVED, CaseStatus.CERTIFICATE_READY}


def cn_date(value: datetime.date | str | None) -> str:
    """2025年10月9日 (empty for None)."""
    if not value:
        return ""
    day = datetime.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.year}年{day.month}月{day.day}日"


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _local_day(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(value) if value else None


def _material_row(material: CaseMaterial) -> dict[str, Any]:
    return {
        "name": material.name,
        "is_main": material.is_main,
        "form": material.form,
        "copies": material.copies,
        "due_on": _iso(material.due_on),
    }


def _str_list(value: object) -> list[str]:
    if not value:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, Iterable):
        return []
    return [str(item).strip() for item in value if str(item).strip()]


def _departments(value: object) -> list[Department]:
    if not value or not isinstance(value, Iterable) or isinstance(value, str):
        return []
    ids = [item.pk if isinstance(item, Department) else int(item) for item in value]
    by_id = Department.objects.in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def _date_param(value: object) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str) and value:
        return datetime.date.fromisoformat(value)
    return None


def _base_content(
    *, case: Case, kind: str, actor: User | None, issued_at: datetime.datetime, number: str
) -> dict[str, Any]:
    center = case.center
    applicant = case.applicant
    title, subtitle = TITLES.get(kind, ("", ""))
    return {
        "kind": kind,
        "title": title,
        "subtitle": subtitle,
        "number": number,
        "case_number": case.number,
        "issued_at": issued_at.isoformat(),
        "issued_on": timezone.localdate(issued_at).isoformat(),
        "center": {"name": center.name, "address": center.address, "phone": center.phone},
        "department": case.department.name,
        "item": {"name": case.item.name, "code": case.item.code},
        "applicant": {
            "name": applicant.name,
            "kind": applicant.kind,
            "id_masked": mask_id(applicant.id_number),
        },
        "received_on": _iso(_local_day(case.received_at)),
        "accepted_on": _iso(_local_day(case.accepted_at)),
        "clock_started_on": _iso(case.clock_started_on),
        "promised_days": case.promised_days,
        "legal_days": case.legal_days,
        "promised_due_on": _iso(case.promised_due_on),
        "legal_due_on": _iso(case.legal_due_on),
        "materials_received": [],
        "materials_missing": [],
        "materials_pending": [],
        "extra_missing": [],
        "reason": case.reason,
        "basis": case.basis,
        "extension_days": case.extension_days,
        "extension_reason": case.extension_reason,
        "decision": "",
        "decision_text": "",
        "certificate_number": "",
        "rights": "",
        "lead_department": case.department.name,
        "joint_tasks": [],
        "escalated_to": case.escalated_to.name if case.escalated_to else "",
        "forward_by": _iso(case.forward_by),
        "window": str(case.window) if case.window_id else "",
        "clerk": actor.display_name if actor is not None else "",
        "override_reason": "",
        "body": [],
        "closing": [],
        "issuer": center.name,
        "past_promise_confirmed": False,
    }


def _fill_materials(content: dict[str, Any], case: Case, missing_ids: list[int] | None) -> None:
    materials = case_materials_of(case)
    missing: list[CaseMaterial] = []
    for material in materials:
        if missing_ids is not None:
            is_missing = material.pk in missing_ids
        else:
            is_missing = not (material.received or material.pending or material.not_applicable)
        if material.pending and not material.received:
            content["materials_pending"].append(_material_row(material))
        elif is_missing:
            missing.append(material)
        elif material.received:
            content["materials_received"].append(_material_row(material))
    content["materials_missing"] = [_material_row(m) for m in missing]


def _opening(content: dict[str, Any]) -> str:
    return f"你（单位）于{cn_date(content['received_on'])}提出的{content['item']['name']}申请"


def _build(
    *, content: dict[str, Any], case: Case, kind: str, extra: dict[str, Any]
) -> dict[str, Any]:
    """Fill the kind-specific part of `content` and the printed paragraphs."""
    item = content["item"]["name"]
    number = content["case_number"]
    body: list[str] = []
    closing: list[str] = []
    reason = str(extra.get("reason") or content["reason"] or "").strip()
    basis = str(extra.get("basis") or content["basis"] or "").strip()
    content["reason"], content["basis"] = reason, basis
    missing_ids = extra.get("missing")
    _fill_materials(
        content, case, [int(pk) for pk in missing_ids] if missing_ids is not None else None
    )

    if kind in (NoticeKind.ACCEPTANCE, NoticeKind.JOINT, NoticeKind.ESCALATED):
        accepted = content["accepted_on"] or content["issued_on"]
        content["accepted_on"] = accepted
        body.append(
            f"{_opening(content)}，申请材料齐全、符合法定形式，本中心已于{cn_date(accepted)}"
            f"予以受理，办件号：{number}。"
        )
    if kind == NoticeKind.ACCEPTANCE:
        if case.kind == "immediate" or content["promised_days"] == 0:
            body.append("本事项为即办件，当场办结。")
        else:
            body.append(
                f"本事项法定办理时限为{content['legal_days']}个工作日，承诺办理时限为"
                f"{content['promised_days']}个工作日，承诺于{cn_date(content['promised_due_on'])}"
                f"前办结（法定期限至{cn_date(content['legal_due_on'])}）。"
            )
        if content["materials_pending"]:
            body.append("下列材料容缺受理，请按期补交，逾期未补交的将按规定处理：")
        closing.append("请妥善保管本通知书，可凭办件号查询办理进度、领取办理结果。")
    elif kind == NoticeKind.ONE_TIME:
        content["extra_missing"] = _str_list(extra.get("extra_items") or extra.get("extra"))
        if not content["materials_missing"] and not content["extra_missing"]:
            raise ValidationError(_("List at least one missing material for a one-time notice."))
        body.append(
            f"{_opening(content)}（办件号：{number}），经审查，申请材料不齐全或者不符合法定形式。"
            "根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知你（单位）"
            "需要补正的全部内容如下："
        )
        closing.append(
            "请补齐上述材料后到窗口办理。办理时限自材料补齐之日起计算。"
            "本中心不再就本申请要求补正上述以外的材料。"
        )
    elif kind == NoticeKind.NOT_ACCEPTED:
        if not reason or not basis:
            raise ValidationError(_("A notice of return needs the reason and the legal basis."))
        content["rights"] = RIGHTS_TEXT
        body.append(f"{_opening(content)}（办件号：{number}），经审查，决定不予受理。")
        body.append(f"理由：{reason}")
        body.append(f"依据：{basis}")
        closing.append("申请材料予以退回。")
    elif kind == NoticeKind.PREREVIEW_RETURN:
        if not reason:
            raise ValidationError(_("A return at pre-review needs the reason."))
        body.append(f"{_opening(content)}（办件号：{number}），经预审，予以退回。")
        body.append(f"理由：{reason}")
        if basis:
            body.append(f"依据：{basis}")
        closing.append("请按上述意见修改完善后重新提交申请。")
    elif kind == NoticeKind.JOINT:
        _fill_joint(content, case, extra)
        others = "、".join(task["department"] for task in content["joint_tasks"])
        body.append(
            f"本事项为联办件，由{content['lead_department']}牵头"
            + (f"，会同{others}并联办理" if others else "")
            + "。各部门的办理时限见下表。"
        )
        body.append(
            f"承诺于{cn_date(content['promised_due_on'])}前办结"
            f"（法定期限至{cn_date(content['legal_due_on'])}）。"
        )
    elif kind == NoticeKind.ESCALATED:
        target = extra.get("escalate_to") or extra.get("escalated_to")
        if isinstance(target, Center):
            content["escalated_to"] = target.name
        elif target:
            center = Center.objects.filter(pk=int(str(target))).first()
            content["escalated_to"] = center.name if center else ""
        forward_by = _date_param(extra.get("forward_by"))
        if forward_by:
            content["forward_by"] = forward_by.isoformat()
        if not content["escalated_to"]:
            raise ValidationError(_("Name the higher-level center the case is forwarded to."))
        body.append(
            f"依照规定，本事项由{content['escalated_to']}作出决定。本中心将于"
            f"{cn_date(content['forward_by'])}前将申请材料转报{content['escalated_to']}，"
            "办理结果返回后将及时告知你（单位）。"
        )
    elif kind == NoticeKind.EXTENSION:
        _fill_extension(content, case, extra)
        body.append(
            f"你（单位）申请的{item}（办件号：{number}），因{content['extension_reason']}，"
            "不能在原定期限内作出决定。根据《中华人民共和国行政许可法》第四十二条的规定，"
            f"经批准，办理期限延长{content['extension_days']}个工作日。"
        )
        body.append(
            f"延期后承诺于{cn_date(content['promised_due_on'])}前办结，"
            f"法定期限至{cn_date(content['legal_due_on'])}。"
        )
    elif kind == NoticeKind.DECISION:
        _fill_decision(content, case, extra, body, closing)
    content["body"] = body
    content["closing"] = closing
    return content


def _fill_joint(content: dict[str, Any], case: Case, extra: dict[str, Any]) -> None:
    tasks = list(
        JointTask.objects.filter(case_id=case.pk).select_related("department").order_by("id")
    )
    if tasks:
        content["joint_tasks"] = [
            {"department": task.department.name, "due_on": _iso(task.due_on)} for task in tasks
        ]
        return
    departments = _departments(extra.get("departments") or extra.get("joint_departments"))
    if not departments:
        departments = list(case.item.joint_departments.order_by("id"))
    task_days = int(extra.get("task_days") or case.promised_days or 0)
    start = case.clock_started_on
    rows = []
    for department in departments:
        if department.pk == case.department_id:
            continue
        due = None
        if start is not None and task_days > 0:
            try:
                due = deadline_date(case.center_id, start, task_days)
            except CalendarRangeError:
                due = None
        rows.append({"department": department.name, "due_on": _iso(due)})
    content["joint_tasks"] = rows


def _fill_extension(content: dict[str, Any], case: Case, extra: dict[str, Any]) -> None:
    days = int(extra.get("days") or extra.get("extension_days") or case.extension_days or 0)
    reason = str(extra.get("reason") or case.extension_reason or "").strip()
    if days <= 0 or not reason:
        raise ValidationError(_("An extension notice needs the number of days and the reason."))
    content["extension_days"], content["extension_reason"] = days, reason
    content["reason"] = reason
    promised = _date_param(extra.get("promised_due_on"))
    legal = _date_param(extra.get("legal_due_on"))
    if promised is None and legal is None and case.extension_days == 0:
        # Called before the engine moved the deadlines: add the extension to the current ones
        # (adding N then M working days equals adding N + M).
        try:
            if case.promised_due_on:
                promised = deadline_date(case.center_id, case.promised_due_on, days)
            if case.legal_due_on:
                legal = deadline_date(case.center_id, case.legal_due_on, days)
        except CalendarRangeError as error:
            raise ValidationError(str(error)) from None
    if promised:
        content["promised_due_on"] = promised.isoformat()
    if legal:
        content["legal_due_on"] = legal.isoformat()


def _fill_decision(
    content: dict[str, Any],
    case: Case,
    extra: dict[str, Any],
    body: list[str],
    closing: list[str],
) -> None:
    decision = extra.get("decision")
    if decision is None and extra.get("approved") is not None:
        decision = "approved" if extra["approved"] else "denied"
    if decision is None:
        if case.status in _APPROVED:
            decision = "approved"
        elif case.status == CaseStatus.DENIED:
            decision = "denied"
    text = str(
        extra.get("decision_text")
        or extra.get("result")
        or extra.get("note")
        or case.escalation_result
        or ""
    ).strip()
    content["decision_text"] = text
    content["certificate_number"] = str(extra.get("certificate_number") or "")
    number = content["case_number"]
    reason, basis = content["reason"], content["basis"]
    higher = content["escalated_to"]
    if higher and case.status == CaseStatus.ESCALATION_CLOSED:
        # The higher level decided; its result may or may not say approved/denied.
        if not text:
            raise ValidationError(_("Enter the result from the higher level."))
        content["decision"] = decision if decision in DECISION_TITLES else ""
        content["title"] = DECISION_TITLES.get(content["decision"], RESULT_TITLE)
        body.append(
            f"{_opening(content)}（办件号：{number}），已转报{higher}办理。{higher}的办理结果如下："
        )
        body.append(text)
        if content["decision"] == "denied":
            if reason:
                body.append(f"理由：{reason}")
            if basis:
                body.append(f"依据：{basis}")
            content["rights"] = RIGHTS_TEXT
        elif content["decision"] == "approved":
            closing.append("请凭本决定书及有效身份证件领取办理结果。")
        return
    if decision not in DECISION_TITLES:
        raise ValidationError(_("Say whether the decision approves or denies the application."))
    # The licensing department decides (以部门名义, seeds/002… 三(一)1): its name heads the paper
    # and its seal closes it; the center only relays a higher level's result (above).
    content["issuer"] = content["department"]
    content["decision"] = decision
    content["title"] = DECISION_TITLES[decision]
    if decision == "approved":
        body.append(
            f"{_opening(content)}（办件号：{number}），经审查，符合法定条件、标准，决定准予许可。"
        )
        if basis:
            body.append(f"依据：{basis}")
        if text:
            body.append(text)
        closing.append("请凭本决定书及有效身份证件领取办理结果。")
        return
    if not reason or not basis:
        raise ValidationError(_("A denial needs the reason and the legal basis."))
    body.append(
        f"{_opening(content)}（办件号：{number}），经审查，不符合法定条件、标准，决定不予许可。"
    )
    body.append(f"理由：{reason}")
    body.append(f"依据：{basis}")
    content["rights"] = RIGHTS_TEXT


# Kinds whose paper promises a date (承诺于…前办结).
PROMISING_KINDS = frozenset({NoticeKind.ACCEPTANCE, NoticeKind.JOINT, NoticeKind.EXTENSION})


def promise_passed(content: dict[str, Any]) -> datetime.date | None:
    """The promised date of a notice's `content` when it lies before the issue day, else None."""
    if content.get("kind") not in PROMISING_KINDS:
        return None
    promised = _date_param(content.get("promised_due_on"))
    issued = _date_param(content.get("issued_on"))
    if promised is None or issued is None or promised >= issued:
        return None
    return promised


def past_promise_message(promised: datetime.date) -> str:
    return _(
        "The promised date of this notice (%(date)s) has already passed. Tell the applicant "
        "why, then confirm to issue the notice anyway."
    ) % {"date": cn_date(promised)}


def _lock_case(case: Case) -> None:
    # Serializes notice numbering and the one-time rule; a no-op re-lock inside the engine's
    # transaction, which already holds the row.
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()


def notice_issue(
    *,
    actor: User | None,  # None: the system (a decision by timeout default)
    case: Case,
    kind: str,
    extra: dict[str, Any] | None = None,
    override_reason: str = "",
    at: datetime.datetime | None = None,
    confirm_past_promise: bool = False,
    case_locked: bool = False,
) -> Notice:
    """Issue a notice of `kind` for `case` and record it.

    `case_locked`: the caller holds the case's row lock in its own transaction (the action
    engine does): no second lock, no savepoint of our own (a refusal fails the caller's action).

    A notice promising a date before its issue day (an acceptance whose clock ran from receipt
    under 行政许可法 §32, an extension of an overdue case) is refused with a ValidationError on
    `confirm_past_promise` unless that flag is True: the clerk was warned and confirmed.

    Permission to take the action behind the notice is the engine's business; here only the
    one-time rule is enforced: a second one_time notice on the same case needs management and a
    reason (logged as `case.override_notice`).

    `extra` (all optional): reason, basis (default: the case's); missing (CaseMaterial ids; default
    every material neither received nor pending), extra_items / extra (free-text missing items);
    departments / joint_departments (ids), task_days (joint, before tasks exist); escalate_to
    (Center or id), forward_by (date); days, reason, promised_due_on, legal_due_on (extension);
    decision ("approved" | "denied") or approved (bool), decision_text / result / note,
    certificate_number (decision).
    """
    with transaction.atomic(savepoint=not case_locked):
        return _issue(
            actor=actor,
            case=case,
            kind=kind,
            extra=extra,
            override_reason=override_reason,
            at=at,
            confirm_past_promise=confirm_past_promise,
            case_locked=case_locked,
        )


def _issue(
    *,
    actor: User | None,
    case: Case,
    kind: str,
    extra: dict[str, Any] | None,
    override_reason: str,
    at: datetime.datetime | None,
    confirm_past_promise: bool,
    case_locked: bool,
) -> Notice:
    extra = dict(extra or {})
    issued_at = at or timezone.now()
    override_reason = (override_reason or "").strip()
    if kind not in NoticeKind.values:
        raise ValidationError(_("Unknown kind of notice: %(kind)s.") % {"kind": kind})
    if not case_locked:
        _lock_case(case)
    known = case_notices_of(case)  # an intake knows its new case's notices: no query
    overridden = False
    if kind == NoticeKind.ONE_TIME:
        if known is not None:
            already = any(n.kind == NoticeKind.ONE_TIME for n in known)
        else:
            already = Notice.objects.filter(case_id=case.pk, kind=NoticeKind.ONE_TIME).exists()
        if already:
            if not override_reason or actor is None or not manages(actor, case):
                raise ValidationError(
                    _(
                        "A one-time notice was already issued for this case; a second one needs "
                        "a manager's override with a reason."
                    )
                )
            errors = FieldErrors()
            errors.text(
                "override_reason",
                override_reason,
                max_length=OVERRIDE_REASON_MAX,
                too_long=_("The override reason is too long (at most %(max)d characters).")
                % {"max": OVERRIDE_REASON_MAX},
            )
            errors.raise_if_any()
            overridden = True
    code = KIND_CODE[kind]
    if known is not None:
        seq = sum(1 for n in known if n.kind == kind) + 1
    else:
        seq = Notice.objects.filter(case_id=case.pk, kind=kind).count() + 1
    number = f"{case.number}-{code}{seq:02d}"
    content = _base_content(case=case, kind=kind, actor=actor, issued_at=issued_at, number=number)
    content = _build(content=content, case=case, kind=kind, extra=extra)
    past = promise_passed(content)
    if past is not None:
        if not confirm_past_promise:
            raise ValidationError({"confirm_past_promise": past_promise_message(past)})
        content["past_promise_confirmed"] = True
    if overridden:
        content["override_reason"] = override_reason
    notice = Notice.objects.create(
        case=case,
        kind=kind,
        number=number,
        issued_at=issued_at,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
        content=content,
        override_reason=override_reason if overridden else "",
    )
    note_notice(case, notice)
    if kind == NoticeKind.ONE_TIME:
        Case.objects.filter(pk=case.pk).update(supplement_notices=F("supplement_notices") + 1)
        case.supplement_notices = (
            Case.objects.filter(pk=case.pk).values_list("supplement_notices", flat=True).get()
        )
    record_event(
        actor=actor,
        action=CaseEvent.ISSUE_NOTICE,
        obj=case,
        center_id=case.center_id,
        note=content["title"],
        data={
            "notice": notice.number,
            "notice_id": notice.pk,
            "kind": kind,
            **({"past_promise_confirmed": True} if past is not None else {}),
        },
    )
    if overridden:
        record_event(
            actor=actor,
            action=CaseEvent.OVERRIDE_NOTICE,
            obj=case,
            center_id=case.center_id,
            note=override_reason,
            data={"notice": notice.number, "notice_id": notice.pk, "kind": kind},
        )
    return notice


CONFIRM_NAME_MAX = Notice._meta.get_field("confirmed_by_name").max_length or 100


@transaction.atomic
def notice_confirm(*, actor: User, notice: Notice, confirmed_by_name: str) -> Notice:
    """Record that the applicant signed for the notice (once)."""
    errors = FieldErrors()
    name = errors.text(
        "confirmed_by_name",
        confirmed_by_name,
        max_length=CONFIRM_NAME_MAX,
        required=_("Give the name of the person who signed."),
        too_long=_("The name is too long (at most %(max)d characters).")
        % {"max": CONFIRM_NAME_MAX},
    )
    errors.raise_if_any()
    allowed = getattr(actor, "is_superuser", False) or bool(roles_of(actor) & CASE_ACTOR_ROLES)
    if not allowed or not cases_in_scope(actor).filter(pk=notice.case_id).exists():
        raise ValidationError(_("You cannot record confirmations for this case's notices."))
    locked = Notice.objects.select_for_update().select_related("case").get(pk=notice.pk)
    if locked.confirmed_at is not None:
        raise Conflict(
            _("The applicant already confirmed this notice (%(name)s, %(date)s).")
            % {
                "name": locked.confirmed_by_name,
                "date": timezone.localtime(locked.confirmed_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    locked.confirmed_at = timezone.now()
    locked.confirmed_by_name = name
    locked.confirmation_recorded_by = actor
    locked.save(update_fields=["confirmed_at", "confirmed_by_name", "confirmation_recorded_by"])
    record_event(
        actor=actor,
        action=CaseEvent.CONFIRM_NOTICE,
        obj=locked.case,
        center_id=locked.case.center_id,
        note=name,
        data={"notice": locked.number, "notice_id": locked.pk, "kind": locked.kind},
    )
    return locked
