"""Results reach the applicant online (issue 19 item 2, 二(四) 网上办结、结果电子送达).

- `case_messages_post`: whenever cases tells an applicant something (the SMS of a pre-review
  return, a supplement request, the acceptance, the decision, the delivery — the signal
  `govhall.cases.signals.applicant_told`, sent after the commit), each verified, active account
  of the case's applicant (and the account that applied online for it) gets the same as a
  message on its page (`AccountMessage`).
- `delivery_choose`: until the case is delivered, the applicant chooses pickup at the window or
  express mail with an address; the clerk's delivery form shows the choice.
- `result_notices`: the notices and the decision document of a case, downloadable as PDFs by
  the owner account (electronic delivery; the portal's views check the account).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from govhall.cases.case_transitions import FINAL_STATUSES
from govhall.cases.models import Case, Notice
from govhall.cases.statuses import CaseStatus, DeliveryMethod
from govhall.core.events import record_event
from govhall.core.validation import Conflict, FieldErrors
from govhall.online.access.my_page import access_my_case
from govhall.online.events import OnlineEvent
from govhall.online.models import AccountMessage, ApplicantAccount, OnlineApplication

log = logging.getLogger("govhall.online.results")

ADDRESS_MAX = 300


def _title(purpose: str) -> str:
    titles = {
        "prereview_returned": _("Your application was returned at pre-review"),
        "supplement": _("Materials to supplement"),
        "accepted": _("Your application was accepted"),
        "decision": _("Your case was decided"),
        "ready_for_pickup": _("Your result is ready"),
        "delivered": _("Your result was delivered"),
        "escalation_closed": _("Your case was decided by the higher level"),
        "extended": _("The time limit of your case was extended"),
        "suspended": _("Your case is suspended"),
        "resumed": _("Your case resumed"),
        "deadline_moved": _("The promised date of your case moved"),
    }
    return titles.get(purpose, _("News about your case"))


def accounts_of_case(case: Case) -> QuerySet[ApplicantAccount]:
    """The verified, active accounts that follow `case`: those of its applicant and the one
    that applied online for it."""
    applied = Q(pk__in=[])
    if case.pk and not Case._meta.get_field("online_application").is_cached(case):
        # Not loaded: ask for the application's accounts in the same query (issue 20).
        applications = OnlineApplication.objects.filter(case_id=case.pk)
        applied = Q(pk__in=applications.values("account_id")) | Q(
            pk__in=applications.filter(acting_for__isnull=False).values("acting_for_id")
        )
    elif case.pk:
        application = getattr(case, "online_application", None)
        if application is not None:
            applied = Q(pk=application.account_id)
            if application.acting_for_id:
                applied |= Q(pk=application.acting_for_id)
    return ApplicantAccount.objects.filter(
        Q(applicant_id=case.applicant_id) | applied,
        verified_at__isnull=False,
        is_active=True,
    ).order_by("id")


def case_messages_post(*, case: Case, purpose: str, text: str) -> int:
    """One message per following account (called after the action's commit)."""
    now = timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        title = _title(purpose)
    rows = [
        AccountMessage(account=account, created_at=now, title=title, text=text, case=case)
        for account in accounts_of_case(case)
    ]
    AccountMessage.objects.bulk_create(rows)
    return len(rows)


def on_applicant_told(sender: Any, *, case: Case, purpose: str, text: str, **kwargs: Any) -> None:
    """Receiver of `applicant_told` (connected in OnlineConfig.ready)."""
    try:
        case_messages_post(case=case, purpose=purpose, text=text)
    except Exception:  # a message must never break the action that caused it
        log.exception("case_messages_post(%s, %s) failed", case.pk, purpose)


def may_choose_delivery(case: Case) -> bool:
    return case.status not in FINAL_STATUSES and case.status != CaseStatus.DELIVERED


@transaction.atomic
def delivery_choose(
    *, account: ApplicantAccount, case_id: int, method: str, address: str = ""
) -> Case:
    """The applicant's choice of how to receive the result, until it is delivered."""
    case = access_my_case(account, case_id)
    locked = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    if not may_choose_delivery(locked):
        raise Conflict(
            _("The result was already handed over or the case is closed; nothing to choose."),
            code="status",
        )
    errors = FieldErrors()
    if method not in DeliveryMethod.values:
        errors.add("method", _("Choose pickup or express mail."))
    address = errors.text(
        "address",
        address,
        max_length=ADDRESS_MAX,
        required=_("Give the address for express mail.")
        if method == DeliveryMethod.EXPRESS
        else "",
        too_long=_("The address is too long (at most %(max)d characters).") % {"max": ADDRESS_MAX},
    )
    errors.raise_if_any()
    if method == DeliveryMethod.PICKUP:
        address = ""
    locked.delivery_method = method
    locked.delivery_address = address
    locked.save(update_fields=["delivery_method", "delivery_address"])
    record_event(
        actor=None,
        action=OnlineEvent.DELIVERY_CHOOSE,
        obj=locked,
        center_id=locked.center_id,
        data={"account": account.pk, "method": method, "express": bool(address)},
    )
    return locked


def result_notices(case: Case) -> QuerySet[Notice]:
    """The notices of a case the applicant downloads (every notice issued on it, the decision
    document included), oldest first."""
    return Notice.objects.filter(case_id=case.pk).order_by("issued_at", "id")


def result_download_record(*, account: ApplicantAccount, notice: Notice) -> None:
    record_event(
        actor=None,
        action=OnlineEvent.RESULT_DOWNLOAD,
        obj=notice.case,
        center_id=notice.case.center_id,
        data={"account": account.pk, "notice": notice.pk, "kind": notice.kind},
    )
