"""The bad-rating inbox (差评, issue 15 item 1): the list (overdue first, names and phones
masked), one rating with the buttons its transition table allows the user, and the month's
targets (实名差评回访率, 整改率).

Who sees what is `feedback.queries.rating_follow_up.BadRatingViewer`; the buttons come from
`feedback/rating_transitions.py` through `rating_actions`; every change is a service of
`feedback.services.rating_follow_up`. The rater's name and phone are shown in full only to those
who follow the rating up or decide on it, and each such view is logged
(`feedback.services.privacy`)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.events import event_label
from govhall.core.idnumbers import mask_name, mask_phone
from govhall.core.models import User
from govhall.core.validation import Conflict
from govhall.feedback.access.rating_follow_up import access_bad_rating, can_read_bad_ratings
from govhall.feedback.models import Rating
from govhall.feedback.queries.rating_follow_up import (
    BadRatingViewer,
    bad_rating_inbox,
    follow_up_targets,
    rating_timeline,
)
from govhall.feedback.rating_transitions import APPEAL_DECISIONS, RatingAction
from govhall.feedback.services.privacy import feedback_personal_data_view_record
from govhall.feedback.services.rating_follow_up import (
    rating_actions,
    rating_appeal,
    rating_call_back,
    rating_exclude,
    rating_rectify,
    rating_reject_appeal,
    rating_tell,
)
from govhall.workbench.feedback.forms_bad_ratings import ACTION_FORMS, BadRatingFilterForm
from govhall.workbench.request_input import month_from_query, month_neighbours, staff_user

T = "workbench/feedback/bad_ratings/"
PAGE_SIZE = 50


def _reader(request: HttpRequest) -> User:
    user = staff_user(request)
    if not can_read_bad_ratings(user):
        raise Http404
    return user


@login_required
def bad_ratings(request: HttpRequest) -> HttpResponse:
    """The inbox: the bad ratings the user sees, overdue first."""
    user = _reader(request)
    form = BadRatingFilterForm(request.GET or None)
    viewer = BadRatingViewer(user)
    rows = bad_rating_inbox(user, viewer=viewer, **(form.filters() if form.is_bound else {}))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for rating in page:
        rating.masked_name = mask_name(rating.rater_name)  # type: ignore[attr-defined]
        rating.masked_phone = mask_phone(rating.rater_phone)  # type: ignore[attr-defined]
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        T + "list.html",
        {
            "form": form if form.is_bound else BadRatingFilterForm(),
            "page_obj": page,
            "querystring_without_page": f"{kept.urlencode()}&" if kept else "",
        },
    )


def _page(
    request: HttpRequest,
    rating_id: int,
    *,
    bound: dict[str, forms.Form] | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user = _reader(request)
    viewer = BadRatingViewer(user)
    rating = access_bad_rating(user, rating_id, viewer=viewer)
    actions = [row.action for row in rating_actions(user, rating, viewer=viewer)]
    full = viewer.sees_rater(rating) and bool(rating.rater_name or rating.rater_phone)
    if full:
        feedback_personal_data_view_record(
            actor=user,
            obj=rating,
            center_id=rating.center_id,
            fields=["rater_name", "rater_phone"],
            purpose=_("Bad-rating page"),
        )
    bound = bound or {}
    action_forms = {
        action: bound.get(action) or ACTION_FORMS[action](prefix=action) for action in actions
    }
    timeline = [
        {"event": event, "label": event_label(event.action)} for event in rating_timeline(rating)
    ]
    return render(
        request,
        T + "detail.html",
        {
            "rating": rating,
            "rater_name": rating.rater_name if full else mask_name(rating.rater_name),
            "rater_phone": rating.rater_phone if full else mask_phone(rating.rater_phone),
            "full": full,
            "actions": actions,
            "action_forms": action_forms,
            "decide": [a for a in actions if a in APPEAL_DECISIONS],
            "timeline": timeline,
            "error": error,
        },
        status=status,
    )


@login_required
def bad_rating_detail(request: HttpRequest, rating_id: int) -> HttpResponse:
    return _page(request, rating_id)


def _run(user: User, rating: Rating, action: str, data: dict[str, Any], version: object) -> str:
    """Take `action` with the posted `data`; the message to show once done."""
    common: dict[str, Any] = {"actor": user, "rating": rating, "version": version}
    if action == RatingAction.CALL_BACK:
        rating_call_back(
            **common,
            justified={"yes": True, "no": False}.get(data.get("justified", ""), ""),
            note=data.get("note", ""),
        )
        return _("Call-back and verification recorded.")
    if action == RatingAction.RECTIFY:
        rating_rectify(**common, result=data.get("result", ""))
        return _("Rectification recorded.")
    if action == RatingAction.TELL:
        rating_tell(**common, note=data.get("note", ""))
        return _("Recorded that the citizen was told the result.")
    if action == RatingAction.APPEAL:
        rating_appeal(**common, reason=data.get("reason", ""))
        return _("Appeal sent to the hall's management.")
    if action == RatingAction.EXCLUDE:
        rating_exclude(**common, note=data.get("note", ""))
        return _("The rating is excluded from the figures.")
    rating_reject_appeal(**common, note=data.get("note", ""))
    return _("Appeal rejected.")


@login_required
@require_POST
def bad_rating_act(request: HttpRequest, rating_id: int, action: str) -> HttpResponse:
    """One action of the table; the form posts the version it showed (stale → a warning)."""
    user = _reader(request)
    rating = access_bad_rating(user, rating_id)
    if action not in RatingAction.values:
        raise Http404
    # exclude and reject share one decision form (prefixed by the first action's name)
    prefix = RatingAction.EXCLUDE if action == RatingAction.REJECT_APPEAL else action
    form = ACTION_FORMS[action](request.POST, prefix=prefix)
    form.is_valid()
    data = {name: form.data.get(f"{prefix}-{name}", "") for name in form.fields}
    try:
        done = _run(user, rating, action, data, request.POST.get("version") or None)
    except ValidationError as error:
        fields = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
        loose: list[str] = []
        for field, texts in fields.items():
            if field in form.fields:
                form.add_error(field, texts)
            else:
                loose.extend(str(text) for text in texts)
        return _page(
            request,
            rating_id,
            bound={prefix: form},
            error=" ".join(loose),
            status=409 if isinstance(error, Conflict) else 400,
        )
    messages.success(request, done)
    return HttpResponseRedirect(reverse("workbench:bad_rating", kwargs={"rating_id": rating_id}))


@login_required
def bad_rating_targets(request: HttpRequest) -> HttpResponse:
    """The month's 实名差评回访率 and 整改率 over the user's scope, against the 100% target."""
    user = _reader(request)
    year, month = month_from_query(request.GET.get("month"))
    previous, following = month_neighbours(year, month)
    targets = follow_up_targets(user, datetime.date(year, month, 1))
    return render(
        request,
        T + "targets.html",
        {
            "targets": targets,
            "month": f"{year:04d}-{month:02d}",
            "previous": previous,
            "following": following,
        },
    )
