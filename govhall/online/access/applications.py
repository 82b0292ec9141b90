"""Online applications and their files by id (issue 19 item 2), for their owner only: the
account that applies, or the enterprise it acts for. `Http404` for a missing one and for
another applicant's alike, so ids cannot be probed. Staff read a submitted application's files
on the case (`govhall.cases.access`), never here."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404

from govhall.online.models import (
    ApplicantAccount,
    ApplicationFile,
    ApplicationStatus,
    OnlineApplication,
)


def _mine(account: ApplicantAccount) -> Q:
    return Q(account=account) | Q(acting_for=account)


def access_application(
    account: ApplicantAccount | None, application_id: object, *, for_write: bool = False
) -> OnlineApplication:
    """The application if `account` owns it (`for_write`: only the applying account, only a
    draft; the enterprise it acts for sees it)."""
    if account is None:
        raise Http404
    try:
        pk = int(str(application_id))
    except ValueError:
        raise Http404 from None
    rows = OnlineApplication.objects.select_related("item", "item__center", "case").exclude(
        status=ApplicationStatus.DISCARDED
    )
    rows = rows.filter(account=account) if for_write else rows.filter(_mine(account))
    application = rows.filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def access_application_file(
    account: ApplicantAccount | None, application_id: object, file_id: object
) -> ApplicationFile:
    application = access_application(account, application_id)
    try:
        pk = int(str(file_id))
    except ValueError:
        raise Http404 from None
    row = ApplicationFile.objects.filter(application=application, pk=pk).first()
    if row is None or not row.file:
        raise Http404
    return row
