"""SMS to the applicant (SPEC §6, issue 3 §12): on acceptance, supplement request, decision,
ready for pickup and the higher level's result; and (issue 16 item 8, seeds/000… 篇1 六(六)3,
篇4 限时办结 二) on an extension with its reason, a pre-review return, a suspension and its
resumption, and when a change of the work calendar (a closure) moves the promised date
(`tell_applicants`, one SMS per case, the cases read in one query).

`tell_applicant(case_id, purpose)` never raises into the caller: the message is built and sent
after the caller's transaction commits (nothing is sent for a change that rolled back), and any
error is logged. The texts are Chinese on purpose, like the printed notices: they go to the
applicant's phone whatever the clerk's interface language is.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from functools import partial

from django.db import transaction
from django.utils import timezone

from govhall.cases.models import Case, CaseMaterial, Notice
from govhall.cases.notice_render import progress_url_for
from govhall.cases.signals import applicant_told
from govhall.cases.statuses import SUSPENSION_REASON_SMS, CaseStatus, Channel, NoticeKind
from govhall.core.notify import send_sms

log = logging.getLogger("govhall.cases.messages")

PURPOSES = frozenset(
    {
        "accepted",
        "supplement",
        "decision",
        "ready_for_pickup",
        "escalation_closed",
        "extended",
        "prereview_returned",
        "suspended",
        "resumed",
        "deadline_moved",
        # issue 19: an online case's result handed over (pickup or express)
        "delivered",
    }
)
_RELATED = ("center", "item", "applicant", "window", "escalated_to")
# Names of missing materials listed in a supplement SMS before "等N项".
MAX_LISTED_MATERIALS = 5


def tell_applicant(case_id: int, purpose: str, *, case: Case | None = None) -> None:
    """Send the applicant the SMS for `purpose` once the current transaction commits. `case`:
    the case object as the transaction leaves it, with its center, item, applicant and window
    loaded (intake passes its own), read again otherwise."""
    if purpose not in PURPOSES:
        log.error("tell_applicant: unknown purpose %r for case %s", purpose, case_id)
        return
    if case is not None:
        transaction.on_commit(partial(_send_to, case, purpose))
        return
    transaction.on_commit(partial(_send, case_id, purpose))


def tell_applicants(case_ids: Iterable[int], purpose: str) -> None:
    """Send each case's applicant the SMS for `purpose` once the current transaction commits
    (immediately outside one): the cases are read in one query, one SMS per case."""
    ids = sorted(set(case_ids))
    if not ids:
        return
    if purpose not in PURPOSES:
        log.error("tell_applicants: unknown purpose %r", purpose)
        return
    transaction.on_commit(partial(_send_many, ids, purpose))


def _send_many(case_ids: list[int], purpose: str) -> None:
    try:
        cases = list(Case.objects.select_related(*_RELATED).filter(pk__in=case_ids).order_by("pk"))
    except Exception:
        log.exception("tell_applicants(%s) failed", purpose)
        return
    for case in cases:
        _send_to(case, purpose)


def _send(case_id: int, purpose: str) -> None:
    try:
        case = Case.objects.select_related(*_RELATED).filter(pk=case_id).first()
    except Exception:
        log.exception("tell_applicant(%s, %s) failed", case_id, purpose)
        return
    if case is None:
        log.warning("tell_applicant: case %s does not exist", case_id)
        return
    _send_to(case, purpose)


def _send_to(case: Case, purpose: str) -> None:
    try:
        text = sms_text(case, purpose)
        phone = (case.applicant.phone or "").strip()
        if phone:
            send_sms(
                to=phone, text=text, purpose=f"case.{purpose}", obj=case, center_id=case.center_id
            )
        else:
            log.warning("tell_applicant: case %s has no applicant phone", case.number)
        # issue 19: the online hall shows it on the applicant's accounts' pages too
        applicant_told.send_robust(sender=Case, case=case, purpose=purpose, text=text)
    except Exception:  # a failed SMS must never break the action that caused it
        log.exception("tell_applicant(%s, %s) failed", case.pk, purpose)


def _cn_date(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def _promise(case: Case) -> str:
    if case.promised_due_on is None:
        return ""
    return f"承诺于{_cn_date(case.promised_due_on)}前办结。"


def _progress_hint(case: Case) -> str:
    url = progress_url_for(case)
    # A relative link means nothing on a phone: only a configured public address is sent.
    return f"查询进度：{url}" if url.startswith("http") else "可凭办件号查询办理进度。"


def _missing_names(case: Case) -> list[str]:
    notice = (
        Notice.objects.filter(case_id=case.pk, kind=NoticeKind.ONE_TIME)
        .order_by("-issued_at", "-id")
        .first()
    )
    if notice is not None:
        content = notice.content or {}
        names = [row.get("name", "") for row in content.get("materials_missing") or []]
        names += list(content.get("extra_missing") or [])
        return [name for name in names if name]
    return list(
        CaseMaterial.objects.filter(
            case_id=case.pk, received=False, pending=False, not_applicable=False
        )
        .order_by("position", "id")
        .values_list("name", flat=True)
    )


def sms_text(case: Case, purpose: str) -> str:
    """The Chinese text of the SMS for `purpose`, without the signature: `core.notify` starts
    every SMS with the configured one (GOVHALL_SMS_SIGNATURE); the center is named here."""
    about = f"您在{case.center.name}申请的{case.item.name}（办件号{case.number}）"
    window = str(case.window) if case.window_id else "办事窗口"
    if purpose == "accepted":
        if case.kind == "immediate" or case.promised_due_on is None:
            tail = "已受理。"
        elif case.promised_due_on <= timezone.localdate(case.accepted_at or timezone.now()):
            tail = "已受理，当日办结。"
        else:
            tail = f"已受理，承诺于{_cn_date(case.promised_due_on)}前办结。"
        return f"{about}{tail}{_progress_hint(case)}"
    if purpose == "supplement":
        names = _missing_names(case)
        listed = "、".join(names[:MAX_LISTED_MATERIALS])
        if len(names) > MAX_LISTED_MATERIALS:
            listed += f"等{len(names)}项"
        what = f"需补正：{listed}。" if listed else "需补正材料，详见一次性告知书。"
        # An online applicant answers the one-time notice online (issue 19 item 2).
        where = (
            "请登录网上办事大厅上传补正材料。"
            if case.channel == Channel.ONLINE
            else f"请补齐后到{window}办理。"
        )
        return f"{about}材料不全，{what}{where}{_progress_hint(case)}"
    if purpose == "decision" and case.status == CaseStatus.ESCALATION_CLOSED:
        purpose = "escalation_closed"
    if purpose == "decision":
        if case.status == CaseStatus.DENIED:
            result = (
                "已办结，决定不予许可，理由及救济途径详见决定书，可在网上办事大厅查看。"
                if case.channel == Channel.ONLINE
                else "已办结，决定不予许可，理由及救济途径详见决定书，请到窗口领取。"
            )
        else:
            result = "已办结，决定准予许可。"
        return f"{about}{result}{_progress_hint(case)}"
    if purpose == "ready_for_pickup":
        if case.delivery_method == "express":  # the applicant chose express: no trip to make
            return f"{about}的办理结果已制作完成，将邮寄送达，寄出后另行短信告知运单号。"
        return f"{about}的办理结果已制作完成，请携带有效身份证件到{window}领取。"
    if purpose == "escalation_closed":
        higher = case.escalated_to.name if case.escalated_to else "上级机关"
        return f"{about}已由{higher}办结，结果已返回。{_progress_hint(case)}"
    if purpose == "extended":
        return (
            f"{about}因{case.extension_reason}，经批准延长办理期限"
            f"{case.extension_days}个工作日，{_promise(case)}详见延期告知书。{_progress_hint(case)}"
        )
    if purpose == "prereview_returned":
        why = f"，原因：{case.reason}" if case.reason else ""
        return f"{about}预审未通过，已退回{why}。请按要求修改后重新提交。{_progress_hint(case)}"
    if purpose == "suspended":
        ground = SUSPENSION_REASON_SMS.get(case.suspension_reason, case.suspension_reason)
        note = f"（{case.suspension_note}）" if case.suspension_note else ""
        return (
            f"{about}因需{ground}{note}暂停办理，暂停期间不计入办理时限，"
            f"恢复办理时将另行通知。{_progress_hint(case)}"
        )
    if purpose == "resumed":
        return f"{about}已恢复办理，{_promise(case)}{_progress_hint(case)}"
    if purpose == "delivered":
        if case.delivery_method == "express":
            number = case.tracking_number
            how = f"已通过快递寄出，运单号{number}。" if number else "已通过快递寄出。"
        else:
            how = "已在窗口领取。"
        return f"{about}的办理结果{how}{_progress_hint(case)}"
    if purpose == "deadline_moved":
        return (
            f"{about}因办事大厅休息日调整，{_promise(case)}"
            f"给您带来不便，敬请谅解。{_progress_hint(case)}"
        )
    raise ValueError(f"unknown purpose {purpose!r}")
