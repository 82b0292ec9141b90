"""Organization pages of the workbench: centers, departments, windows and posts, staff.

Everyone with a scope reads within it; only hall managers write (404 for anyone else, as for
objects outside the scope). Views parse input with a form and call one service.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhall.org.access.lookups import (
    access_center,
    access_department,
    access_post,
    access_staff,
    access_window,
)
from govhall.org.access.scope import can_read_staff, centers_in_scope, scope_of
from govhall.org.access.standing import grantable_roles, manageable_staff_ids
from govhall.org.models import Center
from govhall.org.queries.centers import center_tree, centers_with_counts
from govhall.org.queries.departments import departments_for
from govhall.org.queries.staff import staff_directory, staff_rows, staff_users
from govhall.org.queries.windows import board_for
from govhall.org.services import centers as center_services
from govhall.org.services import departments as department_services
from govhall.org.services import staff as staff_services
from govhall.org.services import windows as window_services
from govhall.staffing.queries.posts import covers_to_replace
from govhall.staffing.services.posts import post_staff_change, post_staffed_create
from govhall.workbench.org.forms import (
    CenterForm,
    DepartmentForm,
    PostStaffForm,
    StaffForm,
    WindowForm,
    show_errors,
)
from govhall.workbench.request_input import staff_user

PAGE_SIZE = 50


def _querystring(**params: str | int | None) -> str:
    """Filters to keep in pagination links ("a=1&" or "")."""
    kept = {key: value for key, value in params.items() if value is not None and value != ""}
    return f"{urlencode(kept)}&" if kept else ""


def _center_filter(request: HttpRequest) -> Center | None:
    center_id = request.GET.get("center", "")
    return access_center(request.user, center_id) if center_id else None


def _default_center(request: HttpRequest) -> Center | None:
    scope = scope_of(request.user)
    if scope.root is not None:
        return scope.root
    return centers_in_scope(request.user).order_by("path").first()


def _center_options(request: HttpRequest) -> list[Center]:
    return list(centers_in_scope(request.user).only("pk", "name", "path", "level"))


# --- centers ------------------------------------------------------------------------------------


@login_required
def centers(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workbench/org/centers.html",
        {"tree": center_tree(request.user), "can_manage": scope_of(request.user).can_manage},
    )


@login_required
def center_detail(request: HttpRequest, center_id: int) -> HttpResponse:
    center = access_center(request.user, center_id)
    children = centers_with_counts(request.user).filter(parent=center).order_by("code")
    counts = centers_with_counts(request.user).get(pk=center.pk)
    return render(
        request,
        "workbench/org/center_detail.html",
        {
            "center": center,
            "parent_visible": center.parent_id is not None
            and centers_in_scope(request.user).filter(pk=center.parent_id).exists(),
            "children": children,
            "department_count": counts.department_count,  # type: ignore[attr-defined]
            "window_count": counts.window_count,  # type: ignore[attr-defined]
            "can_manage": scope_of(request.user).can_manage,
        },
    )


def _movable_parents(request: HttpRequest, center: Center) -> Any:
    """Parents a manager may choose: centers of their scope; none for the scope's own root."""
    scope = scope_of(request.user)
    if not scope.everything and scope.root is not None and scope.root.pk == center.pk:
        return None
    return centers_in_scope(request.user).exclude(pk=center.pk).order_by("path")


@login_required
def center_edit(request: HttpRequest, center_id: int) -> HttpResponse:
    center = access_center(request.user, center_id, for_write=True)
    parents = _movable_parents(request, center)
    form = CenterForm(
        request.POST or None,
        parents=parents,
        creating=False,
        initial=CenterForm.initial_for(center),
    )
    if request.method == "POST" and form.is_valid():
        try:
            center_services.center_update(
                actor=staff_user(request), center=center, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Center saved."))
            return redirect("workbench:center", center_id=center.pk)
    return render(
        request,
        "workbench/org/center_form.html",
        {"form": form, "center": center, "title": _("Edit %(name)s") % {"name": center.name}},
    )


@login_required
def center_create(request: HttpRequest, center_id: int) -> HttpResponse:
    parent = access_center(request.user, center_id, for_write=True)
    form = CenterForm(request.POST or None, creating=True, initial=CenterForm.child_initial(parent))
    if request.method == "POST" and form.is_valid():
        try:
            center = center_services.center_create(
                actor=staff_user(request), parent=parent, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Center created."))
            return redirect("workbench:center", center_id=center.pk)
    return render(
        request,
        "workbench/org/center_form.html",
        {
            "form": form,
            "center": parent,
            "title": _("New sub-center of %(name)s") % {"name": parent.name},
        },
    )


# --- departments --------------------------------------------------------------------------------


@login_required
def departments(request: HttpRequest) -> HttpResponse:
    center = _center_filter(request)
    page = Paginator(departments_for(request.user, center=center), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    scope = scope_of(request.user)
    return render(
        request,
        "workbench/org/departments.html",
        {
            "page_obj": page,
            "center": center,
            "centers": _center_options(request),
            "create_center": center or scope.root,
            "can_manage": scope.can_manage,
            "querystring_without_page": _querystring(center=center.pk if center else None),
        },
    )


@login_required
def department_create(request: HttpRequest, center_id: int) -> HttpResponse:
    center = access_center(request.user, center_id, for_write=True)
    form = DepartmentForm(request.POST or None, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            department_services.department_create(
                actor=staff_user(request), center=center, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Department created."))
            return redirect(f"{reverse('workbench:departments')}?center={center.pk}")
    return render(
        request,
        "workbench/org/simple_form.html",
        {
            "form": form,
            "title": _("New department in %(center)s") % {"center": center.name},
            "back": f"{reverse('workbench:departments')}?center={center.pk}",
        },
    )


@login_required
def department_edit(request: HttpRequest, department_id: int) -> HttpResponse:
    department = access_department(request.user, department_id, for_write=True)
    form = DepartmentForm(
        request.POST or None,
        creating=False,
        initial={name: getattr(department, name) for name in DepartmentForm.base_fields},
    )
    back = f"{reverse('workbench:departments')}?center={department.center_id}"
    if request.method == "POST" and form.is_valid():
        try:
            department_services.department_update(
                actor=staff_user(request), department=department, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Department saved."))
            return redirect(back)
    return render(
        request,
        "workbench/org/simple_form.html",
        {"form": form, "title": _("Edit %(name)s") % {"name": department.name}, "back": back},
    )


# --- windows and posts --------------------------------------------------------------------------


@login_required
def windows(request: HttpRequest) -> HttpResponse:
    center = _center_filter(request) or _default_center(request)
    page = None
    if center is not None:
        page = Paginator(board_for(request.user, center), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "workbench/org/windows.html",
        {
            "center": center,
            "page_obj": page,
            "centers": _center_options(request),
            "can_manage": scope_of(request.user).can_manage,
            "covers_to_replace": covers_to_replace(center) if center is not None else [],
            "querystring_without_page": _querystring(center=center.pk if center else None),
        },
    )


def _board_url(center_id: int) -> str:
    return f"{reverse('workbench:windows')}?center={center_id}"


def _window_form(request: HttpRequest, center: Center, **kwargs: Any) -> WindowForm:
    return WindowForm(
        request.POST or None,
        departments=center.departments.filter(is_active=True).order_by("code"),
        heads=staff_users(center),
        **kwargs,
    )


@login_required
def window_create(request: HttpRequest, center_id: int) -> HttpResponse:
    center = access_center(request.user, center_id, for_write=True)
    form = _window_form(request, center, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            window_services.window_create(
                actor=staff_user(request), center=center, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Window created."))
            return redirect(_board_url(center.pk))
    return render(
        request,
        "workbench/org/simple_form.html",
        {
            "form": form,
            "title": _("New window in %(center)s") % {"center": center.name},
            "back": _board_url(center.pk),
        },
    )


@login_required
def window_edit(request: HttpRequest, window_id: int) -> HttpResponse:
    window = access_window(request.user, window_id, for_write=True)
    initial = {
        "number": window.number,
        "name": window.name,
        "location": window.location,
        "departments": list(window.departments.all()),
        "head": window.head_id,
        "authorizer": window.authorizer_id,
        "is_agency": window.is_agency,
        "is_active": window.is_active,
    }
    form = _window_form(request, window.center, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            window_services.window_update(
                actor=staff_user(request), window=window, **form.cleaned_data
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Window saved."))
            return redirect(_board_url(window.center_id))
    return render(
        request,
        "workbench/org/simple_form.html",
        {
            "form": form,
            "title": _("Edit %(window)s") % {"window": window},
            "back": _board_url(window.center_id),
        },
    )


@login_required
def post_create(request: HttpRequest, window_id: int) -> HttpResponse:
    window = access_window(request.user, window_id, for_write=True)
    form = PostStaffForm(
        request.POST or None, people=staff_users(window.center, window_staff_only=True)
    )
    if request.method == "POST" and form.is_valid():
        try:
            post_staffed_create(actor=staff_user(request), window=window, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Post created."))
            return redirect(_board_url(window.center_id))
    return render(
        request,
        "workbench/org/simple_form.html",
        {
            "form": form,
            "title": _("New post at %(window)s") % {"window": window},
            "back": _board_url(window.center_id),
        },
    )


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    post = access_post(request.user, post_id, for_write=True)
    form = PostStaffForm(
        request.POST or None,
        people=staff_users(post.window.center, window_staff_only=True),
        initial={"name": post.name, "a_staff": post.a_staff_id, "b_staff": post.b_staff_id},
    )
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            if (data["a_staff"], data["b_staff"]) == (post.a_staff, post.b_staff):
                window_services.post_update(actor=staff_user(request), post=post, name=data["name"])
            else:
                post_staff_change(actor=staff_user(request), post=post, **data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Post saved."))
            return redirect(_board_url(post.window.center_id))
    return render(
        request,
        "workbench/org/simple_form.html",
        {
            "form": form,
            "title": _("A and B staff of %(post)s") % {"post": post},
            "back": _board_url(post.window.center_id),
        },
    )


# --- staff --------------------------------------------------------------------------------------


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    if not can_read_staff(request.user):
        raise Http404
    center = _center_filter(request)
    search = request.GET.get("q", "").strip()
    page = Paginator(
        staff_directory(request.user, center=center, search=search), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    scope = scope_of(request.user)
    return render(
        request,
        "workbench/org/staff.html",
        {
            "page_obj": page,
            "rows": staff_rows(page.object_list),
            "editable": manageable_staff_ids(request.user, page.object_list),
            "center": center,
            "centers": _center_options(request),
            "search": search,
            "create_center": center or scope.root,
            "can_manage": scope.can_manage,
            "querystring_without_page": _querystring(
                center=center.pk if center else None, q=search
            ),
        },
    )


def _staff_list_url(center_id: int) -> str:
    return f"{reverse('workbench:staff')}?center={center_id}"


@login_required
def staff_create(request: HttpRequest, center_id: int) -> HttpResponse:
    center = access_center(request.user, center_id, for_write=True)
    form = StaffForm(
        request.POST or None,
        departments=center.departments.filter(is_active=True).order_by("code"),
        creating=True,
        roles=grantable_roles(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            staff_services.staff_create(
                actor=staff_user(request), center=center, **form.service_kwargs()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Staff member created."))
            return redirect(_staff_list_url(center.pk))
    return render(
        request,
        "workbench/org/simple_form.html",
        {
            "form": form,
            "title": _("New staff member at %(center)s") % {"center": center.name},
            "back": _staff_list_url(center.pk),
        },
    )


@login_required
def staff_edit(request: HttpRequest, staff_id: int) -> HttpResponse:
    member = access_staff(request.user, staff_id, for_write=True)
    user = member.user
    initial = {
        "full_name": user.full_name,
        "phone": user.phone,
        "title": member.title,
        "staff_number": member.staff_number,
        "department": member.department_id,
        "is_window_staff": member.is_window_staff,
        "roles": list(user.groups.values_list("name", flat=True)),
    }
    form = StaffForm(
        request.POST or None,
        departments=member.center.departments.order_by("code"),
        creating=False,
        initial=initial,
        roles=grantable_roles(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            staff_services.staff_update(
                actor=staff_user(request), staff=member, **form.service_kwargs()
            )
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Staff member saved."))
            return redirect(_staff_list_url(member.center_id))
    return render(
        request,
        "workbench/org/staff_form.html",
        {
            "form": form,
            "member": member,
            "title": _("Edit %(name)s") % {"name": user.display_name},
            "back": _staff_list_url(member.center_id),
        },
    )


@require_POST
@login_required
def staff_set_active(request: HttpRequest, staff_id: int) -> HttpResponse:
    member = access_staff(request.user, staff_id, for_write=True)
    activate = request.POST.get("active") == "1"
    reason = request.POST.get("reason", "")
    try:
        if activate:
            staff_services.staff_activate(actor=staff_user(request), staff=member, reason=reason)
            messages.success(request, _("Account enabled."))
        else:
            staff_services.staff_deactivate(actor=staff_user(request), staff=member, reason=reason)
            messages.success(request, _("Account disabled; their posts are now vacant."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("workbench:staff_edit", staff_id=member.pk)
