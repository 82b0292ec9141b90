"""Workbench pages of the code of conduct and badges (issue 21 item 3; seeds/000… 篇1 第二章,
四5–6; seeds/002… 四(一)–(三)): the center's code by section (everyone reads the published
code; a hall manager of the center edits the lines, loads the standard code into an empty one
and publishes), the printable A4 code, "I have read it" for the staff member, who has read the
current revision, the badges with the issue form, and the printable badge card."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.validation import Conflict
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center
from govhall.staffing.access.conduct import (
    access_badge,
    access_conduct_rule,
    can_manage_conduct,
    can_read_badges,
    can_read_conduct,
)
from govhall.staffing.queries.conduct import (
    acknowledgements,
    badge_card,
    badges_of,
    conduct_due,
    draft_rules,
    has_unpublished_changes,
    published_code,
)
from govhall.staffing.services.conduct import (
    badge_issue,
    badge_withdraw,
    conduct_acknowledge,
    conduct_code_publish,
    conduct_defaults_load,
    conduct_rule_add,
    conduct_rule_edit,
    conduct_rule_reorder,
    conduct_rule_retire,
)
from govhall.workbench.conduct.forms import BadgeIssueForm, ConductLineForm
from govhall.workbench.org.forms import show_errors
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 50


def _center(request: HttpRequest) -> Center:
    """?center=<id> within scope, else the user's own center; 404 for nothing."""
    raw = request.GET.get("center") or request.POST.get("center") or ""
    if raw:
        return access_center(request.user, raw)
    center = scope_of(request.user).root or centers_in_scope(request.user).order_by("path").first()
    if center is None:
        raise Http404
    return center


def _back(name: str, center: Center) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        reverse(f"workbench:{name}") + "?" + urlencode({"center": center.pk})
    )


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        (messages.warning if isinstance(error, Conflict) else messages.error)(request, message)


@login_required
def conduct_code(request: HttpRequest) -> HttpResponse:
    """The center's code: published (everyone), draft lines with their actions (managers)."""
    if not can_read_conduct(request.user):
        raise Http404
    actor = staff_user(request)
    center = _center(request)
    manager = can_manage_conduct(actor, center.pk)
    form = ConductLineForm()
    if request.method == "POST":
        if not manager:
            raise Http404
        action = request.POST.get("action", "")
        try:
            if action == "add":
                form = ConductLineForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_("Correct the line below."))
                conduct_rule_add(actor=actor, center=center, **form.cleaned_data)
                messages.success(request, _("Line added."))
            elif action == "defaults":
                count = conduct_defaults_load(actor=actor, center=center)
                messages.success(
                    request, _("Standard code loaded: %(count)d lines.") % {"count": count}
                )
            elif action == "publish":
                code = conduct_code_publish(actor=actor, center=center)
                messages.success(
                    request, _("Revision %(revision)d published.") % {"revision": code.revision}
                )
            else:
                raise Http404
        except ValidationError as error:
            if action == "add" and form.is_bound:
                show_errors(form, error)
            else:
                _refused(request, error)
        else:
            return _back("conduct_code", center)
    published = published_code(center)
    return render(
        request,
        "workbench/staffing/conduct/code.html",
        {
            "center": center,
            "centers": centers_in_scope(actor).filter(is_active=True).only("pk", "name", "path"),
            "published": published,
            "manager": manager,
            "draft": draft_rules(center) if manager else [],
            "changed": manager and has_unpublished_changes(center),
            "form": form,
            "due": conduct_due(actor),
        },
    )


@login_required
@require_POST
def conduct_rule_action(request: HttpRequest, rule_id: int) -> HttpResponse:
    """Edit, retire or move one line (managers of its center)."""
    actor = staff_user(request)
    rule = access_conduct_rule(actor, rule_id, for_write=True)
    action = request.POST.get("action", "")
    try:
        if action == "edit":
            form = ConductLineForm(request.POST)
            if not form.is_valid():
                raise ValidationError(
                    [message for errors in form.errors.values() for message in errors]
                )
            conduct_rule_edit(actor=actor, rule=rule, **form.cleaned_data)
            messages.success(request, _("Line changed."))
        elif action == "retire":
            conduct_rule_retire(actor=actor, rule=rule)
            messages.success(request, _("Line retired."))
        elif action in ("up", "down"):
            conduct_rule_reorder(actor=actor, rule=rule, direction=action)
        else:
            raise Http404
    except ValidationError as error:
        _refused(request, error)
    return _back("conduct_code", rule.center)


@login_required
def conduct_print(request: HttpRequest) -> HttpResponse:
    """The published code on A4, to post in the hall and hand to new staff."""
    if not can_read_conduct(request.user):
        raise Http404
    center = _center(request)
    published = published_code(center)
    if published is None:
        raise Http404
    return render(
        request,
        "workbench/staffing/conduct/code_print.html",
        {
            "center": center,
            "published": published,
            "back_url": reverse("workbench:conduct_code") + f"?center={center.pk}",
        },
    )


@login_required
@require_POST
def conduct_acknowledge_page(request: HttpRequest) -> HttpResponse:
    """我已阅读并遵守: the staff member confirms reading their center's current revision."""
    actor = staff_user(request)
    if not can_read_conduct(actor):
        raise Http404
    try:
        ack = conduct_acknowledge(actor=actor)
    except ValidationError as error:
        _refused(request, error)
    else:
        messages.success(
            request,
            _("Thank you: you have read revision %(revision)d of the code.")
            % {"revision": ack.revision},
        )
    return HttpResponseRedirect(reverse("workbench:conduct_code"))


@login_required
def conduct_reads(request: HttpRequest) -> HttpResponse:
    """Who has read the current revision of the center's code, and who not yet."""
    if not can_read_badges(request.user):
        raise Http404
    center = _center(request)
    published = published_code(center)
    rows = acknowledgements(center, published.revision) if published else []
    return render(
        request,
        "workbench/staffing/conduct/reads.html",
        {
            "center": center,
            "centers": centers_in_scope(request.user)
            .filter(is_active=True)
            .only("pk", "name", "path"),
            "published": published,
            "rows": rows,
            "unread": sum(1 for row in rows if row.read_at is None),
        },
    )


@login_required
def badges(request: HttpRequest) -> HttpResponse:
    """The center's badges (in force and withdrawn) and, for its managers, issuing one."""
    if not can_read_badges(request.user):
        raise Http404
    actor = staff_user(request)
    center = _center(request)
    manager = can_manage_conduct(actor, center.pk)
    form = BadgeIssueForm(center=center) if manager else None
    if request.method == "POST":
        if not manager:
            raise Http404
        if request.POST.get("action") == "withdraw":
            badge = access_badge(actor, request.POST.get("badge"), for_write=True)
            try:
                badge_withdraw(actor=actor, badge=badge)
            except ValidationError as error:
                _refused(request, error)
            else:
                messages.success(
                    request, _("Badge %(number)s withdrawn.") % {"number": badge.number}
                )
            return _back("badges", center)
        form = BadgeIssueForm(request.POST, center=center)
        if form.is_valid():
            try:
                issued = badge_issue(actor=actor, user=form.cleaned_data["user"])
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Badge %(number)s issued.") % {"number": issued.number})
                return _back("badges", center)
    page = Paginator(badges_of(center).order_by("withdrawn_on", "number"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "workbench/staffing/conduct/badges.html",
        {
            "center": center,
            "centers": centers_in_scope(actor).filter(is_active=True).only("pk", "name", "path"),
            "page_obj": page,
            "manager": manager,
            "form": form,
        },
    )


@login_required
def badge_card_page(request: HttpRequest, badge_id: int) -> HttpResponse:
    """The printable badge card (photo box, name, number, department, window, center)."""
    badge = access_badge(request.user, badge_id)
    return render(
        request,
        "workbench/staffing/conduct/badge_card.html",
        {
            "card": badge_card(badge),
            "back_url": reverse("workbench:badges") + f"?center={badge.center_id}",
        },
    )
