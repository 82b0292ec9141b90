"""The case-event rules (SPEC §9, issue 14 item 2): a second one-time notice, an overridden
outcome or rule, a return or denial without a reason, a fee above its standard, acceptance without
a main material.

Entry point:
def scan_case_rules(*, now=None, full=False) -> ScanResult

Each rule is one SQL condition; the work in Python grows with what is raised, never with the
number of cases (a constant number of queries per rule).

- `case_override` reads the event log: an intake whose receive event chose another outcome than
  the proposed one ("proposed" ≠ "chosen" in its data), or management's override of the
  one-time rule (`case.override_notice`). The clerk (the event's actor) answers for it. Events are
  append-only, so the alert never stops holding (only a rule switched off withdraws it).
- `case_second_notice`: a case with two one-time notices or more (`supplement_notices`, or its
  one-time `Notice` rows). The one-time notice must list everything at once: whoever issued the
  first, incomplete notice answers for it (not the manager who had to override), else the clerk
  who received the case.
- `case_no_reason`, `case_fee`, `case_main_material` are safety nets the services refuse today
  (imported or directly edited rows): a returned or denied case with an empty reason (who
  returned or denied it answers); a fee above its standard × quantity (who charged it answers);
  an accepted case with a main material neither received nor pending (who accepted it answers).
  A fee is compared with the standard in force when it was charged (the `case.record_fee`
  event keeps it), else — an imported fee without its event — with the catalog's standard now:
  lowering a standard later never turns a lawful past fee into a violation. The main material
  is the case's own list as checked at intake (`CaseMaterial.is_main`), not today's catalog.
  When the record is corrected (a reason filled in, the material received, the fee lowered or
  removed), the alert is withdrawn as "corrected".

Incremental: the scan's state row ("case_events") keeps when the last scan started. A scan on
the same day as the last one looks only at cases with an event since then (less an overlap for
transactions that committed late, `GOVHALL_SUPERVISION_EVENT_OVERLAP_SECONDS`): every service
writes one. The first scan of a day, a scan after one of these rules changed, and `full=True`
look at every case, which also catches rows edited directly (no event). Idempotent and safe
with two scans at once: the state row is taken FOR UPDATE and the database keeps one live alert
per rule and subject ("case:<id>", "fee:<id>").
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, Concat, Trim
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.case_transitions import AWAITING_DELIVERY, UNDECIDED_STATUSES
from govhall.cases.events import CaseEvent
from govhall.cases.models import Case, CaseFee, CaseMaterial, Notice
from govhall.cases.services.intake import Outcome
from govhall.cases.statuses import CaseStatus, NoticeKind
from govhall.core.models import Event
from govhall.supervision.models import (
    Alert,
    AlertQuerySet,
    AlertRule,
    AlertSubject,
    WithdrawalReason,
)
from govhall.supervision.services.raising import (
    AlertDraft,
    raise_alerts,
    withdraw_alerts,
    withdraw_switched_off,
)
from govhall.supervision.services.scanning import (
    ScanResult,
    changed_ids,
    locked_state,
    mark_scanned,
    may_go_incremental,
)

SCAN_NAME = "case_events"
SUBJECTS = (
    AlertSubject.CASE_SECOND_NOTICE,
    AlertSubject.CASE_OVERRIDE,
    AlertSubject.CASE_NO_REASON,
    AlertSubject.CASE_FEE_ABOVE_STANDARD,
    AlertSubject.CASE_MAIN_MATERIAL,
)
CASE_TYPE = Case._meta.label_lower
RETURNED_STATUSES = frozenset({CaseStatus.NOT_ACCEPTED, CaseStatus.PREREVIEW_RETURNED})
# At or past acceptance (a withdrawn or voided case only when it had been accepted).
ACCEPTED_STATUSES = (
    UNDECIDED_STATUSES | AWAITING_DELIVERY | {CaseStatus.DELIVERED, CaseStatus.ESCALATION_CLOSED}
)
LEFT_STATUSES = frozenset({CaseStatus.WITHDRAWN, CaseStatus.VOIDED})
MONEY: DecimalField[Any, Any] = DecimalField(max_digits=14, decimal_places=2)

QS = TypeVar("QS", bound=QuerySet[Any])

# Rows handed from a rule's query to its drafts: (case pk, center, department, window, number,
# responsible, when it happened, subject key, detail).
Row = tuple[int, int, int | None, int | None, str, int | None, datetime.datetime | None, str, str]


@dataclass(frozen=True)
class _Scope:
    """What a scan looks at: every case (`changed` None) or those with an event since."""

    changed: QuerySet[Any] | None
    since: datetime.datetime | None

    def cases(self, qs: QS, field: str = "pk") -> QS:
        return qs if self.changed is None else qs.filter(Q((f"{field}__in", self.changed)))


def _case_events(actions: Iterable[str]) -> QuerySet[Event]:
    """The events of the outer query's case with one of `actions`, newest first."""
    return Event.objects.filter(
        object_type=CASE_TYPE,
        object_id=Cast(OuterRef("pk"), CharField()),
        action__in=[str(action) for action in actions],
    ).order_by("-at", "-id")


def _actor_of(actions: Iterable[str]) -> Subquery:
    return Subquery(_case_events(actions).values("actor_id")[:1])


CASE_FIELDS = ("pk", "center_id", "department_id", "window_id", "number")


# --- the rules: what holds, as (holding cases or fees, rows for the missing ones) ------------


def _second_notice(scope: _Scope) -> QuerySet[Case]:
    twice = (
        Notice.objects.filter(kind=NoticeKind.ONE_TIME)
        .order_by()
        .values("case_id")
        .annotate(n=Count("id"))
        .filter(n__gte=2)
        .values("case_id")
    )
    return scope.cases(Case.objects.filter(Q(supplement_notices__gte=2) | Q(pk__in=twice)))


def _second_notice_rows(holding: QuerySet[Case]) -> list[Row]:
    notices = Notice.objects.filter(case_id=OuterRef("pk"), kind=NoticeKind.ONE_TIME).order_by(
        "issued_at", "id"
    )
    counted = Notice.objects.filter(case_id=OuterRef("pk"), kind=NoticeKind.ONE_TIME)
    rows = holding.annotate(
        first_by=Subquery(notices.values("issued_by_id")[:1]),
        second_at=Subquery(notices.values("issued_at")[1:2]),
        issued=Subquery(
            counted.order_by().values("case_id").annotate(n=Count("id")).values("n")[:1]
        ),
    ).values_list(
        *CASE_FIELDS, "first_by", "received_by_id", "second_at", "supplement_notices", "issued"
    )
    out: list[Row] = []
    for pk, center, department, window, number, first_by, received_by, at, counter, issued in rows:
        count = max(counter or 0, issued or 0)
        detail = _(
            "Case %(number)s: %(count)s one-time notices issued; the one-time notice must list "
            "everything missing at once."
        ) % {"number": number, "count": count}
        out.append(
            (
                pk,
                center,
                department,
                window,
                number,
                first_by or received_by,
                at,
                f"case:{pk}",
                detail,
            )
        )
    return out


def _override_events(scope: _Scope) -> QuerySet[Any]:
    events = Event.objects.filter(
        object_type=CASE_TYPE, action__in=[CaseEvent.RECEIVE, CaseEvent.OVERRIDE_NOTICE]
    )
    if scope.since is not None:
        events = events.filter(at__gte=scope.since)
    return events.annotate(
        proposed=KT("data__proposed"),
        chosen=KT("data__chosen"),
        case_pk=Cast("object_id", BigIntegerField()),
    ).filter(
        Q(action=CaseEvent.OVERRIDE_NOTICE)
        | (Q(action=CaseEvent.RECEIVE) & ~Q(proposed=F("chosen")))
    )


def _label(value: str | None) -> str:
    return str(Outcome(value).label) if value in Outcome.values else str(value or "")


def _alerted_case_ids(rule: AlertRule) -> QuerySet[Any]:
    """The cases with a live alert of the rule, as event object ids (text, indexed)."""
    return (
        Alert.objects.live()
        .filter(rule=rule, case__isnull=False)
        .annotate(object_id=Cast("case_id", CharField()))
        .values("object_id")
    )


def _override_rows(rule: AlertRule, scope: _Scope) -> list[Row]:
    events = list(
        _override_events(scope)
        .exclude(object_id__in=_alerted_case_ids(rule))
        .order_by("at", "id")
        .values_list("case_pk", "actor_id", "at", "action", "note", "proposed", "chosen")
    )
    first: dict[int, tuple[Any, ...]] = {}
    for event in events:
        first.setdefault(event[0], event)
    cases = {
        row[0]: row for row in Case.objects.filter(pk__in=list(first)).values_list(*CASE_FIELDS)
    }
    out: list[Row] = []
    for pk, (_pk, actor, at, action, note, proposed, chosen) in first.items():
        if pk not in cases:
            continue
        _c, center, department, window, number = cases[pk]
        values = {"number": number, "reason": note, "proposed": _label(proposed)}
        values["chosen"] = _label(chosen)
        if action == CaseEvent.OVERRIDE_NOTICE:
            detail = (
                _(
                    "Case %(number)s: management overrode the one-time rule with a second notice: "
                    "%(reason)s"
                )
                % values
            )
        elif note:
            detail = (
                _(
                    "Case %(number)s: “%(chosen)s” was chosen at intake instead of the proposed "
                    "“%(proposed)s”: %(reason)s"
                )
                % values
            )
        else:
            detail = (
                _(
                    "Case %(number)s: “%(chosen)s” was chosen at intake instead of the proposed "
                    "“%(proposed)s”."
                )
                % values
            )
        out.append((pk, center, department, window, number, actor, at, f"case:{pk}", detail))
    return out


DENIAL_ACTIONS = (CaseEvent.DENY,)
RETURN_ACTIONS = (CaseEvent.RETURN, CaseEvent.PREREVIEW_RETURN)


def _no_reason(scope: _Scope) -> QuerySet[Case]:
    denied = (
        Event.objects.filter(object_type=CASE_TYPE, action=CaseEvent.DENY)
        .annotate(case_pk=Cast("object_id", BigIntegerField()))
        .values("case_pk")
    )
    return scope.cases(
        Case.objects.annotate(reason_text=Trim("reason")).filter(
            Q(reason_text="") | Q(reason_text__isnull=True),
            Q(status__in=[*RETURNED_STATUSES, CaseStatus.DENIED])
            | Q(status=CaseStatus.DELIVERED, pk__in=denied),
        )
    )


def _no_reason_rows(holding: QuerySet[Case]) -> list[Row]:
    rows = holding.annotate(
        by=_actor_of((*RETURN_ACTIONS, *DENIAL_ACTIONS)),
        when=Coalesce("decided_at", "completed_at"),
    ).values_list(*CASE_FIELDS, "by", "decided_by_id", "received_by_id", "when", "status")
    out: list[Row] = []
    for pk, center, department, window, number, by, decided_by, received_by, at, status in rows:
        if status in RETURNED_STATUSES:
            detail = _("Case %(number)s was returned without a reason.") % {"number": number}
        else:
            detail = _("Case %(number)s was denied without a reason.") % {"number": number}
        who = by or decided_by or received_by
        out.append((pk, center, department, window, number, who, at, f"case:{pk}", detail))
    return out


def _fee_key() -> Concat:
    return Concat(Value("fee:"), Cast("pk", CharField()), output_field=CharField())


def _fees(scope: _Scope) -> QuerySet[Any]:
    """Fees above the standard in force when charged (its event), else the catalog's now."""
    charged = (
        Event.objects.filter(
            object_type=CASE_TYPE,
            object_id=Cast(OuterRef("case_id"), CharField()),
            action=CaseEvent.RECORD_FEE,
        )
        .annotate(fee_pk=KT("data__fee"))
        .filter(fee_pk=Cast(OuterRef("pk"), CharField()))
    )
    fees = CaseFee.objects.annotate(
        standard=Coalesce(
            Cast(
                Subquery(
                    charged.annotate(then=KT("data__standard")).order_by("-id").values("then")[:1]
                ),
                MONEY,
            ),
            Cast("fee_item__standard_amount", MONEY),
        ),
        ceiling=F("standard") * F("quantity"),
        key=_fee_key(),
    ).filter(amount__gt=F("ceiling"))
    return scope.cases(fees, "case_id")


def _fee_rows(holding: QuerySet[Any]) -> list[Row]:
    rows = holding.values_list(
        "case_id",
        "case__center_id",
        "case__department_id",
        "case__window_id",
        "case__number",
        "recorded_by_id",
        "recorded_at",
        "key",
        "fee_item__name",
        "amount",
        "standard",
        "quantity",
    )
    out: list[Row] = []
    for case, center, department, window, number, by, at, key, name, amount, standard, qty in rows:
        standard = Decimal(standard)
        detail = _(
            "Case %(number)s: fee “%(fee)s” of ¥%(amount)s is above the approved standard "
            "¥%(standard)s × %(quantity)s = ¥%(ceiling)s."
        ) % {
            "number": number,
            "fee": name,
            "amount": f"{amount:.2f}",
            "standard": f"{standard:.2f}",
            "quantity": qty,
            "ceiling": f"{standard * qty:.2f}",
        }
        out.append((case, center, department, window, number, by, at, key, detail))
    return out


def _missing_main() -> QuerySet[CaseMaterial]:
    return CaseMaterial.objects.filter(
        is_main=True, received=False, pending=False, not_applicable=False
    )


def _main_material(scope: _Scope) -> QuerySet[Case]:
    return scope.cases(
        Case.objects.filter(
            Q(status__in=ACCEPTED_STATUSES)
            | Q(status__in=LEFT_STATUSES, accepted_at__isnull=False),
            Exists(_missing_main().filter(case_id=OuterRef("pk"))),
        )
    )


def _main_material_rows(holding: QuerySet[Case]) -> list[Row]:
    rows = list(
        holding.annotate(by=_actor_of((CaseEvent.ACCEPT,))).values_list(
            *CASE_FIELDS, "by", "received_by_id", "accepted_at"
        )
    )
    names: dict[int, list[str]] = {}
    missing = _missing_main().filter(case_id__in=[row[0] for row in rows])
    for case_id, name in missing.order_by("case_id", "position", "id").values_list(
        "case_id", "name"
    ):
        names.setdefault(case_id, []).append(name)
    out: list[Row] = []
    for pk, center, department, window, number, by, received_by, at in rows:
        detail = _(
            "Case %(number)s was accepted without the main materials %(names)s (neither "
            "received nor pending)."
        ) % {"number": number, "names": "、".join(names.get(pk, []))}
        out.append(
            (pk, center, department, window, number, by or received_by, at, f"case:{pk}", detail)
        )
    return out


# --- raising and withdrawing ------------------------------------------------------------------


def _drafts(rows: list[Row], today: datetime.date) -> list[AlertDraft]:
    return [
        AlertDraft(
            subject_key=key,
            center_id=center,
            occurred_on=timezone.localdate(at) if at is not None else today,
            detail=detail,
            case_id=pk,
            department_id=department,
            window_id=window,
            responsible_id=responsible,
        )
        for pk, center, department, window, _number, responsible, at, key, detail in rows
    ]


@dataclass(frozen=True)
class _CaseRule:
    """A rule over cases (subject "case:<id>"): the cases it holds for, and their rows."""

    holding: Callable[[_Scope], QuerySet[Case]]
    rows: Callable[[QuerySet[Case]], list[Row]]


CASE_RULES: dict[str, _CaseRule] = {
    AlertSubject.CASE_SECOND_NOTICE: _CaseRule(_second_notice, _second_notice_rows),
    AlertSubject.CASE_NO_REASON: _CaseRule(_no_reason, _no_reason_rows),
    AlertSubject.CASE_MAIN_MATERIAL: _CaseRule(_main_material, _main_material_rows),
}


def _live(rule: AlertRule, scope: _Scope) -> AlertQuerySet:
    return scope.cases(Alert.objects.live().filter(rule=rule), "case_id")


def _corrected(rule: AlertRule, gone: AlertQuerySet, moment: datetime.datetime) -> int:
    return withdraw_alerts(rule, gone, reason=WithdrawalReason.CORRECTED, moment=moment)


def _scan_rule(
    rule: AlertRule, scope: _Scope, moment: datetime.datetime, batch: str
) -> tuple[int, int]:
    """(raised, withdrawn) by one rule."""
    if not rule.is_active:
        return 0, withdraw_switched_off(rule, moment=moment)
    today = timezone.localdate(moment)
    taken = Alert.objects.live().filter(rule=rule)
    if rule.subject == AlertSubject.CASE_OVERRIDE:
        # Events are append-only: an override, once made, always holds.
        rows = _override_rows(rule, scope)
        return raise_alerts(rule, _drafts(rows, today), moment=moment, batch=batch), 0
    if rule.subject == AlertSubject.CASE_FEE_ABOVE_STANDARD:
        fees = _fees(scope)
        withdrawn = _corrected(
            rule,
            _live(rule, scope).exclude(subject_key__in=fees.values("key")),
            moment,
        )
        rows = _fee_rows(fees.exclude(Q(key__in=taken.values("subject_key"))))
        return raise_alerts(rule, _drafts(rows, today), moment=moment, batch=batch), withdrawn
    case_rule = CASE_RULES[rule.subject]
    holding = case_rule.holding(scope)
    withdrawn = _corrected(
        rule, _live(rule, scope).exclude(case_id__in=holding.values("pk")), moment
    )
    rows = case_rule.rows(
        holding.exclude(pk__in=taken.filter(case__isnull=False).values("case_id"))
    )
    return raise_alerts(rule, _drafts(rows, today), moment=moment, batch=batch), withdrawn


def scan_case_rules(*, now: datetime.datetime | None = None, full: bool = False) -> ScanResult:
    """Raise the missing alerts of the case-event rules and withdraw those no longer holding."""
    started = timezone.now()  # the wall clock: what "an event since" compares with
    moment = now or started
    today = timezone.localdate(moment)
    with locked_state(SCAN_NAME) as state:
        rules = list(AlertRule.objects.filter(subject__in=SUBJECTS).order_by("id"))
        last = state.last_scan_at
        incremental = may_go_incremental(state, full=full, today=today, rules=rules, same_day=True)
        scope = _Scope(None, None)
        if incremental:
            assert last is not None
            overlap = datetime.timedelta(seconds=settings.GOVHALL_SUPERVISION_EVENT_OVERLAP_SECONDS)
            since = last - overlap
            scope = _Scope(changed_ids(Case, since), since)
        batch = uuid.uuid4().hex
        raised = withdrawn = 0
        for rule in rules:
            up, down = _scan_rule(rule, scope, moment, batch)
            raised += up
            withdrawn += down
        mark_scanned(state, started=started, today=today)
    return ScanResult(day=today, full=not incremental, raised=raised, withdrawn=withdrawn)
