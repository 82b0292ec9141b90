"""The alert inbox (监察预警) and the supervision rules page (issue 14 items 2 and 5).

Who sees which alert is `supervision.queries.alerts.AlertViewer`; the buttons come from the
transition table (`supervision/alert_transitions.py`) through `alert_actions`, and every change
is a service of `supervision.services.alerts` or `supervision.services.rules`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from govhall.core.events import event_label
from govhall.core.validation import Conflict
from govhall.supervision.access.alerts import can_read_alert_inbox
from govhall.supervision.access.rules import (
    access_alert,
    access_alert_rule,
    can_edit_alert_rules,
    can_view_alerts,
)
from govhall.supervision.alert_transitions import DECISIONS, AlertAction
from govhall.supervision.models import Alert, AlertLevel, AlertRule, AlertSubject
from govhall.supervision.queries.alerts import AlertViewer, alert_inbox, alert_timeline
from govhall.supervision.services.alerts import (
    alert_accept,
    alert_acknowledge,
    alert_actions,
    alert_explain,
    alert_uphold,
)
from govhall.supervision.services.rules import FLAGS, alert_rule_update, editable_thresholds
from govhall.workbench.request_input import staff_user
from govhall.workbench.supervision.forms_alerts import (
    AlertRuleForm,
    DecisionForm,
    ExplainForm,
    InboxFilterForm,
)

PAGE_SIZE = 50
# A feedback alert names its record in the subject key ("petition:41:major", "complaint:7"):
# its page links there (the key's prefix → the workbench page, its URL argument, a label).
FEEDBACK_RECORDS: dict[str, tuple[str, str, str]] = {
    "complaint": ("workbench:complaint", "complaint_id", gettext_noop("Complaint")),
    "complaint_assignment": ("workbench:complaint", "complaint_id", gettext_noop("Complaint")),
    "petition": ("workbench:petition", "petition_id", gettext_noop("Petition")),
    "rating": ("workbench:bad_rating", "rating_id", gettext_noop("Bad rating")),
    "work_order": ("workbench:work_order", "order_id", gettext_noop("12345 work order")),
    "suggestion": ("workbench:suggestion", "suggestion_id", gettext_noop("Suggestion or message")),
}


def feedback_record(alert: Alert) -> dict[str, str] | None:
    """The link to the complaint, petition, rating, work order or suggestion of `alert`."""
    kind, _sep, rest = alert.subject_key.partition(":")
    record_id = rest.partition(":")[0]
    if kind not in FEEDBACK_RECORDS or not record_id.isdigit():
        return None
    name, argument, label = FEEDBACK_RECORDS[kind]
    return {"url": reverse(name, kwargs={argument: int(record_id)}), "label": _(label)}


@login_required
def alerts(request: HttpRequest) -> HttpResponse:
    """The inbox: the alerts the user sees (their own, their window's, their department's, their
    center subtree's), filtered by box, level, status and live."""
    user = staff_user(request)
    if not can_read_alert_inbox(user):
        raise Http404
    form = InboxFilterForm(request.GET or None)
    viewer = AlertViewer(user)
    rows = alert_inbox(user, viewer=viewer, **(form.filters() if form.is_bound else {}))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    context = {
        "form": form if form.is_bound else InboxFilterForm(),
        "page_obj": page,
        "querystring_without_page": f"{kept.urlencode()}&" if kept else "",
        "me": user.pk,
    }
    if request.headers.get("HX-Request") == "true":
        return render(request, "workbench/supervision/_alert_rows.html", context)
    return render(request, "workbench/supervision/alerts.html", context)


def _alert_page(
    request: HttpRequest,
    alert_id: int,
    *,
    explain_form: ExplainForm | None = None,
    decision_form: DecisionForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = staff_user(request)
    alert = access_alert(user, alert_id)
    viewer = AlertViewer(user)
    actions = {row.action for row in alert_actions(user, alert, viewer=viewer)}
    timeline = [
        {"event": event, "label": event_label(event.action)} for event in alert_timeline(alert)
    ]
    return render(
        request,
        "workbench/supervision/alert.html",
        {
            "alert": alert,
            "record": feedback_record(alert),
            "may_acknowledge": AlertAction.ACKNOWLEDGE in actions,
            "may_explain": AlertAction.EXPLAIN in actions,
            "may_accept": AlertAction.ACCEPT in actions,
            "may_uphold": AlertAction.UPHOLD in actions,
            "explain_form": explain_form or ExplainForm(),
            "decision_form": decision_form or DecisionForm(),
            "timeline": timeline,
            "error": error,
        },
        status=status,
    )


@login_required
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    return _alert_page(request, alert_id)


@login_required
@require_POST
def alert_act(request: HttpRequest, alert_id: int, action: str) -> HttpResponse:
    """One action of the table; the form posts the version it showed (stale → a warning)."""
    user = staff_user(request)
    alert = access_alert(user, alert_id)
    version = request.POST.get("version") or None
    explain_form = ExplainForm(request.POST if action == AlertAction.EXPLAIN else None)
    decision_form = DecisionForm(request.POST if action in DECISIONS else None)
    try:
        if action == AlertAction.ACKNOWLEDGE:
            alert_acknowledge(actor=user, alert=alert, expected_version=version)
            done = _("Alert acknowledged.")
        elif action == AlertAction.EXPLAIN:
            alert_explain(
                actor=user,
                alert=alert,
                explanation=request.POST.get("explanation", ""),
                expected_version=version,
            )
            done = _("Your explanation was sent.")
        elif action == AlertAction.ACCEPT:
            alert_accept(
                actor=user, alert=alert, note=request.POST.get("note", ""), expected_version=version
            )
            done = _("Explanation accepted; the points are restored.")
        elif action == AlertAction.UPHOLD:
            alert_uphold(
                actor=user, alert=alert, note=request.POST.get("note", ""), expected_version=version
            )
            done = _("Alert upheld.")
        else:
            raise Http404
    except ValidationError as error:
        form: Any = explain_form if action == AlertAction.EXPLAIN else decision_form
        fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        if form.is_bound:
            form.is_valid()
        loose: list[str] = []
        for field, texts in fields.items():
            if form.is_bound and field in form.fields:
                form.add_error(field, texts)
            else:
                loose.extend(str(text) for text in texts)
        text = " ".join(loose)
        return _alert_page(
            request,
            alert_id,
            explain_form=explain_form if explain_form.is_bound else None,
            decision_form=decision_form if decision_form.is_bound else None,
            error=text,
            status=409 if isinstance(error, Conflict) else 400,
        )
    messages.success(request, done)
    return HttpResponseRedirect(reverse("workbench:alert", kwargs={"alert_id": alert_id}))


# --- the rules page ------------------------------------------------------------------------------


@login_required
def alert_rules(request: HttpRequest) -> HttpResponse:
    """Every rule, grouped by what it watches; the edit links for those who may change them."""
    user = staff_user(request)
    if not can_view_alerts(user):
        raise Http404
    by_subject: dict[str, list[dict[str, Any]]] = {}
    severity = {level: index for index, level in enumerate(AlertLevel.values)}
    rules = sorted(
        AlertRule.objects.select_related("updated_by"),
        key=lambda rule: (severity.get(rule.level, 9), rule.pk),
    )
    for rule in rules:
        by_subject.setdefault(rule.subject, []).append(
            {"rule": rule, "thresholds": _thresholds(rule)}
        )
    groups = [
        {"label": label, "rules": by_subject[value]}
        for value, label in AlertSubject.choices
        if value in by_subject
    ]
    return render(
        request,
        "workbench/supervision/rules.html",
        {"groups": groups, "may_edit": can_edit_alert_rules(user)},
    )


def _thresholds(rule: AlertRule) -> list[str]:
    """The rule's thresholds in words."""
    words = []
    if rule.threshold_days is not None:
        if rule.level == AlertLevel.REMINDER:
            text = _("%(n)s working days before the deadline")
        else:
            text = _("overdue after %(n)s working days")
        words.append(text % {"n": rule.threshold_days})
    if rule.threshold_percent is not None:
        words.append(_("%(n)s%% of the promised time") % {"n": rule.threshold_percent})
    if rule.threshold_minutes is not None:
        words.append(_("%(n)s minutes tolerated") % {"n": rule.threshold_minutes})
    return words


@login_required
def alert_rule_edit(request: HttpRequest, rule_id: int) -> HttpResponse:
    user = staff_user(request)
    rule = access_alert_rule(user, rule_id, for_write=True)
    if request.method == "POST":
        form = AlertRuleForm(request.POST, rule=rule)
        if form.is_valid():
            try:
                alert_rule_update(actor=user, rule=rule, **form.changes())
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Rule changed; the next scan uses it."))
                return HttpResponseRedirect(reverse("workbench:alert_rules"))
        status = 400
    else:
        initial: dict[str, Any] = {"points": rule.points}
        for name in (*editable_thresholds(rule), *FLAGS):
            initial[name] = getattr(rule, name)
        form = AlertRuleForm(initial=initial, rule=rule)
        status = 200
    return render(
        request, "workbench/supervision/rule_edit.html", {"rule": rule, "form": form}, status=status
    )
