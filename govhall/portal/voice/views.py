"""Public pages of the suggestion box, the message wall and the satisfaction survey (issue 15
items 5 and 6). Phone first, no login, CSRF-protected forms, rate limited
(RateLimited: the page answers 429 with the message).

- `voice/suggest/`: write a suggestion or a message (name and phone optional; "show on the
  message wall" is the writer's choice); the writer gets the entry's own link to follow it.
- `voice/suggestions/<token>/`: the entry and its reply (only by its token).
- `voice/wall/`: the message wall: entries their writers chose to show, with the replies,
  names masked, phones never shown.
- `voice/surveys/<token>/`: answer an open survey. The device gets a long-lived signed cookie
  (a random key) the first time it opens a survey; one answer per device and survey."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from govhall.catalog.queries.guides import public_centers
from govhall.core.idnumbers import mask_name
from govhall.core.ratelimit import RateLimited
from govhall.core.validation import Conflict
from govhall.feedback.access.surveys import public_survey
from govhall.feedback.models import QuestionKind, RatingLevel, SuggestionKind, SurveyStatus
from govhall.feedback.queries.suggestions import message_wall, suggestion_by_token
from govhall.feedback.services.suggestions import suggestion_submit
from govhall.feedback.services.surveys import field_name, survey_answer_public
from govhall.org.models import Center

T = "portal/voice/"
DEVICE_COOKIE = "govhall_survey_device"
DEVICE_SALT = "govhall.portal.survey"
WALL_PAGE_SIZE = 20


class SuggestionForm(forms.Form):
    center = forms.ModelChoiceField(
        label=gettext_lazy("Service center"), queryset=Center.objects.none()
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"),
        choices=SuggestionKind.choices,
        widget=forms.RadioSelect,
        initial=SuggestionKind.SUGGESTION,
    )
    content = forms.CharField(
        label=gettext_lazy("Your suggestion or message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    name = forms.CharField(
        label=gettext_lazy("Name (optional)"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Mobile phone (optional, for an SMS when we reply)"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    is_public = forms.BooleanField(
        label=gettext_lazy("Show my message and the reply on the message wall (name masked)"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["center"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = public_centers().order_by("path")


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a proxy the proxy must set it from X-Forwarded-For."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _refusal_on(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            form.add_error(name if name in form.fields else None, texts)
    else:
        form.add_error(None, error)


@never_cache
def suggestion_new(request: HttpRequest) -> HttpResponse:
    centers = public_centers()
    only = centers.first() if centers.count() == 1 else None
    form = SuggestionForm(
        request.POST if request.method == "POST" else None,
        initial={"center": only.pk if only else None},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            center: Center = data.pop("center")
            try:
                entry = suggestion_submit(center=center, client=client_address(request), **data)
            except RateLimited as limited:
                form.add_error(None, limited.message)
                status = 429
            except ValidationError as error:
                _refusal_on(form, error)
                status = 400
            else:
                return HttpResponseRedirect(
                    reverse("portal:suggestion_follow", args=[entry.public_token]) + "?new=1"
                )
        else:
            status = 400
    return render(request, T + "suggest.html", {"form": form}, status=status)


@never_cache
def suggestion_follow(request: HttpRequest, token: str) -> HttpResponse:
    entry = suggestion_by_token(token)
    return render(
        request,
        T + "follow.html",
        {
            "entry": entry,
            "name": mask_name(entry.name),
            "new": request.GET.get("new") == "1",
            "link": request.build_absolute_uri(),
        },
    )


def wall(request: HttpRequest) -> HttpResponse:
    page = Paginator(message_wall(), WALL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        T + "wall.html",
        {
            "page_obj": page,
            "rows": [{"entry": entry, "name": mask_name(entry.name)} for entry in page],
            "querystring_without_page": "",
        },
    )


def _device(request: HttpRequest) -> str:
    value = request.get_signed_cookie(
        DEVICE_COOKIE,
        default="",
        salt=DEVICE_SALT,
        max_age=settings.GOVHALL_SURVEY_DEVICE_COOKIE_DAYS * 86400,
    )
    return str(value)


def _remember_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    if not _device(request):
        response.set_signed_cookie(
            DEVICE_COOKIE,
            secrets.token_urlsafe(24),
            salt=DEVICE_SALT,
            max_age=settings.GOVHALL_SURVEY_DEVICE_COOKIE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def _questions(survey: Any, posted: Any, errors: dict[str, list[str]]) -> list[dict[str, Any]]:
    scale = [(level.value, level.label) for level in RatingLevel]
    rows = []
    for question in survey.questions.order_by("position"):
        name = field_name(question)
        if question.kind == QuestionKind.SCALE:
            options = [(str(value), label) for value, label in scale]
        elif question.kind == QuestionKind.CHOICE:
            options = [(str(n), label) for n, label in enumerate(question.choices)]
        else:
            options = []
        rows.append(
            {
                "question": question,
                "name": name,
                "options": options,
                "value": (posted.get(name, "") if posted else ""),
                "errors": errors.get(name, []),
            }
        )
    return rows


@never_cache
def survey(request: HttpRequest, token: str) -> HttpResponse:
    found = public_survey(token)
    device = _device(request)
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            survey_answer_public(
                survey=found,
                answers={key: value for key, value in request.POST.items() if key[:1] == "q"},
                device_key=device,
                client=client_address(request),
                respondent=None,
            )
        except RateLimited as limited:
            general.append(limited.message)
            status = 429
        except Conflict as conflict:
            general.extend(conflict.messages)
            status = 409
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = {key: list(texts) for key, texts in error.message_dict.items()}
            else:
                general.extend(error.messages)
            status = 400
        else:
            return HttpResponseRedirect(reverse("portal:survey_thanks", args=[token]))
    response = render(
        request,
        T + "survey.html",
        {
            "survey": found,
            "open": found.status == SurveyStatus.OPEN,
            "rows": _questions(found, request.POST if request.method == "POST" else None, errors),
            "general": general,
            "has_errors": bool(errors),
        },
        status=status,
    )
    return _remember_device(request, response)


def survey_thanks(request: HttpRequest, token: str) -> HttpResponse:
    found = public_survey(token)
    return render(request, T + "thanks.html", {"survey": found})
