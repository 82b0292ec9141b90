"""The demo supervision: the hall shows supervision at work as soon as it is loaded.

- One morning patrol round by the `supervisor` login over the county's windows 1 and 2 on the
  last working day whose morning has begun; window 1 fails the tidiness point, which raises an
  alert on each person who served it then (the `clerk` login among them).
- Every supervision scan runs once (`run_scans`) as of the load, so the board, the inbox and the
  patrol-missing alerts are there without waiting for the beat.
- The `clerk` explains the patrol alert (情况说明), which then waits for a decision.
- The current month's score sheets are filled from the alerts that count, so the director sees
  scores, grades and tiers.

Made through the services (`patrol_round_start`, `patrol_visit_record`, `run_scans`,
`alert_explain`, `score_sheets_fill`), never by writing rows. Loading is idempotent: nothing is
added when the county already has a patrol round; the scans and the fill are idempotent anyway.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from govhall.assessment.services.fill import score_sheets_fill
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.core.models import User
from govhall.org.models import Center, Window
from govhall.supervision.models import Alert, PatrolCheck, PatrolRound, PatrolSession
from govhall.supervision.services.alerts import alert_explain
from govhall.supervision.services.patrols import (
    FINDING_RULE,
    FindingDraft,
    patrol_round_finish,
    patrol_round_start,
    patrol_visit_record,
)
from govhall.supervision.services.scans import run_scans
from govhall.workdays.queries.calendar import calendar_for

INSPECTOR = "supervisor"
EXPLAINER = "clerk"
PATROLLED_WINDOWS = (1, 2)
ROUND_STARTS = datetime.time(9, 10)
VISIT_MINUTES = 6
FINDING_NOTE = "窗口台面堆放已办结材料和私人物品，未按要求整理归档"
EXPLANATION = (
    "上午连续办理多件个体工商户设立登记，材料未及时归档；已当场整理，"
    "私人物品已放入储物柜，今后每办结一件即归档。"
)


@dataclass
class SupervisionResult:
    rounds: int = 0
    findings: int = 0
    alerts: int = 0  # raised by the scans at load time
    explained: int = 0
    sheets: int = 0


def round_start_moment(county: Center, now: datetime.datetime) -> datetime.datetime:
    """09:10 of the last working day of the county whose 09:10 is at least half an hour past."""
    calendar = calendar_for(county.pk)
    day = timezone.localdate(now)
    zone = timezone.get_current_timezone()
    for _attempt in range(60):
        if calendar.is_workday(day):
            moment = datetime.datetime.combine(day, ROUND_STARTS, tzinfo=zone)
            if moment + datetime.timedelta(minutes=30) <= now:
                return moment
        day -= datetime.timedelta(days=1)
    raise RuntimeError("no working day in the last 60 days")


def demo_supervision_loaded(county: Center) -> bool:
    return PatrolRound.objects.filter(center=county).exists()


def _patrol(county: Center, inspector: User, result: SupervisionResult) -> None:
    moment = round_start_moment(county, timezone.now())
    patrol_round = patrol_round_start(
        actor=inspector, center=county, session=PatrolSession.MORNING, at=moment
    )
    result.rounds += 1
    for index, number in enumerate(PATROLLED_WINDOWS, start=1):
        window = Window.objects.get(center=county, number=number)
        findings = (
            [FindingDraft(point=PatrolCheck.TIDINESS, note=FINDING_NOTE)] if index == 1 else []
        )
        patrol_visit_record(
            actor=inspector,
            patrol_round=patrol_round,
            window=window,
            findings=findings,
            at=moment + datetime.timedelta(minutes=VISIT_MINUTES * index),
        )
        result.findings += len(findings)
    patrol_round_finish(
        actor=inspector,
        patrol_round=patrol_round,
        note="窗口秩序总体良好，1号窗口台面不整洁已当场指出。",
        at=moment + datetime.timedelta(minutes=VISIT_MINUTES * (len(PATROLLED_WINDOWS) + 1)),
    )


def _explain(explainer: User, result: SupervisionResult) -> None:
    alert = (
        Alert.objects.filter(rule__code=FINDING_RULE, responsible=explainer).order_by("pk").first()
    )
    if alert is None:
        return
    # Explained an hour after the round (the patrol alert names the day of the round).
    at = alert.raised_at + datetime.timedelta(hours=1)
    alert_explain(
        actor=explainer,
        alert=alert,
        explanation=EXPLANATION,
        at=min(at, timezone.now()),
    )
    result.explained += 1


def load_demo_supervision() -> SupervisionResult:
    """Add the demo supervision unless the county already has a patrol round (nothing when the
    demo hall is missing)."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    result = SupervisionResult()
    if county is None or demo_supervision_loaded(county):
        return result
    inspector = User.objects.get(username=INSPECTOR)
    explainer = User.objects.get(username=EXPLAINER)
    notify_log = logging.getLogger("govhall.notify")
    level = notify_log.level
    notify_log.setLevel(max(level, logging.WARNING))
    try:
        with transaction.atomic():
            _patrol(county, inspector, result)
            result.alerts = sum(run_scans(now=timezone.now()).values())
            _explain(explainer, result)
            result.sheets = score_sheets_fill(month=timezone.localdate()).sheets_opened
    finally:
        notify_log.setLevel(level)
    return result


__all__ = ["SupervisionResult", "demo_supervision_loaded", "load_demo_supervision"]
