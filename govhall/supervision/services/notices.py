"""Issuing a notice of criticism or an efficiency warning (通报批评 / 效能告诫) on a person.

Entry point:
def criticism_notice_issue(*, actor, person_id, kind, alert_ids, facts, decision, now=None)

A notice rests on one or more live alerts the person answers for, all of one center the actor
manages (`manages_center`). It is numbered per center, kind and year —
"<center code>通报〔2026〕3号" — under a lock on the center's row, so two notices issued at
once never share a number (the unique number is the last guard: a clash is a 409, nothing
written).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.validation import Conflict, FieldErrors
from govhall.org.access.standing import manages_center
from govhall.org.models import Center
from govhall.supervision.access.board import can_issue_criticism_notices
from govhall.supervision.events import SupervisionEvent
from govhall.supervision.models import Alert, AlertStatus, CriticismNotice, NoticeKind

FACTS_MAX = 4000
DECISION_MAX = 2000
ALERTS_MAX = 50

# The word of each kind in the number (通报〔2026〕3号, 告诫〔2026〕1号).
NUMBER_WORD = {NoticeKind.CRITICISM: "通报", NoticeKind.WARNING: "告诫"}


def notice_number(center: Center, kind: str, year: int, serial: int) -> str:
    return f"{center.code}{NUMBER_WORD[NoticeKind(kind)]}〔{year}〕{serial}号"


def _next_number(center: Center, kind: str, year: int) -> str:
    """Call with the center's row locked: the serial after the year's notices of this kind."""
    issued = CriticismNotice.objects.filter(
        center=center,
        kind=kind,
        issued_at__gte=_year_start(year),
        issued_at__lt=_year_start(year + 1),
    ).count()
    serial = issued + 1
    while CriticismNotice.objects.filter(number=notice_number(center, kind, year, serial)).exists():
        serial += 1
    return notice_number(center, kind, year, serial)


def _year_start(year: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, 1, 1), timezone.get_current_timezone())


def _ids(errors: FieldErrors, values: Iterable[object] | None) -> list[int]:
    ids: list[int] = []
    for value in values or ():
        text = str(value).strip()
        if not text.isdigit() or len(text) > 18:
            errors.add("alerts", _("Choose alerts from the list."))
            return []
        if int(text) not in ids:
            ids.append(int(text))
    if not ids:
        errors.add("alerts", _("Choose at least one alert the notice rests on."))
    elif len(ids) > ALERTS_MAX:
        errors.add("alerts", _("Choose at most %(n)d alerts.") % {"n": ALERTS_MAX})
    return ids


@transaction.atomic
def criticism_notice_issue(
    *,
    actor: User,
    person_id: object,
    kind: object,
    alert_ids: Iterable[object] | None,
    facts: object,
    decision: object,
    now: datetime.datetime | None = None,
) -> CriticismNotice:
    """Issue a notice on `person_id` resting on `alert_ids` (alerts they answer for). 404 for
    anyone who does not manage a hall; every problem with the input is reported at once."""
    if not can_issue_criticism_notices(actor):
        raise Http404
    now = now or timezone.now()
    errors = FieldErrors()
    chosen_kind = errors.choice("kind", kind, NoticeKind.values)
    facts_text = errors.text(
        "facts", facts, max_length=FACTS_MAX, required=_("Write down the facts.")
    )
    decision_text = errors.text(
        "decision", decision, max_length=DECISION_MAX, required=_("Write down the decision.")
    )
    person: User | None = None
    raw_person = str(person_id or "").strip()
    if raw_person.isdigit() and len(raw_person) < 18:
        person = User.objects.filter(pk=int(raw_person)).first()
    if person is None:
        errors.add("person", _("Choose the person the notice is issued on."))
    ids = _ids(errors, alert_ids)
    alerts = list(Alert.objects.filter(pk__in=ids).select_related("center"))
    by_id = {alert.pk: alert for alert in alerts}
    centers = {alert.center_id for alert in alerts}
    if ids and (len(by_id) != len(ids) or not all(manages_center(actor, pk) for pk in centers)):
        # Missing and not ours read the same (nothing tells the two apart).
        errors.add("alerts", _("An alert was not found among those of the centers you manage."))
    elif ids:
        if len(centers) > 1:
            errors.add("alerts", _("All the alerts of a notice must be of one center."))
        if person is not None and any(alert.responsible_id != person.pk for alert in alerts):
            errors.add("alerts", _("Every alert must be one the person answers for."))
        if any(
            alert.withdrawn_at is not None or alert.status == AlertStatus.ACCEPTED
            for alert in alerts
        ):
            errors.add(
                "alerts",
                _(
                    "A withdrawn alert, or one whose explanation was accepted, cannot ground "
                    "a notice."
                ),
            )
    errors.raise_if_any()
    assert person is not None and chosen_kind is not None

    center = Center.objects.select_for_update().get(pk=alerts[0].center_id)
    year = timezone.localdate(now).year
    windows = {alert.window_id for alert in alerts if alert.window_id is not None}
    number = _next_number(center, chosen_kind, year)
    try:
        with transaction.atomic():
            notice = CriticismNotice.objects.create(
                center=center,
                number=number,
                kind=chosen_kind,
                person=person,
                window_id=windows.pop() if len(windows) == 1 else None,
                facts=facts_text,
                decision=decision_text,
                issued_by=actor,
                issued_at=now,
            )
    except IntegrityError:
        raise Conflict(
            {"number": [_("This number was just given to another notice; try again.")]}
        ) from None
    notice.alerts.set(alerts)
    record_event(
        actor=actor,
        action=SupervisionEvent.CRITICISM_NOTICE_ISSUE,
        obj=notice,
        center_id=center.pk,
        data={
            "number": number,
            "kind": chosen_kind,
            "person": person.pk,
            "alerts": sorted(by_id),
        },
    )
    phone = getattr(person, "phone", "") or ""
    if phone:
        text = _("%(center)s issued %(number)s on you; see it in the workbench.") % {
            "center": center.name,
            "number": number,
        }
        notice_pk, center_pk = notice.pk, center.pk

        def tell() -> None:
            send_sms(
                to=phone,
                text=text,
                purpose="supervision.criticism_notice",
                obj=CriticismNotice(pk=notice_pk),
                center_id=center_pk,
            )

        transaction.on_commit(tell)
    return notice
