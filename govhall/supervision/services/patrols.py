"""Daily patrols (每日巡查, seeds/002… 六3): rounds, windows checked, findings.

Entry points:
def patrol_round_start(*, actor, center, session=None, at=None, note="") -> PatrolRound
def patrol_visit_record(*, actor, patrol_round, window, findings=(), at=None) -> PatrolVisit
def patrol_finding_add(*, actor, visit, point, note, photo=None, raises_alert=True, at=None,
                       conduct_rule=None)
def patrol_round_finish(*, actor, patrol_round, note="", at=None) -> PatrolRound

Hall directors and supervisors patrol the centers of their scope (`access.patrols`). A round
belongs to a day and a session (morning before the center's morning close, else afternoon, or
as given); each window of the round's center is checked at most once per round, keeping who
served its posts at that moment (A/B cover honoured, `staffing.queries.cover`). A finding is a
failed point of the checklist with a note and an optional photo — JPEG or PNG judged by its
content, not its name, at most GOVHALL_PATROL_PHOTO_MAX_BYTES — stored under MEDIA_ROOT with a
generated name. A finding that raises an alert raises one of the rule "patrol_finding.yellow" on
each person who served the window then (`services.raising`: told, with its deduction). Only the
round's inspector records on it, and not once it is finished. Every write is atomic with its
event; a refusal changes nothing.

Besides the six points, a finding may name a line of the center's published code of conduct
offered to the patrol (issue 21 item 3, `staffing.queries.conduct.patrol_rules`): it counts
under the point of the line's section (dress → "dress", every other section → "conduct"),
raises its alert like the fixed points, and fails once per window like them; its field errors
are keyed "rule<id>.note", "rule<id>.photo".
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.files import IMAGE_KINDS, file_kind_of
from govhall.core.models import User
from govhall.core.validation import Conflict, FieldErrors, StateRefusal, refusal_error
from govhall.org.models import Center, Staff, Window
from govhall.staffing.models.conduct import ConductRule, ConductSection
from govhall.staffing.queries.conduct import patrol_rules
from govhall.staffing.queries.cover import posts_with_people, who_serves_many
from govhall.supervision.access.patrols import can_patrol_center
from govhall.supervision.events import SupervisionEvent
from govhall.supervision.models import (
    AlertRule,
    PatrolCheck,
    PatrolFinding,
    PatrolRound,
    PatrolSession,
    PatrolVisit,
)
from govhall.supervision.services.raising import AlertDraft, raise_alerts
from govhall.workdays.queries.calendar import calendar_for

FINDING_RULE = "patrol_finding.yellow"
NOTE_MAX = 300

# The first bytes of the image types a patrol photo may be: type → (signature, extension).
PHOTO_SIGNATURES: dict[str, tuple[bytes, str]] = {
    "image/jpeg": (b"\xff\xd8\xff", "jpg"),
    "image/png": (b"\x89PNG\r\n\x1a\n", "png"),
}


@dataclass(frozen=True)
class FindingDraft:
    """A failed point of the checklist as a page or the API hands it in."""

    point: str
    note: str
    photo: UploadedFile | None = None
    raises_alert: bool = True
    conduct_rule: int | None = None  # a patrol line of the center's published code


def photo_type(head: bytes) -> str | None:
    """The image type the first bytes of a file announce ("image/jpeg", "image/png"), or None
    (judged by `govhall.core.files`, the one home for file types)."""
    kind = file_kind_of(head)
    return kind.content_type if kind in IMAGE_KINDS else None


def _read_head(photo: UploadedFile) -> bytes:
    photo.seek(0)
    head = photo.read(16)
    photo.seek(0)
    return head if isinstance(head, bytes) else b""


def session_at(center: Center, at: datetime.datetime) -> str:
    """The session a moment falls in: morning before the center's morning close, else afternoon."""
    local = timezone.localtime(at).time()
    return PatrolSession.MORNING if local < center.morning_closes else PatrolSession.AFTERNOON


def _check_patroller(actor: User, center: Center) -> None:
    if not can_patrol_center(actor, center):
        raise ValidationError({"center": [_("You may not patrol this center.")]})


def _check_round_open(actor: User, patrol_round: PatrolRound) -> None:
    if patrol_round.inspector_id != actor.pk:
        raise ValidationError(_("Only the inspector of this round records on it."))
    if patrol_round.finished_at is not None:
        raise refusal_error(StateRefusal(_("This round is finished already.")))


def _check_finding(
    errors: FieldErrors, prefix: str, point: object, note: object, photo: UploadedFile | None
) -> tuple[str, str, str | None]:
    """Read one finding into `errors`; returns (point, note, photo extension)."""
    chosen = errors.choice(f"{prefix}point", point, PatrolCheck.values)
    text = errors.text(
        f"{prefix}note",
        note,
        max_length=NOTE_MAX,
        required=_("Say what was seen: a failed point needs a note."),
    )
    extension = None
    if photo is not None:
        limit = int(settings.GOVHALL_PATROL_PHOTO_MAX_BYTES)
        size = photo.size or 0
        if size > limit:
            errors.add(
                f"{prefix}photo",
                _("The photo is too big (at most %(limit)s).") % {"limit": filesizeformat(limit)},
            )
        else:
            content_type = photo_type(_read_head(photo))
            if content_type is None:
                errors.add(f"{prefix}photo", _("The photo must be a JPEG or PNG image."))
            else:
                extension = PHOTO_SIGNATURES[content_type][1]
    return str(chosen or ""), text, extension


def point_of_rule(rule: ConductRule) -> str:
    """The checklist point a code line's finding counts under."""
    return PatrolCheck.DRESS if rule.section == ConductSection.DRESS else PatrolCheck.CONDUCT


def _check_rule(
    errors: FieldErrors, prefix: str, rule_id: object, center_id: int
) -> ConductRule | None:
    """The code line a finding names: one of the center's published patrol lines."""
    offered = {rule.pk: rule for rule in patrol_rules(center_id)}
    rule = offered.get(rule_id) if isinstance(rule_id, int) else None
    if rule is None:
        errors.add(f"{prefix}point", _("This line is not a patrol point of the center's code."))
    return rule


def _draft_prefix(draft: FindingDraft) -> str:
    if draft.conduct_rule is not None:
        return f"rule{draft.conduct_rule}."
    return f"{draft.point}." if draft.point in PatrolCheck.values else "findings."


def _departments_of(people: list[int], window: Window) -> dict[int, int | None]:
    """The department each person answers in at the window: their own when the window serves
    it, else the window's first department."""
    window_departments = list(window.departments.order_by("id").values_list("pk", flat=True))
    fallback = window_departments[0] if window_departments else None
    own = dict(Staff.objects.filter(user_id__in=people).values_list("user_id", "department_id"))
    return {
        person: own[person] if own.get(person) in window_departments else fallback
        for person in people
    }


def _raise_finding_alerts(finding: PatrolFinding, moment: datetime.datetime) -> int:
    visit = finding.visit
    people = [int(pk) for pk in visit.serving]
    rule = AlertRule.objects.filter(code=FINDING_RULE).first()
    if rule is None or not people:
        return 0
    departments = _departments_of(people, visit.window)
    detail = _("Patrol finding at window %(window)s: %(point)s — %(note)s") % {
        "window": visit.window.number,
        "point": finding.what_failed,
        "note": finding.note,
    }
    drafts = [
        AlertDraft(
            subject_key=f"finding:{finding.pk}:{person}",
            center_id=visit.round.center_id,
            occurred_on=visit.round.day,
            detail=detail,
            department_id=departments[person],
            window_id=visit.window_id,
            responsible_id=person,
        )
        for person in people
    ]
    return raise_alerts(rule, drafts, moment=moment, batch=uuid.uuid4().hex)


def _write_finding(
    *,
    actor: User,
    visit: PatrolVisit,
    point: str,
    note: str,
    photo: UploadedFile | None,
    extension: str | None,
    raises_alert: bool,
    moment: datetime.datetime,
    conduct_rule: ConductRule | None = None,
) -> PatrolFinding:
    finding = PatrolFinding(
        visit=visit,
        point=point,
        note=note,
        raises_alert=raises_alert,
        recorded_at=moment,
        conduct_rule=conduct_rule,
    )
    if photo is not None and extension:
        # A generated name: the uploaded name (and its extension) is never used.
        finding.photo.save(f"{uuid.uuid4().hex}.{extension}", photo, save=False)
    finding.save()
    raised = _raise_finding_alerts(finding, moment) if raises_alert else 0
    record_event(
        actor=actor,
        action=SupervisionEvent.PATROL_FINDING_ADD,
        obj=finding,
        center_id=visit.round.center_id,
        note=note,
        data={
            "round": visit.round_id,
            "window": visit.window_id,
            "point": point,
            "conduct_rule": conduct_rule.pk if conduct_rule is not None else None,
            "photo": bool(finding.photo),
            "alerts": raised,
        },
    )
    return finding


@transaction.atomic
def patrol_round_start(
    *,
    actor: User,
    center: Center,
    session: str | None = None,
    at: datetime.datetime | None = None,
    note: str = "",
) -> PatrolRound:
    """Start a round over `center`'s windows now (or at `at`), in the session given or the one
    the moment falls in."""
    moment = at or timezone.now()
    _check_patroller(actor, center)
    errors = FieldErrors()
    chosen = session if session else session_at(center, moment)
    chosen = errors.choice("session", chosen, PatrolSession.values)
    text = errors.text("note", note, max_length=NOTE_MAX)
    day = timezone.localdate(moment)
    if not calendar_for(center.pk).is_workday(day):
        errors.add(
            "center",
            _("%(day)s is not a working day of %(center)s.")
            % {"day": day.isoformat(), "center": center.name},
        )
    errors.raise_if_any()
    Center.objects.select_for_update().filter(pk=center.pk).first()
    if PatrolRound.objects.filter(
        center=center, day=day, session=chosen, inspector=actor, finished_at__isnull=True
    ).exists():
        raise Conflict(
            {"session": [_("You have an unfinished round of this session; finish it first.")]}
        )
    patrol_round = PatrolRound.objects.create(
        center=center, day=day, session=chosen, inspector=actor, started_at=moment, note=text
    )
    record_event(
        actor=actor,
        action=SupervisionEvent.PATROL_ROUND_START,
        obj=patrol_round,
        center_id=center.pk,
        data={"day": day.isoformat(), "session": chosen},
    )
    return patrol_round


@transaction.atomic
def patrol_visit_record(
    *,
    actor: User,
    patrol_round: PatrolRound,
    window: Window,
    findings: Sequence[FindingDraft] = (),
    at: datetime.datetime | None = None,
) -> PatrolVisit:
    """Record `window` checked on the round, with its failed points (every other point passed).

    Field errors of the findings are keyed "<point>.note", "<point>.photo"."""
    moment = at or timezone.now()
    locked = (
        PatrolRound.objects.select_for_update().select_related("center").get(pk=patrol_round.pk)
    )
    _check_patroller(actor, locked.center)
    _check_round_open(actor, locked)
    errors = FieldErrors()
    if window.center_id != locked.center_id or not window.is_active:
        errors.add("window", _("This window is not one of the round's center."))
    checked: list[tuple[FindingDraft, str, str, str | None, ConductRule | None]] = []
    seen: set[tuple[str, int | None]] = set()
    for draft in findings:
        prefix = _draft_prefix(draft)
        rule = None
        if draft.conduct_rule is not None:
            rule = _check_rule(errors, prefix, draft.conduct_rule, locked.center_id)
            draft_point = point_of_rule(rule) if rule is not None else PatrolCheck.CONDUCT
        else:
            draft_point = draft.point
        point, note, extension = _check_finding(
            errors, prefix, draft_point, draft.note, draft.photo
        )
        key = (point, draft.conduct_rule)
        if key in seen:
            errors.add(f"{prefix}point", _("Each point of the checklist fails once per window."))
        seen.add(key)
        checked.append((draft, point, note, extension, rule))
    errors.raise_if_any()
    if PatrolVisit.objects.filter(round=locked, window=window).exists():
        raise Conflict({"window": [_("This window was checked on this round already.")]})
    posts = posts_with_people().filter(window=window).order_by("id")
    serving: list[int] = []
    for answer in who_serves_many(posts, moment):
        if answer.user is not None and answer.user.pk not in serving:
            serving.append(answer.user.pk)
    try:
        with transaction.atomic():
            visit = PatrolVisit.objects.create(
                round=locked, window=window, visited_at=moment, serving=serving
            )
    except IntegrityError:
        raise Conflict({"window": [_("This window was checked on this round already.")]}) from None
    record_event(
        actor=actor,
        action=SupervisionEvent.PATROL_VISIT_RECORD,
        obj=visit,
        center_id=locked.center_id,
        data={
            "round": locked.pk,
            "window": window.pk,
            "serving": serving,
            "failed": [point for _d, point, _n, _e, _r in checked],
        },
    )
    for draft, point, note, extension, rule in checked:
        _write_finding(
            actor=actor,
            visit=visit,
            point=point,
            note=note,
            photo=draft.photo,
            extension=extension,
            raises_alert=draft.raises_alert,
            moment=moment,
            conduct_rule=rule,
        )
    return visit


@transaction.atomic
def patrol_finding_add(
    *,
    actor: User,
    visit: PatrolVisit,
    point: str,
    note: str,
    photo: UploadedFile | None = None,
    raises_alert: bool = True,
    at: datetime.datetime | None = None,
    conduct_rule: int | None = None,
) -> PatrolFinding:
    """Add a failed point (or a patrol line of the code) to a window checked on an open round."""
    moment = at or timezone.now()
    locked = PatrolRound.objects.select_for_update().select_related("center").get(pk=visit.round_id)
    _check_patroller(actor, locked.center)
    _check_round_open(actor, locked)
    errors = FieldErrors()
    rule = None
    if conduct_rule is not None:
        rule = _check_rule(errors, "", conduct_rule, locked.center_id)
        point = point_of_rule(rule) if rule is not None else PatrolCheck.CONDUCT
    chosen, text, extension = _check_finding(errors, "", point, note, photo)
    errors.raise_if_any()
    if PatrolFinding.objects.filter(visit=visit, point=chosen, conduct_rule=rule).exists():
        raise Conflict({"point": [_("This point was recorded for this window already.")]})
    visit.round = locked
    return _write_finding(
        actor=actor,
        visit=visit,
        point=chosen,
        note=text,
        photo=photo,
        extension=extension,
        raises_alert=raises_alert,
        moment=moment,
        conduct_rule=rule,
    )


@transaction.atomic
def patrol_round_finish(
    *,
    actor: User,
    patrol_round: PatrolRound,
    note: str = "",
    at: datetime.datetime | None = None,
) -> PatrolRound:
    moment = at or timezone.now()
    locked = (
        PatrolRound.objects.select_for_update().select_related("center").get(pk=patrol_round.pk)
    )
    _check_patroller(actor, locked.center)
    _check_round_open(actor, locked)
    errors = FieldErrors()
    text = errors.text("note", note, max_length=NOTE_MAX)
    errors.raise_if_any()
    locked.finished_at = moment
    if text:
        locked.note = text
    locked.save(update_fields=["finished_at", "note"])
    record_event(
        actor=actor,
        action=SupervisionEvent.PATROL_ROUND_FINISH,
        obj=locked,
        center_id=locked.center_id,
        data={"visits": locked.visits.count()},
    )
    return locked
