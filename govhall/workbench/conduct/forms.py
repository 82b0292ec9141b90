"""Forms of the code of conduct and badge pages (issue 21 item 3)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhall.core.models import User
from govhall.org.models import Center
from govhall.staffing.models.conduct import ConductSection
from govhall.staffing.queries.conduct import unbadged_staff
from govhall.workbench.org.forms import UserChoiceField


class ConductLineForm(forms.Form):
    section = forms.ChoiceField(label=_("Section"), choices=ConductSection.choices)
    text = forms.CharField(label=_("Line"), max_length=300)
    is_patrol_point = forms.BooleanField(label=_("Patrol checklist point"), required=False)


class BadgeIssueForm(forms.Form):
    user = UserChoiceField(label=_("Staff member"), queryset=User.objects.none())

    def __init__(self, *args: Any, center: Center, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            User.objects.filter(pk__in=unbadged_staff(center).values("user_id"))
            .select_related("staff__department")
            .order_by("username")
        )
