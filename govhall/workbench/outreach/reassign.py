"""What the appointment page shows of an off-hours appointment whose named staff member cannot
serve (seeds/000… 篇1 六(四)): why, the reassign form for the leader, and the named person's own
"I cannot serve it" form. Asks the service's own refusals."""

from __future__ import annotations

from typing import Any

from govhall.core.models import User
from govhall.frontdesk.models import Appointment
from govhall.frontdesk.services.appointment_reassign import (
    can_declare_cannot_serve,
    cannot_serve_reasons,
    reassign_candidates,
    reassign_refusal,
)
from govhall.workbench.outreach.forms import CannotServeForm, ReassignForm


def reassign_context(user: User, appointment: Appointment) -> dict[str, Any]:
    if not appointment.is_off_hours or appointment.assigned_to_id is None:
        return {}
    can_reassign = reassign_refusal(user, appointment) is None
    return {
        "cannot_serve_reasons": cannot_serve_reasons(appointment),
        "can_reassign": can_reassign,
        "reassign_form": ReassignForm(candidates=reassign_candidates(appointment))
        if can_reassign
        else None,
        "can_say_cannot_serve": can_declare_cannot_serve(user, appointment),
        "cannot_serve_form": CannotServeForm(),
    }
