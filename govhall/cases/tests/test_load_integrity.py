"""The load test's database check (bench/load/integrity.py, issue 20 items 6, 7): it must see a
case that was acknowledged but is missing, and an SMS written twice."""

from __future__ import annotations

from bench.load.integrity import check_integrity
from govhall.cases.models import Case
from govhall.core.models import OutboundMessage
from govhall.testing.cases import make_case


def test_integrity_check_finds_a_lost_case_and_a_doubled_sms(case_item) -> None:
    case = make_case(case_item, None, idempotency_key="load-k1")
    clean = check_integrity(keys_sent=["load-k1", "load-k3"], keys_acked={"load-k1": case.number})
    assert clean.problems == [], clean.lines

    for _ in range(2):
        OutboundMessage.objects.create(
            channel="sms",
            to="13800000000",
            text="同一条",
            purpose="p",
            object_type="case",
            object_id=str(case.pk),
            backend="outbox",
        )
    found = check_integrity(
        keys_acked={"load-k1": case.number, "load-k2": "X"}, tickets_acked=["nope"]
    )
    assert Case.objects.count() == 1
    assert any("lost 1" in line for line in found.problems)
    assert any("tickets" in line and "lost 1" in line for line in found.problems)
    assert any("SMS" in line and "twice: 1" in line for line in found.problems)
