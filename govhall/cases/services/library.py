"""The applicant's material library (issue 19 item 4).

Entry points:

def library_keep(*, case: Case, actor: User | None, at: datetime | None = None)
        -> list[ApplicantMaterial]

When a case is accepted (`case_act` accept, whatever the channel), each material received on it
becomes an entry of the applicant's library: its name and catalog material, its file when it
came as one, the case it was verified on, when and by whom (the clerk who accepted, else the one
who received it), valid for `GOVHALL_MATERIAL_REUSE_DAYS`. One entry per material name per case:
calling it again keeps nothing twice. A material that was itself reused from the library or stood
for by an electronic licence is not kept again (the library already holds it, or the licence
does).

What the library offers back is THE reuse rule of `govhall.cases.queries.reuse`.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govhall.cases.events import LibraryEvent
from govhall.cases.models import ApplicantMaterial, Case
from govhall.cases.queries.known import case_materials_of, is_new
from govhall.core.events import record_event
from govhall.core.models import User


def _verifier(case: Case, actor: User | None) -> User | None:
    if actor is not None and actor.is_authenticated:
        return actor
    return case.received_by


@transaction.atomic(savepoint=False)  # nothing here refuses: no savepoint of its own
def library_keep(
    *, case: Case, actor: User | None, at: datetime.datetime | None = None
) -> list[ApplicantMaterial]:
    """Keep the received materials of the accepted `case` in its applicant's library (see the
    module doc); returns the entries made now (none when already kept)."""
    now = at or case.accepted_at or timezone.now()
    rows = [
        row
        for row in case_materials_of(case)  # known without a query during intake
        if row.received
        and row.reused_from_id is None
        and row.library_entry_id is None
        and row.licence_id is None
    ]
    if is_new(case):  # inserted by the running intake: nothing was kept from it yet
        kept: set[str] = set()
    else:
        kept = set(
            ApplicantMaterial.objects.filter(verified_on_case=case).values_list("name", flat=True)
        )
    verifier = _verifier(case, actor)
    valid_until = timezone.localdate(now) + datetime.timedelta(
        days=settings.GOVHALL_MATERIAL_REUSE_DAYS
    )
    entries = []
    for row in rows:
        if row.name in kept:
            continue
        kept.add(row.name)
        entries.append(
            ApplicantMaterial(
                applicant_id=case.applicant_id,
                name=row.name,
                material_id=row.material_id,
                file=row.file.name if row.file else "",
                content_type=row.content_type,
                size=row.size,
                sha256=row.sha256,
                verified_on_case=case,
                verified_at=now,
                verified_by=verifier,
                valid_until=valid_until,
            )
        )
    if not entries:
        return []
    made = ApplicantMaterial.objects.bulk_create(entries)
    record_event(
        actor=actor,
        action=LibraryEvent.KEEP,
        obj=case,
        center_id=case.center_id,
        data={"materials": [entry.name for entry in made]},
    )
    return made


__all__ = ["library_keep"]
