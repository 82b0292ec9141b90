"""Public progress inquiry page (/progress/): case number + last 4 digits of the applicant's
phone or ID number. The QR code on every notice opens it with the number filled in.

The lookup, its rate limit and what may be shown are `govhall.cases.services.progress`; this
view only parses the GET form and renders. The client address is REMOTE_ADDR (behind a proxy,
the proxy must set it from X-Forwarded-For).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from govhall.cases.queries.bundles import public_siblings
from govhall.cases.services.progress import (
    NUMBER_MAX_LENGTH,
    CaseProgress,
    ProgressLimited,
    progress_lookup,
)
from govhall.feedback.queries.ratings import rateable_case_id
from govhall.feedback.services.rating_tokens import occasion_token
from govhall.portal.forms import ID_NUMBER_INPUT


class ProgressForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Case number"),
        max_length=NUMBER_MAX_LENGTH,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )
    last4 = forms.CharField(
        label=gettext_lazy("Last 4 digits of the phone or ID number"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(
            attrs={
                **ID_NUMBER_INPUT,
                "pattern": "[0-9Xx]{4}",
                "enterkeyhint": "search",
            }
        ),
    )


@never_cache
def progress(request: HttpRequest) -> HttpResponse:
    asked = bool(request.GET.get("number")) and bool(request.GET.get("last4"))
    # Opened from a notice's QR code: the number is filled in, the digits are still to type.
    form = ProgressForm(
        request.GET if asked else None, initial={"number": request.GET.get("number", "")}
    )
    result: CaseProgress | None = None
    error = ""
    status = 200
    if asked:
        try:
            result = progress_lookup(
                number=request.GET.get("number", ""),
                last4=request.GET.get("last4", ""),
                client=str(request.META.get("REMOTE_ADDR") or "unknown"),
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
        except ProgressLimited as limited:
            error = limited.message
            status = 429
        else:
            if result is None:
                error = _(
                    "No case matches this number and these digits. Check the number on your "
                    "notice and the last 4 digits of the phone or ID number given when applying."
                )
    # A delivered case not rated yet: the page offers the online rating (一事一评). The QR code
    # on every notice leads here, so this is also how a notice's QR reaches the rating.
    case_id = rateable_case_id(result.number) if result is not None else None
    rate_url = (
        f"{reverse('portal:rate', args=[occasion_token(f'case:{case_id}')])}?via=progress_page"
        if case_id
        else ""
    )
    return render(
        request,
        "portal/progress.html",
        {
            "form": form,
            "result": result,
            "rate_url": rate_url,
            "error": error,
            "days_overdue": -(result.working_days_left or 0) if result else 0,
            # Issue 19 item 5: a 一件事's other cases, shown with the matched one
            "bundle": public_siblings(result.number) if result else ("", []),
        },
        status=status,
    )
