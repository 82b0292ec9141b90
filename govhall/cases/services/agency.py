"""代办 (agency service, issue 19 item 6; seeds/001… 第二条 and "交由代办窗口全程代办").

A staff member holding the 代办员 role (`Role.AGENT`) carries a case for its applicant on the
applicant's authorization letter (委托书: its number, date and the scope it grants). 全程代办
(`full`): the agent carries the case from application to delivery. The applicant stays the
applicant: notices and SMS still go to them; the agent sees the case on their own list.

Rules (one place):
- an agency needs an authorization letter: its number and its date (not in the future);
- the agent must be an active staff member holding the 代办员 role whose center is the case's
  center or below it (a village agent carries cases of its town or county, never the reverse);
- named at intake (`case_receive(agency=...)`) or afterwards on an open case by the window staff
  or management whose scope covers the case, or by an agent taking the case up for themself;
  changed or ended by those or by the case's own agent. Each writes an `AgencyEvent`.
- a scanned copy of the signed letter (`AgencyData.letter`, `Case.agency_letter`) is checked like
  an applicant's upload (`core.files.applicant_file_check`: PDF, JPEG, PNG by content) and stored
  under a random name (`store_checked`); a new copy replaces the old one (`agency_letter_replace`
  on its own, event `agency.letter`), the old file removed once the change is committed. It is
  served only to those who may see the case (the workbench's and the API's access-checked
  downloads).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.access.cases import cases_in_scope
from govhall.cases.case_transitions import OPEN_STATUSES
from govhall.cases.events import AgencyEvent
from govhall.cases.models import Case
from govhall.cases.services.errors import CaseConflict
from govhall.core.events import record_event
from govhall.core.files import (
    FileKind,
    applicant_file_check,
    applicant_upload_max_bytes,
    read_upload,
    store_checked,
)
from govhall.core.models import User
from govhall.core.roles import AGENCY_MANAGER_ROLES, AGENT_ROLES, roles_of
from govhall.core.validation import FieldErrors
from govhall.org.models import Center, Staff

LETTER_NUMBER_MAX_LENGTH = Case._meta.get_field("agency_letter_number").max_length or 64
SCOPE_MAX_LENGTH = Case._meta.get_field("agency_scope").max_length or 200
REASON_MAX_LENGTH = 300


@dataclass(frozen=True)
class AgencyData:
    agent_id: int | None
    letter_number: str = ""
    letter_on: datetime.date | str | None = None
    full: bool = False
    scope: str = ""
    # a scanned copy of the signed letter (optional; kept when None)
    letter: UploadedFile | None = None


@dataclass(frozen=True)
class CheckedLetter:
    data: bytes
    kind: FileKind


@dataclass(frozen=True)
class CleanAgency:
    agent: User
    letter_number: str
    letter_on: datetime.date
    full: bool
    scope: str
    letter: CheckedLetter | None = None


LETTER_FIELD = "agency_letter"


def letter_check(upload: UploadedFile | None, errors: FieldErrors) -> CheckedLetter | None:
    """A scanned letter checked like an applicant's upload (PDF, JPEG, PNG by content and size);
    its refusal added to `errors` on `agency_letter`."""
    if upload is None:
        return None
    try:
        data = read_upload(upload, limit=applicant_upload_max_bytes(), field=LETTER_FIELD)
        kind = applicant_file_check(data, field=LETTER_FIELD)
    except ValidationError as refused:
        errors.merge(refused)
        return None
    return CheckedLetter(data, kind)


def agent_may_carry(agent_center: Center, case_center: Center) -> bool:
    """The scope rule: the agent's center is the case's center or below it."""
    return agent_center.path.startswith(case_center.path)


def agency_errors(
    *, center: Center, data: AgencyData, today: datetime.date
) -> tuple[FieldErrors, CleanAgency | None]:
    """Check agency data for a case of `center`; the cleaned data when it holds."""
    errors = FieldErrors()
    number = errors.text(
        "agency_letter_number",
        data.letter_number,
        max_length=LETTER_NUMBER_MAX_LENGTH,
        required=_("An agency needs the applicant's authorization letter: give its number."),
    )
    letter_on = errors.day(
        "agency_letter_on",
        data.letter_on,
        required=_("An agency needs the applicant's authorization letter: give its date."),
    )
    if letter_on is not None and letter_on > today:
        errors.add(
            "agency_letter_on", _("The authorization letter cannot be dated later than today.")
        )
    scope = errors.text("agency_scope", data.scope, max_length=SCOPE_MAX_LENGTH)
    letter = letter_check(data.letter, errors)
    staff = (
        Staff.objects.select_related("user", "center")
        .filter(user_id=data.agent_id, user__is_active=True)
        .first()
        if data.agent_id
        else None
    )
    if staff is None or not (roles_of(staff.user) & AGENT_ROLES):
        errors.add("agent", _("Choose a staff member who holds the agent role."))
    elif not agent_may_carry(staff.center, center):
        errors.add(
            "agent",
            _("%(agent)s works at %(center)s and cannot carry a case of this center.")
            % {"agent": staff.user.display_name, "center": staff.center},
        )
    if errors or staff is None or letter_on is None:
        return errors, None
    return errors, CleanAgency(staff.user, number, letter_on, bool(data.full), scope, letter)


def _event_data(case: Case) -> dict[str, object]:
    return {
        "agent": case.agent_id,
        "full": case.agency_full,
        "letter_number": case.agency_letter_number,
        "letter_on": case.agency_letter_on.isoformat() if case.agency_letter_on else "",
        "scope": case.agency_scope,
        "applicant": case.applicant_id,
        "letter_copy": bool(case.agency_letter),
    }


def _store_letter(case: Case, letter: CheckedLetter) -> None:
    """Put the checked copy on `case` (the caller saves the field); the copy it replaces is
    removed from storage once the transaction commits (kept if it rolls back)."""
    old = case.agency_letter.name if case.agency_letter else ""
    store_checked(case.agency_letter, letter.data, letter.kind)
    if old:
        storage = case.agency_letter.storage
        transaction.on_commit(lambda: storage.delete(old))


def agency_apply(*, actor: User, case: Case, agency: CleanAgency, action: str) -> Case:
    """Write checked agency data onto `case` with its event (inside the caller's transaction)."""
    case.agent = agency.agent
    case.agency_full = agency.full
    case.agency_letter_number = agency.letter_number
    case.agency_letter_on = agency.letter_on
    case.agency_scope = agency.scope
    fields = ["agent", "agency_full", "agency_letter_number", "agency_letter_on", "agency_scope"]
    if agency.letter is not None:
        _store_letter(case, agency.letter)
        fields.append("agency_letter")
    case.save(update_fields=fields)
    record_event(
        actor=actor, action=action, obj=case, center_id=case.center_id, data=_event_data(case)
    )
    return case


def may_manage_agency(user: User, case: Case, *, taking_up: int | None = None) -> bool:
    """Names, changes or ends the agency of `case`: the window staff or management whose scope
    covers the case, the case's own agent, or an agent taking up a case with no agent."""
    if case.agent_id is not None and case.agent_id == user.pk:
        return True
    roles = roles_of(user)
    if case.agent_id is None and taking_up == user.pk and roles & AGENT_ROLES:
        return True
    if not (roles & AGENCY_MANAGER_ROLES or user.is_superuser):
        return False
    return cases_in_scope(user).filter(pk=case.pk).exists()


def _locked(case: Case) -> Case:
    locked = Case.objects.select_for_update().select_related("center").get(pk=case.pk)
    if locked.status not in OPEN_STATUSES:
        raise CaseConflict(_("The case is closed: its agency can no longer change."))
    return locked


@transaction.atomic
def agency_assign(
    *, actor: User, case: Case, data: AgencyData, at: datetime.datetime | None = None
) -> Case:
    """Name the agent of an open case, or change the agent or the letter."""
    case = _locked(case)
    if not may_manage_agency(actor, case, taking_up=data.agent_id):
        raise CaseConflict(_("You may not change who carries this case."))
    today = timezone.localdate(at or timezone.now())
    errors, agency = agency_errors(center=case.center, data=data, today=today)
    errors.raise_if_any()
    assert agency is not None
    action = AgencyEvent.ASSIGN if case.agent_id is None else AgencyEvent.CHANGE
    return agency_apply(actor=actor, case=case, agency=agency, action=action)


@transaction.atomic
def agency_letter_replace(*, actor: User, case: Case, letter: UploadedFile) -> Case:
    """Store a (new) scanned copy of the authorization letter of a case an agent carries; the
    copy it replaces is removed. Event `agency.letter`."""
    case = _locked(case)
    if case.agent_id is None:
        raise CaseConflict(_("Nobody carries this case."))
    if not may_manage_agency(actor, case):
        raise CaseConflict(_("You may not change who carries this case."))
    errors = FieldErrors()
    checked = letter_check(letter, errors)
    errors.raise_if_any()
    assert checked is not None
    replaced = bool(case.agency_letter)
    _store_letter(case, checked)
    case.save(update_fields=["agency_letter"])
    record_event(
        actor=actor,
        action=AgencyEvent.LETTER,
        obj=case,
        center_id=case.center_id,
        data={**_event_data(case), "replaced": replaced},
    )
    return case


@transaction.atomic
def agency_end(*, actor: User, case: Case, reason: str = "") -> Case:
    """End the agency of an open case (the letter withdrawn, the agent relieved)."""
    case = _locked(case)
    if case.agent_id is None:
        raise CaseConflict(_("Nobody carries this case."))
    if not may_manage_agency(actor, case):
        raise CaseConflict(_("You may not change who carries this case."))
    errors = FieldErrors()
    reason = errors.text("reason", reason, max_length=REASON_MAX_LENGTH)
    errors.raise_if_any()
    data = _event_data(case)
    case.agent = None
    case.agency_full = False
    case.agency_letter_number = ""
    case.agency_letter_on = None
    case.agency_scope = ""
    case.save(
        update_fields=[
            "agent",
            "agency_full",
            "agency_letter_number",
            "agency_letter_on",
            "agency_scope",
        ]
    )
    record_event(
        actor=actor,
        action=AgencyEvent.END,
        obj=case,
        center_id=case.center_id,
        note=reason,
        data=data,
    )
    return case
