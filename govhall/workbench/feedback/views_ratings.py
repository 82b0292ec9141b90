"""The rating office's pages (好差评, issue 15 item 1): every rating of the user's part of the
hall (names and phones masked, filters by month, level, window, department, bad only), one
rating (the citizen's name and phone in full, each view logged), and entering a rating a citizen
gave on the phone after a call-back (find the ticket or case, then the form).

Who may: `feedback.access.ratings` (`can_read_ratings`, `can_enter_ratings`); the rules of a
rating are `feedback.services.ratings.rating_give`. The follow-up of a bad rating is the
bad-rating inbox (`views_bad_ratings.py`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govhall.core.models import User
from govhall.core.validation import Conflict
from govhall.feedback.access.ratings import access_rating, can_enter_ratings, can_read_ratings
from govhall.feedback.models import RatingChannel
from govhall.feedback.queries.ratings import (
    masked,
    occasion_facts,
    phone_entry_occasions,
    rating_list,
    rating_rows,
)
from govhall.feedback.services.privacy import feedback_personal_data_view_record
from govhall.feedback.services.ratings import occasion_of, rating_give
from govhall.org.access.scope import departments_in_scope, windows_in_scope
from govhall.workbench.feedback.forms_ratings import (
    OccasionSearchForm,
    PhoneRatingForm,
    RatingFilterForm,
)
from govhall.workbench.request_input import staff_user

T = "workbench/feedback/ratings/"
PAGE_SIZE = 50


def _reader(request: HttpRequest) -> User:
    user = staff_user(request)
    if not can_read_ratings(user):
        raise Http404
    return user


@login_required
def ratings(request: HttpRequest) -> HttpResponse:
    user = _reader(request)
    form = RatingFilterForm(
        request.GET or None,
        windows=windows_in_scope(user).order_by("center", "number"),
        departments=departments_in_scope(user).order_by("center", "name"),
    )
    qs = rating_list(user, form.filters())
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        T + "list.html",
        {
            "form": form,
            "page_obj": page,
            "rows": rating_rows(list(page)),
            "querystring_without_page": f"{kept.urlencode()}&" if kept else "",
        },
    )


@login_required
def rating_detail(request: HttpRequest, rating_id: int) -> HttpResponse:
    user = _reader(request)
    rating = access_rating(user, rating_id)
    full = bool(rating.rater_name or rating.rater_phone)
    if full:
        feedback_personal_data_view_record(
            actor=user,
            obj=rating,
            center_id=rating.center_id,
            fields=["rater_name", "rater_phone"],
            purpose=_("Rating page"),
        )
    replaced_by = getattr(rating, "superseded_by", None)
    return render(
        request,
        T + "detail.html",
        {
            "rating": rating,
            "full": full,
            "masked": masked(rating),
            "replaced_by": replaced_by,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rating_enter(request: HttpRequest) -> HttpResponse:
    """Find a ticket or case of the user's scope, then enter the rating given on the phone."""
    user = staff_user(request)
    if not can_enter_ratings(user):
        raise Http404
    search = OccasionSearchForm(request.GET or None)
    text = search.cleaned_data["q"] if search.is_valid() else ""
    found = phone_entry_occasions(user, text)
    form: PhoneRatingForm | None = None
    facts = None
    status = 200
    if request.method == "POST":
        form = PhoneRatingForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                rating = rating_give(
                    actor=user,
                    kind=data["kind"],
                    occasion_id=data["occasion"],
                    level=data["level"],
                    channel=RatingChannel.PHONE_CALL_BACK,
                    reason=data["reason"] or "",
                    comment=data["comment"],
                    rater_name=data["rater_name"],
                    rater_phone=data["rater_phone"],
                )
            except ValidationError as refused:
                for field, errors in refused.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
                status = 409 if isinstance(refused, Conflict) else 422
            else:
                messages.success(request, _("The rating was recorded."))
                return redirect("workbench:rating", rating_id=rating.pk)
        else:
            status = 422
        kind, pk = request.POST.get("kind", ""), request.POST.get("occasion", "")
    else:
        kind, pk = request.GET.get("kind", ""), request.GET.get("occasion", "")
    if kind and pk.isdigit():
        chosen = next((o for o in found if o.kind == kind and o.pk == int(pk)), None)
        # After a refused post the service has checked the scope already: show the form again.
        if chosen is not None or request.method == "POST":
            occasion = occasion_of(kind, int(pk))
            facts = occasion_facts(
                center_id=occasion.center_id,
                item_id=occasion.values["item_id"],
                window_id=occasion.values["window_id"],
                staff_id=occasion.values["staff_id"],
                moment=occasion.moment,
            )
            if form is None:
                form = PhoneRatingForm(initial={"kind": kind, "occasion": int(pk)})
    return render(
        request,
        T + "enter.html",
        {"search": search, "found": found, "form": form, "facts": facts, "q": text},
        status=status,
    )
