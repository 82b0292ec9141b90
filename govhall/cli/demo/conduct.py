"""The demo's code of conduct and badges (issue 21 item 3): the county center's standard code
from the seeds (`staffing.conduct_defaults`), published as revision 1; a badge for each of the
county's window staff (挂牌上岗 shows the numbers); every county staff member has read the code
except the demo clerk login ("clerk"), whose workbench home asks them to.

Made through the services as the system (actor None). Idempotent: once the county's code is
published the step does nothing (so people later demo steps add are not badged on a reload).
"""

from __future__ import annotations

from govhall.cli.demo.departments import COUNTY_CODE
from govhall.org.models import Center, Staff
from govhall.staffing.models.conduct import (
    Badge,
    ConductAcknowledgement,
    ConductCode,
    ConductRule,
)
from govhall.staffing.services.conduct import (
    badge_issue,
    conduct_acknowledge,
    conduct_code_publish,
    conduct_defaults_load,
)

# The demo login left to read the code (shown the card on the workbench home).
NOT_YET_READ = "clerk"


def load_demo_conduct() -> int:
    """Load and publish the county's code, issue its window staff badges; returns badges made."""
    center = Center.objects.filter(code=COUNTY_CODE).first()
    if center is None:
        return 0
    if ConductCode.objects.filter(center=center, revision__gt=0).exists():
        # Loaded already: people the later demo steps add (selection) are left as they are.
        return 0
    if not ConductRule.objects.filter(center=center).exists():
        conduct_defaults_load(actor=None, center=center)
    code = conduct_code_publish(actor=None, center=center)
    staff = list(
        Staff.objects.filter(center=center, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
    )
    holders = set(
        Badge.objects.filter(center=center, withdrawn_on__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    made = 0
    for member in staff:
        if member.is_window_staff and member.user_id not in holders:
            badge_issue(actor=None, user=member.user)
            made += 1
    read = set(
        ConductAcknowledgement.objects.filter(center=center, revision=code.revision).values_list(
            "user_id", flat=True
        )
    )
    for member in staff:
        if member.user_id not in read and member.user.username != NOT_YET_READ:
            conduct_acknowledge(actor=member.user)
    return made
