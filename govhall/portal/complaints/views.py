"""Public complaint pages (投诉, issue 15 item 2). Phone first, no login, a CSRF-protected form,
rate limited per client address and phone (RateLimited: the page answers 429 with the message).

- `complaints/`: choose the service center (one center: straight to its form);
- `complaints/c/<code>/`: the form — about the center, one of its windows or departments; what
  happened; name and phone optional, or anonymous. The complainant gets the complaint's number
  and a follow link (its random `public_token`);
- `complaints/follow/<token>/`: the status, the due time and, once answered, the finding and
  result — never internal notes (the department's reply, the handler, the delay reason).

The writing is `feedback.services.complaints.complaint_submit_public`."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from govhall.catalog.queries.guides import public_centers
from govhall.core.ratelimit import RateLimited
from govhall.feedback.models.complaints import ComplaintTarget
from govhall.feedback.queries.complaints import public_complaint, public_status
from govhall.feedback.services.complaints import complaint_submit_public
from govhall.org.models import Center, Department, Window

T = "portal/complaints/"
PUBLIC_TARGETS = [
    (ComplaintTarget.WINDOW.value, gettext_lazy("A window")),
    (ComplaintTarget.DEPARTMENT.value, gettext_lazy("A department")),
    (ComplaintTarget.CENTER.value, gettext_lazy("The center as a whole")),
]


class WindowChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.name}"


class ComplaintForm(forms.Form):
    target_kind = forms.ChoiceField(
        label=gettext_lazy("About"),
        choices=PUBLIC_TARGETS,
        widget=forms.RadioSelect,
        initial=ComplaintTarget.WINDOW,
    )
    window = WindowChoice(
        label=gettext_lazy("Window"), required=False, queryset=Window.objects.none()
    )
    department = forms.ModelChoiceField(
        label=gettext_lazy("Department"), required=False, queryset=Department.objects.none()
    )
    summary = forms.CharField(
        label=gettext_lazy("What is the complaint about? (one line)"), max_length=200
    )
    details = forms.CharField(
        label=gettext_lazy("What happened (when, where, who)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    complainant_name = forms.CharField(
        label=gettext_lazy("Name (optional)"),
        required=False,
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    complainant_phone = forms.CharField(
        label=gettext_lazy("Mobile phone (optional, for an SMS with the result)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Complain anonymously (no name or phone kept; follow the link)"),
        required=False,
    )

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        window = self.fields["window"]
        assert isinstance(window, forms.ModelChoiceField)
        window.queryset = Window.objects.filter(center=center, is_active=True).order_by("number")
        department = self.fields["department"]
        assert isinstance(department, forms.ModelChoiceField)
        department.queryset = Department.objects.filter(center=center, is_active=True).order_by(
            "code"
        )

    def target_id(self) -> int | None:
        kind = self.cleaned_data.get("target_kind")
        choices: dict[str, Any] = {
            ComplaintTarget.WINDOW: self.cleaned_data.get("window"),
            ComplaintTarget.DEPARTMENT: self.cleaned_data.get("department"),
        }
        chosen = choices.get(str(kind))
        return chosen.pk if chosen is not None else None


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a proxy the proxy must set it from X-Forwarded-For."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def centers(request: HttpRequest) -> HttpResponse:
    found = list(public_centers().order_by("path"))
    if len(found) == 1:
        return HttpResponseRedirect(reverse("portal:complaint_new", args=[found[0].code]))
    return render(request, T + "centers.html", {"centers": found})


def _refusal_on(form: forms.Form, error: ValidationError) -> None:
    names = {"target_id": "target_kind"}
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            field = names.get(name, name)
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error)


@never_cache
def complaint_new(request: HttpRequest, code: str) -> HttpResponse:
    center = public_centers().filter(code=code).first()
    if center is None:
        raise Http404
    form = ComplaintForm(request.POST if request.method == "POST" else None, center=center)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                complaint = complaint_submit_public(
                    center=center,
                    client=client_address(request),
                    target_kind=data["target_kind"],
                    target_id=form.target_id(),
                    summary=data["summary"],
                    details=data["details"],
                    complainant_name=data["complainant_name"],
                    complainant_phone=data["complainant_phone"],
                    anonymous=data["anonymous"],
                )
            except RateLimited as limited:
                form.add_error(None, limited.message)
                status = 429
            except ValidationError as error:
                _refusal_on(form, error)
            else:
                return HttpResponseRedirect(
                    reverse("portal:complaint_follow", args=[complaint.public_token]) + "?new=1"
                )
    return render(request, T + "form.html", {"form": form, "center": center}, status=status)


@never_cache
def complaint_follow(request: HttpRequest, token: str) -> HttpResponse:
    complaint = public_complaint(token)
    if complaint is None:
        raise Http404
    response = render(
        request,
        T + "follow.html",
        {
            "status": public_status(complaint),
            "new": request.GET.get("new") == "1",
            "link": request.build_absolute_uri(request.path),
        },
    )
    response["Referrer-Policy"] = "no-referrer"
    return response
