"""`govhall hotline_account --center CODE`: make the 12345 hotline platform's account receive the
work orders of a center (created the first time, moved later).

    govhall hotline_account --center 330100
    govhall api_token create --user hotline12345 --name "12345热线平台"

The account (`GOVHALL_HOTLINE_USERNAME`) has no role and no password: its token posts orders and
records return visits of that center's subtree, nothing else. Bad input exits with status 2.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from govhall.feedback.services.hotline_account import hotline_account_set
from govhall.org.models import Center

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Set up the 12345 hotline platform's account at a center (no role, token only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--center", required=True, help="code of the receiving center")

    def handle(self, *args: Any, **options: Any) -> None:
        center = Center.objects.filter(code=options["center"]).first()
        if center is None:
            raise CommandError(
                _("--center: there is no center %(code)s.") % {"code": options["center"]},
                returncode=USAGE_ERROR,
            )
        try:
            user = hotline_account_set(actor=None, center=center)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=USAGE_ERROR) from None
        self.stdout.write(
            _("The hotline account %(user)s receives the orders of %(center)s.")
            % {"user": user.username, "center": center.name}
        )
        self.stdout.write(
            _('Give it a token: govhall api_token create --user %(user)s --name "12345"')
            % {"user": user.username}
        )
