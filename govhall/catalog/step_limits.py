"""Every step of a case has its own time limit (每个环节的办理时限, issue 14 item 2).

Entry points:
def default_step_limit(step: str) -> int
def step_limit(item: ServiceItem, step: str) -> int

A limit is in working days of the center's calendar. An item may set its own limit per step
(`ServiceItem.limit_<step>_days`, empty: the installation's default, the setting
`GOVHALL_STEP_LIMIT_DAYS`). Which case statuses belong to which step is the cases' business
(`govhall.cases.steps`); escalation forwarding and green-channel pending materials have dates of
their own on the case and no limit here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from govhall.catalog.models import ServiceItem

STEP_LIMIT_MIN_DAYS = 1
STEP_LIMIT_MAX_DAYS = 60


class Step(models.TextChoices):
    PREREVIEW = "prereview", _("Pre-review")
    ACCEPTANCE = "acceptance", _("Acceptance")
    REVIEW = "review", _("Review")
    APPROVAL = "approval", _("Approval")
    JOINT = "joint", _("Joint review")
    CERTIFICATE = "certificate", _("Certificate")
    DELIVERY = "delivery", _("Delivery")


# Built-in defaults, used when the setting names no limit for a step.
BUILT_IN_DAYS: dict[str, int] = {
    Step.PREREVIEW: 1,
    Step.ACCEPTANCE: 1,
    Step.REVIEW: 3,
    Step.APPROVAL: 2,
    Step.JOINT: 5,
    Step.CERTIFICATE: 1,
    Step.DELIVERY: 5,
}


def limit_field(step: str) -> str:
    """The item field holding its own limit for `step` ("review" → "limit_review_days")."""
    return f"limit_{Step(step).value}_days"


LIMIT_FIELDS: tuple[str, ...] = tuple(limit_field(step) for step in Step)


def default_step_limit(step: str) -> int:
    """The installation's limit for `step` (working days)."""
    configured = getattr(settings, "GOVHALL_STEP_LIMIT_DAYS", {}) or {}
    value = configured.get(str(step), BUILT_IN_DAYS[Step(step)])
    return max(int(value), STEP_LIMIT_MIN_DAYS)


def step_limit(item: ServiceItem, step: str) -> int:
    """The limit for `step` of cases of `item`: its own, else the default."""
    own = getattr(item, limit_field(step))
    return int(own) if own is not None else default_step_limit(step)
