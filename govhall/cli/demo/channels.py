"""Demo cases from the 12345 hotline and assigned by a higher level (上级交办), issue 18 item 1:
received at the county's window 3 like the other demo cases (govhall/cli/demo/cases.py, whose
loader steps they reuse), some decided, some still open, so the figures page has all four
channels. Idempotent (each case has its own idempotency key); nothing without the demo hall."""

from __future__ import annotations

from dataclasses import dataclass

from govhall.cases.models import Case
from govhall.cases.services.intake import MaterialCheck, Outcome, case_receive
from govhall.cases.statuses import Channel
from govhall.catalog.models import ServiceItem
from govhall.cli.demo.cases import FOOD, Act, _Loader, _moment, enterprise
from govhall.cli.demo.departments import COUNTY_CODE
from govhall.core.models import User
from govhall.core.roles import roles_of
from govhall.org.models import Center, Window


@dataclass(frozen=True)
class ChannelCase:
    key: str
    channel: str
    day: int  # received this many working days before today
    serial: int  # the applicant enterprise
    acts: tuple[Act, ...] = ()


WINDOW = 3
# Their own key prefix: the demo's case list (`cases.KEY_PREFIX`) stays the issue-9 cases.
KEY = "demo-channel:"
CHANNEL_CASES = (
    ChannelCase(
        "hotline-approved",
        Channel.HOTLINE,
        6,
        61,
        (Act("review", 5, note="12345转办，材料齐全，拟同意。"), Act("approve", 4, by="approver")),
    ),
    ChannelCase("hotline-open", Channel.HOTLINE, 2, 62),
    ChannelCase("hotline-today", Channel.HOTLINE, 0, 63),
    ChannelCase(
        "assigned-approved",
        Channel.ASSIGNED,
        12,
        64,
        (Act("review", 10, note="上级交办，现场核查符合要求。"), Act("approve", 9, by="approver")),
    ),
    ChannelCase("assigned-open", Channel.ASSIGNED, 1, 65),
)


def load_demo_channels() -> int:
    """Add the hotline and assigned demo cases not there yet; returns how many were added."""
    county = Center.objects.filter(code=COUNTY_CODE).first()
    clerk = User.objects.filter(username="clerk").first()
    if county is None or clerk is None or not roles_of(clerk):
        return 0
    item = ServiceItem.objects.filter(center=county, name=FOOD).first()
    window = Window.objects.filter(center=county, number=WINDOW).first()
    if item is None or window is None:
        return 0
    loader = _Loader(county)
    receiver = loader.clerk_of(county, WINDOW)
    added = 0
    for index, spec in enumerate(CHANNEL_CASES):
        key = f"{KEY}{spec.key}"
        if Case.objects.filter(idempotency_key=key).exists():
            continue
        at = loader.at(county, spec.day, 20 + index * 23, None)
        checks = [MaterialCheck(material_id=m.pk, received=True) for m in item.materials.all()]
        with _moment(at):
            case = case_receive(
                actor=loader.user(receiver),
                item=item,
                window=window,
                applicant=enterprise(spec.serial),
                materials=checks,
                outcome=Outcome.PROMISED,
                idempotency_key=key,
                at=at,
                channel=spec.channel,
            )
        for act in spec.acts:
            at = loader.at(county, act.day, 60 + index * 13, at)
            with _moment(at):
                case = loader.act(case, act, county, receiver, at)
        added += 1
    return added


__all__ = ["CHANNEL_CASES", "load_demo_channels"]
