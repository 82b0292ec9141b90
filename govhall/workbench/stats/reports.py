"""The period reports (通报, issue 18 item 4) in the workbench: the list of the reports of the
user's scope, one report's figures, its workbook and PDF, and generating one on demand.

Who may do what is asked of `govhall.stats.access.reports`; downloads go through
`access_stats_report`, so a report of a center outside the user's subtree is a 404."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center
from govhall.stats.access.reports import (
    access_stats_report,
    can_generate_report_of,
    can_generate_stats_reports,
    can_read_stats_reports,
    reports_in_scope,
)
from govhall.stats.models.reports import ReportPeriod, ReportTrigger, StatsReport
from govhall.stats.queries.reports import reports_listed
from govhall.stats.report_files import report_file
from govhall.stats.services.reports import stats_report_generate
from govhall.workbench.org.forms import show_errors
from govhall.workbench.request_input import staff_user

PER_PAGE = 30


class GenerateForm(forms.Form):
    center = forms.ModelChoiceField(queryset=Center.objects.none(), label=gettext_lazy("Center"))
    period = forms.ChoiceField(choices=ReportPeriod.choices, label=gettext_lazy("Period"))
    month = forms.CharField(
        label=gettext_lazy("Month in the period"),
        widget=forms.TextInput(attrs={"type": "month"}),
        help_text=gettext_lazy("The month, quarter or year holding this month."),
    )

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        managed = [c.pk for c in centers_in_scope(user) if can_generate_report_of(user, c.pk)]
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Center.objects.filter(pk__in=managed).order_by("path")
        if not self.is_bound:
            last_month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
            self.initial.setdefault("month", f"{last_month:%Y-%m}")
            self.initial.setdefault("period", ReportPeriod.MONTH)
            root = scope_of(user).root
            if root is not None and root.pk in managed:
                self.initial.setdefault("center", root.pk)

    def clean_month(self) -> datetime.date:
        raw = self.cleaned_data["month"]
        try:
            year_text, month_text = str(raw).split("-")
            return datetime.date(int(year_text), int(month_text), 1)
        except ValueError:
            raise ValidationError(_("Enter a month as YYYY-MM.")) from None


def _require_reader(request: HttpRequest) -> None:
    if not can_read_stats_reports(staff_user(request)):
        raise Http404


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    user = staff_user(request)
    center_raw = request.GET.get("center") or ""
    period = request.GET.get("period") or ""
    reports = reports_listed(
        reports_in_scope(user),
        center_id=int(center_raw) if center_raw.isdigit() else None,
        kind=period,
    )
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/stats/reports.html",
        {
            "page": page,
            "centers": centers_in_scope(user).only("pk", "name", "path"),
            "center_value": center_raw,
            "period_value": period,
            "periods": ReportPeriod.choices,
            "form": GenerateForm(user=user) if can_generate_stats_reports(user) else None,
        },
    )


@login_required
@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    user = staff_user(request)
    if not can_generate_stats_reports(user):
        raise Http404
    form = GenerateForm(request.POST, user=user)
    if form.is_valid():
        try:
            report = stats_report_generate(
                actor=user,
                center=form.cleaned_data["center"],
                kind=form.cleaned_data["period"],
                day=form.cleaned_data["month"],
                trigger=ReportTrigger.DEMAND,
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("Report generated: %(title)s (version %(version)d).")
                % {"title": report.title, "version": report.version},
            )
            return HttpResponseRedirect(reverse("workbench:stats_report", args=[report.pk]))
    reports = reports_in_scope(user).select_related("center", "generated_by")
    page = Paginator(reports.defer("xlsx", "pdf", "content"), PER_PAGE).get_page(1)
    return render(
        request,
        "workbench/stats/reports.html",
        {
            "page": page,
            "centers": centers_in_scope(user).only("pk", "name", "path"),
            "periods": ReportPeriod.choices,
            "form": form,
        },
        status=422,
    )


@login_required
def report_page(request: HttpRequest, report_id: int) -> HttpResponse:
    report = access_stats_report(staff_user(request), report_id)
    return render(
        request,
        "workbench/stats/report.html",
        {"report": report, "sections": report.content.get("sections", [])},
    )


def _download(report: StatsReport, file_format: str) -> HttpResponse:
    data, content_type, name = report_file(report, file_format)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def report_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    return _download(access_stats_report(staff_user(request), report_id), "xlsx")


@login_required
def report_pdf(request: HttpRequest, report_id: int) -> HttpResponse:
    return _download(access_stats_report(staff_user(request), report_id), "pdf")
