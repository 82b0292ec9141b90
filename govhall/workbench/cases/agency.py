"""The agent's list "Cases I carry" (我代办的件, issue 19 item 6), the case page's agency panel
and the scanned authorization letter (served only to those who may see the case)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from govhall.cases.access.cases import access_case, can_carry_cases
from govhall.cases.case_transitions import OPEN_STATUSES
from govhall.cases.clock import days_left, urgency
from govhall.cases.models import Case
from govhall.cases.queries.agency import carried_count, carried_list, eligible_agents
from govhall.cases.services.agency import (
    AgencyData,
    agency_assign,
    agency_end,
    agency_letter_replace,
    may_manage_agency,
)
from govhall.cases.services.privacy import personal_data_view_record
from govhall.core.files import stored_file_response
from govhall.core.models import User
from govhall.online.queries.my_page import NextStep, next_step_of
from govhall.workbench.request_input import staff_user

NEXT_STEP_LABELS = {
    NextStep.SUPPLEMENT: _("Bring or upload what is missing"),
    NextStep.PENDING: _("Bring the promised materials by the date"),
    NextStep.RETURNED: _("Returned: read why and apply again"),
    NextStep.PICKUP: _("Pick up the certificate at the window"),
    NextStep.EXPRESS: _("The certificate goes by express"),
    NextStep.WAIT: _("Wait for the department"),
}


@login_required
def agency_cases(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not can_carry_cases(user):
        raise Http404
    today = timezone.localdate()
    cases = carried_list(user)
    rows = [
        {
            "case": case,
            "next_step": NEXT_STEP_LABELS[
                next_step_of(case, has_pending=bool(getattr(case, "has_pending", False)))
            ],
            "days_left": days_left(case, today),
            "urgency": urgency(case, today),
        }
        for case in cases
    ]
    full_page = len(cases) >= settings.GOVHALL_AGENCY_LIST_MAX_ROWS
    total = carried_count(user) if full_page else len(cases)
    return render(
        request, "workbench/cases/agency.html", {"rows": rows, "total": total, "today": today}
    )


# --- the case page's agency panel: name, change or end the agency ----------------------------


class AgencyForm(forms.Form):
    agent = forms.TypedChoiceField(label=_("Agent"), coerce=int)
    letter_number = forms.CharField(label=_("Authorization letter number"), max_length=64)
    letter_on = forms.DateField(
        label=_("Authorization letter date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    full = forms.BooleanField(label=_("Full agency: from application to delivery"), required=False)
    scope = forms.CharField(label=_("Authorized scope"), max_length=200, required=False)
    letter_copy = forms.FileField(
        label=_("Scanned authorization letter (PDF, JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["agent"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            (user.pk, f"{user.display_name}（{user.staff.center.name}）")
            for user in eligible_agents(case)
        ]


def agency_panel(user: User, case: Case, form: AgencyForm | None = None) -> dict[str, Any] | None:
    """The case page's agency form for those who may change it (None for anyone else)."""
    if case.status not in OPEN_STATUSES or not may_manage_agency(user, case):
        return None
    initial = (
        {
            "agent": case.agent_id,
            "letter_number": case.agency_letter_number,
            "letter_on": case.agency_letter_on,
            "full": case.agency_full,
            "scope": case.agency_scope,
        }
        if case.agent_id
        else {}
    )
    return {
        "form": form or AgencyForm(case=case, initial=initial, prefix="agency"),
        "letter_form": LetterForm(prefix="letter") if case.agent_id else None,
    }


class LetterForm(forms.Form):
    letter = forms.FileField(
        label=_("Scanned authorization letter (PDF, JPEG or PNG)"),
        widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )


@login_required
@require_POST
def agency_set(request: HttpRequest, case_id: int) -> HttpResponse:
    """Name, change (`agency_assign`) or end (`end` posted: `agency_end`) a case's agency."""
    user = staff_user(request)
    case = access_case(user, case_id)
    form = AgencyForm(request.POST, request.FILES, case=case, prefix="agency")
    try:
        if request.POST.get("end"):
            agency_end(actor=user, case=case)
        elif form.is_valid():
            data = form.cleaned_data
            agency_assign(
                actor=user,
                case=case,
                data=AgencyData(
                    agent_id=data["agent"],
                    letter_number=data["letter_number"],
                    letter_on=data["letter_on"],
                    full=data["full"],
                    scope=data["scope"],
                    letter=data["letter_copy"] or None,
                ),
            )
        else:
            raise ValidationError([e for errors in form.errors.values() for e in errors])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _t("The agency is saved."))
    return redirect(reverse("workbench:case", args=[case.pk]) + "#agency")


@login_required
@require_POST
def agency_letter_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    """Store or replace the scanned authorization letter (`agency_letter_replace`)."""
    user = staff_user(request)
    case = access_case(user, case_id)
    form = LetterForm(request.POST, request.FILES, prefix="letter")
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        agency_letter_replace(actor=user, case=case, letter=form.cleaned_data["letter"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _t("The scanned authorization letter is stored."))
    return redirect(reverse("workbench:case", args=[case.pk]) + "#agency")


@login_required
def agency_letter_file(request: HttpRequest, case_id: int) -> FileResponse:
    """The scanned authorization letter, for the staff who see the case; every opening logged."""
    user = staff_user(request)
    case = access_case(user, case_id)
    if not case.agency_letter:
        raise Http404
    personal_data_view_record(actor=user, case=case, purpose=_t("scanned authorization letter"))
    return stored_file_response(case.agency_letter, stem=f"{case.number}-authorization")
