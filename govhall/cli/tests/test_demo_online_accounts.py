"""Demo accounts of the online hall (issue 19 item 1): a citizen linked to a demo applicant, an
enterprise with that citizen as agent, both signing in with the documented password."""

from __future__ import annotations

import pytest

from govhall.cases.models import Applicant
from govhall.cli.demo.online_accounts import (
    CITIZEN_PHONE,
    ONLINE_DEMO_PASSWORD,
    load_demo_online_accounts,
)
from govhall.core.idnumbers import uscc_check_character
from govhall.online.queries.accounts import agent_enterprises
from govhall.online.services.accounts import account_applicant, account_login_password
from govhall.testing.online import person_id

pytestmark = pytest.mark.django_db


def test_demo_accounts_sign_in_are_linked_and_load_once() -> None:
    assert load_demo_online_accounts() == 0  # no demo applicants yet: nothing
    citizen = Applicant.objects.create(
        kind="person", name="高桂英", id_number=person_id(801), phone="13711112222"
    )
    first17 = "91330100MA2837K7X"
    Applicant.objects.create(
        kind="enterprise",
        name="示例县明德商贸有限公司",
        id_number=first17 + uscc_check_character(first17),
        phone="13711113333",
        legal_representative="罗军",
    )
    assert load_demo_online_accounts() == 2
    session, _key = account_login_password(
        login=CITIZEN_PHONE, password=ONLINE_DEMO_PASSWORD, client="127.0.0.1"
    )
    assert account_applicant(session.account) == citizen
    assert [e.name for e in agent_enterprises(session.account)] == ["示例县明德商贸有限公司"]
    assert load_demo_online_accounts() == 0
