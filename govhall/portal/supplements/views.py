"""The applicant's side of a supplement request and of the result (issue 19 item 2):

- `supplement`: what the one-time notice lists, one upload each (checked by content like every
  upload), sent back to pre-review (`govhall.online.services.supplements`);
- `results`: the case's notices and decision as PDFs (electronic delivery) and the choice of
  pickup or express until the result is handed over (`govhall.online.services.results`);
- `notice_pdf_view`: one notice as a PDF, for the owner account only (404 for anyone else's).

Every page is the signed-in applicant's (`account_required`; an agent sees the enterprise's).
Phone-first, no inline scripts.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from govhall.cases.notice_render import notice_pdf, progress_url_for
from govhall.cases.statuses import DeliveryMethod
from govhall.online.access.my_page import access_my_case
from govhall.online.models import ApplicantAccount
from govhall.online.services.results import (
    ADDRESS_MAX,
    delivery_choose,
    may_choose_delivery,
    result_download_record,
    result_notices,
)
from govhall.online.services.supplements import (
    answers_online,
    field_name,
    supplement_materials,
    supplement_submit,
)
from govhall.portal.online.session import account_required, acting_applicant

T = "portal/supplements/"


class DeliveryForm(forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("How do you want to receive the result?"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
    )
    address = forms.CharField(
        label=gettext_lazy("Address for express mail"),
        required=False,
        max_length=ADDRESS_MAX,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )


def _account(request: HttpRequest) -> ApplicantAccount:
    account = acting_applicant(request)
    if account is None:  # account_required let nobody through without one
        raise Http404
    return account


@never_cache
@account_required
@require_http_methods(["GET", "POST"])
def supplement(request: HttpRequest, case_id: int) -> HttpResponse:
    account = _account(request)
    case = access_my_case(account, case_id)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        files = {}
        for material in supplement_materials(case):
            upload = request.FILES.get(field_name(material))
            if upload is not None:
                files[material.pk] = upload
        try:
            supplement_submit(account=account, case_id=case.pk, files=files)
        except ValidationError as refused:
            errors = refused.message_dict if hasattr(refused, "error_dict") else {}
            if not errors:
                errors = {"materials": list(refused.messages)}
            status = 409 if getattr(refused, "code", "") == "status" else 422
        else:
            flash.success(request, _("Your supplement is sent; the window reviews it again."))
            return HttpResponseRedirect(reverse("portal:my_case_results", args=[case.pk]))
    materials = supplement_materials(case)
    return render(
        request,
        T + "supplement.html",
        {
            "case": case,
            "open": answers_online(case),
            "rows": [
                {"material": m, "field": field_name(m), "errors": errors.get(field_name(m), [])}
                for m in materials
            ],
            "errors": errors.get("materials", []),
            "notice": result_notices(case).filter(kind="one_time").last(),
        },
        status=status,
    )


@never_cache
@account_required
@require_http_methods(["GET", "POST"])
def results(request: HttpRequest, case_id: int) -> HttpResponse:
    account = _account(request)
    case = access_my_case(account, case_id)
    status = 200
    form = DeliveryForm(
        initial={
            "method": case.delivery_method or DeliveryMethod.PICKUP,
            "address": case.delivery_address,
        }
    )
    if request.method == "POST":
        form = DeliveryForm(request.POST)
        if form.is_valid():
            try:
                delivery_choose(
                    account=account,
                    case_id=case.pk,
                    method=form.cleaned_data["method"],
                    address=form.cleaned_data["address"],
                )
            except ValidationError as refused:
                status = 409 if getattr(refused, "code", "") == "status" else 422
                if hasattr(refused, "error_dict"):
                    for key, messages in refused.message_dict.items():
                        form.add_error(key if key in form.fields else None, messages)
                else:
                    form.add_error(None, refused.messages)
            else:
                flash.success(request, _("Your choice is saved."))
                return HttpResponseRedirect(reverse("portal:my_case_results", args=[case.pk]))
        else:
            status = 422
    return render(
        request,
        T + "results.html",
        {
            "case": case,
            "notices": list(result_notices(case)),
            "form": form if may_choose_delivery(case) else None,
            "supplement_open": answers_online(case),
        },
        status=status,
    )


@never_cache
@account_required
def notice_pdf_view(request: HttpRequest, case_id: int, notice_id: int) -> HttpResponse:
    account = _account(request)
    case = access_my_case(account, case_id)
    notice = result_notices(case).filter(pk=notice_id).select_related("case").first()
    if notice is None:
        raise Http404
    data = notice_pdf(notice, progress_url=progress_url_for(case, request))
    result_download_record(account=account, notice=notice)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{notice.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
