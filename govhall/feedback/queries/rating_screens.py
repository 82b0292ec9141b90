"""What a window's rating screen (评价器, issue 15 item 1) shows, read for its live stream.

- `screen_of_device(token)`: the paired, unrevoked screen a tablet's cookie names (the cookie
  holds "<screen id>:<secret>", the row only the secret's SHA-256), or None.
- `screen_occasion(screen, now)`: the service occasion the screen offers for rating now — the
  latest ticket finished at its window, or case delivered there (not by express mail), within
  GOVHALL_RATING_SCREEN_SECONDS and not rated yet — or None (the screen is idle).
  The occasion is decided here from the screen's window, never from the browser.
- `screen_fingerprint(screen, now)`: one query whose answer changes whenever what the screen
  shows may have changed (an occasion starts, is rated or times out; the screen is revoked or
  paired again).
- `screen_state(screen, now)`: the JSON-ready state the tablet draws.
- `screens_of_windows(windows)`: the workbench list of windows with their screens.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus, DeliveryMethod
from govhall.core.models import User
from govhall.feedback.models import Rating, RatingScreen
from govhall.feedback.services.ratings import CASE, TICKET, occasion_of
from govhall.frontdesk.models import Ticket, TicketStatus
from govhall.org.models import Staff, Window

IDLE = "idle"
RATE = "rate"
UNPAIRED = "unpaired"


def secret_digest(secret: str) -> str:
    """What the row keeps of a tablet's random secret."""
    return hashlib.sha256(secret.encode()).hexdigest()


def device_token(screen_id: int, secret: str) -> str:
    """The value of the tablet's (signed) cookie."""
    return f"{screen_id}:{secret}"


def screen_of_device(token: str) -> RatingScreen | None:
    """The screen a tablet's cookie value names, if paired, not revoked and the secret right."""
    number, _sep, secret = str(token or "").partition(":")
    if not number.isdigit() or not secret:
        return None
    screen = (
        RatingScreen.objects.select_related("window", "window__center")
        .filter(pk=int(number), revoked_at__isnull=True, paired_at__isnull=False)
        .exclude(secret_hash="")
        .first()
    )
    if screen is None or not hmac.compare_digest(screen.secret_hash, secret_digest(secret)):
        return None
    return screen


def _since(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(seconds=settings.GOVHALL_RATING_SCREEN_SECONDS)


def _tickets(window_id: Any, now: datetime.datetime) -> QuerySet[Ticket]:
    """Tickets finished at the window within the screen's seconds, not rated (nor their case)."""
    return (
        Ticket.objects.filter(
            window_id=window_id,
            status=TicketStatus.DONE,
            finished_at__gte=_since(now),
            finished_at__lte=now,
        )
        .filter(
            ~Exists(Rating.objects.filter(ticket_id=OuterRef("pk"))),
            ~Exists(Rating.objects.filter(case_id=OuterRef("case_id"))),
        )
        .order_by("-finished_at", "-id")
    )


def _cases(window_id: Any, now: datetime.datetime) -> QuerySet[Case]:
    """Cases delivered at the window (picked up, not mailed) within the screen's seconds, not
    rated (nor through a ticket of theirs)."""
    return (
        Case.objects.filter(
            window_id=window_id,
            status=CaseStatus.DELIVERED,
            delivered_at__gte=_since(now),
            delivered_at__lte=now,
        )
        .filter(
            ~Q(delivery_method=DeliveryMethod.EXPRESS),
            ~Exists(Rating.objects.filter(case_id=OuterRef("pk"))),
            ~Exists(Rating.objects.filter(ticket__case_id=OuterRef("pk"))),
        )
        .order_by("-delivered_at", "-id")
    )


def _row(screen: RatingScreen, now: datetime.datetime) -> tuple[Any, ...]:
    """(revoked_at, secret_hash, ticket id, finished_at, case id, delivered_at) in one query."""
    tickets = _tickets(OuterRef("window_id"), now)
    cases = _cases(OuterRef("window_id"), now)
    row = (
        RatingScreen.objects.filter(pk=screen.pk)
        .annotate(
            ticket=Subquery(tickets.values("id")[:1]),
            ticket_at=Subquery(tickets.values("finished_at")[:1]),
            case=Subquery(cases.values("id")[:1]),
            case_at=Subquery(cases.values("delivered_at")[:1]),
        )
        .values_list("revoked_at", "secret_hash", "ticket", "ticket_at", "case", "case_at")
        .first()
    )
    return tuple(row) if row is not None else (None, "", None, None, None, None)


@dataclass(frozen=True)
class ScreenOccasion:
    kind: str  # "ticket" | "case"
    id: int
    at: datetime.datetime

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def _latest(row: tuple[Any, ...]) -> ScreenOccasion | None:
    _revoked, _hash, ticket, ticket_at, case, case_at = row
    found = [
        ScreenOccasion(kind, int(pk), at)
        for kind, pk, at in ((TICKET, ticket, ticket_at), (CASE, case, case_at))
        if pk is not None and at is not None
    ]
    if not found:
        return None
    return max(found, key=lambda occasion: (occasion.at, occasion.kind == TICKET))


def screen_fingerprint(screen: RatingScreen, now: datetime.datetime) -> tuple[Any, ...]:
    revoked, secret_hash, *_rest = row = _row(screen, now)
    occasion = _latest(row)
    return (revoked, secret_hash, occasion.key if occasion else None)


def screen_occasion(screen: RatingScreen, now: datetime.datetime) -> ScreenOccasion | None:
    """The occasion the screen offers now, or None (see the module text)."""
    row = _row(screen, now)
    if row[0] is not None or row[1] != screen.secret_hash:
        return None
    return _latest(row)


def _staff_of(user_id: int | None) -> dict[str, str]:
    if user_id is None:
        return {"name": "", "number": "", "initial": ""}
    user = User.objects.filter(pk=user_id).first()
    number = (
        Staff.objects.filter(user_id=user_id).values_list("staff_number", flat=True).first() or ""
    )
    name = user.display_name if user is not None else ""
    return {"name": name, "number": number, "initial": name[:1]}


def screen_state(screen: RatingScreen, now: datetime.datetime) -> dict[str, Any]:
    """What the tablet draws: `mode` idle, rate (with the occasion's key, the clerk's name,
    initial and staff number) or unpaired (the tablet goes back to the pairing page)."""
    row = _row(screen, now)
    window = screen.window
    state: dict[str, Any] = {
        "mode": IDLE,
        "center": window.center.name,
        "window": {"number": window.number, "name": window.name},
        "occasion": "",
        "staff": _staff_of(None),
    }
    if row[0] is not None or not row[1] or row[1] != screen.secret_hash:
        state["mode"] = UNPAIRED
        return state
    occasion = _latest(row)
    if occasion is None:
        return state
    served_by = occasion_of(occasion.kind, occasion.id).values.get("staff_id")
    state.update(mode=RATE, occasion=occasion.key, staff=_staff_of(served_by))
    return state


def screens_of_windows(windows: QuerySet[Window]) -> list[tuple[Window, list[RatingScreen]]]:
    """Each window (by center and number) with its screens, live ones first (two queries)."""
    rows = list(windows.select_related("center").order_by("center__code", "number", "pk"))
    screens: dict[int, list[RatingScreen]] = {window.pk: [] for window in rows}
    for screen in RatingScreen.objects.filter(window_id__in=list(screens)).order_by(
        F("revoked_at").asc(nulls_first=True), "pk"
    ):
        screens[screen.window_id].append(screen)
    return [(window, screens[window.pk]) for window in rows]
