"""Workbench pages of cases (SPEC §6): the case list, the inbox, intake at the window, the case
page with its actions, notices, joint work and fees, and the outbox of notifications.

Views read through `govhall.cases.queries.cases` / `access_case` and change through the case
services; they hold no rules of their own.
"""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from govhall.cases.access.cases import (
    access_case,
    can_act_on_cases,
    can_complete_joint_tasks,
    can_export_cases_unmasked,
    can_hold_joint_meetings,
    can_open_cases,
    can_propose_joint_handling,
    can_read_cases,
    can_read_outbox,
    can_take_window_actions,
)
from govhall.cases.case_transitions import (
    NATIONAL_CODE,
    NATIONAL_LABEL,
    UNDECIDED_STATUSES,
    Action,
)
from govhall.cases.clock import days_left, pending_overdue, urgency
from govhall.cases.models import Case, ElectronicLicence, Notice
from govhall.cases.notice_render import notice_context, notice_pdf, progress_url_for
from govhall.cases.queries import cases as queries
from govhall.cases.queries.agency import agents_for_center
from govhall.cases.queries.bundles import bundle_view
from govhall.cases.queries.joint import proposals_of_case
from govhall.cases.queries.licences import licence_offers
from govhall.cases.queries.reuse import ReuseOffer, reuse_offers
from govhall.cases.services.actions import case_act
from govhall.cases.services.bundles import case_bundle_receive
from govhall.cases.services.errors import CaseConflict
from govhall.cases.services.fees import case_fee_record
from govhall.cases.services.intake import Outcome, case_receive, propose_outcome
from govhall.cases.services.joint import (
    joint_meeting_record,
    joint_proposal_submit,
    joint_task_complete,
)
from govhall.cases.services.notices import notice_confirm
from govhall.cases.services.permissions import available_actions, refusal
from govhall.cases.services.privacy import case_list_export_record, personal_data_view_record
from govhall.cases.statuses import CaseKind, CaseStatus, Channel, TaskStatus
from govhall.catalog.access.scope import items_in_scope
from govhall.catalog.models import Bundle, Material, ServiceItem
from govhall.catalog.queries.bundles import bundle_items, bundles_at_window, merged_materials
from govhall.core import idnumbers
from govhall.core.events import event_label
from govhall.core.idnumbers import mask_id, mask_phone
from govhall.core.models import OutboundMessage, User
from govhall.core.notify import purpose_label
from govhall.core.pagination import IdsFirst
from govhall.frontdesk.access.tickets import access_ticket
from govhall.frontdesk.services.tickets import ticket_open_case
from govhall.org.access.scope import (
    centers_in_scope,
    departments_in_scope,
    scope_of,
    windows_in_scope,
)
from govhall.org.models import Department, Window
from govhall.staffing.queries.cover import window_ids_at_hand
from govhall.workbench.cases.agency import agency_panel
from govhall.workbench.cases.export import XLSX_CONTENT_TYPE, case_workbook
from govhall.workbench.cases.forms import (
    DANGEROUS_ACTIONS,
    FeeForm,
    IntakeForm,
    JointMeetingForm,
    JointProposalForm,
    JointTaskForm,
    NoticeConfirmForm,
    action_form,
)
from govhall.workbench.cases.prereview import prereview_panel
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 50
PICKER_LIMIT = 300
ITEM_OPTIONS_LIMIT = 200


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _require_case_reader(request: HttpRequest) -> User:
    user = staff_user(request)
    if not can_read_cases(user):
        raise Http404
    return user


def _require_case_opener(request: HttpRequest) -> User:
    """A case reader, or an agent opening a case they carry (access_case scopes it)."""
    user = staff_user(request)
    if not can_open_cases(user):
        raise Http404
    return user


def _messages_of(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


def _apply_errors(form: Any, error: ValidationError, renames: dict[str, str] | None = None) -> None:
    renames = renames or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            field = renames.get(name, name)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _row(case: Case, today: datetime.date) -> dict[str, Any]:
    """A list row: the case and what the list shows beside it (no queries)."""
    code = NATIONAL_CODE.get(case.status, "")
    return {
        "case": case,
        "code": code,
        "code_label": NATIONAL_LABEL.get(code, ""),
        "days_left": days_left(case, today),
        "urgency": urgency(case, today),
        "pending_overdue": pending_overdue(case, today),
        "id_masked": mask_id(case.applicant.id_number),
        "phone_masked": mask_phone(case.applicant.phone),
    }


# --- the case list ------------------------------------------------------------------------------

DUE_TABS = (
    ("", gettext_lazy("All open")),
    ("near", gettext_lazy("Due within 1 working day")),
    ("overdue", gettext_lazy("Overdue")),
)


# The completed cases by how they ended against the deadline (the figures' drill-down).
TIMELINESS_CHOICES = (
    ("completed", gettext_lazy("All completed")),
    ("on_time", gettext_lazy("On time")),
    ("early", gettext_lazy("Early")),
    ("overdue", gettext_lazy("Overdue")),
)


def _filter_people(user: User, filters: queries.CaseFilters) -> list[dict[str, Any]]:
    """The staff the list is narrowed to (received by / decided by), named for the page; the
    list itself stays limited to the reader's cases."""
    wanted = {
        "received_by": (filters.received_by_id, _("Received by")),
        "decided_by": (filters.decided_by_id, _("Decided by")),
    }
    ids = [pk for pk, _label in wanted.values() if pk is not None]
    names = (
        {
            pk: full_name or username
            for pk, full_name, username in User.objects.filter(
                pk__in=ids, staff__center__in=centers_in_scope(user)
            ).values_list("pk", "full_name", "username")
        }
        if ids
        else {}
    )
    return [
        {"param": param, "pk": pk, "label": label, "name": names.get(pk, "—")}
        for param, (pk, label) in wanted.items()
        if pk is not None
    ]


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = _require_case_reader(request)
    today = timezone.localdate()
    filters = queries.CaseFilters.from_query(request.GET)
    page = Paginator(IdsFirst(queries.case_list(user, filters, today)), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query: dict[str, str] = {
        key: str(value) for key, value in request.GET.items() if key != "page" and value
    }
    tabs = []
    for due, label in DUE_TABS:
        tab_query = {k: v for k, v in query.items() if k not in {"due", "status"}}
        if due:
            tab_query["due"] = due
        tabs.append(
            {
                "label": label,
                "url": "?" + urlencode(tab_query),
                "active": filters.due == due and filters.state == queries.STATE_OPEN,
            }
        )
    return render(
        request,
        "workbench/cases/list.html",
        {
            "rows": [_row(case, today) for case in page.object_list],
            "page_obj": page,
            "filters": filters,
            "tabs": tabs,
            "querystring_without_page": urlencode(query) + "&" if query else "",
            "statuses": [
                (status, label, NATIONAL_CODE[status]) for status, label in CaseStatus.choices
            ],
            "kinds": CaseKind.choices,
            "channels": Channel.choices,
            "timeliness": TIMELINESS_CHOICES,
            "filter_people": _filter_people(user, filters),
            "departments": list(
                departments_in_scope(user)
                .select_related("center")
                .order_by("center__path", "code", "id")[:PICKER_LIMIT]
            ),
            "windows": list(
                windows_in_scope(user)
                .filter(is_active=True)
                .select_related("center")
                .distinct()
                .order_by("center__path", "number")[:PICKER_LIMIT]
            ),
            "centers": list(centers_in_scope(user).order_by("path")[:PICKER_LIMIT]),
            "items": list(
                items_in_scope(user)
                .filter(is_active=True)
                .select_related("center")
                .order_by("center__path", "name", "id")[:PICKER_LIMIT]
            ),
            # Every row names its center (a town's "window 1" is not the county's).
            "show_center": True,
            "export_query": urlencode(filters.query()),
            "export_unmasked": can_export_cases_unmasked(user),
            "export_max": settings.GOVHALL_CASE_EXPORT_MAX_ROWS,
        },
    )


@login_required
def case_export(request: HttpRequest) -> HttpResponse:
    """The case list with its filters as xlsx (every page, up to the export cap), ID and phone
    numbers masked unless `full=1` and the reader may export them in full; logged."""
    user = _require_case_reader(request)
    filters = queries.CaseFilters.from_query(request.GET)
    unmasked = request.GET.get("full") == "1"
    if unmasked and not can_export_cases_unmasked(user):
        raise Http404
    cases = queries.case_list(user, filters, timezone.localdate())
    cap = settings.GOVHALL_CASE_EXPORT_MAX_ROWS
    rows = list(cases[: cap + 1])
    query = filters.query()
    back = reverse("workbench:cases") + ("?" + urlencode(query) if query else "")
    if len(rows) > cap:
        messages.error(
            request,
            _(
                "The list has more than %(max)d cases; an export holds at most %(max)d. "
                "Narrow the filters (center, item, dates…) and export again."
            )
            % {"max": cap},
        )
        return HttpResponseRedirect(back)
    case_list_export_record(actor=user, rows=len(rows), unmasked=unmasked, filters=query)
    response = HttpResponse(case_workbook(rows, unmasked=unmasked), content_type=XLSX_CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.xlsx"'
    return response


# --- the inbox ----------------------------------------------------------------------------------


@login_required
def case_inbox(request: HttpRequest) -> HttpResponse:
    user = _require_case_reader(request)
    today = timezone.localdate()
    sections = []
    for section in queries.inbox(user, today):
        sections.append(
            {
                "section": section,
                "rows": [_row(case, today) for case in section.cases],
                "tasks": [{"task": task, "row": _row(task.case, today)} for task in section.tasks],
            }
        )
    return render(request, "workbench/cases/inbox.html", {"sections": sections, "today": today})


# --- intake -------------------------------------------------------------------------------------


def _require_window_role(request: HttpRequest) -> User:
    user = staff_user(request)
    if not can_take_window_actions(user):
        raise Http404
    return user


def _intake_windows(user: User) -> list[Window]:
    ids = window_ids_at_hand(user)
    return list(Window.objects.filter(pk__in=ids).select_related("center").order_by("number"))


def _pick(windows: list[Window], raw: object) -> Window | None:
    text = str(raw or "")
    for window in windows:
        if str(window.pk) == text:
            return window
    return None


def _items_of(window: Window, q: str = "") -> list[ServiceItem]:
    items = ServiceItem.objects.active().filter(
        center_id=window.center_id, item_windows__window=window
    )
    if q:
        items = items.filter(Q(name__icontains=q) | Q(code__icontains=q))
    return list(items.distinct().order_by("name", "id")[:ITEM_OPTIONS_LIMIT])


def _item_for(window: Window, raw: object) -> ServiceItem | None:
    text = str(raw or "")
    if not text.isdigit():
        return None
    return (
        ServiceItem.objects.active()
        .filter(pk=int(text), center_id=window.center_id, item_windows__window=window)
        .select_related("center", "department")
        .first()
    )


def _reuse_offers(data: Any, materials: list[Material]) -> dict[int, ReuseOffer]:
    """Materials of the typed applicant that a verified earlier case holds (issue 17 item 2);
    nothing until a well-formed ID number or USCC is typed."""
    if data is None:
        return {}
    number = idnumbers.normalize(str(data.get("id_number") or ""))
    if not number or (idnumbers.id_number_error(number) and idnumbers.uscc_error(number)):
        return {}
    return reuse_offers(id_number=number, materials=materials)


def _licence_offers(data: Any, materials: list[Material]) -> dict[int, ElectronicLicence]:
    """The typed applicant's valid electronic licences standing for materials (issue 19)."""
    if data is None:
        return {}
    number = idnumbers.normalize(str(data.get("id_number") or ""))
    if not number or (idnumbers.id_number_error(number) and idnumbers.uscc_error(number)):
        return {}
    return licence_offers(id_number=number, materials=materials)


def _bundle_for(window: Window, raw: object) -> Bundle | None:
    text = str(raw or "")
    return next((b for b in bundles_at_window(window) if str(b.pk) == text), None)


def _bundle_materials(bundle: Bundle) -> list[Material]:
    """One row per merged material of a bundle (its first item's material stands for the
    group; `asked_by` names every item asking it)."""
    rows = []
    for merged in merged_materials(bundle):
        material = merged.representative
        material.asked_by = "、".join(merged.item_names)  # type: ignore[attr-defined]
        rows.append(material)
    return rows


def _intake_form(
    data: Any,
    item: ServiceItem,
    window: Window,
    initial: dict[str, Any] | None = None,
    *,
    live: bool = False,
    files: Any = None,
    bundle: Bundle | None = None,
) -> IntakeForm:
    materials = (
        _bundle_materials(bundle)
        if bundle is not None
        else list(item.materials.order_by("position", "id"))
    )
    departments = list(Department.objects.filter(center_id=item.center_id).order_by("code", "id"))
    form = IntakeForm(
        data,
        files,
        item=item,
        window=window,
        materials=materials,
        departments=departments,
        initial=initial,
        reuse=_reuse_offers(data, materials),
        live=live,
        licences=_licence_offers(data, materials),
        agents=agents_for_center(window.center),
        bundle=bundle is not None,
    )
    return form


def _agency_open(form: IntakeForm, window: Window) -> bool:
    """The 代办 part opens at a 代办窗口, or once an agent or a letter is given."""
    if window.is_agency or any(
        name in form.errors for name in ("agent", "agency_letter_number", "agency_letter_on")
    ):
        return True
    return form.is_bound and bool(form.data.get("agent") or form.data.get("agency_letter_number"))


def _bundle_receive(
    request: HttpRequest, user: User, form: IntakeForm, bundle: Bundle, window: Window
) -> HttpResponse | None:
    """Receive a 一件事 bundle through the bundle service (all or nothing); None when refused
    (the errors are on the form)."""
    try:
        application, _created = case_bundle_receive(
            actor=user,
            bundle=bundle,
            window=window,
            applicant=form.applicant(),
            materials=form.checks(),
            idempotency_key=form.cleaned_data["idempotency_key"],
            agency=form.agency(),
        )
    except ValidationError as error:
        _apply_errors(form, error, {"kind": "applicant_kind"})
        return None
    cases = list(Case.objects.filter(bundle=application).order_by("pk"))
    messages.success(
        request,
        _("Bundle %(number)s received: %(cases)s.")
        % {"number": application.number, "cases": "、".join(c.number for c in cases)},
    )
    return HttpResponseRedirect(reverse("workbench:case", args=[cases[0].pk]))


def _outcome_context(form: IntakeForm) -> dict[str, Any]:
    """The live part of the intake page: the proposal and the outcome fields it brings."""
    proposal = propose_outcome(
        item=form.item, window=form.window, checks=form.checks(), green_channel=form.green()
    )
    chosen = form.chosen_outcome(proposal.outcome)
    return {
        "form": form,
        "proposal": proposal,
        "proposal_label": Outcome(proposal.outcome).label,
        "chosen": chosen,
        "outcomes": Outcome.choices,
        "outcome_changed": chosen != proposal.outcome,
        "green": form.green(),
        # an attachment promised outside the green channel also needs its due date
        "pending_due": form.green() or any(check.pending for check in form.checks()),
        "Outcome": Outcome,
    }


@login_required
def case_intake(request: HttpRequest) -> HttpResponse:
    """Step 1 (GET): the window and the item. Step 2: the application; POST receives it."""
    user = _require_window_role(request)
    windows = _intake_windows(user)
    source = request.POST if request.method == "POST" else request.GET
    # Opened from the calling console: the case is received for the queue ticket at hand, at
    # the ticket's window (frontdesk.services.tickets.ticket_open_case).
    ticket = access_ticket(user, source["ticket"], for_write=True) if source.get("ticket") else None
    window = _pick(windows, ticket.window_id if ticket else source.get("window"))
    if ticket is not None and window is None:
        raise Http404
    if window is None and len(windows) == 1 and not source.get("window"):
        window = windows[0]  # one window at hand: no need to choose it
    q = (request.GET.get("q") or "").strip()[:60]
    # Issue 19 item 5: a 一件事 bundle instead of one item (its first item leads the form).
    bundle = _bundle_for(window, source.get("bundle")) if window else None
    if bundle is not None:
        item: ServiceItem | None = bundle_items(bundle)[0]
    else:
        item = _item_for(window, source.get("item")) if window else None
    context: dict[str, Any] = {
        "windows": windows,
        "window": window,
        "item": item,
        "bundle": bundle,
        "bundle_items": bundle_items(bundle) if bundle is not None else [],
        "bundles": bundles_at_window(window) if window else [],
        "q": q,
        "items": _items_of(window, q) if window else [],
        "ticket": ticket,
    }
    status = 200
    if request.method == "POST" and bundle is not None:
        assert window is not None and item is not None
        form = _intake_form(request.POST, item, window, files=request.FILES, bundle=bundle)
        if form.is_valid():
            done = _bundle_receive(request, user, form, bundle, window)
            if done is not None:
                return done
        status = 400
    elif request.method == "POST":
        if window is None or item is None:
            raise Http404
        form = _intake_form(request.POST, item, window, files=request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            departments = list(
                Department.objects.filter(
                    center_id=item.center_id, pk__in=data["joint_departments"] or []
                )
            )
            receive: Any = (
                partial(ticket_open_case, ticket=ticket)
                if ticket is not None
                else partial(case_receive, window=window)
            )
            try:
                case = receive(
                    actor=user,
                    item=item,
                    applicant=form.applicant(),
                    materials=form.checks(),
                    outcome=data["outcome"],
                    outcome_reason=data["outcome_reason"],
                    green_channel=data["green_channel"],
                    channel=data["channel"] or Channel.WINDOW,
                    pending_due_on=data["pending_due_on"],
                    reason=data["reason"],
                    basis=data["basis"],
                    forward_by=data["forward_by"],
                    joint_departments=departments or None,
                    idempotency_key=data["idempotency_key"],
                    agency=form.agency(),
                )
            except ValidationError as error:
                if hasattr(error, "error_dict") and "materials" in error.message_dict:
                    context["materials_errors"] = error.message_dict["materials"]
                    rest = {k: v for k, v in error.message_dict.items() if k != "materials"}
                    error = ValidationError(rest) if rest else ValidationError({})
                _apply_errors(form, error, {"kind": "applicant_kind"})
            else:
                messages.success(
                    request,
                    _("Case %(number)s received: %(status)s.")
                    % {"number": case.number, "status": case.get_status_display()},
                )
                return HttpResponseRedirect(reverse("workbench:case", args=[case.pk]))
        status = 400
    elif item is not None:
        assert window is not None
        initial: dict[str, Any] = {
            "idempotency_key": IntakeForm.new_key(),
            "joint_departments": list(item.joint_departments.values_list("pk", flat=True)),
        }
        if window.is_agency and any(a.pk == user.pk for a in agents_for_center(window.center)):
            initial["agent"] = user.pk  # an agent's own intake at the 代办窗口
        form = _intake_form(None, item, window, initial=initial, bundle=bundle)
    else:
        form = None
    if form is not None:
        # a bundle's cases each end intake in their own proposed outcome (no choice here)
        context.update({"form": form} if bundle is not None else _outcome_context(form))
        context["agency_open"] = _agency_open(form, window)  # type: ignore[arg-type]
    return render(request, "workbench/cases/intake.html", context, status=status)


@login_required
def intake_items(request: HttpRequest) -> HttpResponse:
    """The item options of a window, narrowed by a search (the searchable select)."""
    user = _require_window_role(request)
    window = _pick(_intake_windows(user), request.GET.get("window"))
    if window is None:
        raise Http404
    q = (request.GET.get("q") or "").strip()[:60]
    return render(
        request,
        "workbench/cases/_item_options.html",
        {"items": _items_of(window, q), "selected": request.GET.get("item", "")},
    )


@login_required
@require_POST
def intake_proposal(request: HttpRequest) -> HttpResponse:
    """The live proposal as the clerk ticks materials (htmx)."""
    user = _require_window_role(request)
    window = _pick(_intake_windows(user), request.POST.get("window"))
    item = _item_for(window, request.POST.get("item")) if window else None
    if window is None or item is None:
        raise Http404
    form = _intake_form(request.POST, item, window, live=True)
    # The proposal, and out of band each material's reuse offer (the ID number may have changed).
    return render(request, "workbench/cases/_intake_live.html", _outcome_context(form))


# --- the case page ------------------------------------------------------------------------------


def _case_page_context(
    request: HttpRequest, user: User, case: Case, today: datetime.date
) -> dict[str, Any]:
    actions = available_actions(user, case)
    everything = scope_of(user).everything
    department_id = queries._department_of(user)
    tasks = list(case.joint_tasks.select_related("department", "done_by").order_by("id"))
    completes_tasks = can_complete_joint_tasks(user)
    can_meet = can_hold_joint_meetings(user)
    proposals = list(proposals_of_case(case).order_by("proposed_at", "id"))
    fee_form = FeeForm(case=case, prefix="fee")
    return {
        "case": case,
        "code": NATIONAL_CODE.get(case.status, ""),
        "code_label": NATIONAL_LABEL.get(NATIONAL_CODE.get(case.status, ""), ""),
        "days_left": days_left(case, today),
        "urgency": urgency(case, today),
        "pending_overdue": pending_overdue(case, today),
        "actions": [
            {
                "action": row.action,
                "label": Action(row.action).label,
                "danger": row.action in DANGEROUS_ACTIONS,
            }
            for row in actions
        ],
        "materials": list(
            case.materials.select_related(
                "reused_from", "licence", "library_entry__verified_by"
            ).order_by("position", "id")
        ),
        "notices": list(case.notices.select_related("issued_by").order_by("issued_at", "id")),
        "confirm_form": NoticeConfirmForm(initial={"confirmed_by_name": case.applicant.name}),
        "tasks": [
            {
                "task": task,
                "form": (
                    JointTaskForm(prefix=f"task{task.pk}")
                    if task.status == TaskStatus.OPEN
                    and completes_tasks
                    and (everything or task.department_id == department_id)
                    else None
                ),
                "overdue": task.status == TaskStatus.OPEN and task.due_on < today,
            }
            for task in tasks
        ],
        "meetings": list(
            case.joint_meetings.select_related("recorded_by").order_by("held_at", "id")
        ),
        # The lead window's proposal goes to the director before the meeting (issue 16 item 7).
        "proposals": proposals,
        "proposal_form": (
            JointProposalForm(prefix="proposal")
            if can_propose_joint_handling(user)
            and case.kind == CaseKind.JOINT
            and case.status in UNDECIDED_STATUSES
            else None
        ),
        "meeting_waits_for_proposal": can_meet and case.kind == CaseKind.JOINT and not proposals,
        "meeting_form": (
            JointMeetingForm(prefix="meeting", initial={"held_at": JointMeetingForm.default_time()})
            if can_meet and case.kind == CaseKind.JOINT and proposals
            else None
        ),
        "fees": list(case.fees.select_related("fee_item", "recorded_by").order_by("id")),
        "fee_form": fee_form if fee_form.fields["fee_item"].queryset.exists() else None,  # type: ignore[attr-defined]
        "timeline": _timeline(case),
        "can_write": _can_write(user),
        "prereview": prereview_panel(user, case),  # issue 19: online pre-review, files, form
        "agency": agency_panel(user, case),  # issue 19 item 6: name, change, end the agency
        "bundle_view": bundle_view(case),  # issue 19 item 5: the sibling cases of a 一件事
    }


def _timeline(case: Case) -> list[dict[str, Any]]:
    statuses = dict(CaseStatus.choices)
    entries = []
    for event in queries.case_timeline(case):
        data = event.data if isinstance(event.data, dict) else {}
        to = data.get("to") or ""
        entries.append(
            {
                "event": event,
                "label": event_label(event.action),
                "to": statuses.get(to, "") if to != data.get("from") else "",
                "window": data.get("window") or "",
            }
        )
    return entries


def _can_write(user: User) -> bool:
    return can_act_on_cases(user)


def _render_case(
    request: HttpRequest,
    user: User,
    case: Case,
    *,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    personal_data_view_record(actor=user, case=case, purpose=_("case page"))
    today = timezone.localdate()
    context = _case_page_context(request, user, case, today)
    if extra:
        context.update(extra)
    return render(request, "workbench/cases/detail.html", context, status=status)


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _require_case_opener(request)
    case = access_case(user, case_id)
    extra: dict[str, Any] = {}
    wanted = request.GET.get("action", "")
    if wanted and wanted in Action.values:
        # Without JavaScript an action button opens its form inside the page.
        extra = _action_panel_context(user, case, wanted)
    return _render_case(request, user, case, extra=extra)


def _action_panel_context(
    user: User,
    case: Case,
    action: str,
    form: Any = None,
    error: str = "",
    conflict: bool = False,
) -> dict[str, Any]:
    allowed = {row.action for row in available_actions(user, case)}
    return {
        "panel_refusal": "" if action in allowed else (refusal(user, case, action) or ""),
        "panel_action": action,
        "panel_label": Action(action).label,
        "panel_form": form if form is not None else action_form(action, case=case),
        "panel_error": error,
        "panel_conflict": conflict,
        "panel_allowed": action in allowed,
        "panel_danger": action in DANGEROUS_ACTIONS,
        "case": case,
    }


@login_required
def case_action(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """GET: the small form of one action (htmx). POST: take the action."""
    if action not in Action.values:
        raise Http404
    user = _require_case_reader(request)
    if request.method == "GET":
        case = access_case(user, case_id)
        if not _is_htmx(request):
            return HttpResponseRedirect(
                reverse("workbench:case", args=[case.pk]) + f"?action={action}#action-panel"
            )
        return render(
            request, "workbench/cases/_action_form.html", _action_panel_context(user, case, action)
        )
    if request.method != "POST":
        raise Http404
    case = access_case(user, case_id, for_write=True)
    form = action_form(action, case=case, data=request.POST)
    error = ""
    conflict = False
    if form.is_valid():
        try:
            case_act(
                actor=user,
                case=case,
                action=action,
                expected_version=form.cleaned_data["expected_version"],
                note=form.cleaned_data.get("note", ""),
                params=form.params(),
            )
        except CaseConflict as refused:
            error = _messages_of(refused)
            conflict = True
        except ValidationError as refused:
            if hasattr(refused, "error_dict"):
                _apply_errors(form, refused)
            else:
                error = _messages_of(refused)
        else:
            messages.success(
                request,
                _("Done: %(action)s.") % {"action": Action(action).label},
            )
            url = reverse("workbench:case", args=[case.pk])
            if _is_htmx(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return HttpResponseRedirect(url)
    case.refresh_from_db()
    if conflict:
        # What was typed stays, now against the version the case has: sending it again is a
        # deliberate second decision, taken after reading the message.
        data = request.POST.copy()
        data["expected_version"] = str(case.version)
        form = action_form(action, case=case, data=data)
        form.is_valid()
    panel = _action_panel_context(user, case, action, form=form, error=error, conflict=conflict)
    if _is_htmx(request):
        # htmx swaps 2xx answers only; the error is in the form it shows.
        return render(request, "workbench/cases/_action_form.html", panel)
    return _render_case(request, user, case, extra=panel, status=409 if conflict else 400)


# --- notices ------------------------------------------------------------------------------------


def _notice_of(case: Case, notice_id: int) -> Notice:
    notice = case.notices.filter(pk=notice_id).select_related("case", "issued_by").first()
    if notice is None:
        raise Http404
    return notice


@login_required
def notice_print(request: HttpRequest, case_id: int, notice_id: int) -> HttpResponse:
    user = _require_case_reader(request)
    case = access_case(user, case_id)
    notice = _notice_of(case, notice_id)
    personal_data_view_record(actor=user, case=case, purpose=_("notice print"))
    context = notice_context(notice, progress_url=progress_url_for(case, request))
    context["pdf_url"] = reverse("workbench:case_notice_pdf", args=[case.pk, notice.pk])
    context["back_url"] = reverse("workbench:case", args=[case.pk])
    return render(request, "cases/notice_print.html", context)


@login_required
def notice_pdf_download(request: HttpRequest, case_id: int, notice_id: int) -> HttpResponse:
    user = _require_case_reader(request)
    case = access_case(user, case_id)
    notice = _notice_of(case, notice_id)
    personal_data_view_record(actor=user, case=case, purpose=_("notice PDF"))
    data = notice_pdf(notice, progress_url=progress_url_for(case, request))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{notice.number}.pdf"'
    return response


@login_required
@require_POST
def notice_confirm_view(request: HttpRequest, case_id: int, notice_id: int) -> HttpResponse:
    user = _require_case_reader(request)
    case = access_case(user, case_id, for_write=True)
    notice = _notice_of(case, notice_id)
    form = NoticeConfirmForm(request.POST)
    if form.is_valid():
        try:
            notice_confirm(
                actor=user, notice=notice, confirmed_by_name=form.cleaned_data["confirmed_by_name"]
            )
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("The applicant's confirmation is recorded."))
    else:
        messages.error(request, _("Give the name of the person who signed."))
    return HttpResponseRedirect(reverse("workbench:case", args=[case.pk]) + "#notices")


# --- joint review and fees ----------------------------------------------------------------------


@login_required
@require_POST
def joint_task_complete_view(request: HttpRequest, case_id: int, task_id: int) -> HttpResponse:
    user = _require_case_reader(request)
    case = access_case(user, case_id, for_write=True)
    task = case.joint_tasks.filter(pk=task_id).first()
    if task is None:
        raise Http404
    form = JointTaskForm(request.POST, prefix=f"task{task.pk}")
    if form.is_valid():
        try:
            joint_task_complete(
                actor=user,
                task=task,
                opinion=form.cleaned_data["opinion"],
                agrees=form.cleaned_data["agrees"],
            )
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("The review task is done."))
    else:
        messages.error(request, _("Choose agree or disagree and write the opinion."))
    return HttpResponseRedirect(reverse("workbench:case", args=[case.pk]) + "#joint")


@login_required
@require_POST
def joint_meeting_view(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _require_case_reader(request)
    case = access_case(user, case_id, for_write=True)
    form = JointMeetingForm(request.POST, prefix="meeting")
    if form.is_valid():
        try:
            joint_meeting_record(actor=user, case=case, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("The joint review meeting is recorded."))
    else:
        messages.error(request, _("Give the time, the participants and the conclusions."))
    return HttpResponseRedirect(reverse("workbench:case", args=[case.pk]) + "#joint")


@login_required
@require_POST
def joint_proposal_view(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _require_case_reader(request)
    case = access_case(user, case_id, for_write=True)
    form = JointProposalForm(request.POST, prefix="proposal")
    if form.is_valid():
        try:
            joint_proposal_submit(actor=user, case=case, text=form.cleaned_data["text"])
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("The proposal is sent to the hall director."))
    else:
        messages.error(request, _("Write the proposal."))
    return HttpResponseRedirect(reverse("workbench:case", args=[case.pk]) + "#joint")


@login_required
@require_POST
def fee_record_view(request: HttpRequest, case_id: int) -> HttpResponse:
    user = _require_case_reader(request)
    case = access_case(user, case_id, for_write=True)
    form = FeeForm(request.POST, case=case, prefix="fee")
    if form.is_valid():
        try:
            case_fee_record(actor=user, case=case, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, _messages_of(error))
        else:
            messages.success(request, _("The fee is recorded."))
    else:
        messages.error(
            request,
            " ".join(str(e) for errors in form.errors.values() for e in errors)
            or _("Check the fee."),
        )
    return HttpResponseRedirect(reverse("workbench:case", args=[case.pk]) + "#fees")


# --- the outbox ---------------------------------------------------------------------------------


def _mask_address(message: OutboundMessage) -> str:
    if message.channel == OutboundMessage.Channel.SMS:
        return mask_phone(message.to)
    local, _at, domain = message.to.partition("@")
    return f"{local[:1]}***@{domain}" if domain else mask_id(message.to)


@login_required
def outbox(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    if not can_read_outbox(user):
        raise Http404
    page = Paginator(queries.outbox_in_scope(user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/cases/outbox.html",
        {
            "page_obj": page,
            "rows": [
                {
                    "message": message,
                    "to": _mask_address(message),
                    "purpose": purpose_label(message.purpose),
                }
                for message in page.object_list
            ],
            "querystring_without_page": "",
        },
    )
