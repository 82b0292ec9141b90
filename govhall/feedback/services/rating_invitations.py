"""The SMS invitation to rate a delivered case nobody rated (好差评, issue 15 item 1).

Entry points:
def rating_url(token, request=None) -> str
def rating_invitations_send(*, now=None) -> int

One SMS per case, GOVHALL_RATING_INVITATION_WORKDAYS working days after its delivery (counted in
the case's center's calendar) and while a rating is still taken (GOVHALL_RATING_SUPPLEMENT_DAYS
calendar days), when the case has no rating and no invitation yet. The cases are chosen in one
query; the RatingInvitation rows are inserted in the same transaction skipping conflicts (the
one-per-case constraint), and only the rows this run inserted are texted after commit, so two
workers never send the same invitation.
"""

from __future__ import annotations

import datetime
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govhall.cases.models import Case
from govhall.cases.statuses import CaseStatus
from govhall.core.notify import send_sms
from govhall.feedback.models import Rating, RatingInvitation
from govhall.feedback.services.rating_tokens import occasion_token
from govhall.workdays.queries.calendar import day_start, deadline_date

BATCH_SIZE = 1000
# How far back a center's cut-off is looked for (a long holiday plus the invitation's days).
LOOKBACK_DAYS = 60


def rating_url(token: str, request: HttpRequest | None = None) -> str:
    """The public rating page of a token: GOVHALL_PUBLIC_URL (or the request's host) + path."""
    try:
        path = reverse("portal:rate", args=[token])
    except NoReverseMatch:  # the portal page is not installed
        path = f"/rate/{token}/"
    base = getattr(settings, "GOVHALL_PUBLIC_URL", "")
    if base:
        return f"{base}{path}"
    if request is not None:
        return request.build_absolute_uri(path)
    return path


def invitation_cutoff(center_id: int, today: datetime.date, workdays: int) -> datetime.date | None:
    """The last delivery day whose invitation is due by `today`: the latest day D with the
    `workdays`-th working day after D on or before today."""
    for back in range(LOOKBACK_DAYS):
        day = today - datetime.timedelta(days=back)
        if deadline_date(center_id, day, workdays) <= today:
            return day
    return None


@transaction.atomic
def rating_invitations_send(*, now: datetime.datetime | None = None) -> int:
    """Invite the citizens of the delivered, unrated cases now due (see the module text).
    Returns how many invitations were sent."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    earliest = day_start(today - datetime.timedelta(days=settings.GOVHALL_RATING_SUPPLEMENT_DAYS))
    rated = Rating.objects.filter(case_id=OuterRef("pk"), occasion__startswith="case:")
    invited = RatingInvitation.objects.filter(case_id=OuterRef("pk"))
    open_cases = (
        Case.objects.filter(status=CaseStatus.DELIVERED, delivered_at__gte=earliest)
        .exclude(Exists(rated))
        .exclude(Exists(invited))
    )
    centers = set(open_cases.order_by().values_list("center_id", flat=True).distinct())
    reach: list[Q] = []
    for center_id in sorted(centers):
        cutoff = invitation_cutoff(center_id, today, settings.GOVHALL_RATING_INVITATION_WORKDAYS)
        if cutoff is not None:
            end = day_start(cutoff + datetime.timedelta(days=1))
            reach.append(Q(center_id=center_id, delivered_at__lt=end))
    if not reach:
        return 0
    due = list(
        open_cases.filter(reduce(or_, reach))
        .exclude(applicant__phone="")
        .order_by("delivered_at", "id")
        .values_list("pk", "number", "center_id", "applicant__phone")[:BATCH_SIZE]
    )
    if not due:
        return 0
    RatingInvitation.objects.bulk_create(
        [RatingInvitation(case_id=pk, sent_at=now) for pk, *_rest in due],
        ignore_conflicts=True,
    )
    # Only the rows this run inserted (another worker's carry its own moment).
    ours = set(
        RatingInvitation.objects.filter(
            case_id__in=[row[0] for row in due], sent_at=now
        ).values_list("case_id", flat=True)
    )
    messages = [row for row in due if row[0] in ours]

    def send() -> None:
        for pk, number, center_id, phone in messages:
            text = _(
                "Your case %(number)s has been delivered. How did we serve you? Rate us: %(url)s"
            ) % {"number": number, "url": rating_url(occasion_token(f"case:{pk}")) + "?via=sms"}
            send_sms(
                to=phone,
                text=text,
                purpose="rating.invitation",
                obj=Case(pk=pk),
                center_id=center_id,
            )

    transaction.on_commit(send)
    return len(messages)
