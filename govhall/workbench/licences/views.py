"""The electronic licences in the user's scope (issue 19 item 4): a department's licences with
their state, the printable PDF, and revocation for the issuing department's leader or the
hall's management (a reason required). Holders' ID numbers are masked in the list."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.cases.access.licences import (
    access_licence,
    can_read_licences,
    can_revoke_licence,
    licences_in_scope,
)
from govhall.cases.licence_render import licence_pdf, licence_verify_url
from govhall.cases.queries.licences import STATE_LABELS, licence_state, licences_filtered
from govhall.cases.services.licences import licence_revoke
from govhall.core import idnumbers
from govhall.core.models import User
from govhall.org.access.scope import departments_in_scope


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    if not can_read_licences(user):
        raise Http404
    return user


@login_required
def licence_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    holder = (request.GET.get("holder") or "").strip()[:18]
    state = request.GET.get("state") or ""
    department = request.GET.get("department") or ""
    departments = list(departments_in_scope(user).order_by("code", "id"))
    rows = licences_filtered(
        licences_in_scope(user).select_related("item", "department__center", "holder", "case"),
        holder=holder,
        state=state if state in STATE_LABELS else "",
        department_id=int(department) if department.isdigit() else None,
    ).order_by("-issued_at", "-id")
    page = Paginator(rows, settings.GOVHALL_LICENCE_PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    asked = {"holder": holder, "state": state, "department": department}
    query = {key: value for key, value in asked.items() if value}
    return render(
        request,
        "workbench/licences/list.html",
        {
            "page_obj": page,
            "rows": [
                {
                    "licence": licence,
                    "holder_id": idnumbers.mask_id(licence.holder.id_number),
                    "state": licence_state(licence, today),
                    "state_label": STATE_LABELS[licence_state(licence, today)],
                    "may_revoke": licence.revoked_at is None and can_revoke_licence(user, licence),
                }
                for licence in page.object_list
            ],
            "states": list(STATE_LABELS.items()),
            "departments": departments,
            "holder": holder,
            "state": state,
            "department": department,
            "querystring_without_page": urlencode(query),
        },
    )


@login_required
def licence_pdf_download(request: HttpRequest, licence_id: int) -> HttpResponse:
    licence = access_licence(_user(request), licence_id)
    data = licence_pdf(licence, verify_url=licence_verify_url(licence, request))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="licence-{licence.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def licence_revoke_view(request: HttpRequest, licence_id: int) -> HttpResponse:
    user = _user(request)
    licence = access_licence(user, licence_id, for_write=True)
    try:
        licence_revoke(actor=user, licence=licence, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(str(m) for m in error.messages))
    else:
        messages.success(request, _("Licence %(number)s revoked.") % {"number": licence.number})
    return redirect(request.POST.get("next") or "workbench:licences")
