"""Cases for tests, written straight to the database (no engine), test identities, and the data
of the workbench intake form."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Collection
from typing import Any

from django.utils import timezone

from govhall.cases.models import Applicant, Case, CaseMaterial
from govhall.cases.services.departments import case_departments_add
from govhall.cases.statuses import CaseKind, CaseStatus
from govhall.catalog.models import ServiceItem
from govhall.core.models import User
from govhall.org.models import Center, Department, Window
from govhall.testing.factories import ServiceItemFactory

# A real-format test ID number (check digit computed by GB 11643) and USCC (GB 32100).
PERSON_ID = "110101199003074477"
ENTERPRISE_USCC = "91350100M000100Y43"
PHONE = "13812345678"

TZ = datetime.timezone(datetime.timedelta(hours=8))
_serial = itertools.count(1)


def local(y: int, m: int, d: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(y, m, d, hour, 0, tzinfo=TZ)


def make_case(
    item: ServiceItem,
    window: Window | None,
    *,
    status: str = CaseStatus.ACCEPTED,
    kind: str = CaseKind.PROMISED,
    received: datetime.datetime | None = None,
    accepted: datetime.datetime | None = None,
    clock_started_on: datetime.date | None = None,
    promised_due_on: datetime.date | None = None,
    legal_due_on: datetime.date | None = None,
    missing: tuple[str, ...] = (),
    received_by: User | None = None,
    **fields: Any,
) -> Case:
    """A case row in the state a test needs, built directly (no engine). Materials follow the
    item's catalog list; names in `missing` are marked not received."""
    applicant, _ = Applicant.objects.get_or_create(
        id_number=PERSON_ID,
        defaults={"kind": "person", "name": "张三丰", "phone": PHONE},
    )
    received = received or local(2025, 9, 29)
    day = received.astimezone(TZ).date()
    case = Case.objects.create(
        number=f"{item.center.code}{day:%Y%m%d}{next(_serial):05d}",
        center=item.center,
        item=item,
        department=item.department,
        applicant=applicant,
        kind=kind,
        status=status,
        authorization=(
            item.item_windows.filter(window=window).values_list("authorization", flat=True).first()
            or "partial"
        ),
        received_window=window,
        window=window,
        received_by=received_by,
        received_at=received,
        accepted_at=accepted,
        clock_started_on=clock_started_on,
        legal_days=item.legal_days,
        promised_days=item.promised_days,
        promised_due_on=promised_due_on,
        legal_due_on=legal_due_on,
        **fields,
    )
    CaseMaterial.objects.bulk_create(
        [
            CaseMaterial(
                case=case,
                material=m,
                position=m.position,
                name=m.name,
                is_main=m.is_main,
                received=m.name not in missing,
                received_on=None if m.name in missing else day,
                form=m.form,
                copies=m.copies,
            )
            for m in item.materials.order_by("position")
        ]
    )
    case_departments_add(
        case_id=case.pk, department_ids=[item.department_id], lead_id=item.department_id
    )
    return case


def accepted_case(item: ServiceItem, window: Window, **fields: Any) -> Case:
    """Accepted on Tuesday 2025-09-30; 5 promised working days across National Day end on
    Tuesday 2025-10-14 (Oct 1-8 off, Saturday Oct 11 a make-up working day)."""
    defaults: dict[str, Any] = {
        "accepted": local(2025, 9, 30),
        "clock_started_on": datetime.date(2025, 9, 30),
        "promised_due_on": datetime.date(2025, 10, 14),
        "legal_due_on": datetime.date(2025, 10, 30),
    }
    defaults.update(fields)
    return make_case(item, window, **defaults)


def bare_case(
    *,
    county: Center,
    department: Department,
    number: str = "33010020250101000001",
    status: str = CaseStatus.ACCEPTED,
    name: str = "张三丰",
    phone: str = PHONE,
    id_number: str = PERSON_ID,
    **fields: Any,
) -> Case:
    """A case of a fresh item (no materials, no window), for read-side tests such as the public
    progress inquiry."""
    item = ServiceItemFactory(center=county, department=department, name="食品经营许可")
    applicant, _created = Applicant.objects.get_or_create(
        id_number=id_number, defaults={"kind": "person", "name": name, "phone": phone}
    )
    values = {
        "received_at": timezone.now() - datetime.timedelta(days=1),
        "legal_days": 20,
        "promised_days": 5,
        "authorization": "partial",
        "kind": "promised",
        **fields,
    }
    case = Case.objects.create(
        number=number,
        center=county,
        item=item,
        department=department,
        applicant=applicant,
        status=status,
        **values,
    )
    case_departments_add(case_id=case.pk, department_ids=[department.pk], lead_id=department.pk)
    return case


def intake_data(
    item: ServiceItem,
    *,
    key: str = "k-1",
    missing: Collection[str] = (),
    lacking: Collection[str] = (),
    **extra: object,
) -> dict[str, object]:
    """What the workbench intake form posts for a person applying for `item` at its first
    window, every material received but those named in `missing` (a main one: the applicant
    has it but did not bring it) and in `lacking` (ticked "does not have it")."""
    served = item.item_windows.first()
    assert served is not None, f"{item} is served at no window"
    data: dict[str, object] = {
        "window": served.window_id,
        "item": item.pk,
        "idempotency_key": key,
        "applicant_kind": "person",
        "name": "张三丰",
        "id_number": PERSON_ID,
        "phone": PHONE,
        "outcome": "promised",
        "proposed": "promised",
    }
    for material in item.materials.all():
        if material.name in lacking:
            data[f"lacks_{material.pk}"] = "on"
        elif material.name not in missing:
            data[f"received_{material.pk}"] = "on"
        data[f"form_{material.pk}"] = "original"
        data[f"copies_{material.pk}"] = "1"
    data.update(extra)
    return data
