"""The online hall (网上办事大厅, issue 19): accounts, online applications and their files,
messages. One module per topic."""

from govhall.online.models.accounts import (
    AccountKind,
    AccountSession,
    ApplicantAccount,
    EnterpriseAgent,
    SmsCode,
    SmsPurpose,
)
from govhall.online.models.applications import (
    ApplicationFile,
    ApplicationStatus,
    OnlineApplication,
)
from govhall.online.models.messages import AccountMessage

__all__ = [
    "AccountKind",
    "AccountMessage",
    "AccountSession",
    "ApplicantAccount",
    "ApplicationFile",
    "ApplicationStatus",
    "EnterpriseAgent",
    "OnlineApplication",
    "SmsCode",
    "SmsPurpose",
]
