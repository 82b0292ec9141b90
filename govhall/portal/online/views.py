"""The online hall's account pages (issue 19 item 1), phone first: sign-in (password or SMS code),
citizen and enterprise registration, password reset, sign-out, and the account page (profile,
signed-in devices, an enterprise's agents, acting for an enterprise).

Every rule is in govhall.online.services.accounts; the pages carry input to it and show its
refusals next to the fields (400), or its rate limits (429). The sign-in cookie is the online
hall's own (portal/online/session.py), never Django's staff session."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from govhall.core.idnumbers import mask_id, mask_phone
from govhall.core.ratelimit import RateLimited
from govhall.online.models import AccountKind, AccountSession, ApplicantAccount, SmsPurpose
from govhall.online.queries.accounts import agent_enterprises, enterprise_agents, open_sessions
from govhall.online.services.accounts import (
    account_applicant,
    account_login_password,
    account_login_sms,
    account_password_reset,
    account_register_enterprise,
    account_register_person,
    agent_add,
    agent_remove,
    session_act_for,
    sessions_end_others,
    sms_code_send,
    sms_code_send_for,
)
from govhall.online.services.sessions import session_end
from govhall.portal.online.forms import (
    AgentAddForm,
    EnterpriseRegisterForm,
    PasswordLoginForm,
    PersonRegisterForm,
    ResetForm,
    SmsLoginForm,
)
from govhall.portal.online.session import (
    account_required,
    acting_applicant,
    clear_session_cookie,
    set_session_cookie,
)

T = "portal/online/"


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR; behind a proxy the proxy must set it from X-Forwarded-For."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def home_url() -> str:
    """Where a signed-in applicant lands: 我的 (portal:my_home) once it exists, else the account
    page."""
    try:
        return reverse("portal:my_home")
    except NoReverseMatch:
        return reverse("portal:online_account")


def _next_url(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return home_url()


def _refusal_on(
    form: forms.Form, error: ValidationError, names: dict[str, str] | None = None
) -> None:
    names = names or {}
    if hasattr(error, "error_dict"):
        for name, texts in error.message_dict.items():
            field = names.get(name, name)
            form.add_error(field if field in form.fields else None, texts)
    else:
        form.add_error(None, error.messages)


def _signed_in(request: HttpRequest, session_key: tuple[AccountSession, str]) -> HttpResponse:
    old = getattr(request, "online_session", None)
    if old is not None:
        session_end(session=old)
    _session, raw_key = session_key
    response = HttpResponseRedirect(_next_url(request))
    set_session_cookie(response, raw_key)
    request.online_signed_in = True  # type: ignore[attr-defined]
    return response


def _user_agent(request: HttpRequest) -> str:
    return str(request.META.get("HTTP_USER_AGENT") or "")[:200]


CODE_SENT_TO_ACCOUNT = (
    "If the account is registered, a code was sent to its mobile phone. It is valid for a few "
    "minutes."
)


@never_cache
def login(request: HttpRequest) -> HttpResponse:
    mode = request.POST.get("mode") or request.GET.get("mode") or "password"
    mode = "sms" if mode == "sms" else "password"
    posted = request.POST if request.method == "POST" else None
    initial = {"login": request.GET.get("login", "")[:30]}
    form: forms.Form = (
        SmsLoginForm(posted, initial=initial)
        if mode == "sms"
        else PasswordLoginForm(posted, initial=initial)
    )
    status = 200
    sent = False
    if posted is not None:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            client = client_address(request)
            try:
                if mode == "sms" and "send_code" in request.POST:
                    sms_code_send_for(login=data["login"], purpose=SmsPurpose.LOGIN, client=client)
                    sent, status = True, 200
                elif mode == "sms":
                    return _signed_in(
                        request,
                        account_login_sms(
                            login=data["login"],
                            code=data["code"],
                            client=client,
                            user_agent=_user_agent(request),
                        ),
                    )
                else:
                    return _signed_in(
                        request,
                        account_login_password(
                            login=data["login"],
                            password=data["password"],
                            client=client,
                            user_agent=_user_agent(request),
                        ),
                    )
            except RateLimited as limited:
                form.add_error(None, limited.message)
                status = 429
            except ValidationError as error:
                _refusal_on(form, error)
    context: dict[str, Any] = {
        "form": form,
        "mode": mode,
        "sent": sent,
        "sent_text": _(CODE_SENT_TO_ACCOUNT),
        "next": request.POST.get("next") or request.GET.get("next") or "",
    }
    return render(request, T + "login.html", context, status=status)


def _register(request: HttpRequest, form_class: type[forms.Form], kind: str) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    form = form_class(posted)
    status = 200
    sent = False
    if posted is not None:
        status = 400
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        client = client_address(request)
        try:
            if "send_code" in request.POST:
                if "phone" in data:
                    sms_code_send(phone=data["phone"], purpose=SmsPurpose.REGISTER, client=client)
                    sent, status = True, 200
                    form = form_class(
                        initial={k: v for k, v in data.items() if "password" not in k}
                    )
            elif form.is_valid() and form.passwords_match():  # type: ignore[attr-defined]
                if kind == AccountKind.PERSON:
                    account = account_register_person(
                        phone=data["phone"],
                        code=data["code"],
                        name=data["name"],
                        id_number=data["id_number"],
                        password=data["password"],
                        client=client,
                    )
                else:
                    account = account_register_enterprise(
                        uscc=data["uscc"],
                        name=data["name"],
                        legal_representative=data["legal_representative"],
                        phone=data["phone"],
                        code=data["code"],
                        password=data["password"],
                        client=client,
                    )
                messages.success(request, _("Your account is registered. Please sign in."))
                query = "?mode=password"
                if kind == AccountKind.ENTERPRISE:
                    query += "&login=" + account.id_number
                return HttpResponseRedirect(reverse("portal:online_login") + query)
        except RateLimited as limited:
            form.add_error(None, limited.message)
            status = 429
        except ValidationError as error:
            _refusal_on(form, error)
    context = {
        "form": form,
        "kind": kind,
        "sent": sent,
        "enterprise": kind == AccountKind.ENTERPRISE,
    }
    return render(request, T + "register.html", context, status=status)


@never_cache
def register(request: HttpRequest) -> HttpResponse:
    return _register(request, PersonRegisterForm, AccountKind.PERSON)


@never_cache
def register_enterprise(request: HttpRequest) -> HttpResponse:
    return _register(request, EnterpriseRegisterForm, AccountKind.ENTERPRISE)


@never_cache
def reset(request: HttpRequest) -> HttpResponse:
    posted = request.POST if request.method == "POST" else None
    form = ResetForm(posted)
    status = 200
    sent = False
    if posted is not None:
        status = 400
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        client = client_address(request)
        try:
            if "send_code" in request.POST:
                if "login" in data:
                    sms_code_send_for(login=data["login"], purpose=SmsPurpose.RESET, client=client)
                    sent, status = True, 200
                    form = ResetForm(initial={"login": data["login"]})
            elif form.is_valid() and form.passwords_match():
                account_password_reset(
                    login=data["login"],
                    code=data["code"],
                    password=data["password"],
                    client=client,
                )
                messages.success(
                    request,
                    _("Your password is changed and every device was signed out. Please sign in."),
                )
                return HttpResponseRedirect(reverse("portal:online_login"))
        except RateLimited as limited:
            form.add_error(None, limited.message)
            status = 429
        except ValidationError as error:
            _refusal_on(form, error)
    context = {"form": form, "sent": sent, "sent_text": _(CODE_SENT_TO_ACCOUNT)}
    return render(request, T + "reset.html", context, status=status)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    session = getattr(request, "online_session", None)
    if session is not None:
        session_end(session=session)
    response = HttpResponseRedirect(reverse("portal:home"))
    clear_session_cookie(response)
    return response


def _account_context(request: HttpRequest, account: ApplicantAccount) -> dict[str, Any]:
    session: AccountSession = request.online_session  # type: ignore[attr-defined]
    is_enterprise = account.kind == AccountKind.ENTERPRISE
    return {
        "account": account,
        "is_enterprise": is_enterprise,
        "masked_id": mask_id(account.id_number),
        "masked_phone": mask_phone(account.phone),
        "applicant": account_applicant(account),
        "sessions": list(open_sessions(account)),
        "this_session": session,
        "agents": [
            {"pk": agent.pk, "name": agent.person.name, "phone": mask_phone(agent.person.phone)}
            for agent in (enterprise_agents(account) if is_enterprise else [])
        ],
        "agent_form": AgentAddForm() if is_enterprise else None,
        "enterprises": [] if is_enterprise else list(agent_enterprises(account)),
        "acting": acting_applicant(request),
    }


@never_cache
@account_required
def account_page(request: HttpRequest) -> HttpResponse:
    account: ApplicantAccount = request.online_account  # type: ignore[attr-defined]
    return render(request, T + "account.html", _account_context(request, account))


@require_POST
@account_required
def account_end_others(request: HttpRequest) -> HttpResponse:
    ended = sessions_end_others(session=request.online_session)  # type: ignore[attr-defined]
    messages.success(request, _("Signed out on %(count)d other devices.") % {"count": ended})
    return HttpResponseRedirect(reverse("portal:online_account"))


@require_POST
@account_required
def account_agent_add(request: HttpRequest) -> HttpResponse:
    account: ApplicantAccount = request.online_account  # type: ignore[attr-defined]
    if account.kind != AccountKind.ENTERPRISE:
        raise Http404
    form = AgentAddForm(request.POST)
    if form.is_valid():
        try:
            agent_add(
                enterprise=account, phone=form.cleaned_data["phone"], name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            _refusal_on(form, error)
        else:
            messages.success(request, _("The agent was added."))
            return HttpResponseRedirect(reverse("portal:online_account"))
    context = _account_context(request, account)
    context["agent_form"] = form
    return render(request, T + "account.html", context, status=400)


@require_POST
@account_required
def account_agent_remove(request: HttpRequest, agent_id: int) -> HttpResponse:
    account: ApplicantAccount = request.online_account  # type: ignore[attr-defined]
    if account.kind != AccountKind.ENTERPRISE:
        raise Http404
    try:
        agent_remove(enterprise=account, agent_id=agent_id)
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.success(request, _("The agent was removed."))
    return HttpResponseRedirect(reverse("portal:online_account"))


@require_POST
@account_required
def account_act_for(request: HttpRequest) -> HttpResponse:
    account: ApplicantAccount = request.online_account  # type: ignore[attr-defined]
    chosen = request.POST.get("enterprise") or ""
    enterprise = None
    if chosen:
        enterprise = (
            agent_enterprises(account).filter(pk=int(chosen) if chosen.isdigit() else 0).first()
        )
        if enterprise is None:
            raise Http404
    session_act_for(session=request.online_session, enterprise=enterprise)  # type: ignore[attr-defined]
    if enterprise is not None:
        messages.success(request, _("You now act for %(name)s.") % {"name": enterprise.name})
    else:
        messages.success(request, _("You act for yourself again."))
    return HttpResponseRedirect(reverse("portal:online_account"))
