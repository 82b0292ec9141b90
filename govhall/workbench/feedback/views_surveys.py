"""Workbench pages of the quarterly satisfaction survey (seeds/002… 六5; issue 15 item 6):
the surveys of the user's centers, defining one (management), a survey with its questions, its
portal link, the open and close buttons of its lifecycle table, the results as ECharts charts
(static/govhall/survey-results.js, no inline script) and the xlsx export."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from govhall.core.validation import Conflict
from govhall.feedback.access.surveys import (
    access_survey,
    can_manage_survey,
    can_manage_surveys,
    can_read_surveys,
    surveys_in_scope,
)
from govhall.feedback.models import SurveyStatus
from govhall.feedback.queries.surveys import survey_results
from govhall.feedback.services.surveys import survey_act, survey_create, survey_update
from govhall.feedback.survey_exports import XLSX_CONTENT_TYPE, results_workbook
from govhall.feedback.survey_transitions import SURVEY_TRANSITIONS, SurveyAction
from govhall.org.access.scope import scope_of
from govhall.workbench.feedback.forms_surveys import SurveyForm
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 30


def _apply(request: HttpRequest, form: SurveyForm, error: ValidationError) -> None:
    if isinstance(error, Conflict):
        for message in error.messages:
            messages.warning(request, message)
        return
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, texts in error.message_dict.items():
        if key.startswith("questions."):
            _q, n, part = [*key.split("."), "", ""][:3]
            name = f"q{n}_{part}"
            form.add_error(name if name in form.fields else None, texts)
        else:
            form.add_error(key if key in form.fields else None, texts)


def _current_quarter() -> dict[str, int]:
    today = timezone.localdate()
    return {"year": today.year, "quarter": (today.month - 1) // 3 + 1}


@login_required
def surveys(request: HttpRequest) -> HttpResponse:
    if not can_read_surveys(request.user):
        raise Http404
    rows = surveys_in_scope(request.user).select_related("center")
    page = Paginator(rows.order_by("-year", "-quarter", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workbench/feedback/surveys/list.html",
        {"page_obj": page, "may_create": can_manage_surveys(request.user)},
    )


@login_required
def survey_new(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    if not can_manage_surveys(actor):
        raise Http404
    root = scope_of(actor).root
    form = SurveyForm(
        request.POST if request.method == "POST" else None,
        initial={"title": _("Quarterly satisfaction survey"), **_current_quarter()},
    )
    if request.method == "POST" and form.is_valid() and root is not None:
        try:
            survey = survey_create(
                actor=actor,
                center=root,
                title=form.cleaned_data["title"],
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                questions=form.questions(),
            )
        except ValidationError as error:
            _apply(request, form, error)
        else:
            messages.success(request, _("The survey is saved as a draft."))
            return HttpResponseRedirect(reverse("workbench:survey", args=[survey.pk]))
    return render(request, "workbench/feedback/surveys/edit.html", {"form": form, "survey": None})


@login_required
def survey_edit(request: HttpRequest, survey_id: int) -> HttpResponse:
    actor = staff_user(request)
    survey = access_survey(actor, survey_id, for_write=True)
    if survey.status != SurveyStatus.DRAFT:
        raise Http404
    form = SurveyForm(
        request.POST if request.method == "POST" else None, initial=SurveyForm.initial_of(survey)
    )
    if request.method == "POST" and form.is_valid():
        try:
            survey_update(
                actor=actor,
                survey=survey,
                title=form.cleaned_data["title"],
                year=form.cleaned_data["year"],
                quarter=form.cleaned_data["quarter"],
                questions=form.questions(),
                version=survey.version,
            )
        except ValidationError as error:
            _apply(request, form, error)
        else:
            messages.success(request, _("The survey is saved."))
            return HttpResponseRedirect(reverse("workbench:survey", args=[survey.pk]))
    return render(request, "workbench/feedback/surveys/edit.html", {"form": form, "survey": survey})


@login_required
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    """A survey: questions, portal link, open/close, results with charts."""
    actor = staff_user(request)
    survey = access_survey(actor, survey_id)
    if request.method == "POST":
        survey = access_survey(actor, survey_id, for_write=True)
        action = request.POST.get("action", "")
        if action not in SurveyAction.values:
            raise Http404
        try:
            done = survey_act(
                actor=actor,
                survey=survey,
                action=action,
                version=_version(request.POST.get("version")),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("The survey is now: %(status)s.") % {"status": SurveyStatus(done.status).label},
            )
        return HttpResponseRedirect(reverse("workbench:survey", args=[survey.pk]))
    actions = (
        [
            (row.action, SurveyAction(row.action).label)
            for row in SURVEY_TRANSITIONS.rows_from(survey.status)
        ]
        if can_manage_survey(actor, survey)
        else []
    )
    results = survey_results(survey)
    public = reverse("portal:survey", args=[survey.public_token])
    public_url = (
        settings.GOVHALL_PUBLIC_URL + public
        if settings.GOVHALL_PUBLIC_URL
        else request.build_absolute_uri(public)
    )
    return render(
        request,
        "workbench/feedback/surveys/detail.html",
        {
            "survey": survey,
            "results": results,
            "chart": results.chart_data(),
            "actions": actions,
            "may_edit": survey.status == SurveyStatus.DRAFT and can_manage_survey(actor, survey),
            "public_url": public_url,
            # the QR code to print and post in the hall (inline SVG, no script)
            "qr": mark_safe(segno.make(public_url, error="m").svg_inline(scale=4, title="QR")),
        },
    )


def _version(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


@login_required
def survey_xlsx(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = access_survey(request.user, survey_id)
    response = HttpResponse(
        results_workbook(survey_results(survey)), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = (
        f'attachment; filename="survey-{survey.center.code}-{survey.year}Q{survey.quarter}.xlsx"'
    )
    return response
