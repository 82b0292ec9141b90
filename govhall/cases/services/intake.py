"""Intake at the window and online submission (SPEC §6).

Entry points:

@dataclass(frozen=True)
class ApplicantData:
    kind: str                 # ApplicantKind value
    name: str
    id_number: str            # ID number (person) or USCC (enterprise); validated
    phone: str                # mobile phone; validated
    legal_representative: str = ""
    contact_name: str = ""

@dataclass(frozen=True)
class MaterialCheck:
    material_id: int          # catalog Material of the item
    received: bool
    form: str = "original"    # Material.Form value
    copies: int = 1
    pending: bool = False     # accepted with this material to come by pending_due_on: a main
                              # material in the green channel only; an attachment on the
                              # applicant's promise (承诺补齐, 篇5 三2/3) in any case
    held_not_brought: bool = False  # the applicant has it but did not bring it (篇5 三1)
    not_applicable: bool = False    # a conditional material (catalog `Material.condition`)
                                    # whose condition does not hold: never missing
    reused_from: int | None = None  # an earlier accepted case of the same applicant (same ID
                                    # number / USCC) on which this material was handed in:
                                    # counts as received, recorded in CaseMaterial.reused_from

class Outcome(models.TextChoices): IMMEDIATE, PROMISED, JOINT, ESCALATED, SUPPLEMENT, RETURNED

@dataclass(frozen=True)
class Proposal:
    outcome: str              # Outcome value proposed by SPEC §6 rules
    reasons: list[str]        # human explanation (translated)
    missing_main: list[Material]
    missing_other: list[Material]

def propose_outcome(*, item: ServiceItem, window: Window | None, checks: list[MaterialCheck],
                    green_channel: bool = False) -> Proposal
def applicant_upsert(*, data: ApplicantData) -> Applicant      # validates, raises ValidationError
def case_receive(*, actor: User, item: ServiceItem, window: Window, applicant: ApplicantData,
                 materials: list[MaterialCheck], outcome: str, outcome_reason: str = "",
                 green_channel: bool = False, pending_due_on: date | None = None,
                 reason: str = "", basis: str = "",
                 escalate_to: Center | None = None, forward_by: date | None = None,
                 joint_departments: list[Department] | None = None,
                 idempotency_key: str | None = None,
                 at: datetime | None = None) -> Case
def case_submit_online(*, actor: User, item: ServiceItem, applicant: ApplicantData,
                       materials: list[MaterialCheck], idempotency_key: str | None,
                       at: datetime | None = None) -> tuple[Case, bool]   # (case, created)

How intake ends (SPEC §6) — `case_receive` creates the case as `received` and then takes the
same transitions any later action would, in the same transaction:

- immediate → accept (kind immediate) + approve (the window decides);
- promised → accept (kind promised);
- joint → accept (kind joint) + start_joint;
- escalated → accept (kind escalated) + escalate;
- supplement → request_supplement listing every missing material (the one-time notice);
- returned → return (reason and basis required).

A chosen outcome other than the proposed one needs `outcome_reason`. A case is never accepted
with a main material missing, except in the green channel (容缺受理) with those materials marked
pending and a date to bring them.

Missing materials (seeds 000 篇5 二/三, issue 16 item 5): a main material missing is a returned
case (退回件) unless the clerk ticks "has it, not brought" (`held_not_brought`): then it is a
supplement case (补办件, the one-time notice). An attachment (non-main material) the applicant
promises to bring is marked pending: with the main body complete the case is accepted and the
attachment tracked like the green channel's pending materials (`CaseMaterial.pending`,
`Case.pending_due_on`, received later by `receive_pending`; the supervision step scan raises an
alert once the date passed). The receive event records both lists.

Handed in (issue 17 item 2): a material counts as received only when the clerk ticks it, or when
it is reused from a verified earlier case of the same applicant (`govhall.cases.queries.reuse`:
accepted, not voided or withdrawn, within `GOVHALL_MATERIAL_REUSE_DAYS`). A conditional material
(non-empty `Material.condition`, e.g. 委托书 只在委托代理人办理时) marked not applicable is never
missing: not in the proposal, not in the one-time notice, not in acceptance. Both are recorded on
the case material and in the receive event.

Issue 19 item 4: the reuse rule is the material library's (`queries.reuse`, one rule for the
window and online); a material with `Material.licence_item` counts as handed in when a valid
electronic licence of the applicant for that item stands for it (`MaterialCheck.licence`,
recorded in `CaseMaterial.licence`). A reused material records its library entry.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Exists, Subquery, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhall.cases.case_transitions import Action
from govhall.cases.events import AgencyEvent, CaseEvent
from govhall.cases.kinds import accepted_kind
from govhall.cases.models import Applicant, ApplicantMaterial, Case, CaseMaterial
from govhall.cases.queries.known import case_materials_of, forget, remember_new
from govhall.cases.queries.licences import licence_for_material
from govhall.cases.queries.reuse import reusable_entry
from govhall.cases.services.action_params import action_params
from govhall.cases.services.actions import case_act_on_new
from govhall.cases.services.agency import AgencyData, agency_apply, agency_errors
from govhall.cases.services.departments import case_departments_add
from govhall.cases.services.errors import IdempotencyKeyReused
from govhall.cases.services.numbers import next_case_number
from govhall.cases.services.prereview import prereview_tasks_open
from govhall.cases.statuses import (
    WINDOW_CHANNELS,
    ApplicantKind,
    CaseKind,
    CaseStatus,
    Channel,
)
from govhall.catalog.models import Authorization, ItemWindow, Material, ServiceItem
from govhall.catalog.queries.online_forms import online_refusal
from govhall.core import idnumbers
from govhall.core.events import deferred_events, record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.models import Center, Department, Window
from govhall.org.models.centers import CenterLevel
from govhall.staffing.queries.cover import remembering_cover, serves_window
from govhall.workdays.queries.calendar import calendar_for

NAME_MAX_LENGTH = Applicant._meta.get_field("name").max_length or 100
REASON_MAX_LENGTH = 2000
IDEMPOTENCY_KEY_MAX_LENGTH = Case._meta.get_field("idempotency_key").max_length or 64
# Widest authorization first: an online case goes to the window that may decide the most.
AUTHORIZATION_ORDER = {Authorization.FULL: 0, Authorization.PARTIAL: 1, Authorization.LIMITED: 2}


@dataclass(frozen=True)
class ApplicantData:
    kind: str
    name: str
    id_number: str
    phone: str
    legal_representative: str = ""
    contact_name: str = ""


@dataclass(frozen=True)
class MaterialCheck:
    material_id: int
    received: bool
    form: str = Material.Form.ORIGINAL
    copies: int = 1
    pending: bool = False
    held_not_brought: bool = False
    not_applicable: bool = False
    reused_from: int | None = None
    # Issue 19 item 4: taken from the applicant's library by entry (online), or stood for by a
    # valid electronic licence of the applicant (`Material.licence_item`).
    library_entry: int | None = None
    licence: int | None = None

    @property
    def handed_in(self) -> bool:
        """Ticked as received, reused from the library (a verified earlier case), or stood for
        by an electronic licence."""
        return (
            self.received
            or self.reused_from is not None
            or self.library_entry is not None
            or self.licence is not None
        )

    @property
    def reused(self) -> bool:
        return self.reused_from is not None or self.library_entry is not None


class Outcome(models.TextChoices):
    IMMEDIATE = "immediate", gettext_lazy("Immediate (done on the spot)")  # 即办件
    PROMISED = "promised", gettext_lazy("Promised (accepted, decided by the promised date)")
    JOINT = "joint", gettext_lazy("Joint (several departments)")  # 联办件
    ESCALATED = "escalated", gettext_lazy("Escalated (decided by the higher level)")  # 上报件
    SUPPLEMENT = "supplement", gettext_lazy("Supplement (one-time notice of what is missing)")
    RETURNED = "returned", gettext_lazy("Returned (not accepted)")  # 退回件


ACCEPTING_OUTCOMES = frozenset(
    {Outcome.IMMEDIATE, Outcome.PROMISED, Outcome.JOINT, Outcome.ESCALATED}
)
OUTCOME_KIND = {
    Outcome.IMMEDIATE: CaseKind.IMMEDIATE,
    Outcome.PROMISED: CaseKind.PROMISED,
    Outcome.JOINT: CaseKind.JOINT,
    Outcome.ESCALATED: CaseKind.ESCALATED,
}


@dataclass(frozen=True)
class Proposal:
    outcome: str
    reasons: list[str]
    missing_main: list[Material] = field(default_factory=list)
    missing_other: list[Material] = field(default_factory=list)


# --- proposal ------------------------------------------------------------------------------


def propose_outcome(
    *,
    item: ServiceItem,
    window: Window | None,
    checks: list[MaterialCheck],
    green_channel: bool = False,
) -> Proposal:
    """What SPEC §6 proposes for these materials: returned when a main material is missing
    (退回件), supplement when the applicant has every missing main material but did not bring it
    or an attachment is missing (补办件), else by the item (joint, escalated, immediate,
    promised). A material marked pending does not count as missing: a main one in the green
    channel, an attachment on the applicant's promise."""
    by_material = {check.material_id: check for check in checks}
    missing_main: list[Material] = []
    missing_other: list[Material] = []
    pending: list[Material] = []
    held: list[Material] = []
    not_applicable: list[Material] = []
    for material in item.materials.all():
        check = by_material.get(material.pk)
        if check is not None and check.handed_in:
            continue
        if check is not None and check.not_applicable and material.condition:
            not_applicable.append(material)
            continue
        if check is not None and check.pending and (green_channel or not material.is_main):
            pending.append(material)
            continue
        (missing_main if material.is_main else missing_other).append(material)
        if material.is_main and check is not None and check.held_not_brought:
            held.append(material)
    reasons: list[str] = []
    if not_applicable:
        reasons.append(
            _("Not needed for this applicant (condition does not apply): %(names)s.")
            % {"names": "、".join(m.name for m in not_applicable)}
        )
    absent = [m for m in missing_main if m not in held]
    if absent:
        reasons.append(
            _("Main materials are missing: %(names)s.")
            % {"names": "、".join(m.name for m in absent)}
        )
        return Proposal(Outcome.RETURNED, reasons, missing_main, missing_other)
    if missing_main:
        reasons.append(
            _(
                "The applicant has %(names)s but did not bring them: a supplement case, with "
                "one notice listing everything missing."
            )
            % {"names": "、".join(m.name for m in missing_main)}
        )
        if missing_other:
            reasons.append(
                _("Attachments are missing too: %(names)s.")
                % {"names": "、".join(m.name for m in missing_other)}
            )
        return Proposal(Outcome.SUPPLEMENT, reasons, missing_main, missing_other)
    if missing_other:
        reasons.append(
            _("Materials are missing: %(names)s; the applicant gets one notice listing them all.")
            % {"names": "、".join(m.name for m in missing_other)}
        )
        return Proposal(Outcome.SUPPLEMENT, reasons, missing_main, missing_other)
    if pending and green_channel:
        reasons.append(
            _("Green channel: accepted with %(names)s pending.")
            % {"names": "、".join(m.name for m in pending)}
        )
    elif pending:
        reasons.append(
            _("The main body is complete: accepted on the applicant's promise to bring %(names)s.")
            % {"names": "、".join(m.name for m in pending)}
        )
    kind = accepted_kind(item)
    if kind == CaseKind.JOINT:
        reasons.append(
            _("The item is handled jointly with %(departments)s.")
            % {"departments": "、".join(d.name for d in item.joint_departments.all())}
        )
        outcome = Outcome.JOINT
    elif kind == CaseKind.ESCALATED:
        reasons.append(
            _("The item is decided at %(level)s level.")
            % {"level": CenterLevel(item.deciding_level).label}
        )
        outcome = Outcome.ESCALATED
    elif kind == CaseKind.IMMEDIATE:
        reasons.append(_("Materials are complete and the item can be done on the spot."))
        outcome = Outcome.IMMEDIATE
    else:
        reasons.append(
            _("Materials are complete; the item is decided within %(days)d working days.")
            % {"days": item.promised_days}
        )
        outcome = Outcome.PROMISED
    return Proposal(outcome, reasons, missing_main, missing_other)


# --- applicants ------------------------------------------------------------------------------


def applicant_errors(data: ApplicantData) -> FieldErrors:
    errors = FieldErrors()
    errors.choice(
        "kind", data.kind, ApplicantKind.values, message=_("Choose a person or an enterprise.")
    )
    errors.text(
        "name",
        data.name,
        max_length=NAME_MAX_LENGTH,
        required=_("Enter the applicant's name."),
        too_long=_("The name is too long (at most %(max)d characters).") % {"max": NAME_MAX_LENGTH},
    )
    if data.kind == ApplicantKind.ENTERPRISE:
        error = idnumbers.uscc_error(data.id_number)
        if not (data.legal_representative or "").strip():
            errors.add("legal_representative", _("Enter the legal representative."))
    else:
        error = idnumbers.id_number_error(data.id_number)
    if error:
        errors.add("id_number", error)
    phone = idnumbers.phone_error(data.phone)
    if phone:
        errors.add("phone", phone)
    return errors


def applicant_upsert(*, data: ApplicantData) -> Applicant:
    """The applicant with this identity number, created or updated with the data given."""
    applicant_errors(data).raise_if_any()
    number = idnumbers.normalize(data.id_number)
    values = {
        "kind": data.kind,
        "name": data.name.strip(),
        "phone": idnumbers.normalize(data.phone),
        "legal_representative": (data.legal_representative or "").strip()[:50],
        "contact_name": (data.contact_name or "").strip()[:50],
    }
    # No savepoint inside an intake's transaction: the refusal below leaves the row unchanged.
    with transaction.atomic(savepoint=False):
        applicant = _applicant_row(number, values)
        changed = [name for name, value in values.items() if getattr(applicant, name) != value]
        if changed and applicant.kind == data.kind:
            for name in changed:
                setattr(applicant, name, values[name])
            applicant.save(update_fields=[*changed, "updated_at"])
    if applicant.kind != data.kind:
        raise ValidationError(
            {"kind": [_("This number is already registered as a different kind.")]}
        )
    return applicant


_APPLICANT_COLUMNS = (
    "id", "kind", "name", "id_number", "phone", "legal_representative", "contact_name",
    "created_at", "updated_at",
)  # fmt: skip


def _applicant_row(number: str, values: dict[str, str]) -> Applicant:
    """The applicant row of `number`, inserted with `values` when there is none, locked until
    the transaction ends: one INSERT … ON CONFLICT DO UPDATE … RETURNING (PostgreSQL, SQLite ≥
    3.35), so a concurrent first intake of the same person meets the row instead of failing.
    The conflict branch changes nothing (`id_number` set to itself): the caller compares the
    values it was given and saves what changed."""
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    row = {"id_number": number, **values, "created_at": now, "updated_at": now}
    names = list(row)
    table = ops.quote_name(Applicant._meta.db_table)
    columns = ", ".join(ops.quote_name(name) for name in names)
    returning = ", ".join(ops.quote_name(name) for name in _APPLICANT_COLUMNS)
    id_number = ops.quote_name("id_number")
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(names))}) "
        f"ON CONFLICT ({id_number}) DO UPDATE SET {id_number} = EXCLUDED.{id_number} "
        f"RETURNING {returning}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(row.values()))
        fetched = cursor.fetchone()
    converted = [
        _from_db(Applicant._meta.get_field(name), value)
        for name, value in zip(_APPLICANT_COLUMNS, fetched, strict=True)
    ]
    return Applicant.from_db(connection.alias, list(_APPLICANT_COLUMNS), converted)


def _from_db(field: Any, value: Any) -> Any:
    """A raw column value as the ORM would give it (SQLite returns datetimes as text)."""
    column = field.cached_col
    for converter in connection.ops.get_db_converters(column) + column.get_db_converters(
        connection
    ):
        value = converter(value, column, connection)
    return value


# --- shared checks ---------------------------------------------------------------------------


def _material_errors(
    item: ServiceItem,
    checks: list[MaterialCheck],
    *,
    green_channel: bool,
    errors: FieldErrors,
    id_number: str = "",
    now: datetime.datetime | None = None,
) -> dict[int, Material]:
    materials = {m.pk: m for m in item.materials.all()}
    seen: set[int] = set()
    for check in checks:
        if check.material_id not in materials:
            errors.add("materials", _("A material does not belong to this item."))
            continue
        if check.material_id in seen:
            errors.add("materials", _("A material is listed twice."))
        seen.add(check.material_id)
        if check.form not in Material.Form.values:
            errors.add("materials", _("Choose original, copy or both for each material."))
        if check.copies < 1:
            errors.add("materials", _("Copies must be at least 1."))
        if check.pending and check.handed_in:
            errors.add("materials", _("A received material cannot be pending."))
        if check.held_not_brought and check.handed_in:
            errors.add(
                "materials", _("A received material cannot be marked “has it, not brought”.")
            )
        _flag_errors(materials[check.material_id], check, id_number, now, errors)
        if check.pending and not green_channel and materials[check.material_id].is_main:
            errors.add(
                "materials",
                _(
                    "Only a green-channel case may be accepted with main materials pending; "
                    "attachments may be promised."
                ),
            )
    return materials


def _flag_errors(
    material: Material,
    check: MaterialCheck,
    id_number: str,
    now: datetime.datetime | None,
    errors: FieldErrors,
) -> None:
    """Issue 17 item 2: "condition does not apply" only on a conditional material and alone;
    a reuse only from a verified earlier case of this applicant holding the material."""
    if check.not_applicable and not material.condition:
        errors.add(
            "materials",
            _("%(name)s is not a conditional material: it cannot be marked not applicable.")
            % {"name": material.name},
        )
    if check.not_applicable and (check.handed_in or check.pending or check.held_not_brought):
        errors.add(
            "materials",
            _("%(name)s is marked both not applicable and handed in or to come.")
            % {"name": material.name},
        )
    if check.licence is not None:
        _licence_errors(material, check, id_number, now, errors)
    if not check.reused:
        return
    if check.pending or check.held_not_brought:
        errors.add("materials", _("A reused material cannot be pending or “has it, not brought”."))
    elif check.licence is not None:
        errors.add("materials", _("A material comes from the library or a licence, not both."))
    elif (
        reusable_entry(
            id_number=id_number,
            material=material,
            case_id=check.reused_from,
            entry_id=check.library_entry,
            now=now,
        )
        is None
    ):
        errors.add(
            "materials",
            _(
                "%(name)s cannot be reused from that case: it was not handed in on an accepted "
                "earlier case of this applicant."
            )
            % {"name": material.name},
        )


def _licence_errors(
    material: Material,
    check: MaterialCheck,
    id_number: str,
    now: datetime.datetime | None,
    errors: FieldErrors,
) -> None:
    """Issue 19 item 4: a licence stands for a material only when the material accepts that
    item's licence and the licence is a valid one of this applicant."""
    if check.pending or check.held_not_brought:
        errors.add(
            "materials", _("A material stood for by a licence cannot be pending or to come.")
        )
    elif check.licence is None or (
        licence_for_material(
            id_number=id_number, material=material, licence_id=check.licence, now=now
        )
        is None
    ):
        errors.add(
            "materials",
            _(
                "%(name)s cannot be stood for by that licence: it is not a valid electronic "
                "licence of this applicant accepted for this material."
            )
            % {"name": material.name},
        )


def _library_links(
    case: Case, checks: list[MaterialCheck], materials: dict[int, Material]
) -> dict[int, int]:
    """The library entry of each reused material (checked valid before), by material id."""
    links: dict[int, int] = {}
    for check in checks:
        if not check.reused or check.material_id not in materials:
            continue
        entry = reusable_entry(
            id_number=case.applicant.id_number,
            material=materials[check.material_id],
            case_id=check.reused_from,
            entry_id=check.library_entry,
            now=case.received_at,
        )
        if entry is not None:
            links[check.material_id] = entry.pk
    return links


def check_material_flags(
    *,
    item: ServiceItem,
    checks: list[MaterialCheck],
    id_number: str = "",
    now: datetime.datetime | None = None,
) -> None:
    """Refuse (ValidationError on `materials`) a "condition does not apply" or a reuse that the
    intake would refuse; used where only a proposal is asked for."""
    errors = FieldErrors()
    materials = {m.pk: m for m in item.materials.all()}
    for check in checks:
        material = materials.get(check.material_id)
        if material is None:
            errors.add("materials", _("A material does not belong to this item."))
            continue
        _flag_errors(material, check, id_number, now, errors)
    errors.raise_if_any()


def _clean_key(key: str | None, errors: FieldErrors) -> str | None:
    too_long = _("The idempotency key is too long (at most %(max)d characters).") % {
        "max": IDEMPOTENCY_KEY_MAX_LENGTH
    }
    key = errors.text(
        "idempotency_key", key, max_length=IDEMPOTENCY_KEY_MAX_LENGTH, too_long=too_long
    )
    return key or None


def _existing(key: str | None, actor: User | None) -> Case | None:
    """The case this key already made for this actor (a retry). A key that made someone else's
    case is refused: a retry returns only the caller's own application."""
    if key is None:
        return None
    case = Case.objects.filter(idempotency_key=key).first()
    if case is None:
        return None
    if case.submitted_by_id != _pk_or_none(actor):
        raise IdempotencyKeyReused(
            {
                "idempotency_key": [
                    _("This idempotency key was already used for another application.")
                ]
            }
        )
    return case


def _pk_or_none(actor: User | None) -> int | None:
    return actor.pk if actor is not None and actor.is_authenticated else None


def _create_materials(
    case: Case,
    materials: dict[int, Material],
    checks: list[MaterialCheck],
    day: datetime.date,
    pending_due_on: datetime.date | None = None,
    *,
    pending: bool = True,
) -> list[CaseMaterial]:
    by_material = {check.material_id: check for check in checks}
    library = _library_links(case, checks, materials)
    rows = []
    for material in sorted(materials.values(), key=lambda m: (m.position, m.pk)):
        check = by_material.get(material.pk)
        received = bool(check and check.handed_in)
        is_pending = bool(pending and check and check.pending and not received)
        rows.append(
            CaseMaterial(
                case=case,
                material=material,
                position=material.position,
                name=material.name,
                is_main=material.is_main,
                received=received,
                form=check.form if check else material.form,
                copies=check.copies if check else material.copies,
                received_on=day if received else None,
                pending=is_pending,
                due_on=pending_due_on if is_pending else None,
                not_applicable=bool(check and check.not_applicable and not received),
                reused_from_id=_reused_case(check, library) if check and received else None,
                library_entry_id=library.get(material.pk) if received else None,
                licence_id=check.licence if check and received else None,
            )
        )
    return CaseMaterial.objects.bulk_create(rows)


def _reused_case(check: MaterialCheck, library: dict[int, int]) -> int | None:
    """The earlier case a reused material was verified on (named at the window, or the case of
    the library entry chosen online)."""
    if check.reused_from is not None or check.material_id not in library:
        return check.reused_from
    return (
        ApplicantMaterial.objects.filter(pk=library[check.material_id])
        .values_list("verified_on_case_id", flat=True)
        .first()
    )


def _create_case(key: str | None, **fields: Any) -> tuple[Case, bool]:
    """Insert the case (and its own department in the departments involved); with a key
    already used (a concurrent twin), the existing case."""
    if key is None:
        case = Case.objects.create(**fields)
    else:
        try:
            with transaction.atomic():  # savepoint: the twin's insert makes ours fail
                case = Case.objects.create(idempotency_key=key, **fields)
        except IntegrityError:
            existing = _existing(key, fields.get("submitted_by"))
            if existing is None:
                raise
            return existing, False
    case_departments_add(
        case_id=case.pk, department_ids=[case.department_id], lead_id=case.department_id
    )
    return case, True


# --- intake at the window --------------------------------------------------------------------


# One intake asks who serves the window at receipt, acceptance and decision: remembered once.
@remembering_cover()
def case_receive(
    *,
    actor: User,
    item: ServiceItem,
    window: Window,
    applicant: ApplicantData,
    materials: list[MaterialCheck],
    outcome: str,
    outcome_reason: str = "",
    green_channel: bool = False,
    pending_due_on: datetime.date | None = None,
    reason: str = "",
    basis: str = "",
    escalate_to: Center | None = None,
    forward_by: datetime.date | None = None,
    joint_departments: list[Department] | None = None,
    idempotency_key: str | None = None,
    at: datetime.datetime | None = None,
    channel: str = Channel.WINDOW,
    agency: AgencyData | None = None,
) -> Case:
    """Receive an application at `window` and end intake in `outcome` (see the module doc).

    `agency` names the agent (代办员) who applies for the applicant on their authorization
    letter (issue 19 item 6, `govhall.cases.services.agency`): refused like any other field.

    `channel` says where the case came from: the window itself (the default), a 12345 hotline
    order or an assignment by a higher level (上级交办). "online" is refused here: online cases
    come only from online submission (`case_submit_online`)."""
    now = at or timezone.now()
    today = timezone.localdate(now)
    errors = FieldErrors()
    key = _clean_key(idempotency_key, errors)
    existing = _existing(key, actor)
    if existing is not None and not errors:
        return existing

    outcome_reason = errors.text(
        "outcome_reason",
        outcome_reason,
        max_length=REASON_MAX_LENGTH,
        too_long=_("The reason is too long."),
    )
    reason = (reason or "").strip()
    basis = (basis or "").strip()
    if outcome not in Outcome.values:
        errors.add("outcome", _("Choose how intake ends."))
    if channel not in WINDOW_CHANNELS:
        errors.add(
            "channel",
            _("Choose where the case came from: the window, the 12345 hotline or a higher level."),
        )
    if not item.is_active:
        errors.add("item", _("This item is not published."))
    item, authorization = _item_at_window(item, window)
    if authorization is None:
        errors.add("window", _("This window does not serve the item."))
    if window.center_id != item.center_id:
        errors.add("window", _("The window and the item belong to different centers."))
    if not serves_window(actor, window, now):
        errors.add("window", _("You do not serve %(window)s now.") % {"window": str(window)})
    errors.merge(applicant_errors(applicant))
    catalog = _material_errors(
        item,
        materials,
        green_channel=green_channel,
        errors=errors,
        id_number=applicant.id_number,
        now=now,
    )
    proposal = propose_outcome(
        item=item, window=window, checks=materials, green_channel=green_channel
    )
    if outcome in Outcome.values and outcome != proposal.outcome and not outcome_reason:
        errors.add(
            "outcome_reason",
            _("The proposed outcome is “%(proposed)s”; give the reason for choosing another.")
            % {"proposed": Outcome(proposal.outcome).label},
        )
    # Pending materials are kept only on an accepted case; otherwise they are simply missing.
    pending_ids = [
        c.material_id
        for c in materials
        if c.pending and not c.handed_in and outcome in ACCEPTING_OUTCOMES
    ]
    if outcome in ACCEPTING_OUTCOMES and proposal.missing_main:
        errors.add(
            "materials",
            _(
                "A case is not accepted with main materials missing (%(names)s); in the green "
                "channel mark them pending with a date to bring them."
            )
            % {"names": "、".join(m.name for m in proposal.missing_main)},
        )
    if pending_ids and outcome in ACCEPTING_OUTCOMES:
        if pending_due_on is None:
            errors.add("pending_due_on", _("Give the date by which pending materials come."))
        else:
            calendar = calendar_for(item.center_id)
            try:
                workday = calendar.is_workday(pending_due_on)
            except ValueError:
                workday = False
            if pending_due_on <= today or not workday:
                errors.add(
                    "pending_due_on",
                    _("Pending materials are due on a working day after today."),
                )
    if outcome == Outcome.SUPPLEMENT and not (proposal.missing_main or proposal.missing_other):
        errors.add("outcome", _("Nothing is missing: there is nothing to ask for."))
    if outcome == Outcome.RETURNED:
        if not reason:
            errors.add("reason", _("Give the reason the application is not accepted."))
        if not basis:
            errors.add("basis", _("Give the legal basis for not accepting the application."))
    clean_agency = None
    if agency is not None:
        agency_problems, clean_agency = agency_errors(center=item.center, data=agency, today=today)
        errors.merge(agency_problems)
    errors.raise_if_any()

    with transaction.atomic(), deferred_events():  # the intake's events: one INSERT
        person = applicant_upsert(data=applicant)
        number = next_case_number(center=item.center, day=today)
        assert authorization is not None
        case, created = _create_case(
            key,
            number=number,
            center=item.center,
            item=item,
            department=item.department,
            applicant=person,
            status=CaseStatus.RECEIVED,
            channel=channel,
            authorization=authorization,
            received_window=window,
            received_by=actor,
            window=window,
            green_channel=green_channel,
            pending_due_on=pending_due_on if pending_ids else None,
            submitted_by=actor,
            received_at=now,
            step_started_at=now,
            legal_days=item.legal_days,
            promised_days=item.promised_days,
        )
        if not created:
            return case
        rows = _create_materials(
            case, catalog, materials, today, pending_due_on, pending=bool(pending_ids)
        )
        remember_new(case, rows)  # the engine, notices and library need not read them again
        held = {c.material_id for c in materials if c.held_not_brought and not c.handed_in}
        ordered = sorted(catalog.values(), key=lambda m: (m.position, m.pk))
        excused = {c.material_id for c in materials if c.not_applicable}
        reused = {c.material_id: c.reused_from for c in materials if c.reused_from is not None}
        record_event(
            actor=actor,
            action=CaseEvent.RECEIVE,
            obj=case,
            center_id=case.center_id,
            note=outcome_reason,
            data={
                "from": "",
                "to": CaseStatus.RECEIVED,
                "window": window.number,
                "proposed": proposal.outcome,
                "chosen": outcome,
                "green_channel": green_channel,
                "channel": channel,
                "held_not_brought": [m.name for m in ordered if m.pk in held],
                "not_applicable": [m.name for m in ordered if m.pk in excused],
                "reused": {m.name: reused[m.pk] for m in ordered if m.pk in reused},
                "licences": {
                    m.name: c.licence
                    for c in materials
                    for m in ordered
                    if c.licence is not None and m.pk == c.material_id
                },
                "promised": [
                    catalog[pk].name
                    for pk in pending_ids
                    if pk in catalog and not catalog[pk].is_main
                ],
            },
        )
        if clean_agency is not None:
            agency_apply(actor=actor, case=case, agency=clean_agency, action=AgencyEvent.ASSIGN)
        case = _finish_intake(
            case_act_on_new,
            actor=actor,
            case=case,
            outcome=outcome,
            item=item,
            reason=reason,
            basis=basis,
            escalate_to=escalate_to,
            forward_by=forward_by,
            joint_departments=joint_departments,
            now=now,
        )
    forget(case)  # the caller's object: read afresh from now on
    return case


def _item_at_window(item: ServiceItem, window: Window) -> tuple[ServiceItem, str | None]:
    """The item as intake reads it, with the window's authorization for it (None: the window
    does not serve it): a copy of `item` holding its materials and joint departments, read once
    (two queries; three for a joint item) instead of once per check. The caller's object is
    left as it was, so a caller keeping it sees a catalog change at its next intake."""
    item.center, item.department  # noqa: B018 - loaded once on the caller's object (cached)
    local = copy.copy(item)
    local._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    joint_rows = ServiceItem.joint_departments.through.objects.filter(serviceitem_id=item.pk)
    link = ItemWindow.objects.filter(item_id=item.pk, window_id=window.pk)
    # One query: the materials, each carrying the window's authorization and the joint flag.
    materials = list(
        local.materials.all().annotate(
            window_authorization=Subquery(link.values("authorization")[:1]),
            joint=Exists(joint_rows),
        )
    )
    if materials:
        authorization, joint = materials[0].window_authorization, materials[0].joint
    else:  # an item without materials: ask for the link itself
        row = link.annotate(joint=Exists(joint_rows)).values_list("authorization", "joint").first()
        authorization, joint = row if row is not None else (None, True)
    local._prefetched_objects_cache["materials"] = _known_rows(  # type: ignore[attr-defined]
        local.materials.all(), materials
    )
    if joint:
        prefetch_related_objects([local], "joint_departments")
    else:  # known empty: `joint_departments.exists()` answers without a query
        local._prefetched_objects_cache["joint_departments"] = _known_rows(  # type: ignore[attr-defined]
            local.joint_departments.all(), []
        )
    return local, authorization


def _known_rows(queryset: Any, rows: list[Any]) -> Any:
    """`queryset` answering `rows` without a query (as Django's prefetch leaves it)."""
    queryset._result_cache = rows
    queryset._prefetch_done = True
    return queryset


def _finish_intake(
    case_act: Any,
    *,
    actor: User,
    case: Case,
    outcome: str,
    item: ServiceItem,
    reason: str,
    basis: str,
    escalate_to: Center | None,
    forward_by: datetime.date | None,
    joint_departments: list[Department] | None,
    now: datetime.datetime,
) -> Case:
    def act(action: str, params: dict[str, Any] | None = None, note: str = "") -> Case:
        return case_act(
            actor=actor,
            case=case,
            action=action,
            params=action_params(action, params),
            note=note,
            at=now,
        )

    if outcome == Outcome.RETURNED:
        return act(Action.RETURN, {"reason": reason, "basis": basis}, note=reason)
    if outcome == Outcome.SUPPLEMENT:
        missing = [
            row.pk for row in case_materials_of(case) if not row.received and not row.not_applicable
        ]
        return act(Action.REQUEST_SUPPLEMENT, {"missing": missing})
    department_ids = [d.pk for d in joint_departments] if joint_departments else None
    accept_params: dict[str, Any] = {"kind": OUTCOME_KIND[Outcome(outcome)]}
    if department_ids:
        accept_params["joint_departments"] = department_ids
    case = act(Action.ACCEPT, accept_params)
    if outcome == Outcome.IMMEDIATE:
        return act(Action.APPROVE)
    if outcome == Outcome.JOINT:
        joint_params: dict[str, Any] = {}
        if department_ids:
            joint_params["departments"] = department_ids
        return act(Action.START_JOINT, joint_params)
    if outcome == Outcome.ESCALATED:
        escalate_params: dict[str, Any] = {}
        if escalate_to is not None:
            escalate_params["center_id"] = escalate_to.pk
        if forward_by is not None:
            escalate_params["forward_by"] = forward_by
        return act(Action.ESCALATE, escalate_params)
    return case


# --- online submission -----------------------------------------------------------------------


def case_submit_online(
    *,
    actor: User,
    item: ServiceItem,
    applicant: ApplicantData,
    materials: list[MaterialCheck],
    idempotency_key: str | None,
    at: datetime.datetime | None = None,
) -> tuple[Case, bool]:
    """An online application, `submitted` and waiting for pre-review by a clerk of a window
    serving the item. The same idempotency key returns the case it made (created False)."""
    now = at or timezone.now()
    today = timezone.localdate(now)
    errors = FieldErrors()
    key = _clean_key(idempotency_key, errors)
    existing = _existing(key, actor)
    if existing is not None and not errors:
        return existing, False
    # The catalog's one rule (pages, API and this service): published and offered online.
    refusal = online_refusal(item)
    if refusal:
        errors.add("item", refusal)
    links = sorted(
        ItemWindow.objects.filter(item=item, window__is_active=True).values_list(
            "authorization", "window__number"
        ),
        key=lambda row: (AUTHORIZATION_ORDER.get(Authorization(row[0]), 9), row[1]),
    )
    if not links:
        errors.add("item", _("No window serves this item yet."))
    errors.merge(applicant_errors(applicant))
    catalog = _material_errors(
        item, materials, green_channel=False, errors=errors, id_number=applicant.id_number, now=now
    )
    errors.raise_if_any()

    with transaction.atomic():
        person = applicant_upsert(data=applicant)
        number = next_case_number(center=item.center, day=today)
        case, created = _create_case(
            key,
            number=number,
            center_id=item.center_id,
            item=item,
            department_id=item.department_id,
            applicant=person,
            status=CaseStatus.SUBMITTED,
            channel=Channel.ONLINE,
            authorization=links[0][0],
            window=None,
            submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
            received_at=now,
            step_started_at=now,
            legal_days=item.legal_days,
            promised_days=item.promised_days,
        )
        if not created:
            return case, False
        _create_materials(case, catalog, materials, today)
        # 抄告相关、同步预审: the lead and each participating department see it at once
        prereview_tasks_open(case=case, at=now)
        record_event(
            actor=actor,
            action=CaseEvent.SUBMIT,
            obj=case,
            center_id=case.center_id,
            data={
                "from": "",
                "to": CaseStatus.SUBMITTED,
                "window": None,
                "channel": Channel.ONLINE,
                "idempotency_key": key or "",
            },
        )
    return case, True
