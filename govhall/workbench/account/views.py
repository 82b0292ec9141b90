"""The person's own account (issue 12 item 8): password change, two-step verification (TOTP),
login history; an administrator's reset of someone's authenticator; the login lockout page."""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from govhall.core import accounts
from govhall.core.models import User
from govhall.org.access.lookups import access_staff
from govhall.workbench.forms import LoginForm


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("workbench:home")


# --- login lockout (django-axes' AXES_LOCKOUT_CALLABLE) ---------------------------------------


def login_locked(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The login page again, with the lockout explained (429), for the staff and admin login."""
    form = LoginForm(request)
    message = _(
        "Too many failed logins for this account or from this address: logging in is locked "
        "for %(minutes)s minutes. Try again later, or ask the system administrator to unlock it."
    ) % {"minutes": settings.GOVHALL_LOGIN_COOLOFF_MINUTES}
    return render(
        request,
        "workbench/login.html",
        {"form": form, "locked_message": message, "next": request.POST.get("next", "")},
        status=429,
    )


# --- password -------------------------------------------------------------------------------


class OwnPasswordChangeForm(PasswordChangeForm):
    """Django's form (old password, the rules of AUTH_PASSWORD_VALIDATORS); the new password
    must differ from the old one, and the change is logged."""

    def clean_new_password1(self) -> str:
        password: str = self.cleaned_data["new_password1"]
        if self.user.check_password(password):
            raise ValidationError(
                _("The new password must differ from the current one."), code="same_password"
            )
        return password

    def save(self, commit: bool = True) -> Any:
        return accounts.password_change_own(
            actor=self.user, password=self.cleaned_data["new_password1"]
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "workbench/account/password_change.html"
    form_class = OwnPasswordChangeForm
    success_url = reverse_lazy("workbench:home")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = _user(self.request)
        context["expired"] = accounts.password_expired(user)
        context["account_gate"] = context["expired"]  # no menu: nothing else opens yet
        context["expires_at"] = accounts.password_expires_at(user)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


# --- second factor --------------------------------------------------------------------------


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("6-digit code"),
        max_length=8,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "pattern": "[0-9 ]*",
            }
        ),
    )

    def clean_token(self) -> str:
        token: str = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit():
            raise ValidationError(_("Enter the 6 digits the app shows."), code="invalid")
        return token


@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enroll an authenticator app: scan the QR code (or type the secret), confirm a code."""
    user = _user(request)
    device = accounts.otp_device(user)
    verified = getattr(user, "is_verified", lambda: False)()
    if device is not None and not verified:
        # Whoever has an authenticator proves it before enrolling another (else a stolen
        # password would be enough to replace it).
        return redirect(f"{reverse('workbench:account_otp_verify')}?{request.GET.urlencode()}")
    if device is not None and request.method != "POST":
        return render(
            request,
            "workbench/account/otp_setup.html",
            {"enrolled": True, "required": accounts.otp_required_by_role(user)},
        )
    pending = accounts.otp_pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if accounts.otp_enroll_confirm(actor=user, device=pending, token=token):
            pending.refresh_from_db()
            otp_login(request, pending)
            messages.success(request, _("Two-step verification is on for your account."))
            return HttpResponseRedirect(_next_url(request))
        form.add_error("token", _("The code is wrong or has expired. Try the current code."))
    qr = segno.make(pending.config_url, error="m")
    return render(
        request,
        "workbench/account/otp_setup.html",
        {
            "enrolled": False,
            "required": accounts.otp_required_by_role(user),
            "account_gate": not verified and accounts.otp_required_by_role(user),
            "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
            "secret": accounts.otp_secret_base32(pending),
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step after the password: a code from the person's authenticator app."""
    user = _user(request)
    device = accounts.otp_device(user)
    if device is None:
        return redirect(f"{reverse('workbench:account_otp_setup')}?{request.GET.urlencode()}")
    if getattr(user, "is_verified", lambda: False)():
        return HttpResponseRedirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if allowed and device.verify_token(form.cleaned_data["token"]):
            otp_login(request, device)
            return HttpResponseRedirect(_next_url(request))
        if allowed:
            form.add_error("token", _("The code is wrong or has expired. Try the current code."))
        else:
            form.add_error("token", _("Too many wrong codes: wait a little before trying again."))
    return render(
        request,
        "workbench/account/otp_verify.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "account_gate": True,
        },
    )


@login_required
def otp_reset_page(request: HttpRequest, staff_id: int) -> HttpResponse:
    """A manager of this person (within their standing) removes the person's authenticator,
    e.g. after a lost phone; the person enrolls again at their next login."""
    staff = access_staff(request.user, staff_id, for_write=True)
    return render(
        request,
        "workbench/account/otp_reset.html",
        {"staff": staff, "enrolled": accounts.otp_device(staff.user) is not None},
    )


@login_required
@require_POST
def otp_reset(request: HttpRequest, staff_id: int) -> HttpResponse:
    staff = access_staff(request.user, staff_id, for_write=True)
    accounts.otp_reset(
        actor=_user(request), user=staff.user, reason=request.POST.get("reason", "")[:500]
    )
    messages.success(
        request,
        _("The authenticator of %(name)s has been removed; they set it up again at next login.")
        % {"name": staff.user.display_name},
    )
    return redirect("workbench:account_otp_reset", staff_id=staff.pk)


# --- login history --------------------------------------------------------------------------


@login_required
def login_history(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workbench/account/logins.html",
        {"entries": accounts.login_history(_user(request))},
    )
