"""`govhall api_token create|list|revoke`: bearer tokens for department systems.

    govhall api_token create --user dept_system --name "市场监管审批系统"
    govhall api_token list [--user U]
    govhall api_token revoke ID

`create` prints the key once on the first line of output (scripts can read it); it is never
shown again, only its prefix. The token acts as the user: give that user the roles and the
workplace (center, department) the system needs. Bad input exits with status 2.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.models import ApiToken, User
from govhall.core.tokens import api_token_create, api_token_revoke

USAGE_ERROR = 2


def _when(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "-"


class Command(BaseCommand):
    help = (
        "Manage API tokens of department systems: create (prints the key once), list, revoke. "
        "A token acts as its user with that user's roles and scope."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print its key once")
        create.add_argument("--user", required=True, help="username the token acts as")
        create.add_argument("--name", required=True, help="which system uses the token")
        listing = actions.add_parser("list", help="list tokens (prefix, user, name, last use)")
        listing.add_argument("--user", help="only this user's tokens")
        revoke = actions.add_parser("revoke", help="revoke a token by its id or prefix")
        revoke.add_argument("token", help="token id (from list) or its prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self.create(options["user"], options["name"])
        elif action == "list":
            self.list(options.get("user"))
        else:
            self.revoke(options["token"])

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(
                _("--user: there is no user %(user)s.") % {"user": username},
                returncode=USAGE_ERROR,
            )
        return user

    def create(self, username: str, name: str) -> None:
        user = self._user(username)
        try:
            token, key = api_token_create(actor=None, user=user, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=USAGE_ERROR) from None
        self.stdout.write(key)
        self.stderr.write(
            _(
                "Token %(id)d (%(prefix)s…) acts as %(user)s. Keep the key above now: it is not "
                "stored and cannot be shown again."
            )
            % {"id": token.pk, "prefix": token.prefix, "user": user.username}
        )

    def list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user").order_by("id")
        if username:
            tokens = tokens.filter(user=self._user(username))
        self.stdout.write(
            "\t".join(["id", "prefix", "user", "name", "created", "last_used", "state"])
        )
        for token in tokens:
            state = _("revoked") if token.revoked_at else _("active")
            self.stdout.write(
                "\t".join(
                    [
                        str(token.pk),
                        token.prefix,
                        token.user.username,
                        token.name,
                        _when(token.created_at),
                        _when(token.last_used_at),
                        str(state),
                    ]
                )
            )

    def revoke(self, ref: str) -> None:
        tokens = list(ApiToken.objects.filter(pk=int(ref))) if ref.isdigit() else []
        if not tokens:
            tokens = list(ApiToken.objects.filter(prefix=ref)[:2])
        if len(tokens) != 1:
            raise CommandError(
                _("There is no single token %(ref)s; see govhall api_token list.") % {"ref": ref},
                returncode=USAGE_ERROR,
            )
        try:
            token = api_token_revoke(actor=None, token=tokens[0])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages), returncode=USAGE_ERROR) from None
        self.stdout.write(
            _("Token %(id)d (%(prefix)s…) revoked.") % {"id": token.pk, "prefix": token.prefix}
        )
