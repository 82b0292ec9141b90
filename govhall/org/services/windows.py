"""Changing windows and the A/B posts at them (SPEC §3, AB岗).

`window_validate` and `post_validate` check a proposed state without writing, so the Django admin
shows the same messages on the right fields before anything is saved.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.events import OrgEvent
from govhall.org.models import Center, Department, Post, Staff, Window
from govhall.org.services._common import (
    apply_changes,
    lock_rows,
    model_errors,
    name_of,
    others,
    reject_unknown,
    require_center_manager,
)

WINDOW_FIELDS = frozenset(
    {"number", "name", "head", "authorizer", "location", "is_active", "is_agency"}
)
POST_FIELDS = frozenset({"name", "a_staff", "b_staff"})


# --- windows ------------------------------------------------------------------------------------


def _window_errors(
    errors: FieldErrors,
    *,
    center: Center,
    number: int | None,
    departments: Iterable[Department] | None,
    head: User | None,
    window: Window | None,
) -> None:
    if number is None or number < 1:
        errors.add("number", _("A window number is a whole number from 1."))
    elif others(Window.objects.filter(center=center, number=number), window).exists():
        errors.conflict(
            "number",
            _("Window number %(number)d is already used in this center.") % {"number": number},
        )
    for department in departments or ():
        if department.center_id != center.pk:
            errors.add(
                "departments",
                _("%(department)s is not stationed in this center.")
                % {"department": department.name},
            )
    if head is not None:
        if not Staff.objects.filter(user=head, center=center).exists():
            errors.add(
                "head", _("%(name)s does not work at this center.") % {"name": name_of(head)}
            )
        elif not head.is_active:
            errors.add("head", _("%(name)s's account is disabled.") % {"name": name_of(head)})


def _authorizer_errors(errors: FieldErrors, *, center: Center, authorizer: User | None) -> None:
    """The authorizer (授权人) works at the window's center, with an active account."""
    if authorizer is None:
        return
    if not Staff.objects.filter(user=authorizer, center=center).exists():
        errors.add(
            "authorizer",
            _("%(name)s does not work at this center.") % {"name": name_of(authorizer)},
        )
    elif not authorizer.is_active:
        errors.add(
            "authorizer", _("%(name)s's account is disabled.") % {"name": name_of(authorizer)}
        )


def window_validate(
    *,
    center: Center,
    number: int | None,
    departments: Iterable[Department] | None,
    head: User | None,
    window: Window | None = None,
) -> None:
    """Check a window's number, departments and head against its center."""
    errors = FieldErrors()
    _window_errors(
        errors, center=center, number=number, departments=departments, head=head, window=window
    )
    errors.raise_if_any()


@transaction.atomic
def window_create(
    *,
    actor: User | None,
    center: Center,
    number: int,
    name: str,
    departments: Iterable[Department] = (),
    head: User | None = None,
    authorizer: User | None = None,
    location: str = "",
    is_agency: bool = False,
) -> Window:
    require_center_manager(actor, center)
    departments = list(departments)
    errors = FieldErrors()
    _window_errors(
        errors, center=center, number=number, departments=departments, head=head, window=None
    )
    _authorizer_errors(errors, center=center, authorizer=authorizer)
    window = Window(
        center=center,
        number=number,
        name=name.strip(),
        head=head,
        authorizer=authorizer,
        location=location.strip(),
        is_agency=is_agency,  # 代办窗口 (issue 19 item 6)
    )
    model_errors(window, errors)
    errors.raise_if_any()
    window.save()
    window.departments.set(departments)
    record_event(
        actor=actor,
        action=OrgEvent.WINDOW_CREATE,
        obj=window,
        center_id=center.pk,
        data={
            "departments": sorted(d.pk for d in departments),
            "head": head.pk if head else None,
            "is_agency": is_agency,
        },
    )
    return window


@transaction.atomic
def window_update(
    *,
    actor: User | None,
    window: Window,
    departments: Iterable[Department] | None = None,
    **fields: Any,
) -> Window:
    reject_unknown(fields, WINDOW_FIELDS)
    require_center_manager(actor, window.center)
    proposed = copy.copy(window)
    changed = apply_changes(proposed, fields)
    new_departments = list(departments) if departments is not None else None
    if new_departments is not None:
        before = sorted(window.departments.values_list("pk", flat=True))
        after = sorted({d.pk for d in new_departments})
        if before != after:
            changed["departments"] = [before, after]
    if not changed:
        return window
    errors = FieldErrors()
    _window_errors(
        errors,
        center=proposed.center,
        number=proposed.number,
        departments=new_departments,
        head=proposed.head,
        window=proposed,
    )
    if "authorizer" in changed:
        _authorizer_errors(errors, center=proposed.center, authorizer=proposed.authorizer)
    model_errors(proposed, errors)
    errors.raise_if_any()
    proposed.save(
        update_fields=[*(name for name in changed if name in WINDOW_FIELDS), "updated_at"]
    )
    if new_departments is not None and "departments" in changed:
        proposed.departments.set(new_departments)
    record_event(
        actor=actor,
        action=OrgEvent.WINDOW_UPDATE,
        obj=proposed,
        center_id=proposed.center_id,
        data={"changed": changed},
    )
    for name in (*fields, "updated_at"):
        setattr(window, name, getattr(proposed, name))
    return window


# --- posts --------------------------------------------------------------------------------------


def _post_errors(
    errors: FieldErrors,
    *,
    window: Window,
    a_staff: User | None,
    b_staff: User | None,
    post: Post | None,
) -> None:
    if a_staff is not None and b_staff is not None and a_staff.pk == b_staff.pk:
        errors.add("b_staff", _("A and B staff of a post must be two different people."))
    people = [(field, user) for field, user in (("a_staff", a_staff), ("b_staff", b_staff)) if user]
    staff_by_user = {
        staff.user_id: staff
        for staff in Staff.objects.filter(user__in=[user.pk for _field, user in people])
    }
    for field, user in people:
        staff = staff_by_user.get(user.pk)
        name = name_of(user)
        if staff is None or staff.center_id != window.center_id:
            errors.add(field, _("%(name)s does not work at this center.") % {"name": name})
        elif not staff.is_window_staff:
            errors.add(
                field,
                _("%(name)s is not window staff. Non-window staff may not work at a window.")
                % {"name": name},
            )
        elif not user.is_active:
            errors.add(field, _("%(name)s's account is disabled.") % {"name": name})
    if a_staff is not None and "a_staff" not in errors:
        held = others(Post.objects.filter(a_staff=a_staff), post).select_related("window").first()
        if held is not None:
            errors.conflict(
                "a_staff",
                _("%(name)s already holds the A post %(post)s; a person holds one A post only.")
                % {"name": name_of(a_staff), "post": str(held)},
            )


def post_validate(
    *,
    window: Window,
    a_staff: User | None,
    b_staff: User | None,
    post: Post | None = None,
) -> None:
    """AB岗 rules: A and B differ, both are window staff of the window's center, and a person
    holds at most one A post."""
    errors = FieldErrors()
    _post_errors(errors, window=window, a_staff=a_staff, b_staff=b_staff, post=post)
    errors.raise_if_any()


def _lock_post_staff(*users: User | None) -> None:
    """Lock the people's staff rows so two concurrent assignments cannot both pass the one-A-post
    check (the unique constraint is the last line of defence)."""
    ids = [user.pk for user in users if user is not None]
    if ids:
        lock_rows(Staff, Staff.objects.filter(user__in=ids).values_list("pk", flat=True))


@transaction.atomic
def post_create(
    *,
    actor: User | None,
    window: Window,
    name: str,
    a_staff: User | None = None,
    b_staff: User | None = None,
) -> Post:
    require_center_manager(actor, window.center)
    _lock_post_staff(a_staff, b_staff)
    errors = FieldErrors()
    _post_errors(errors, window=window, a_staff=a_staff, b_staff=b_staff, post=None)
    post = Post(window=window, name=name.strip(), a_staff=a_staff, b_staff=b_staff)
    model_errors(post, errors)
    errors.raise_if_any()
    post.save()
    record_event(
        actor=actor,
        action=OrgEvent.POST_CREATE,
        obj=post,
        center_id=window.center_id,
        data={
            "a_staff": a_staff.pk if a_staff else None,
            "b_staff": b_staff.pk if b_staff else None,
        },
    )
    return post


@transaction.atomic
def post_update(*, actor: User | None, post: Post, **fields: Any) -> Post:
    reject_unknown(fields, POST_FIELDS)
    require_center_manager(actor, post.window.center)
    proposed = copy.copy(post)
    changed = apply_changes(proposed, fields)
    if not changed:
        return post
    errors = FieldErrors()
    if "a_staff" in changed or "b_staff" in changed:
        _lock_post_staff(proposed.a_staff, proposed.b_staff)
        _post_errors(
            errors,
            window=proposed.window,
            a_staff=proposed.a_staff,
            b_staff=proposed.b_staff,
            post=proposed,
        )
    model_errors(proposed, errors)
    errors.raise_if_any()
    proposed.save(update_fields=[*changed, "updated_at"])
    action = OrgEvent.POST_UPDATE if set(changed) == {"name"} else OrgEvent.POST_ASSIGN
    record_event(
        actor=actor,
        action=action,
        obj=proposed,
        center_id=proposed.window.center_id,
        data={"changed": changed},
    )
    for name in (*changed, "updated_at"):
        setattr(post, name, getattr(proposed, name))
    return post


def post_assign(
    *, actor: User | None, post: Post, a_staff: User | None, b_staff: User | None
) -> Post:
    """Put A and B staff on a post (None leaves the place empty)."""
    return post_update(actor=actor, post=post, a_staff=a_staff, b_staff=b_staff)


@transaction.atomic
def post_delete(*, actor: User | None, post: Post) -> None:
    require_center_manager(actor, post.window.center)
    record_event(
        actor=actor,
        action=OrgEvent.POST_DELETE,
        obj=post,
        center_id=post.window.center_id,
        data={"window": post.window_id, "name": post.name},
    )
    post.delete()
