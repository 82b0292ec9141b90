"""The hall notice form. It only parses input; the rules are in frontdesk.services.notices."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.frontdesk.models import HallNotice
from govhall.frontdesk.models.notices import NOTICE_BODY_MAX, NOTICE_TITLE_MAX

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def _moment(label: Any, *, required: bool) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=NOTICE_TITLE_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=NOTICE_BODY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Shown on the portal's disclosure page; the board's ticker shows the title."),
    )
    starts_at = _moment(_("Shown from"), required=True)
    ends_at = _moment(_("Shown until"), required=False)
    position = forms.IntegerField(
        label=_("Position"), min_value=0, max_value=999, initial=0, required=False
    )
    is_published = forms.BooleanField(label=_("Published"), required=False)

    @staticmethod
    def initial_of(notice: HallNotice) -> dict[str, Any]:
        return {
            "title": notice.title,
            "body": notice.body,
            "starts_at": notice.starts_at,
            "ends_at": notice.ends_at,
            "position": notice.position,
            "is_published": notice.is_published,
        }

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data.get("body") or "",
            "starts_at": data["starts_at"],
            "ends_at": data.get("ends_at"),
            "position": data.get("position") or 0,
            "is_published": bool(data.get("is_published")),
        }
