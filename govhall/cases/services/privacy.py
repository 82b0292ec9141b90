"""Logging every view of an applicant's full personal data by staff (SPEC §11).

Lists show ID and phone numbers masked; the case page shows them in full, and each such view
is an event ("case.view_personal_data"): who, when, which case, why. The log is kept with
every other event (at least 12 months, seeds/000… 篇7).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govhall.cases.events import CaseEvent
from govhall.cases.models import Case
from govhall.core.events import record_event
from govhall.core.models import Event, User
from govhall.org.models import Staff


def personal_data_view_record(*, actor: User, case: Case, purpose: str) -> Event:
    """Record that `actor` was shown the full ID and phone numbers of `case`'s applicant."""
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError(_("Say why the personal data was viewed."))
    if actor is None or not actor.is_authenticated:
        raise ValidationError(_("Only a signed-in staff member can view personal data."))
    with transaction.atomic():
        return record_event(
            actor=actor,
            action=CaseEvent.VIEW_PERSONAL_DATA,
            obj=case,
            center_id=case.center_id,
            note=purpose[:300],
            data={
                "purpose": purpose[:300],
                "applicant": case.applicant_id,
                "fields": ["id_number", "phone"],
            },
        )


@transaction.atomic
def case_list_export_record(
    *, actor: User, rows: int, unmasked: bool, filters: dict[str, str]
) -> Event:
    """Record that `actor` exported `rows` cases of the case list (issue 17 item 8), with the
    filters used and whether the applicants' ID and phone numbers were in full."""
    if actor is None or not actor.is_authenticated:
        raise ValidationError(_("Only a signed-in staff member can export cases."))
    staff = Staff.objects.filter(user_id=actor.pk).values_list("center_id", flat=True).first()
    return record_event(
        actor=actor,
        action=CaseEvent.EXPORT_LIST,
        obj=actor,
        center_id=staff,
        note=_("%(n)d cases") % {"n": rows},
        data={
            "rows": rows,
            "unmasked": unmasked,
            "filters": filters,
            "fields": ["id_number", "phone"] if unmasked else [],
        },
    )
