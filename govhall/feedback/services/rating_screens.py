"""Rating screens (评价器, issue 15 item 1): a tablet facing the citizen at a window, paired to
that window, that offers the five levels when the clerk finishes a ticket or delivers a case.

- `rating_screen_create`: a hall manager of the window's center, or the head of that window
  (`access/rating_screens.py`), adds a screen to the window.
- `rating_screen_issue_code`: the same people issue a one-time pairing code, valid
  GOVHALL_RATING_SCREEN_PAIRING_MINUTES (a new code replaces the last one; the tablet paired
  before keeps working until a new tablet pairs or the screen is revoked).
- `rating_screen_pair`: the tablet sends the code (anonymous, rate limited per address); the
  code is used up, a random secret is made, its SHA-256 kept on the row, and the tablet gets
  "<screen id>:<secret>" to keep in a long-lived signed cookie. Pairing again replaces the
  secret: the earlier tablet sees the pairing page.
- `rating_screen_revoke`: the screen stops working at once (secret and code cleared).
- `rating_screen_rate`: the tablet's rating of the occasion the server finds for its window
  (`queries/rating_screens.screen_occasion`), through `rating_give` with the channel
  WINDOW_SCREEN; rate limited per screen.
- `rating_screen_seen`: the tablet's last contact, written at most once a minute (no event).
Managing a screen of a window one does not manage is Http404, like reading it.
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.ratelimit import HOUR, RateRule, rate_key, rate_limit
from govhall.core.validation import Conflict, FieldErrors
from govhall.feedback.access.rating_screens import can_manage_window_screens
from govhall.feedback.events import FeedbackEvent
from govhall.feedback.models import Rating, RatingChannel, RatingScreen
from govhall.feedback.queries.rating_screens import (
    device_token,
    screen_occasion,
    secret_digest,
)
from govhall.feedback.services.ratings import rating_give
from govhall.org.models import Window

LABEL_MAX_LENGTH = 60
REASON_MAX_LENGTH = 200
# Pairing codes: 8 characters without look-alikes (0/O, 1/I/L), typed on a tablet or scanned.
PAIRING_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
PAIRING_CODE_LENGTH = 8
# The tablet's last contact is written at most this often.
SEEN_EVERY = datetime.timedelta(seconds=60)


class RatingScreenConflict(Conflict):
    """The screen is revoked already, or the occasion on the screen changed (409)."""


@dataclass(frozen=True)
class Pairing:
    screen: RatingScreen
    token: str  # what the tablet keeps in its signed cookie


def _require_manager(actor: User | None, window: Window) -> None:
    if actor is not None and not can_manage_window_screens(actor, window):
        raise Http404


def normalize_code(code: str) -> str:
    return "".join(ch for ch in str(code or "").upper() if ch.isalnum())[:PAIRING_CODE_LENGTH]


@transaction.atomic
def rating_screen_create(*, actor: User, window: Window, label: str = "") -> RatingScreen:
    """Add a rating screen to `window` (not paired yet: issue a code next). The row names who
    added it, so the actor is a person (the demo loader passes a director)."""
    _require_manager(actor, window)
    errors = FieldErrors()
    label = errors.text("label", label, max_length=LABEL_MAX_LENGTH)
    if not window.is_active:
        errors.add("window", _("This window is closed; open it before adding a screen."))
    errors.raise_if_any()
    screen = RatingScreen.objects.create(window=window, label=label, created_by=actor)
    record_event(
        actor=actor,
        action=FeedbackEvent.RATING_SCREEN_CREATE,
        obj=screen,
        center_id=window.center_id,
        data={"window": window.pk, "label": label},
    )
    return screen


def _lock(screen: RatingScreen) -> RatingScreen:
    locked = (
        RatingScreen.objects.select_for_update()
        .select_related("window", "window__center")
        .filter(pk=screen.pk)
        .first()
    )
    if locked is None:
        raise Http404
    return locked


def _new_code() -> str:
    return "".join(secrets.choice(PAIRING_ALPHABET) for _i in range(PAIRING_CODE_LENGTH))


@transaction.atomic
def rating_screen_issue_code(
    *, actor: User | None, screen: RatingScreen, now: datetime.datetime | None = None
) -> RatingScreen:
    """A new one-time pairing code for `screen`, valid GOVHALL_RATING_SCREEN_PAIRING_MINUTES."""
    now = now or timezone.now()
    _require_manager(actor, screen.window)
    locked = _lock(screen)
    if locked.revoked_at is not None:
        raise RatingScreenConflict(_("This screen was revoked; add a new screen instead."))
    expires = now + datetime.timedelta(minutes=settings.GOVHALL_RATING_SCREEN_PAIRING_MINUTES)
    for _attempt in range(5):
        code = _new_code()
        try:
            with transaction.atomic():
                RatingScreen.objects.filter(pk=locked.pk).update(
                    pairing_code=code, pairing_expires_at=expires
                )
        except IntegrityError:  # the code of another screen (unique among live codes)
            continue
        break
    else:  # pragma: no cover - 31^8 codes
        raise RatingScreenConflict(_("Could not make a pairing code; try again."))
    locked.pairing_code, locked.pairing_expires_at = code, expires
    record_event(
        actor=actor,
        action=FeedbackEvent.RATING_SCREEN_ISSUE_CODE,
        obj=locked,
        center_id=locked.window.center_id,
        # The code itself is not logged: whoever reads the log must not pair a tablet.
        data={"expires_at": expires.isoformat()},
    )
    return locked


def _code_refusal() -> ValidationError:
    return ValidationError(
        {
            "code": [
                _("This pairing code is wrong or has expired. Ask for a new code in the workbench.")
            ]
        }
    )


def rating_screen_pair(*, code: str, client: str, now: datetime.datetime | None = None) -> Pairing:
    """Pair a tablet with the screen whose live code is `code` (see the module text).

    Every attempt counts against GOVHALL_RATE_SCREEN_PAIR_PER_ADDRESS_HOUR for `client` (the
    address), counted outside the transaction so refused attempts count too."""
    now = now or timezone.now()
    rate_limit(
        [
            RateRule(
                key=rate_key("rating_screen.pair", client),
                limit=settings.GOVHALL_RATE_SCREEN_PAIR_PER_ADDRESS_HOUR,
                window_seconds=HOUR,
                message=_("Too many pairing attempts from this device; try again later."),
            )
        ],
        at=now,
    )
    return _pair(normalize_code(code), now)


@transaction.atomic
def _pair(code: str, now: datetime.datetime) -> Pairing:
    if len(code) != PAIRING_CODE_LENGTH:
        raise _code_refusal()
    screen = (
        RatingScreen.objects.select_for_update()
        .filter(pairing_code=code, revoked_at__isnull=True, pairing_expires_at__gt=now)
        .first()
    )
    if screen is None:
        raise _code_refusal()
    screen = _lock(screen)
    if not screen.window.is_active or not screen.window.center.is_active:
        raise _code_refusal()
    secret = secrets.token_urlsafe(32)
    screen.secret_hash = secret_digest(secret)
    screen.pairing_code = ""  # used once
    screen.pairing_expires_at = None
    screen.paired_at = now
    screen.last_seen_at = now
    screen.save(
        update_fields=[
            "secret_hash",
            "pairing_code",
            "pairing_expires_at",
            "paired_at",
            "last_seen_at",
        ]
    )
    record_event(
        actor=None,
        action=FeedbackEvent.RATING_SCREEN_PAIR,
        obj=screen,
        center_id=screen.window.center_id,
        data={"window": screen.window_id},
    )
    return Pairing(screen=screen, token=device_token(screen.pk, secret))


@transaction.atomic
def rating_screen_revoke(
    *,
    actor: User | None,
    screen: RatingScreen,
    reason: str = "",
    now: datetime.datetime | None = None,
) -> RatingScreen:
    """Revoke `screen`: its tablet shows the pairing page at once; its code no longer works."""
    now = now or timezone.now()
    _require_manager(actor, screen.window)
    errors = FieldErrors()
    reason = errors.text("reason", reason, max_length=REASON_MAX_LENGTH)
    errors.raise_if_any()
    locked = _lock(screen)
    if locked.revoked_at is not None:
        raise RatingScreenConflict(_("This screen was revoked already."))
    locked.revoked_at = now
    locked.secret_hash = ""
    locked.pairing_code = ""
    locked.pairing_expires_at = None
    locked.save(update_fields=["revoked_at", "secret_hash", "pairing_code", "pairing_expires_at"])
    record_event(
        actor=actor,
        action=FeedbackEvent.RATING_SCREEN_REVOKE,
        obj=locked,
        center_id=locked.window.center_id,
        note=reason,
        data={"window": locked.window_id},
    )
    return locked


def rating_screen_seen(*, screen: RatingScreen, now: datetime.datetime | None = None) -> None:
    """Note the tablet's contact (no event: a heartbeat, like a login's last-seen)."""
    now = now or timezone.now()
    if screen.last_seen_at is None or now - screen.last_seen_at >= SEEN_EVERY:
        RatingScreen.objects.filter(pk=screen.pk).update(last_seen_at=now)
        screen.last_seen_at = now


def rating_screen_rate(
    *,
    screen: RatingScreen,
    level: int,
    reason: str = "",
    comment: str = "",
    occasion: str = "",
    now: datetime.datetime | None = None,
) -> Rating:
    """The citizen's rating on `screen` of the occasion the server finds for its window now.

    `occasion` is the key the tablet showed ("ticket:<id>"…): when another occasion is on the
    screen by now (or none), the rating is refused as a conflict, so a tap never rates the
    next citizen's service. Rate limited per screen (GOVHALL_RATE_SCREEN_RATINGS_PER_HOUR)."""
    now = now or timezone.now()
    rate_limit(
        [
            RateRule(
                key=rate_key("rating_screen.rate", str(screen.pk)),
                limit=settings.GOVHALL_RATE_SCREEN_RATINGS_PER_HOUR,
                window_seconds=HOUR,
                message=_("Too many ratings on this screen; please ask the staff."),
            )
        ],
        at=now,
    )
    current = screen_occasion(screen, now)
    if current is None or (occasion and occasion != current.key):
        raise RatingScreenConflict(
            {"occasion": [_("This service can no longer be rated on this screen.")]}
        )
    return rating_give(
        actor=None,
        kind=current.kind,
        occasion_id=current.id,
        level=level,
        channel=RatingChannel.WINDOW_SCREEN,
        reason=reason,
        comment=comment,
        now=now,
    )
