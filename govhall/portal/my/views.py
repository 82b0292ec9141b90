"""My page (我的办件, issue 19 item 3): the signed-in applicant's cases with progress and what to
do next, drafts, appointments, tickets of today, ratings and complaints, messages and
reminders. Reads come from `govhall.online.queries.my_page` (fixed query counts), objects by id
from `govhall.online.access.my_page` (404 for another applicant's), writes from
`govhall.online.services.my_page`. Phone-first; no inline scripts.

When an agent acts for an enterprise, the page is the enterprise's (its cases, its messages).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govhall.cases.licence_render import licence_pdf, licence_verify_url
from govhall.cases.services.progress import case_progress
from govhall.feedback.queries.mine import complaints_of, rateable_case_ids, ratings_of_cases
from govhall.feedback.services.rating_tokens import occasion_token
from govhall.online.access.my_page import (
    access_my_appointment,
    access_my_case,
    access_my_licence,
    access_my_message,
)
from govhall.online.models import ApplicantAccount
from govhall.online.queries.my_page import (
    NextStep,
    my_appointments,
    my_cases,
    my_drafts,
    my_licences,
    my_messages,
    my_reminders,
    my_tickets_today,
    next_step_of,
    unread_count,
)
from govhall.online.services.accounts import account_applicant
from govhall.online.services.my_page import (
    account_message_read,
    account_messages_read_all,
    my_appointment_cancel,
)
from govhall.portal.online.session import account_required, acting_applicant

T = "portal/my/"

# The online application pages (item 2) the drafts and supplements link to, when installed.
RESUME_URL = "portal:apply_draft"
DISCARD_URL = "portal:apply_discard"
SUPPLEMENT_URL = "portal:apply_supplement"
RESULTS_URL = "portal:my_case_results"  # notices and the decision as PDFs (item 2)


def whose(request: HttpRequest) -> ApplicantAccount:
    """The account whose page this is: the enterprise an agent acts for, else the signed-in one
    (`acting_applicant`; `account_required` let nobody else through)."""
    account = acting_applicant(request)
    if account is None:
        raise Http404
    # A verified account registered before its first case is linked to the applicant that case
    # made (same number and name), so its licences and window cases show from then on.
    account_applicant(account)
    return account


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _rate_url(case_id: int) -> str:
    token = occasion_token(f"case:{case_id}")
    return f"{reverse('portal:rate', args=[token])}?via=my_page"


def _bundle_cards(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issue 19 item 5: the cases of one 一件事 application as one card (at its first case)."""
    cards: list[dict[str, Any]] = []
    by_bundle: dict[int, dict[str, Any]] = {}
    for row in rows:
        case = row["row"].case
        if case.bundle_id is None:
            cards.append(row)
            continue
        card = by_bundle.get(case.bundle_id)
        if card is None:
            card = by_bundle[case.bundle_id] = {"bundle": case.bundle, "members": []}
            cards.append(card)
        card["members"].append(row)
    return cards


@never_cache
@require_GET
@account_required
def home(request: HttpRequest) -> HttpResponse:
    account = whose(request)
    today = timezone.localdate()
    cases = my_cases(account, today=today)
    case_ids = [row.pk for row in cases]
    rateable = rateable_case_ids(case_ids)
    drafts = [
        {
            "draft": draft,
            "resume_url": _url(RESUME_URL, draft.pk),
            "discard_url": _url(DISCARD_URL, draft.pk),
        }
        for draft in my_drafts(request.online_account)  # type: ignore[attr-defined]
    ]
    rows = [
        {
            "row": row,
            "rate_url": _rate_url(row.pk) if row.pk in rateable else "",
            "supplement_url": _url(SUPPLEMENT_URL, row.pk)
            if row.next_step == NextStep.SUPPLEMENT
            else "",
        }
        for row in cases
    ]
    rows = _bundle_cards(rows)
    return render(
        request,
        T + "home.html",
        {
            "account": account,
            "verified": account.verified_at is not None,
            "reminders": my_reminders(account, today=today),
            "cases": rows,
            "drafts": drafts,
            "appointments": my_appointments(account),
            "tickets": my_tickets_today(account, today=today),
            "ratings": ratings_of_cases(case_ids),
            "complaints": complaints_of(account.phone),
            "licences": my_licences(account, today=today),
            "account_messages": my_messages(account)[:5],
            "unread": unread_count(account),
            "steps": NextStep,
        },
    )


@never_cache
@require_GET
@account_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    account = whose(request)
    case = access_my_case(account, case_id)
    today = timezone.localdate()
    next_step = next_step_of(case, has_pending=bool(getattr(case, "has_pending", False)))
    rateable = rateable_case_ids([case.pk])
    return render(
        request,
        T + "case.html",
        {
            "case": case,
            "result": case_progress(case, today=today),
            "next_step": next_step,
            "steps": NextStep,
            "rate_url": _rate_url(case.pk) if case.pk in rateable else "",
            "supplement_url": _url(SUPPLEMENT_URL, case.pk)
            if next_step == NextStep.SUPPLEMENT
            else "",
            "results_url": _url(RESULTS_URL, case.pk),
        },
    )


@never_cache
@require_GET
@account_required
def licence_download(request: HttpRequest, licence_id: int) -> HttpResponse:
    """The holder's own electronic licence as its A4 PDF (with the QR code to its check)."""
    licence = access_my_licence(whose(request), licence_id)
    data = licence_pdf(licence, verify_url=licence_verify_url(licence, request))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="licence-{licence.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@account_required
def messages(request: HttpRequest) -> HttpResponse:
    account = whose(request)
    if request.method == "POST":
        count = account_messages_read_all(account=account)
        if count:
            flash.success(request, _("All messages are marked read."))
        return HttpResponseRedirect(reverse("portal:my_messages"))
    return render(
        request,
        T + "messages.html",
        {"messages_list": my_messages(account), "unread": unread_count(account)},
    )


@never_cache
@require_GET
@account_required
def message_detail(request: HttpRequest, message_id: int) -> HttpResponse:
    account = whose(request)
    message = access_my_message(account, message_id)
    account_message_read(account=account, message=message)
    case_url = ""
    if message.case_id is not None:
        case_url = reverse("portal:my_case", args=[message.case_id])
    return render(request, T + "message.html", {"message": message, "case_url": case_url})


@never_cache
@require_POST
@account_required
def appointment_cancel(request: HttpRequest, appointment_id: int) -> HttpResponse:
    account = whose(request)
    appointment = access_my_appointment(account, appointment_id)
    try:
        my_appointment_cancel(account=account, appointment=appointment)
    except ValidationError as refused:
        flash.error(request, " ".join(refused.messages))
    else:
        flash.success(request, _("Your appointment is cancelled."))
    return HttpResponseRedirect(reverse("portal:my_home") + "#my-appointments")
