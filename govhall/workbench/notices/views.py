"""Workbench pages of the hall notices (公告: policies, 便民措施; issue 18 item 5): a center's
managers list, write, publish and delete them; the portal's disclosure page and the display
board's ticker show the published ones. Rules live in `govhall.frontdesk.services.notices`,
who may in `govhall.frontdesk.access.notices` (a notice outside the user's subtree is 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.models import User
from govhall.frontdesk.access.notices import access_notice, can_manage_notices
from govhall.frontdesk.models import HallNotice
from govhall.frontdesk.queries.notices import notices_listed
from govhall.frontdesk.services.notices import notice_create, notice_delete, notice_update
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center
from govhall.workbench.notices.forms import NoticeForm
from govhall.workbench.org.forms import show_errors
from govhall.workbench.request_input import staff_user

T = "workbench/frontdesk/notices/"


def _require(request: HttpRequest) -> User:
    user = staff_user(request)
    if not can_manage_notices(user):
        raise Http404
    return user


def _center(request: HttpRequest) -> Center:
    raw = request.POST.get("center") or request.GET.get("center", "")
    if raw:
        return access_center(request.user, raw)
    scope = scope_of(request.user)
    if scope.root is None:
        raise Http404
    return scope.root


def _list_url(center_id: int) -> str:
    return f"{reverse('workbench:notices')}?center={center_id}"


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    _require(request)
    center = _center(request)
    return render(
        request,
        T + "list.html",
        {
            "center": center,
            "centers": centers_in_scope(request.user).order_by("path")[:300],
            "notices": notices_listed(HallNotice.objects.all(), center_id=center.pk),
            "now": timezone.now(),
        },
    )


def _form_page(
    request: HttpRequest, user: User, center: Center, notice: HallNotice | None
) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = NoticeForm(request.POST)
        if form.is_valid():
            try:
                if notice is None:
                    saved = notice_create(actor=user, center=center, **form.service_fields())
                else:
                    saved = notice_update(actor=user, notice=notice, **form.service_fields())
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Notice “%(title)s” saved.") % {"title": saved.title})
                return HttpResponseRedirect(_list_url(center.pk))
        status = 400
    elif notice is not None:
        form = NoticeForm(initial=NoticeForm.initial_of(notice))
    else:
        form = NoticeForm(initial={"starts_at": timezone.localtime().replace(second=0)})
    return render(
        request,
        T + "form.html",
        {
            "form": form,
            "title": _("New notice") if notice is None else notice.title,
            "center": center,
            "notice": notice,
        },
        status=status,
    )


@login_required
def notice_new(request: HttpRequest) -> HttpResponse:
    user = _require(request)
    return _form_page(request, user, _center(request), None)


@login_required
def notice_edit(request: HttpRequest, notice_id: int) -> HttpResponse:
    user = _require(request)
    notice = access_notice(user, notice_id, for_write=True)
    return _form_page(request, user, notice.center, notice)


@login_required
@require_POST
def notice_remove(request: HttpRequest, notice_id: int) -> HttpResponse:
    user = _require(request)
    notice = access_notice(user, notice_id, for_write=True)
    center_id = notice.center_id
    try:
        notice_delete(actor=user, notice=notice)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Notice deleted."))
    return HttpResponseRedirect(_list_url(center_id))
