"""The 12345 hotline's own account: made (or moved) only by `hotline_account_set` or
`govhall hotline_account`, never with a role, and its token then posts orders."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from govhall.core.models import Event, User
from govhall.feedback.access.work_orders import hotline_home, is_hotline_account
from govhall.feedback.services.hotline_account import hotline_account_set
from govhall.org.models import Staff

pytestmark = pytest.mark.django_db


def test_made_once_without_role_or_password_then_moved(director, county, town):
    account = hotline_account_set(actor=director, center=county)
    assert is_hotline_account(account) and not account.has_usable_password()
    assert hotline_home(account) == county
    assert hotline_account_set(actor=director, center=county) == account  # nothing new
    assert Event.objects.filter(action="hotline_account.set").count() == 1
    hotline_account_set(actor=director, center=town)
    assert Staff.objects.get(user=account).center == town
    assert Event.objects.filter(action="hotline_account.set").count() == 2


def test_refused_to_non_managers_and_to_a_name_that_holds_roles(
    clerk, outsider, county, director, settings
):
    for actor in (clerk, outsider):
        with pytest.raises(ValidationError):
            hotline_account_set(actor=actor, center=county)
    assert not User.objects.filter(username="hotline12345").exists()
    settings.GOVHALL_HOTLINE_USERNAME = director.username
    with pytest.raises(ValidationError):
        hotline_account_set(actor=None, center=county)
    assert not Event.objects.filter(action="hotline_account.set").exists()


def test_command(county, capsys):
    call_command("hotline_account", "--center", county.code)
    assert "hotline12345" in capsys.readouterr().out
    assert hotline_home(User.objects.get(username="hotline12345")) == county
    with pytest.raises(CommandError):
        call_command("hotline_account", "--center", "nowhere")
