"""Workbench pages of the assessment (issue 14 item 7): a center's month with grades, tiers,
windows and departments (两个挂钩), red-flag windows and service stars, exports; one person's
sheet with every entry and its cause, the manual entry form and the lifecycle buttons; one's own
sheets; the quarterly feedback to departments; the evaluation weights.

Drafts are filled from the alerts before they are shown (`score_sheets_fill`, idempotent)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.assessment.access.sheets import (
    access_sheet,
    allowed_actions,
    can_change_sheet,
    can_manage_assessment,
    can_read_assessment,
    can_see_own_sheets,
    sheets_in_scope,
)
from govhall.assessment.exports import month_pdf, month_xlsx
from govhall.assessment.models import EvaluationSource, ScoreEntry, ScoreSheet
from govhall.assessment.months import month_start
from govhall.assessment.queries.sheets import (
    MonthView,
    evaluation_of,
    links_of,
    month_view,
    person_year,
    quarter_feedback,
    weekly_points,
    weights_of,
)
from govhall.assessment.queries.study import missed_study_in_month
from govhall.assessment.services.fill import score_sheet_refill, score_sheets_fill
from govhall.assessment.services.sheets import (
    annual_assessment_close,
    evaluation_mark_set,
    evaluation_weights_set,
    mark_refusal,
    sheet_entry_add,
    sheet_transition,
)
from govhall.assessment.sheet_transitions import SHEET_TRANSITIONS, SheetAction
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.access.standing import manages_center
from govhall.org.models import Center
from govhall.workbench.assessment.forms import EntryForm, MarkForm, WeightsForm
from govhall.workbench.org.forms import show_errors
from govhall.workbench.request_input import month_from_query, month_neighbours, staff_user


def _center(request: HttpRequest) -> Center:
    """?center=<id> within scope, else the user's own center; 404 for nothing."""
    raw = request.GET.get("center") or request.POST.get("center") or ""
    if raw:
        return access_center(request.user, raw)
    scope = scope_of(request.user)
    if scope.root is None:
        center = centers_in_scope(request.user).first()
        if center is None:
            raise Http404
        return center
    return scope.root


def _month(request: HttpRequest) -> datetime.date:
    year, month = month_from_query(request.GET.get("month") or request.POST.get("month"))
    return datetime.date(year, month, 1)


def _view(request: HttpRequest) -> MonthView:
    actor = staff_user(request)
    if not can_read_assessment(actor):
        raise Http404
    center = _center(request)
    month = _month(request)
    score_sheets_fill(month=month, centers=[center.pk])
    sheets = (
        sheets_in_scope(actor)
        .filter(center=center, month=month)
        .select_related("person", "window", "department")
    )
    return month_view(sheets, center, month)


@login_required
def month_page(request: HttpRequest) -> HttpResponse:
    view = _view(request)
    before, after = month_neighbours(view.month.year, view.month.month)
    query = urlencode({"center": str(view.center.pk), "month": f"{view.month:%Y-%m}"})
    actor = staff_user(request)
    return render(
        request,
        "workbench/assessment/month.html",
        {
            "view": view,
            "center": view.center,
            "centers": centers_in_scope(actor).only("pk", "name", "path"),
            "month_value": f"{view.month:%Y-%m}",
            "previous_month": before,
            "next_month": after,
            "query": query,
            "can_manage": manages_center(actor, view.center.pk),
            "quarter": (view.month.month - 1) // 3 + 1,
        },
    )


def _download(data: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def month_xlsx_download(request: HttpRequest) -> HttpResponse:
    view = _view(request)
    return _download(
        month_xlsx(view),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"assessment-{view.center.code}-{view.month:%Y-%m}.xlsx",
    )


@login_required
def month_pdf_download(request: HttpRequest) -> HttpResponse:
    view = _view(request)
    return _download(
        month_pdf(view), "application/pdf", f"assessment-{view.center.code}-{view.month:%Y-%m}.pdf"
    )


@login_required
def my_sheets(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    if not can_see_own_sheets(actor):
        raise Http404
    year = timezone.localdate().year
    raw = request.GET.get("year", "")
    if raw:
        try:
            year = int(raw)
        except ValueError:
            raise Http404 from None
        if not 2000 <= year <= 2100:
            raise Http404
    sheets = ScoreSheet.objects.filter(person=actor).order_by("-month")
    return render(
        request,
        "workbench/assessment/mine.html",
        {"sheets": sheets, "year": year, "periods": person_year(actor.pk, year)},
    )


def _sheet_url(sheet: ScoreSheet) -> str:
    return reverse("workbench:assessment_sheet", args=[sheet.pk])


def _sheet_context(request: HttpRequest, sheet: ScoreSheet, **extra: object) -> dict[str, object]:
    actor = staff_user(request)
    entries = list(
        sheet.entries.select_related("alert__rule", "alert__case", "created_by", "corrects")
    )
    actions = allowed_actions(actor, sheet)
    entry_actions = [
        a for a in actions if a in (SheetAction.DEDUCT, SheetAction.BONUS, SheetAction.CORRECT)
    ]
    form: EntryForm = extra.pop("form", None) or EntryForm(  # type: ignore[assignment]
        initial={"version": sheet.version, "action": entry_actions[0] if entry_actions else ""}
    )
    if entry_actions:
        action_field = form.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        action_field.choices = [
            (value, label) for value, label in SheetAction.choices if value in entry_actions
        ]
    markable = [s for s in EvaluationSource.values if not mark_refusal(actor, sheet, s)]
    mark_form: MarkForm = extra.pop("mark_form", None) or MarkForm()  # type: ignore[assignment]
    source_field = mark_form.fields["source"]
    assert isinstance(source_field, forms.ChoiceField)
    source_field.choices = [
        (value, label) for value, label in EvaluationSource.choices if value in markable
    ]
    return {
        "sheet": sheet,
        "entries": entries,
        "links": links_of(sheet),
        "weeks": weekly_points(sheet),
        "periods": person_year(sheet.person_id, sheet.month.year),
        "evaluation": evaluation_of(sheet),
        "missed_study": missed_study_in_month(sheet),
        "moves": [
            {"action": a, "label": SheetAction(a).label}
            for a in actions
            if a in (SheetAction.REVIEW, SheetAction.REOPEN, SheetAction.PUBLISH)
        ],
        "form": form if entry_actions else None,
        "mark_form": mark_form if markable else None,
        "can_change": can_change_sheet(actor, sheet),
        "table": SHEET_TRANSITIONS,
        **extra,
    }


@login_required
def sheet_page(request: HttpRequest, sheet_id: int) -> HttpResponse:
    sheet = access_sheet(staff_user(request), sheet_id)
    score_sheet_refill(sheet)
    return render(request, "workbench/assessment/sheet.html", _sheet_context(request, sheet))


@login_required
@require_POST
def sheet_entry(request: HttpRequest, sheet_id: int) -> HttpResponse:
    actor = staff_user(request)
    sheet = access_sheet(actor, sheet_id, for_write=True)
    form = EntryForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        corrects = None
        raw = request.POST.get("corrects", "")
        if raw.isdigit():
            corrects = ScoreEntry.objects.filter(pk=int(raw), sheet=sheet).first()
        try:
            sheet_entry_add(
                actor=actor,
                sheet=sheet,
                action=data["action"],
                points=data["points"],
                reason=data["reason"],
                evidence=data["evidence"],
                occurred_on=data["occurred_on"],
                corrects=corrects,
                version=data["version"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The entry was added."))
            return HttpResponseRedirect(_sheet_url(sheet))
    return render(
        request,
        "workbench/assessment/sheet.html",
        _sheet_context(request, sheet, form=form),
        status=422,
    )


@login_required
@require_POST
def sheet_action(request: HttpRequest, sheet_id: int) -> HttpResponse:
    actor = staff_user(request)
    sheet = access_sheet(actor, sheet_id, for_write=True)
    raw_version = request.POST.get("version", "")
    try:
        sheet_transition(
            actor=actor,
            sheet=sheet,
            action=request.POST.get("action", ""),
            version=int(raw_version) if raw_version.isdigit() else None,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("The sheet is now: %(status)s.") % {"status": sheet.get_status_display()}
        )
    return HttpResponseRedirect(_sheet_url(sheet))


@login_required
@require_POST
def sheet_mark(request: HttpRequest, sheet_id: int) -> HttpResponse:
    actor = staff_user(request)
    sheet = access_sheet(actor, sheet_id)
    form = MarkForm(request.POST)
    if form.is_valid():
        try:
            evaluation_mark_set(
                actor=actor,
                sheet=sheet,
                source=form.cleaned_data["source"],
                mark=form.cleaned_data["mark"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The mark was saved."))
            return HttpResponseRedirect(_sheet_url(sheet))
    return render(
        request,
        "workbench/assessment/sheet.html",
        _sheet_context(request, sheet, mark_form=form),
        status=422,
    )


@login_required
def quarter_feedback_page(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    if not can_read_assessment(actor):
        raise Http404
    center = _center(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
        quarter = int(request.GET.get("quarter") or (today.month - 1) // 3 + 1)
    except ValueError:
        raise Http404 from None
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise Http404
    return render(
        request,
        "workbench/assessment/feedback.html",
        {
            "center": center,
            "year": year,
            "quarter": quarter,
            "departments": quarter_feedback(center, year, quarter),
        },
    )


@login_required
def weights_page(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    if not can_manage_assessment(actor):
        raise Http404
    center = _center(request)
    if not manages_center(actor, center.pk):
        raise Http404
    form = WeightsForm(request.POST or None, initial=weights_of(center))
    if request.method == "POST" and form.is_valid():
        try:
            evaluation_weights_set(actor=actor, center=center, weights=form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The weights were saved."))
            return HttpResponseRedirect(
                reverse("workbench:assessment_weights") + f"?center={center.pk}"
            )
    return render(
        request,
        "workbench/assessment/weights.html",
        {
            "form": form,
            "center": center,
            "centers": [c for c in centers_in_scope(actor) if manages_center(actor, c.pk)],
        },
        status=422 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def year_close(request: HttpRequest) -> HttpResponse:
    actor = staff_user(request)
    center = _center(request)
    if not manages_center(actor, center.pk):
        raise Http404
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        messages.error(request, _("Choose a year."))
    else:
        count = annual_assessment_close(actor=actor, center=center, year=year)
        messages.success(
            request,
            _("Year %(year)s closed: %(count)s failed annual assessments recorded.")
            % {"year": year, "count": count},
        )
    month = month_start(timezone.localdate())
    return HttpResponseRedirect(
        reverse("workbench:assessment")
        + "?"
        + urlencode({"center": str(center.pk), "month": f"{month:%Y-%m}"})
    )
