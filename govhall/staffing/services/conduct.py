"""The center's code of conduct and its badges (issue 21 item 3; seeds/000… 篇1 二2–3, 四5–6,
第二章; seeds/002… 四(一)–(三)).

Entry points:
def conduct_rule_add(*, actor, center, section, text, is_patrol_point=False) -> ConductRule
def conduct_rule_edit(*, actor, rule, section, text, is_patrol_point) -> ConductRule
def conduct_rule_retire(*, actor, rule) -> ConductRule
def conduct_rule_reorder(*, actor, rule, direction) -> ConductRule          ("up" / "down")
def conduct_defaults_load(*, actor, center) -> int                          (lines written)
def conduct_code_publish(*, actor, center, at=None) -> ConductCode
def conduct_acknowledge(*, actor, at=None) -> ConductAcknowledgement
def badge_issue(*, actor, user, on=None) -> Badge
def badge_withdraw(*, actor, badge, on=None) -> Badge

The lines (ConductRule) are the draft a hall manager of the center edits; publishing copies the
lines in force into `ConductCode.lines` and raises the revision by one. Staff and the public
read the published copy; every staff member of the center confirms reading each revision once
(学习承诺). A badge number is the center's code and a serial (`<CODE>-0001`), never reused; a
person holds one badge in force per center. `actor` None is the system (demo, CLI).
Every write is atomic with its event; a refusal changes nothing.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import Conflict, FieldErrors
from govhall.org.access.standing import manages_center
from govhall.org.models import Center, Staff
from govhall.staffing.conduct_defaults import DEFAULT_CODE
from govhall.staffing.events import StaffingEvent
from govhall.staffing.models.conduct import (
    Badge,
    ConductAcknowledgement,
    ConductCode,
    ConductRule,
    ConductSection,
)
from govhall.staffing.queries.conduct import code_snapshot

TEXT_MAX = 300
BADGE_PREFIX_MAX = 14


def _check_manager(actor: User | None, center_id: int) -> None:
    if not manages_center(actor, center_id):
        raise ValidationError(_("Only the managers of this center may change its code of conduct."))


def _read_line(errors: FieldErrors, section: object, text: object) -> tuple[str, str]:
    chosen = errors.choice("section", section, ConductSection.values)
    line = errors.text("text", text, max_length=TEXT_MAX, required=_("Write the line of the code."))
    return str(chosen or ""), line


def _next_position(center_id: int, section: str) -> int:
    last = (
        ConductRule.objects.filter(center_id=center_id, section=section, is_active=True)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    return (last or 0) + 1


@transaction.atomic
def conduct_rule_add(
    *,
    actor: User | None,
    center: Center,
    section: str,
    text: str,
    is_patrol_point: bool = False,
) -> ConductRule:
    _check_manager(actor, center.pk)
    errors = FieldErrors()
    chosen, line = _read_line(errors, section, text)
    errors.raise_if_any()
    Center.objects.select_for_update().filter(pk=center.pk).first()
    if ConductRule.objects.filter(
        center=center, section=chosen, text=line, is_active=True
    ).exists():
        raise Conflict({"text": [_("This line is in the code already.")]})
    rule = ConductRule.objects.create(
        center=center,
        section=chosen,
        text=line,
        position=_next_position(center.pk, chosen),
        is_patrol_point=bool(is_patrol_point),
    )
    record_event(
        actor=actor,
        action=StaffingEvent.CONDUCT_RULE_ADD,
        obj=rule,
        center_id=center.pk,
        data={"section": chosen, "patrol": rule.is_patrol_point},
    )
    return rule


@transaction.atomic
def conduct_rule_edit(
    *,
    actor: User | None,
    rule: ConductRule,
    section: str,
    text: str,
    is_patrol_point: bool,
) -> ConductRule:
    locked = ConductRule.objects.select_for_update().get(pk=rule.pk)
    _check_manager(actor, locked.center_id)
    if not locked.is_active:
        raise ValidationError(_("This line was retired; add a new one instead."))
    errors = FieldErrors()
    chosen, line = _read_line(errors, section, text)
    errors.raise_if_any()
    if chosen != locked.section:
        locked.position = _next_position(locked.center_id, chosen)
    before = {"section": locked.section, "text": locked.text, "patrol": locked.is_patrol_point}
    locked.section, locked.text, locked.is_patrol_point = chosen, line, bool(is_patrol_point)
    locked.save(update_fields=["section", "text", "is_patrol_point", "position", "updated_at"])
    record_event(
        actor=actor,
        action=StaffingEvent.CONDUCT_RULE_EDIT,
        obj=locked,
        center_id=locked.center_id,
        data={"before": before, "patrol": locked.is_patrol_point},
    )
    return locked


@transaction.atomic
def conduct_rule_retire(*, actor: User | None, rule: ConductRule) -> ConductRule:
    locked = ConductRule.objects.select_for_update().get(pk=rule.pk)
    _check_manager(actor, locked.center_id)
    if not locked.is_active:
        raise Conflict({"rule": [_("This line was retired already.")]})
    locked.is_active = False
    locked.save(update_fields=["is_active", "updated_at"])
    record_event(
        actor=actor,
        action=StaffingEvent.CONDUCT_RULE_RETIRE,
        obj=locked,
        center_id=locked.center_id,
    )
    return locked


@transaction.atomic
def conduct_rule_reorder(*, actor: User | None, rule: ConductRule, direction: str) -> ConductRule:
    """Move a line one place up or down within its section (positions renumbered 1…n)."""
    _check_manager(actor, rule.center_id)
    errors = FieldErrors()
    chosen = errors.choice("direction", direction, ["up", "down"])
    errors.raise_if_any()
    Center.objects.select_for_update().filter(pk=rule.center_id).first()
    lines = list(
        ConductRule.objects.filter(
            center_id=rule.center_id, section=rule.section, is_active=True
        ).order_by("position", "id")
    )
    index = next((i for i, line in enumerate(lines) if line.pk == rule.pk), None)
    if index is None:
        raise ValidationError(_("This line was retired; add a new one instead."))
    other = index - 1 if chosen == "up" else index + 1
    if 0 <= other < len(lines):
        lines[index], lines[other] = lines[other], lines[index]
    for position, line in enumerate(lines, start=1):
        line.position = position
    ConductRule.objects.bulk_update(lines, ["position"])
    moved = lines[other] if 0 <= other < len(lines) else lines[index]
    record_event(
        actor=actor,
        action=StaffingEvent.CONDUCT_RULE_REORDER,
        obj=moved,
        center_id=rule.center_id,
        data={"direction": chosen, "order": [line.pk for line in lines]},
    )
    return moved


@transaction.atomic
def conduct_defaults_load(*, actor: User | None, center: Center) -> int:
    """Write the standard code of the seeds (`staffing.conduct_defaults`) into an empty code."""
    _check_manager(actor, center.pk)
    Center.objects.select_for_update().filter(pk=center.pk).first()
    if ConductRule.objects.filter(center=center, is_active=True).exists():
        raise Conflict(
            {
                "center": [
                    _("The code already has lines; the standard code loads only into an empty one.")
                ]
            }
        )
    positions: dict[str, int] = {}
    rules = []
    for section, text, patrol in DEFAULT_CODE:
        positions[section] = positions.get(section, 0) + 1
        rules.append(
            ConductRule(
                center=center,
                section=section,
                text=text,
                position=positions[section],
                is_patrol_point=patrol,
            )
        )
    ConductRule.objects.bulk_create(rules)
    record_event(
        actor=actor,
        action=StaffingEvent.CONDUCT_CODE_LOAD_DEFAULTS,
        obj=center,
        center_id=center.pk,
        data={"lines": len(rules)},
    )
    return len(rules)


@transaction.atomic
def conduct_code_publish(
    *, actor: User | None, center: Center, at: datetime.datetime | None = None
) -> ConductCode:
    """Publish the lines in force as the next revision of the center's code."""
    _check_manager(actor, center.pk)
    moment = at or timezone.now()
    ConductCode.objects.get_or_create(center=center)
    code = ConductCode.objects.select_for_update().get(center=center)
    lines = code_snapshot(center.pk)
    if not lines:
        raise ValidationError(_("The code has no lines to publish."))
    if code.revision and code.lines == lines:
        raise Conflict({"center": [_("Nothing changed since the last publication.")]})
    code.revision += 1
    code.lines = lines
    code.published_at = moment
    code.published_by = actor if actor is not None and actor.is_authenticated else None
    code.save(update_fields=["revision", "lines", "published_at", "published_by"])
    record_event(
        actor=actor,
        action=StaffingEvent.CONDUCT_CODE_PUBLISH,
        obj=code,
        center_id=center.pk,
        data={"revision": code.revision, "lines": len(lines)},
    )
    return code


@transaction.atomic
def conduct_acknowledge(
    *, actor: User, at: datetime.datetime | None = None
) -> ConductAcknowledgement:
    """The actor confirms reading the current revision of their own center's code (once)."""
    moment = at or timezone.now()
    center_id = Staff.objects.filter(user=actor).values_list("center_id", flat=True).first()
    if center_id is None:
        raise ValidationError(_("You are not on the staff of a center."))
    code = ConductCode.objects.filter(center_id=center_id, revision__gt=0).first()
    if code is None:
        raise ValidationError(_("Your center has not published its code of conduct yet."))
    found = ConductAcknowledgement.objects.filter(
        user=actor, center_id=center_id, revision=code.revision
    ).first()
    if found is not None:
        return found
    ack = ConductAcknowledgement.objects.create(
        user=actor, center_id=center_id, revision=code.revision, acknowledged_at=moment
    )
    record_event(
        actor=actor,
        action=StaffingEvent.CONDUCT_CODE_ACKNOWLEDGE,
        obj=ack,
        center_id=center_id,
        data={"revision": code.revision},
    )
    return ack


def badge_prefix(center: Center) -> str:
    return center.code.upper()[:BADGE_PREFIX_MAX]


@transaction.atomic
def badge_issue(*, actor: User | None, user: User, on: datetime.date | None = None) -> Badge:
    """Issue the person a badge of their center: the next number of the center."""
    staff = Staff.objects.select_related("center").filter(user=user).first()
    if staff is None or not user.is_active:
        raise ValidationError({"user": [_("This person is not on the staff of a center.")]})
    center = staff.center
    _check_manager(actor, center.pk)
    Center.objects.select_for_update().filter(pk=center.pk).first()
    if Badge.objects.filter(user=user, center=center, withdrawn_on__isnull=True).exists():
        raise Conflict({"user": [_("This person holds a badge already; withdraw it first.")]})
    serial = Badge.objects.filter(center=center).count() + 1
    prefix = badge_prefix(center)
    taken = set(Badge.objects.filter(center=center).values_list("number", flat=True))
    while f"{prefix}-{serial:04d}" in taken:
        serial += 1
    badge = Badge.objects.create(
        user=user,
        center=center,
        number=f"{prefix}-{serial:04d}",
        issued_on=on or timezone.localdate(),
        issued_by=actor if actor is not None else user,
    )
    record_event(
        actor=actor,
        action=StaffingEvent.BADGE_ISSUE,
        obj=badge,
        center_id=center.pk,
        data={"user": user.pk, "number": badge.number},
    )
    return badge


@transaction.atomic
def badge_withdraw(*, actor: User | None, badge: Badge, on: datetime.date | None = None) -> Badge:
    locked = Badge.objects.select_for_update().get(pk=badge.pk)
    _check_manager(actor, locked.center_id)
    if locked.withdrawn_on is not None:
        raise Conflict({"badge": [_("This badge was withdrawn already.")]})
    day = on or timezone.localdate()
    if day < locked.issued_on:
        raise ValidationError(
            {"on": [_("A badge is withdrawn on or after the day it was issued.")]}
        )
    locked.withdrawn_on = day
    locked.save(update_fields=["withdrawn_on", "updated_at"])
    record_event(
        actor=actor,
        action=StaffingEvent.BADGE_WITHDRAW,
        obj=locked,
        center_id=locked.center_id,
        data={"user": locked.user_id, "number": locked.number},
    )
    return locked
