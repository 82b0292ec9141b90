"""Workbench pages of study and training (issue 21 item 2): a center's study sessions with the
cadence ("next session due by …", the periods without a session), planning one, the session page
with its register (everyone expected, present by default), notes and the archive button, the
printable sign-in register (签到表); trainings with participants and results; one's own record
("my study")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.core.validation import Conflict
from govhall.org.access.lookups import access_center
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Center
from govhall.staffing.access.learning import (
    access_study_session,
    access_training,
    can_run_learning,
    can_run_learning_at,
    can_see_own_learning,
    study_sessions_in_scope,
    trainings_in_scope,
)
from govhall.staffing.models.learning import AttendanceMark, StudySession
from govhall.staffing.queries.learning import (
    missed_study_sessions,
    my_study_sessions,
    register_counts,
    register_rows,
    study_cadence,
    training_candidates,
    training_records,
)
from govhall.staffing.services.learning import (
    allowed_study_actions,
    study_notes_record,
    study_refusal,
    study_register_mark,
    study_session_archive,
    study_session_plan,
    training_event_record,
    training_participation_record,
)
from govhall.staffing.study_transitions import StudyAction
from govhall.workbench.learning.forms import (
    NotesForm,
    ParticipationForm,
    SessionPlanForm,
    TrainingForm,
)
from govhall.workbench.org.forms import show_errors
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 30


def _need_runner(request: HttpRequest) -> None:
    if not can_run_learning(request.user):
        raise Http404


def _center(request: HttpRequest) -> Center:
    """?center=<id> within scope, else the user's own center."""
    raw = request.GET.get("center") or ""
    if raw:
        return access_center(request.user, raw)
    root = scope_of(request.user).root
    if root is not None:
        return root
    center = centers_in_scope(request.user).order_by("path").first()
    if center is None:
        raise Http404
    return center


def _managed_centers(request: HttpRequest) -> list[Center]:
    return [
        c
        for c in centers_in_scope(request.user).filter(is_active=True).order_by("path")[:300]
        if can_run_learning_at(request.user, c.pk)
    ]


def _show(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        if isinstance(error, Conflict):
            messages.warning(request, message)
        else:
            messages.error(request, message)


@login_required
def study_sessions(request: HttpRequest) -> HttpResponse:
    """A center's sessions, newest first, with the cadence."""
    _need_runner(request)
    actor = staff_user(request)
    center = _center(request)
    sessions = (
        study_sessions_in_scope(actor)
        .filter(center=center)
        .annotate(
            present=Count("register", filter=Q(register__mark=AttendanceMark.PRESENT)),
            excused=Count("register", filter=Q(register__mark=AttendanceMark.EXCUSED)),
            absent=Count("register", filter=Q(register__mark=AttendanceMark.ABSENT)),
        )
        .order_by("-held_on", "-starts", "-id")
    )
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "workbench/staffing/learning/sessions.html",
        {
            "center": center,
            "centers": centers_in_scope(actor).filter(is_active=True).order_by("path")[:300],
            "cadence": study_cadence(center_id=center.pk, today=timezone.localdate()),
            "page_obj": page,
            "can_plan": can_run_learning_at(actor, center.pk),
        },
    )


@login_required
def study_session_new(request: HttpRequest) -> HttpResponse:
    """Plan a session (or record one held already)."""
    _need_runner(request)
    actor = staff_user(request)
    centers = _managed_centers(request)
    if not centers:
        raise Http404
    root = scope_of(actor).root
    form = SessionPlanForm(
        request.POST if request.method == "POST" else None,
        centers=Center.objects.filter(pk__in=[c.pk for c in centers]),
        initial={"center": root.pk if root else centers[0].pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = study_session_plan(
                actor=actor,
                center=data["center"],
                held_on=data["held_on"],
                starts=data["starts"],
                ends=data["ends"],
                topic=data["topic"],
                place=data["place"],
                host=data["host"],
                plan=data["plan"],
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The study session is planned."))
            return HttpResponseRedirect(reverse("workbench:study_session", args=[session.pk]))
    return render(request, "workbench/staffing/learning/session_form.html", {"form": form})


def _session_context(request: HttpRequest, session: StudySession) -> dict[str, object]:
    actor = staff_user(request)
    actions = allowed_study_actions(actor, session)
    manages = can_run_learning_at(actor, session.center_id)
    archive_refusal = (
        study_refusal(actor, session, StudyAction.ARCHIVE)
        if manages and session.archived_at is None
        else None
    )
    return {
        "session": session,
        "rows": register_rows(session),
        "counts": register_counts(session),
        "marks": AttendanceMark.choices,
        "may_mark": StudyAction.MARK in actions,
        "mark_refusal": (
            study_refusal(actor, session, StudyAction.MARK)
            if manages and StudyAction.MARK not in actions
            else None
        ),
        "may_notes": StudyAction.NOTES in actions,
        "may_archive": StudyAction.ARCHIVE in actions,
        "archive_refusal": archive_refusal,
        "notes_form": NotesForm(initial={"discussion_notes": session.discussion_notes}),
        "manages": manages,
    }


@login_required
def study_session(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_study_session(request.user, session_id)
    return render(
        request,
        "workbench/staffing/learning/session.html",
        _session_context(request, session),
    )


def _back(session: StudySession) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("workbench:study_session", args=[session.pk]))


@login_required
@require_POST
def study_register(request: HttpRequest, session_id: int) -> HttpResponse:
    """The register form: one mark (and note) per person listed."""
    session = access_study_session(request.user, session_id, for_write=True)
    marks: dict[int, str] = {}
    notes: dict[int, str] = {}
    for key in request.POST:
        if key.startswith("mark_") and key[5:].isdigit() and len(key) < 25:
            marks[int(key[5:])] = str(request.POST.get(key, ""))
            notes[int(key[5:])] = str(request.POST.get(f"note_{key[5:]}", ""))
    try:
        written = study_register_mark(
            actor=staff_user(request), session=session, marks=marks, notes=notes
        )
    except ValidationError as error:
        _show(request, error)
    else:
        messages.success(
            request, _("The register is saved (%(count)d marked).") % {"count": written}
        )
    return _back(session)


@login_required
@require_POST
def study_notes(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_study_session(request.user, session_id, for_write=True)
    try:
        study_notes_record(
            actor=staff_user(request),
            session=session,
            notes=request.POST.get("discussion_notes", ""),
        )
    except ValidationError as error:
        _show(request, error)
    else:
        messages.success(request, _("The discussion notes are saved."))
    return _back(session)


@login_required
@require_POST
def study_archive(request: HttpRequest, session_id: int) -> HttpResponse:
    session = access_study_session(request.user, session_id, for_write=True)
    try:
        study_session_archive(actor=staff_user(request), session=session)
    except ValidationError as error:
        _show(request, error)
    else:
        messages.success(request, _("The session is archived."))
    return _back(session)


@login_required
def study_register_print(request: HttpRequest, session_id: int) -> HttpResponse:
    """The sign-in register (签到表) on A4: marks when the session is marked, blank otherwise."""
    session = access_study_session(request.user, session_id)
    return render(
        request,
        "workbench/staffing/learning/register_print.html",
        {"session": session, "rows": register_rows(session)},
    )


@login_required
def trainings(request: HttpRequest) -> HttpResponse:
    """Trainings of the user's centers, and recording one."""
    _need_runner(request)
    actor = staff_user(request)
    centers = _managed_centers(request)
    form = None
    if centers:
        root = scope_of(actor).root
        form = TrainingForm(
            request.POST if request.method == "POST" else None,
            centers=Center.objects.filter(pk__in=[c.pk for c in centers]),
            initial={"center": root.pk if root else centers[0].pk},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                event = training_event_record(
                    actor=actor,
                    center=data["center"],
                    kind=data["kind"],
                    title=data["title"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    hours=data["hours"],
                    organizer=data["organizer"],
                    place=data["place"],
                    description=data["description"],
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("The training is recorded."))
                return HttpResponseRedirect(reverse("workbench:training", args=[event.pk]))
    elif request.method == "POST":
        raise Http404
    events = (
        trainings_in_scope(actor)
        .select_related("center")
        .annotate(people=Count("participants"))
        .order_by("-starts_on", "-id")
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "workbench/staffing/learning/trainings.html", {"form": form, "page_obj": page}
    )


@login_required
def training(request: HttpRequest, event_id: int) -> HttpResponse:
    """A training with its participants; its center's management records attendance and
    results."""
    actor = staff_user(request)
    event = access_training(actor, event_id)
    manages = can_run_learning_at(actor, event.center_id)
    form = None
    if manages:
        people = training_candidates(event.center)
        form = ParticipationForm(
            request.POST if request.method == "POST" else None,
            people=people,
            initial={"mark": AttendanceMark.PRESENT},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                training_participation_record(
                    actor=actor,
                    event=event,
                    user_id=data["user"].pk,
                    mark=data["mark"],
                    result=data["result"],
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Attendance and result recorded."))
                return HttpResponseRedirect(reverse("workbench:training", args=[event.pk]))
    elif request.method == "POST":
        raise Http404
    participants = event.participants.select_related("user__staff__department").order_by(
        "user__staff__department__code", "user__username"
    )
    if not manages:
        participants = participants.filter(user_id=actor.pk)
    return render(
        request,
        "workbench/staffing/learning/training.html",
        {"event": event, "participants": participants, "form": form},
    )


@login_required
def my_learning(request: HttpRequest) -> HttpResponse:
    """One's own study record: the sessions whose register lists them, their trainings."""
    if not can_see_own_learning(request.user):
        raise Http404
    actor = staff_user(request)
    today = timezone.localdate()
    year_start = today.replace(month=1, day=1)
    return render(
        request,
        "workbench/staffing/learning/mine.html",
        {
            "lines": my_study_sessions(user_id=actor.pk)[:100],
            "records": training_records(user_id=actor.pk)[:100],
            "missed_this_year": missed_study_sessions(
                user_ids=[actor.pk], start=year_start, end=today
            ).get(actor.pk, 0),
            "year": today.year,
        },
    )
