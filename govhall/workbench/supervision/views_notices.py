"""Notices of criticism and efficiency warnings (通报批评 / 效能告诫): the list, issuing one on a
person resting on their alerts, and the printable A4 page with the center's name and seal line.

Who may do what is `supervision.access.board`; the writing is
`supervision.services.notices.criticism_notice_issue`."""

from __future__ import annotations

from typing import Any

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

from govhall.core.validation import WHOLE_FORM
from govhall.supervision.access.board import (
    access_criticism_notice,
    can_issue_criticism_notices,
    can_read_criticism_notices,
    criticism_notices_in_scope,
)
from govhall.supervision.models import NoticeKind
from govhall.supervision.queries.notices import (
    notice_alerts,
    notice_grounds,
    notice_list,
    people_with_grounds,
)
from govhall.supervision.services.notices import (
    DECISION_MAX,
    FACTS_MAX,
    criticism_notice_issue,
)
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 50


class NoticeForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=NoticeKind.choices)
    alerts = forms.MultipleChoiceField(
        label=gettext_lazy("Alerts it rests on"), widget=forms.CheckboxSelectMultiple
    )
    facts = forms.CharField(
        label=gettext_lazy("Facts"), max_length=FACTS_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    decision = forms.CharField(
        label=gettext_lazy("Decision"),
        max_length=DECISION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, alert_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["alerts"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = alert_choices


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    if not can_read_criticism_notices(request.user):
        raise Http404
    rows = notice_list(criticism_notices_in_scope(request.user))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/supervision/notices.html",
        {
            "page_obj": page,
            "can_issue": can_issue_criticism_notices(request.user),
            "querystring_without_page": "",
        },
    )


def _alert_label(alert: Any) -> str:
    what = alert.detail or str(alert.rule)
    return f"{alert.occurred_on:%Y-%m-%d} · {alert.get_level_display()} · {what}"


@login_required
def notice_new(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not can_issue_criticism_notices(user):
        raise Http404
    raw = (request.POST.get("person") or request.GET.get("person") or "").strip()
    person_id = int(raw) if raw.isdigit() and len(raw) < 18 else None
    people = list(people_with_grounds(user))
    person = next((p for p in people if p.pk == person_id), None)
    if person is None:
        # First choose whose alerts (a GET form listing the people with any).
        return render(
            request,
            "workbench/supervision/notice_new.html",
            {"people": people, "person": None, "form": None},
        )
    grounds = list(notice_grounds(user, person.pk))
    choices = [(str(alert.pk), _alert_label(alert)) for alert in grounds]
    if request.method == "POST":
        form = NoticeForm(request.POST, alert_choices=choices)
        if form.is_valid():
            try:
                notice = criticism_notice_issue(
                    actor=user,
                    person_id=person.pk,
                    kind=form.cleaned_data["kind"],
                    alert_ids=form.cleaned_data["alerts"],
                    facts=form.cleaned_data["facts"],
                    decision=form.cleaned_data["decision"],
                )
            except ValidationError as refused:
                for field, errors in refused.message_dict.items():
                    form.add_error(None if field not in form.fields else field, errors)
            else:
                messages.success(
                    request, _("Notice %(number)s issued.") % {"number": notice.number}
                )
                return HttpResponseRedirect(reverse("workbench:criticism_notice", args=[notice.pk]))
        status = 400
    else:
        picked = [value for value in request.GET.getlist("alert") if value.isdigit()]
        form = NoticeForm(
            initial={"kind": NoticeKind.CRITICISM, "alerts": picked}, alert_choices=choices
        )
        status = 200
    return render(
        request,
        "workbench/supervision/notice_new.html",
        {"people": people, "person": person, "form": form, "whole_form": WHOLE_FORM},
        status=status,
    )


@login_required
def notice_print(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = access_criticism_notice(request.user, notice_id)
    return render(
        request,
        "workbench/supervision/notice_print.html",
        {
            "notice": notice,
            "alerts": notice_alerts(notice),
            "title": _("Notice of criticism")
            if notice.kind == NoticeKind.CRITICISM
            else _("Efficiency warning"),
            "issued_on": timezone.localdate(notice.issued_at),
            "back_url": reverse("workbench:criticism_notices")
            if can_read_criticism_notices(request.user)
            else "",
        },
    )
