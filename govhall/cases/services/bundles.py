"""One application for a 一件事 bundle → its linked cases, all or nothing (issue 19 item 5).

def case_bundle_receive(*, actor, bundle, window, applicant, materials, idempotency_key=None,
                        at=None, agency=None) -> tuple[CaseBundle, bool]   # at a window
def case_bundle_submit_online(*, actor, bundle, applicant, materials, idempotency_key,
                              at=None) -> tuple[CaseBundle, bool]    # online (pre-review)
def expand_checks(item, checks) -> list[MaterialCheck]

`materials` are checks of the bundle's merged materials (`catalog.queries.bundles`): a check
names any material of a merged group and counts for every item asking a material of that name.
One transaction makes the `CaseBundle` (number "YJS" + center code + day + serial) and one case
per item in the bundle's order (`case_receive` with the proposed outcome at the window,
`case_submit_online` online), each with its own materials and `Case.bundle` set. Any item
refused refuses the whole bundle: the errors name the item, nothing is kept. The same
idempotency key (of the same actor) answers the application it made (created False).

The bundle's promise runs from the first acceptance of one of its cases (`bundle_promise`):
at once for a window intake that accepted, at pre-review acceptance online.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.events import CaseEvent
from govhall.cases.models import Case, CaseBundle
from govhall.cases.services import intake
from govhall.cases.services.agency import AgencyData
from govhall.cases.services.bundle_promise import bundle_promise_start
from govhall.cases.services.errors import IdempotencyKeyReused
from govhall.cases.services.intake import ACCEPTING_OUTCOMES, ApplicantData, MaterialCheck
from govhall.cases.services.numbers import format_number, next_serial
from govhall.catalog.models import Bundle, Material, ServiceItem
from govhall.catalog.queries.bundles import bundle_items, bundle_refusal
from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.models import Window

BUNDLE_PREFIX = "YJS"


def next_bundle_number(*, bundle: Bundle, day: datetime.date) -> str:
    prefix = f"{BUNDLE_PREFIX}{bundle.center.code}"
    return format_number(prefix, day, next_serial(prefix=prefix, day=day))


def expand_checks(item: ServiceItem, checks: list[MaterialCheck]) -> list[MaterialCheck]:
    """The checks of `item`'s own materials, taken from the merged group of the same name."""
    by_name: dict[str, MaterialCheck] = {}
    names = {
        m.pk: m.name.strip()
        for m in Material.objects.filter(pk__in=[c.material_id for c in checks])
    }
    for check in checks:
        if check.material_id in names:
            by_name.setdefault(names[check.material_id], check)
    return [
        dataclasses.replace(by_name[material.name.strip()], material_id=material.pk)
        for material in item.materials.order_by("position", "id")
        if material.name.strip() in by_name
    ]


def _existing(key: str | None, actor: User | None) -> CaseBundle | None:
    if key is None:
        return None
    found = CaseBundle.objects.filter(idempotency_key=key).first()
    if found is None:
        return None
    mine = actor.pk if actor is not None and actor.is_authenticated else None
    if found.received_by_id != mine:
        raise IdempotencyKeyReused(
            {
                "idempotency_key": [
                    _("This idempotency key was already used for another application.")
                ]
            }
        )
    return found


def _refused(item: ServiceItem, error: ValidationError) -> ValidationError:
    """An item's refusal as the bundle's: every message prefixed with the item's name."""
    return ValidationError({"bundle": [f"{item.name}: {message}" for message in error.messages]})


def _make(
    *,
    actor: User | None,
    bundle: Bundle,
    applicant: ApplicantData,
    idempotency_key: str | None,
    at: datetime.datetime | None,
    online: bool,
    make_case: object,
) -> tuple[CaseBundle, bool]:
    now = at or timezone.now()
    errors = FieldErrors()
    key = intake._clean_key(idempotency_key, errors)
    errors.raise_if_any()
    existing = _existing(key, actor)
    if existing is not None:
        return existing, False
    refusal = bundle_refusal(bundle, online=online)
    if refusal:
        raise ValidationError({"bundle": [refusal]})
    items = bundle_items(bundle)
    with transaction.atomic():
        person = intake.applicant_upsert(data=applicant)
        fields = {
            "number": next_bundle_number(bundle=bundle, day=timezone.localdate(now)),
            "bundle": bundle,
            "center_id": bundle.center_id,
            "applicant": person,
            "promised_days": bundle.promised_days,
            "received_at": now,
            "received_by": actor if actor is not None and actor.is_authenticated else None,
        }
        if key is None:
            application = CaseBundle.objects.create(**fields)
        else:
            try:
                with transaction.atomic():  # savepoint: a concurrent twin's insert wins
                    application = CaseBundle.objects.create(idempotency_key=key, **fields)
            except IntegrityError:
                twin = _existing(key, actor)
                if twin is None:
                    raise
                return twin, False
        cases: list[Case] = []
        for item in items:
            try:
                case = make_case(item)  # type: ignore[operator]
            except ValidationError as error:
                raise _refused(item, error) from None
            Case.objects.filter(pk=case.pk).update(bundle=application)
            case.bundle = application
            cases.append(case)
        accepted = [c for c in cases if c.accepted_at is not None]
        if accepted:
            bundle_promise_start(case=accepted[0], at=accepted[0].accepted_at)
            application.refresh_from_db()
        record_event(
            actor=actor,
            action=CaseEvent.BUNDLE_RECEIVE,
            obj=application,
            center_id=bundle.center_id,
            data={
                "bundle": bundle.pk,
                "cases": [c.number for c in cases],
                "online": online,
                "idempotency_key": key or "",
            },
        )
    return application, True


def case_bundle_receive(
    *,
    actor: User,
    bundle: Bundle,
    window: Window,
    applicant: ApplicantData,
    materials: list[MaterialCheck],
    idempotency_key: str | None = None,
    at: datetime.datetime | None = None,
    agency: AgencyData | None = None,
) -> tuple[CaseBundle, bool]:
    """A bundle received at `window` (which must serve every item): each item's case ends intake
    in its proposed outcome; an item that would be returned or asked to supplement refuses the
    whole bundle (the one-time notice lists what is missing, by item). `agency` (代办): the same
    agent and letter on every case of the bundle, checked by `case_receive` like a single case's."""
    now = at or timezone.now()

    def make_case(item: ServiceItem) -> Case:
        checks = expand_checks(item, materials)
        proposal = intake.propose_outcome(item=item, window=window, checks=checks)
        if proposal.outcome not in ACCEPTING_OUTCOMES:
            raise ValidationError(
                "；".join(str(r) for r in proposal.reasons) or _("The materials are not complete.")
            )
        return intake.case_receive(
            actor=actor,
            item=item,
            window=window,
            applicant=applicant,
            materials=checks,
            outcome=proposal.outcome,
            at=now,
            agency=agency,
        )

    return _make(
        actor=actor,
        bundle=bundle,
        applicant=applicant,
        idempotency_key=idempotency_key,
        at=now,
        online=False,
        make_case=make_case,
    )


def case_bundle_submit_online(
    *,
    actor: User | None,
    bundle: Bundle,
    applicant: ApplicantData,
    materials: list[MaterialCheck],
    idempotency_key: str | None,
    at: datetime.datetime | None = None,
) -> tuple[CaseBundle, bool]:
    """A bundle applied for online: one case per item waiting for pre-review (its tasks open)."""
    now = at or timezone.now()

    def make_case(item: ServiceItem) -> Case:
        case, _created = intake.case_submit_online(
            actor=actor,  # type: ignore[arg-type]
            item=item,
            applicant=applicant,
            materials=expand_checks(item, materials),
            idempotency_key=None,
            at=now,
        )
        return case

    return _make(
        actor=actor,
        bundle=bundle,
        applicant=applicant,
        idempotency_key=idempotency_key,
        at=now,
        online=True,
        make_case=make_case,
    )


__all__ = [
    "case_bundle_receive",
    "case_bundle_submit_online",
    "expand_checks",
    "next_bundle_number",
]
