"""Online hall accounts (issue 19 item 1): SMS codes, registration, sign-in, lockout, password
reset, enterprise agents (经办人) and the link to the applicant whose cases the account sees.

Entry points (keyword-only; refusals are ValidationError with Chinese messages, RateLimited for
too many requests; nothing changes on a refusal except the counters that must count it):

def sms_code_send(*, phone, purpose, client, at=None) -> SmsCode
def sms_code_send_for(*, login, purpose, client, at=None) -> SmsCode | None
def account_register_person(*, phone, code, name, id_number, password, client, at=None)
def account_register_enterprise(*, uscc, name, legal_representative, phone, code, password,
                                client, at=None)
def account_login_password(*, login, password, client, user_agent="", at=None)
    -> (AccountSession, raw cookie key)
def account_login_sms(*, login, code, client, user_agent="", at=None) -> (AccountSession, key)
def account_password_reset(*, login, code, password, client, at=None) -> ApplicantAccount
def account_applicant(account) -> Applicant | None
def agent_add(*, enterprise, phone, name, at=None) -> EnterpriseAgent
def agent_remove(*, enterprise, agent_id, at=None) -> None
def session_act_for(*, session, enterprise) -> None
def sessions_end_others(*, session, at=None) -> int

SMS codes: 6 random digits, only an HMAC of (phone, purpose, code) is kept; the latest unused
code of a phone and purpose is the one that counts, for GOVHALL_ONLINE_SMS_CODE_MINUTES and at
most GOVHALL_ONLINE_SMS_CODE_ATTEMPTS tries. A wrong code's attempt is written outside the
refusing transaction so it counts. One code per phone every GOVHALL_ONLINE_SMS_RESEND_SECONDS,
GOVHALL_ONLINE_SMS_PER_PHONE_DAY a day, GOVHALL_ONLINE_SMS_PER_ADDRESS_HOUR per client address.

Sign-in: the same message for an unknown account and a wrong password (a dummy hash is computed
for the unknown one so both take as long). GOVHALL_ONLINE_LOGIN_FAILURES wrong passwords in a
row lock the account for GOVHALL_ONLINE_LOCK_MINUTES (events account.fail_login, account.lock);
a password reset by SMS code unlocks it and ends every session.

Verification: an account is verified when its SMS code was confirmed and, where an Applicant of
the same ID number / USCC exists, the name matches it; then `applicant` links to that row and
the account sees its cases. A verified account without an Applicant yet is linked by
`account_applicant` as soon as one exists (its first case).
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import ipaddress
import re
import secrets
from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import Applicant
from govhall.core.events import record_event
from govhall.core.idnumbers import (
    id_number_error,
    normalize,
    normalize_phone,
    phone_error,
    uscc_error,
)
from govhall.core.notify import send_sms
from govhall.core.ratelimit import (
    DAY,
    HOUR,
    RateLimited,
    RateRule,
    local_day_offset,
    rate_key,
    rate_limit,
)
from govhall.core.validation import Conflict, FieldErrors
from govhall.online.events import OnlineEvent
from govhall.online.models import (
    AccountKind,
    AccountSession,
    ApplicantAccount,
    EnterpriseAgent,
    SmsCode,
    SmsPurpose,
)
from govhall.online.purposes import OnlinePurpose
from govhall.online.services.sessions import session_start, sessions_end_all

_CODE_PATTERN = re.compile(r"^\d{6}$")
_DUMMY_HASH = make_password("not-a-password-of-anyone")


# --- SMS codes --------------------------------------------------------------------------------


def _code_hash(phone: str, purpose: str, code: str) -> str:
    message = f"{phone}:{purpose}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _code_text(code: str, purpose: str) -> str:
    what = {
        SmsPurpose.REGISTER: _("registration"),
        SmsPurpose.LOGIN: _("sign-in"),
        SmsPurpose.RESET: _("password reset"),
    }.get(SmsPurpose(purpose), "")
    return _(
        "Your online hall %(what)s code is %(code)s, valid for %(minutes)d minutes. "
        "Never tell it to anyone, staff included."
    ) % {"what": what, "code": code, "minutes": int(settings.GOVHALL_ONLINE_SMS_CODE_MINUTES)}


def sms_code_send(
    *, phone: str, purpose: str, client: str, at: datetime.datetime | None = None
) -> SmsCode:
    """Send a new code to `phone` (earlier unused ones of the purpose stop counting)."""
    now = at or timezone.now()
    number = normalize_phone(phone)
    error = phone_error(number)
    if error:
        raise ValidationError({"phone": [error]})
    if purpose not in SmsPurpose.values:
        raise ValidationError(_("Unknown purpose of a code."))
    resend = datetime.timedelta(seconds=int(settings.GOVHALL_ONLINE_SMS_RESEND_SECONDS))
    last = SmsCode.objects.filter(phone=number, created_at__gt=now - resend).order_by("-created_at")
    latest = last.first()
    if latest is not None:
        wait = int((latest.created_at + resend - now).total_seconds()) + 1
        raise RateLimited(
            _("A code was sent to this number just now. Please wait %(seconds)d seconds.")
            % {"seconds": wait},
            wait,
        )
    rate_limit(
        [
            RateRule(
                rate_key("online.sms.address", client or "unknown"),
                int(settings.GOVHALL_ONLINE_SMS_PER_ADDRESS_HOUR),
                HOUR,
                _("Too many codes requested from your network. Please try again later."),
            ),
            RateRule(
                rate_key("online.sms.phone", number),
                int(settings.GOVHALL_ONLINE_SMS_PER_PHONE_DAY),
                DAY,
                _("Too many codes sent to this number today. Please try again tomorrow."),
                offset_seconds=local_day_offset(now),
            ),
        ],
        at=now,
    )
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        SmsCode.objects.filter(phone=number, purpose=purpose, used_at__isnull=True).update(
            used_at=now
        )
        sms = SmsCode.objects.create(
            phone=number,
            purpose=purpose,
            code_hash=_code_hash(number, purpose, code),
            created_at=now,
            expires_at=now
            + datetime.timedelta(minutes=int(settings.GOVHALL_ONLINE_SMS_CODE_MINUTES)),
        )
        record_event(
            actor=None, action=OnlineEvent.ACCOUNT_SEND_CODE, obj=sms, data={"purpose": purpose}
        )
        text = _code_text(code, purpose)
        transaction.on_commit(
            lambda: send_sms(to=number, text=text, purpose=OnlinePurpose.SMS_CODE, obj=sms)
        )
    return sms


def sms_code_send_for(
    *, login: str, purpose: str, client: str, at: datetime.datetime | None = None
) -> SmsCode | None:
    """A sign-in or reset code to the mobile phone of the account `login` names. Nothing is
    sent for an unknown account, and the caller says the same thing either way."""
    now = at or timezone.now()
    rate_limit(
        [
            RateRule(
                rate_key("online.login.address", client or "unknown"),
                int(settings.GOVHALL_ONLINE_LOGIN_PER_ADDRESS_HOUR),
                HOUR,
                _("Too many attempts from your network. Please try again later."),
            )
        ],
        at=now,
    )
    account = find_account(login)
    if account is None or not account.is_active:
        return None
    return sms_code_send(phone=account.phone, purpose=purpose, client=client, at=now)


def _code_error(
    *, phone: str, purpose: str, code: str, at: datetime.datetime, consume: bool
) -> str | None:
    """Why `code` is not the current code of (phone, purpose), or None. A wrong code counts an
    attempt (written at once); `consume` marks a right one used."""
    latest = (
        SmsCode.objects.filter(phone=phone, purpose=purpose, used_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if latest is None or latest.expires_at <= at:
        return _("The code has expired or was not sent. Please get a new code.")
    if latest.attempts >= int(settings.GOVHALL_ONLINE_SMS_CODE_ATTEMPTS):
        return _("Too many wrong codes. Please get a new code.")
    given = (code or "").strip()
    if not _CODE_PATTERN.match(given) or not hmac.compare_digest(
        latest.code_hash, _code_hash(phone, purpose, given)
    ):
        SmsCode.objects.filter(pk=latest.pk).update(attempts=F("attempts") + 1)
        return _("The code is wrong.")
    if consume and not SmsCode.objects.filter(pk=latest.pk, used_at__isnull=True).update(
        used_at=at
    ):
        return _("The code has expired or was not sent. Please get a new code.")
    return None


def _check_code(*, phone: str, purpose: str, code: str, at: datetime.datetime) -> None:
    error = _code_error(phone=phone, purpose=purpose, code=code, at=at, consume=False)
    if error:
        raise ValidationError({"code": [error]})


def _use_code(*, phone: str, purpose: str, code: str, at: datetime.datetime) -> None:
    error = _code_error(phone=phone, purpose=purpose, code=code, at=at, consume=True)
    if error:
        raise ValidationError({"code": [error]})


# --- registration -----------------------------------------------------------------------------


def _password_errors(errors: FieldErrors, password: str, *, login: str, name: str) -> None:
    if not password:
        errors.add("password", _("Choose a password."))
        return
    someone = SimpleNamespace(username=login, full_name=name, phone=login, email="")
    try:
        validate_password(password, user=someone)  # type: ignore[arg-type]
    except ValidationError as error:
        for message in error.messages:
            errors.add("password", message)


def _register_limit(client: str, at: datetime.datetime) -> None:
    rate_limit(
        [
            RateRule(
                rate_key("online.register.address", client or "unknown"),
                int(settings.GOVHALL_ONLINE_REGISTER_PER_ADDRESS_HOUR),
                HOUR,
                _("Too many registrations from your network. Please try again later."),
            )
        ],
        at=at,
    )


def _taken_message(kind: str) -> str:
    if kind == AccountKind.ENTERPRISE:
        return _(
            "This unified social credit code already has an account. If it is yours, sign in "
            "or reset the password with the contact mobile number."
        )
    return _(
        "This ID number already has an account. If it is yours, sign in or reset the password."
    )


def _verify_and_link(account: ApplicantAccount, at: datetime.datetime) -> None:
    """Verify a new account whose code was confirmed: linked to the applicant of the same
    number when the name matches; left unverified when an applicant of that number has
    another name."""
    applicant = Applicant.objects.filter(id_number=account.id_number).first()
    if applicant is not None and applicant.name.strip() != account.name.strip():
        return
    account.verified_at = at
    account.applicant = applicant
    account.save(update_fields=["verified_at", "applicant", "updated_at"])
    record_event(
        actor=None,
        action=OnlineEvent.ACCOUNT_VERIFY,
        obj=account,
        data={"linked": applicant is not None},
    )


def _create_account(
    *,
    kind: str,
    phone: str,
    name: str,
    id_number: str,
    legal_representative: str,
    password: str,
    at: datetime.datetime,
) -> ApplicantAccount:
    try:
        with transaction.atomic():
            account = ApplicantAccount.objects.create(
                kind=kind,
                phone=phone,
                name=name,
                id_number=id_number,
                legal_representative=legal_representative,
                password=make_password(password),
            )
    except IntegrityError as error:  # registered at the same moment by another request
        raise Conflict({"id_number": [_taken_message(kind)]}) from error
    record_event(actor=None, action=OnlineEvent.ACCOUNT_REGISTER, obj=account, data={"kind": kind})
    _verify_and_link(account, at)
    return account


def account_register_person(
    *,
    phone: str,
    code: str,
    name: str,
    id_number: str,
    password: str,
    client: str,
    at: datetime.datetime | None = None,
) -> ApplicantAccount:
    now = at or timezone.now()
    errors = FieldErrors()
    number = normalize_phone(phone)
    if error := phone_error(number):
        errors.add("phone", error)
    person_name = errors.text("name", name, max_length=100, required=_("Enter your name."))
    id_value = normalize(id_number)
    if error := id_number_error(id_value):
        errors.add("id_number", error)
    if not (code or "").strip():
        errors.add("code", _("Enter the code sent to your mobile phone."))
    _password_errors(errors, password, login=id_value, name=person_name)
    errors.raise_if_any()
    _register_limit(client, now)
    _check_code(phone=number, purpose=SmsPurpose.REGISTER, code=code, at=now)
    if ApplicantAccount.objects.filter(id_number=id_value).exists():
        errors.conflict("id_number", _taken_message(AccountKind.PERSON))
    if ApplicantAccount.objects.filter(kind=AccountKind.PERSON, phone=number).exists():
        errors.conflict(
            "phone",
            _(
                "This mobile number already has an account. Sign in, or reset the password "
                "with a code sent to it."
            ),
        )
    errors.raise_if_any()
    with transaction.atomic():
        _use_code(phone=number, purpose=SmsPurpose.REGISTER, code=code, at=now)
        return _create_account(
            kind=AccountKind.PERSON,
            phone=number,
            name=person_name,
            id_number=id_value,
            legal_representative="",
            password=password,
            at=now,
        )


def account_register_enterprise(
    *,
    uscc: str,
    name: str,
    legal_representative: str,
    phone: str,
    code: str,
    password: str,
    client: str,
    at: datetime.datetime | None = None,
) -> ApplicantAccount:
    now = at or timezone.now()
    errors = FieldErrors()
    code_value = normalize(uscc)
    if error := uscc_error(code_value):
        errors.add("uscc", error)
    enterprise_name = errors.text(
        "name", name, max_length=100, required=_("Enter the enterprise's name.")
    )
    representative = errors.text(
        "legal_representative",
        legal_representative,
        max_length=50,
        required=_("Enter the legal representative."),
    )
    number = normalize_phone(phone)
    if error := phone_error(number):
        errors.add("phone", error)
    if not (code or "").strip():
        errors.add("code", _("Enter the code sent to your mobile phone."))
    _password_errors(errors, password, login=code_value, name=enterprise_name)
    errors.raise_if_any()
    _register_limit(client, now)
    _check_code(phone=number, purpose=SmsPurpose.REGISTER, code=code, at=now)
    if ApplicantAccount.objects.filter(id_number=code_value).exists():
        errors.conflict("uscc", _taken_message(AccountKind.ENTERPRISE))
    errors.raise_if_any()
    with transaction.atomic():
        _use_code(phone=number, purpose=SmsPurpose.REGISTER, code=code, at=now)
        return _create_account(
            kind=AccountKind.ENTERPRISE,
            phone=number,
            name=enterprise_name,
            id_number=code_value,
            legal_representative=representative,
            password=password,
            at=now,
        )


# --- signing in -------------------------------------------------------------------------------


def find_account(login: str) -> ApplicantAccount | None:
    """The account `login` names: a citizen's mobile number, or an ID number / USCC."""
    value = normalize(login)
    if len(value) == 18:
        return ApplicantAccount.objects.filter(id_number=value).first()
    number = normalize_phone(login)
    if phone_error(number) is None:
        return ApplicantAccount.objects.filter(kind=AccountKind.PERSON, phone=number).first()
    return None


def wrong_login_message() -> str:
    return _("The account or password is wrong.")


def _locked_message(until: datetime.datetime) -> str:
    return _(
        "This account is locked after repeated failed sign-ins until %(time)s. Try again then, "
        "or reset the password with a code sent to its mobile phone."
    ) % {"time": timezone.localtime(until).strftime("%H:%M")}


def _login_limit(client: str, at: datetime.datetime) -> None:
    rate_limit(
        [
            RateRule(
                rate_key("online.login.address", client or "unknown"),
                int(settings.GOVHALL_ONLINE_LOGIN_PER_ADDRESS_HOUR),
                HOUR,
                _("Too many attempts from your network. Please try again later."),
            )
        ],
        at=at,
    )


def _unlock_if_due(account: ApplicantAccount, at: datetime.datetime) -> None:
    """Clear a lock whose time has passed (and its failures)."""
    if account.locked_until is not None and account.locked_until <= at:
        ApplicantAccount.objects.filter(pk=account.pk).update(failed_logins=0, locked_until=None)
        account.failed_logins = 0
        account.locked_until = None
        record_event(actor=None, action=OnlineEvent.ACCOUNT_UNLOCK, obj=account, data={})


def _fail(account: ApplicantAccount, at: datetime.datetime) -> None:
    """Count a failed sign-in (committed even though the sign-in is refused)."""
    ApplicantAccount.objects.filter(pk=account.pk).update(failed_logins=F("failed_logins") + 1)
    account.refresh_from_db(fields=["failed_logins"])
    record_event(
        actor=None,
        action=OnlineEvent.ACCOUNT_LOGIN_FAIL,
        obj=account,
        data={"failures": account.failed_logins},
    )
    if account.failed_logins >= int(settings.GOVHALL_ONLINE_LOGIN_FAILURES):
        until = at + datetime.timedelta(minutes=int(settings.GOVHALL_ONLINE_LOCK_MINUTES))
        ApplicantAccount.objects.filter(pk=account.pk).update(locked_until=until)
        account.locked_until = until
        record_event(
            actor=None,
            action=OnlineEvent.ACCOUNT_LOCK,
            obj=account,
            data={"until": until.isoformat()},
        )


def _start(
    account: ApplicantAccount, *, client: str, user_agent: str, at: datetime.datetime
) -> tuple[AccountSession, str]:
    with transaction.atomic():
        ApplicantAccount.objects.filter(pk=account.pk).update(failed_logins=0, locked_until=None)
        return session_start(account=account, ip=_ip(client), user_agent=user_agent, at=at)


def _ip(client: str) -> str | None:
    try:
        return str(ipaddress.ip_address(client))
    except ValueError:
        return None


def account_login_password(
    *,
    login: str,
    password: str,
    client: str,
    user_agent: str = "",
    at: datetime.datetime | None = None,
) -> tuple[AccountSession, str]:
    now = at or timezone.now()
    _login_limit(client, now)
    account = find_account(login)
    if account is None or not account.is_active:
        check_password(password or "", _DUMMY_HASH)  # as long as a real check
        raise ValidationError(wrong_login_message())
    _unlock_if_due(account, now)
    if account.locked_until is not None:
        raise ValidationError(_locked_message(account.locked_until))
    if not password or not check_password(password, account.password):
        _fail(account, now)
        if account.locked_until is not None:
            raise ValidationError(_locked_message(account.locked_until))
        raise ValidationError(wrong_login_message())
    return _start(account, client=client, user_agent=user_agent, at=now)


def account_login_sms(
    *,
    login: str,
    code: str,
    client: str,
    user_agent: str = "",
    at: datetime.datetime | None = None,
) -> tuple[AccountSession, str]:
    now = at or timezone.now()
    _login_limit(client, now)
    account = find_account(login)
    if account is None or not account.is_active:
        raise ValidationError(
            {"code": [_("The code has expired or was not sent. Please get a new code.")]}
        )
    _unlock_if_due(account, now)
    if account.locked_until is not None:
        raise ValidationError(_locked_message(account.locked_until))
    _use_code(phone=account.phone, purpose=SmsPurpose.LOGIN, code=code, at=now)
    return _start(account, client=client, user_agent=user_agent, at=now)


def account_password_reset(
    *,
    login: str,
    code: str,
    password: str,
    client: str,
    at: datetime.datetime | None = None,
) -> ApplicantAccount:
    """A new password with a reset code: unlocks the account and ends all its sessions."""
    now = at or timezone.now()
    _login_limit(client, now)
    account = find_account(login)
    errors = FieldErrors()
    if account is not None:
        _password_errors(errors, password, login=account.id_number, name=account.name)
    elif not password:
        errors.add("password", _("Choose a password."))
    errors.raise_if_any()
    if account is None or not account.is_active:
        raise ValidationError(
            {"code": [_("The code has expired or was not sent. Please get a new code.")]}
        )
    with transaction.atomic():
        _use_code(phone=account.phone, purpose=SmsPurpose.RESET, code=code, at=now)
        account.password = make_password(password)
        account.failed_logins = 0
        account.locked_until = None
        account.save(update_fields=["password", "failed_logins", "locked_until", "updated_at"])
        ended = sessions_end_all(account=account, at=now)
        record_event(
            actor=None,
            action=OnlineEvent.ACCOUNT_RESET_PASSWORD,
            obj=account,
            data={"sessions_ended": ended},
        )
    return account


# --- the applicant behind an account ----------------------------------------------------------


def account_applicant(account: ApplicantAccount) -> Applicant | None:
    """The applicant whose cases a verified account sees (same ID number / USCC). A verified
    account not linked yet is linked here once an applicant of its number and name exists
    (its first case); an unverified account has none."""
    if account.verified_at is None:
        return None
    if account.applicant_id is not None:
        return account.applicant
    applicant = Applicant.objects.filter(id_number=account.id_number).first()
    if applicant is None or applicant.name.strip() != account.name.strip():
        return None
    with transaction.atomic():
        linked = ApplicantAccount.objects.filter(pk=account.pk, applicant__isnull=True).update(
            applicant=applicant
        )
        if linked:
            record_event(actor=None, action=OnlineEvent.ACCOUNT_LINK, obj=account, data={})
    account.applicant = applicant
    return applicant


# --- enterprise agents (经办人) ------------------------------------------------------------------


@transaction.atomic
def agent_add(
    *,
    enterprise: ApplicantAccount,
    phone: str,
    name: str,
    at: datetime.datetime | None = None,
) -> EnterpriseAgent:
    """Let the verified citizen account of `phone` and `name` act for `enterprise`."""
    errors = FieldErrors()
    if enterprise.kind != AccountKind.ENTERPRISE:
        raise ValidationError(_("Only an enterprise account has agents."))
    number = normalize_phone(phone)
    if error := phone_error(number):
        errors.add("phone", error)
    person_name = errors.text("name", name, max_length=100, required=_("Enter the agent's name."))
    errors.raise_if_any()
    person = ApplicantAccount.objects.filter(
        kind=AccountKind.PERSON, phone=number, is_active=True, verified_at__isnull=False
    ).first()
    if person is None or person.name.strip() != person_name:
        raise ValidationError(
            {
                "phone": [
                    _(
                        "No verified citizen account has this mobile number and name. The agent "
                        "registers first."
                    )
                ]
            }
        )
    if EnterpriseAgent.objects.filter(
        enterprise=enterprise, person=person, removed_at__isnull=True
    ).exists():
        raise Conflict({"phone": [_("This person is already an agent of the enterprise.")]})
    agent = EnterpriseAgent.objects.create(enterprise=enterprise, person=person)
    record_event(
        actor=None,
        action=OnlineEvent.AGENT_ADD,
        obj=enterprise,
        data={"agent_account": person.pk},
    )
    return agent


@transaction.atomic
def agent_remove(
    *, enterprise: ApplicantAccount, agent_id: int, at: datetime.datetime | None = None
) -> None:
    """The agent no longer acts for the enterprise; their sessions acting for it stop doing so."""
    agent = EnterpriseAgent.objects.filter(
        pk=agent_id, enterprise=enterprise, removed_at__isnull=True
    ).first()
    if agent is None:
        raise Conflict(_("This agent was removed already."))
    agent.removed_at = at or timezone.now()
    agent.save(update_fields=["removed_at"])
    AccountSession.objects.filter(account_id=agent.person_id, acting_for=enterprise).update(
        acting_for=None
    )
    record_event(
        actor=None,
        action=OnlineEvent.AGENT_REMOVE,
        obj=enterprise,
        data={"agent_account": agent.person_id},
    )


@transaction.atomic
def session_act_for(*, session: AccountSession, enterprise: ApplicantAccount | None) -> None:
    """The signed-in agent acts for `enterprise` (None: for themself again)."""
    if (
        enterprise is not None
        and not EnterpriseAgent.objects.filter(
            enterprise=enterprise, person_id=session.account_id, removed_at__isnull=True
        ).exists()
    ):
        raise ValidationError(_("You are not an agent of this enterprise."))
    AccountSession.objects.filter(pk=session.pk).update(acting_for=enterprise)
    session.acting_for = enterprise
    record_event(
        actor=None,
        action=OnlineEvent.ACCOUNT_ACT_FOR,
        obj=session.account,
        data={"enterprise": enterprise.pk if enterprise is not None else None},
    )


@transaction.atomic
def sessions_end_others(*, session: AccountSession, at: datetime.datetime | None = None) -> int:
    """Sign out every other device of the session's account."""
    ended = (
        AccountSession.objects.filter(account_id=session.account_id, ended_at__isnull=True)
        .exclude(pk=session.pk)
        .update(ended_at=at or timezone.now())
    )
    record_event(
        actor=None,
        action=OnlineEvent.ACCOUNT_END_OTHER_SESSIONS,
        obj=session.account,
        data={"ended": ended},
    )
    return ended
