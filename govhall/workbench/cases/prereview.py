"""The staff side of an online case's pre-review (issue 19 item 2): each department's task
(同步预审) with its pass / return form, the form answers the applicant gave online, and the
uploaded files, opened through an access-checked, logged view.

`prereview_panel(user, case)` is what the case page shows (template
`workbench/cases/_prereview.html`); the two views are wired in `workbench/cases/urls.py`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.cases.access.cases import access_case
from govhall.cases.case_transitions import Action, transition_for
from govhall.cases.models import Case, CaseMaterial, PrereviewTask
from govhall.cases.services.guards import guard_refusal
from govhall.cases.services.permissions import Standing
from govhall.cases.services.prereview import OPINION_MAX, may_decide_task, prereview_task_decide
from govhall.cases.services.privacy import personal_data_view_record
from govhall.cases.statuses import CaseStatus, Channel, PrereviewStatus
from govhall.catalog.models import FormField
from govhall.core.models import User
from govhall.online.models import OnlineApplication
from govhall.workbench.request_input import staff_user


class PrereviewTaskForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("pass", gettext_lazy("Pass pre-review")), ("return", gettext_lazy("Return"))],
        widget=forms.RadioSelect,
    )
    opinion = forms.CharField(
        label=gettext_lazy("Opinion (required to return)"),
        required=False,
        max_length=OPINION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _form_answers(case: Case) -> list[dict[str, str]]:
    """The answers of the online form, labelled by the item's form fields (in their order)."""
    application = OnlineApplication.objects.filter(case_id=case.pk).first()
    if application is None and case.bundle_id is not None:  # one form for a bundle's cases
        application = OnlineApplication.objects.filter(case_bundle_id=case.bundle_id).first()
    if application is None:
        return []
    data = application.form_data if isinstance(application.form_data, dict) else {}
    labels = {
        row.key: row.label
        for row in FormField.objects.filter(item_id=case.item_id).order_by("position", "id")
    }
    rows = [
        {"key": key, "label": label, "value": _shown(data.get(key))}
        for key, label in labels.items()
        if key in data
    ]
    rows += [
        {"key": key, "label": key, "value": _shown(value)}
        for key, value in data.items()
        if key not in labels
    ]
    return rows


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return "" if value is None else str(value)


def prereview_panel(user: User, case: Case) -> dict[str, Any] | None:
    """What the case page shows about the online pre-review; None for a window case."""
    if case.channel != Channel.ONLINE:
        return None
    tasks = list(
        PrereviewTask.objects.filter(case_id=case.pk)
        .select_related("department", "done_by")
        .order_by("-is_lead", "id")
    )
    for task in tasks:
        task.case = case
    blocked = ""
    row = transition_for(case.status, Action.PREREVIEW_PASS)
    if row is not None and Standing(user, case).place_refusal(row) is None:
        blocked = guard_refusal(row.guard, case, user) or ""
    open_for_me = case.status == CaseStatus.SUBMITTED
    return {
        "tasks": [
            {
                "task": task,
                "ended": task.status == PrereviewStatus.RETURNED and task.done_by_id is None,
                "form": (
                    PrereviewTaskForm(prefix=f"pre{task.pk}")
                    if open_for_me
                    and task.status == PrereviewStatus.PENDING
                    and may_decide_task(user, task)
                    else None
                ),
            }
            for task in tasks
        ],
        "blocked": blocked,
        "answers": _form_answers(case),
        "files": [
            material
            for material in case.materials.order_by("position", "id")
            if material.file or material.licence_id or material.library_entry_id
        ],
    }


@login_required
@require_POST
def prereview_task_view(request: HttpRequest, case_id: int, task_id: int) -> HttpResponse:
    """A participating department passes or returns its pre-review task."""
    user = staff_user(request)
    case = access_case(user, case_id, for_write=True)
    task = PrereviewTask.objects.filter(case_id=case.pk, pk=task_id).first()
    if task is None:
        raise Http404
    form = PrereviewTaskForm(request.POST, prefix=f"pre{task.pk}")
    if not form.is_valid():
        # The page renders the form without a prefix in tests and simple clients.
        form = PrereviewTaskForm(request.POST)
    if form.is_valid():
        try:
            prereview_task_decide(
                actor=user,
                task=task,
                passed=form.cleaned_data["decision"] == "pass",
                opinion=form.cleaned_data["opinion"],
            )
        except ValidationError as refused:
            messages.error(request, " ".join(refused.messages))
        else:
            messages.success(request, _("Your department's pre-review is recorded."))
    else:
        messages.error(request, _("Choose pass or return."))
    return HttpResponseRedirect(reverse("workbench:case", args=[case.pk]) + "#prereview")


@login_required
def case_material_file(request: HttpRequest, case_id: int, material_id: int) -> FileResponse:
    """An uploaded material of a case, for the staff who see the case; every opening logged."""
    user = staff_user(request)
    case = access_case(user, case_id)
    material = CaseMaterial.objects.filter(case_id=case.pk, pk=material_id).first()
    if material is None or not material.file:
        raise Http404
    try:
        handle = material.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    personal_data_view_record(
        actor=user, case=case, purpose=_("uploaded material: %(name)s") % {"name": material.name}
    )
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(
        material.content_type, "bin"
    )
    response = FileResponse(
        handle,
        as_attachment=False,
        filename=f"{case.number}-{material.pk}.{extension}",
        content_type=material.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    return response
