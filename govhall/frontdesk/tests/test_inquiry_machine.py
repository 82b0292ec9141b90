"""The inquiry state machine (frontdesk/inquiry_transitions.py) walked through every reachable
state, actor and action: the buttons `inquiry_actions` offers are exactly what the services
accept, a refused step changes nothing and every accepted one follows a row of the table."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from govhall.frontdesk.inquiry_transitions import INQUIRY_TRANSITIONS, InquiryAction
from govhall.frontdesk.models import Inquiry, InquiryStatus
from govhall.frontdesk.services.inquiries import (
    inquiry_acknowledge,
    inquiry_actions,
    inquiry_finish,
    inquiry_log,
)

pytestmark = pytest.mark.django_db


def snapshot(pk: int) -> dict[str, Any]:
    return Inquiry.objects.filter(pk=pk).values().get()


def act(action: str, user: Any, inquiry: Inquiry, at: datetime.datetime) -> None:
    if action == InquiryAction.ACKNOWLEDGE:
        inquiry_acknowledge(actor=user, inquiry=inquiry, at=at)
    else:
        inquiry_finish(actor=user, inquiry=inquiry, result="已办理", at=at)


def test_offered_actions_are_what_the_services_accept(
    guide, clerk, clerk_two, director, county, other_department
):
    now = timezone.now() + datetime.timedelta(minutes=1)  # after the contacts logged below
    actors = {"guide": guide, "clerk": clerk, "clerk_two": clerk_two, "director": director}

    def transferred() -> Inquiry:
        return inquiry_log(
            actor=guide,
            center=county,
            channel="phone",
            matter="不动产登记咨询",
            outcome="transferred",
            answer="",
            transferred_department=other_department,
            transferred_contact="王五",
        )

    def answered() -> Inquiry:
        return inquiry_log(
            actor=guide,
            center=county,
            channel="visit",
            matter="营业执照怎么办",
            outcome="answered",
            answer="带身份证到1号窗口",
        )

    def taken_on() -> Inquiry:
        inquiry = transferred()
        return inquiry_acknowledge(actor=clerk_two, inquiry=inquiry, at=now)

    def finished() -> Inquiry:
        inquiry = transferred()
        return inquiry_finish(actor=clerk_two, inquiry=inquiry, result="已答复", at=now)

    situations = {
        "open": transferred,
        "taken_on": taken_on,
        "done": finished,
        "answered": answered,
    }
    accepted_somewhere: set[tuple[str, str]] = set()
    for situation, make in situations.items():
        for who, user in actors.items():
            for action in InquiryAction.values:
                with transaction.atomic():
                    inquiry = make()
                    later = now + datetime.timedelta(minutes=5)
                    offered = {row.action for row in inquiry_actions(user, inquiry)}
                    before = snapshot(inquiry.pk)
                    try:
                        with transaction.atomic():
                            act(action, user, inquiry, later)
                    except ValidationError as refusal:
                        assert action not in offered, (situation, who, action, refusal.messages)
                        assert snapshot(inquiry.pk) == before
                    else:
                        assert action in offered, (situation, who, action)
                        row = INQUIRY_TRANSITIONS.row(before["status"], action)
                        assert row is not None
                        assert snapshot(inquiry.pk)["status"] == row.next_state
                        accepted_somewhere.add((situation, who))
                    transaction.set_rollback(True)
    # The walk reached both sides: the receivers act, the first responder and others do not.
    assert ("open", "clerk_two") in accepted_somewhere
    assert ("open", "director") in accepted_somewhere
    assert not {pair for pair in accepted_somewhere if pair[1] in ("guide", "clerk")}
    assert not {pair for pair in accepted_somewhere if pair[0] in ("done", "answered")}


def test_the_table_names_every_status_and_action():
    assert {row.action for row in INQUIRY_TRANSITIONS} == set(InquiryAction.values)
    assert not INQUIRY_TRANSITIONS.rows_from(InquiryStatus.DONE)
