"""API tokens for department systems (bearer auth on the JSON API).

A token acts as its `user` (a service account holding the roles and workplace the system needs),
so everything it does is scoped exactly like that user's session. The plain key is shown once,
when the token is created; only its SHA-256 hash is stored, so a database leak does not leak
working keys. `authenticate` records the last use at most once a minute, so a busy system does
not write a row on every request.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import CoreEvent, record_event
from govhall.core.models import ApiToken, User
from govhall.core.validation import Conflict

KEY_PREFIX = "gh_"
PREFIX_LENGTH = 10  # what lists show to tell tokens apart: "gh_" + 7 characters
NAME_MAX_LENGTH = 100
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _may_manage_tokens(actor: User | None) -> bool:
    # None: the operator's console (`govhall api_token`), which already has the database.
    return actor is None or bool(actor.is_superuser)


@transaction.atomic
def api_token_create(*, actor: User | None, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token acting as `user`; returns the row and the plain key (shown only now)."""
    name = (name or "").strip()
    if not _may_manage_tokens(actor):
        raise ValidationError(_("Only a system administrator may create API tokens."))
    if not name:
        raise ValidationError(_("Give the token a name (the system that will use it)."))
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError(
            _("A token name has at most %(n)d characters.") % {"n": NAME_MAX_LENGTH}
        )
    if not user.is_active:
        raise ValidationError(_("The user %(user)s is not active.") % {"user": user.username})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key)
    )
    record_event(
        actor=actor,
        action=CoreEvent.API_TOKEN_CREATE,
        obj=token,
        data={"user": user.username, "name": name, "prefix": token.prefix},
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User | None, token: ApiToken) -> ApiToken:
    """Revoke a token for good; requests with its key get 401 from now on."""
    if not _may_manage_tokens(actor):
        raise ValidationError(_("Only a system administrator may revoke API tokens."))
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.revoked_at is not None:
        raise Conflict(_("This token is already revoked."))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    record_event(
        actor=actor,
        action=CoreEvent.API_TOKEN_REVOKE,
        obj=locked,
        data={"user_id": locked.user_id, "name": locked.name, "prefix": locked.prefix},
    )
    return locked


def authenticate(key: str) -> User | None:
    """The active user a valid, unrevoked key acts as, or None."""
    key = (key or "").strip()
    if not key.startswith(KEY_PREFIX) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        # A filtered UPDATE: concurrent requests write at most once per minute between them.
        ApiToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return token.user
