"""Changing staff accounts (SPEC §3): the login, its roles, where the person works.

Nobody changes an account above their own standing (org.access.standing); a change of roles, a
password or the active flag needs a reason, is logged with it and told to the person by SMS.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.roles import Role
from govhall.core.validation import Conflict, FieldErrors
from govhall.org.access.standing import can_manage_person, grantable_roles, manages_center
from govhall.org.events import OrgEvent
from govhall.org.models import Center, Department, Post, Staff, Window
from govhall.org.services._common import (
    apply_changes,
    lock_rows,
    model_errors,
    name_of,
    reject_unknown,
)

STAFF_USER_FIELDS = frozenset({"full_name", "phone"})
STAFF_FIELDS = frozenset({"title", "staff_number", "department", "is_window_staff"})
MAX_STAFF_REASON_LENGTH = 200


def _parse_roles(roles: Iterable[str], errors: FieldErrors) -> list[Role]:
    parsed: list[Role] = []
    for role in roles:
        if role not in Role.values:
            errors.add("roles", _("Unknown role: %(role)s.") % {"role": role})
        elif Role(role) not in parsed:
            parsed.append(Role(role))
    if not parsed and "roles" not in errors:
        errors.add("roles", _("Choose at least one role."))
    return parsed


def _set_groups(user: User, roles: Sequence[Role]) -> None:
    user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    # Roles and scope are cached on the user object; this object must see the new ones.
    for cached in ("_govhall_roles", "_govhall_scope"):
        if hasattr(user, cached):
            delattr(user, cached)


def _department_errors(center: Center, department: Department | None, errors: FieldErrors) -> None:
    if department is not None and department.center_id != center.pk:
        errors.add(
            "department",
            _("%(department)s is not stationed in this center.") % {"department": department.name},
        )


def _require_standing(actor: User | None, staff: Staff) -> None:
    if not can_manage_person(actor, staff):
        raise ValidationError(
            _("You may not change the account of %(name)s: it is above your standing.")
            % {"name": name_of(staff.user)}
        )


def _grant_errors(actor: User | None, roles: Sequence[Role], errors: FieldErrors) -> None:
    refused = [role for role in roles if role not in grantable_roles(actor)]
    for role in refused:
        errors.add(
            "roles",
            _("You may not grant the role %(role)s: you do not hold it.") % {"role": role.label},
        )


def _reason(actor: User | None, reason: str, errors: FieldErrors) -> str:
    """A person changing roles, a password or the active flag says why (the system need not)."""
    return errors.text(
        "reason",
        reason,
        max_length=MAX_STAFF_REASON_LENGTH,
        required=_("Give the reason for this change of the account.") if actor is not None else "",
    )


def _tell_person(staff: Staff, actor: User | None, what: str, reason: str) -> None:
    """Tell the person, after commit, by SMS to their phone (if any) what changed and why."""
    phone = staff.user.phone.strip()
    if not phone:
        return
    by = name_of(actor) if actor is not None else _("the system")
    text = _(
        "Your govhall account %(username)s: %(what)s by %(by)s. Reason: %(reason)s. "
        "If you did not expect this, contact the hall's management."
    ) % {"username": staff.user.username, "what": what, "by": by, "reason": reason or "—"}
    staff_id, center_id = staff.pk, staff.center_id

    def send() -> None:
        send_sms(
            to=phone,
            text=text,
            purpose="staff.account",
            obj=Staff(pk=staff_id),
            center_id=center_id,
        )

    transaction.on_commit(send)


def _password_errors(password: str | None, user: User, errors: FieldErrors) -> None:
    if password is None:
        return
    try:
        validate_password(password, user)
    except ValidationError as exc:
        for message in exc.messages:
            errors.add("password", message)


@transaction.atomic
def staff_create(
    *,
    actor: User | None,
    center: Center,
    username: str,
    full_name: str,
    roles: Iterable[str],
    department: Department | None = None,
    password: str | None = None,
    is_window_staff: bool = False,
    title: str = "",
    phone: str = "",
    staff_number: str = "",
) -> User:
    """Create a staff account: the login, its role groups and where the person works.

    The actor must manage people at `center` and may grant only roles they may grant."""
    if not manages_center(actor, center.pk):
        raise ValidationError(_("You may not create accounts at %(center)s.") % {"center": center})
    errors = FieldErrors()
    username = username.strip()
    user = User(username=username, full_name=full_name.strip(), phone=phone.strip())
    if not username:
        errors.add("username", _("Enter a username."))
    else:
        try:
            User.username_validator(username)
        except ValidationError as exc:
            for message in exc.messages:
                errors.add("username", message)
        if User.objects.filter(username__iexact=username).exists():
            errors.conflict(
                "username", _("The username %(username)s is taken.") % {"username": username}
            )
    if not user.full_name:
        errors.add("full_name", _("Enter the person's full name."))
    parsed_roles = _parse_roles(roles, errors)
    _grant_errors(actor, parsed_roles, errors)
    _department_errors(center, department, errors)
    _password_errors(password, user, errors)
    model_errors(user, errors, exclude=["password"])
    staff = Staff(
        center=center,
        department=department,
        title=title.strip(),
        staff_number=staff_number.strip(),
        is_window_staff=is_window_staff,
    )
    model_errors(staff, errors, exclude=["user"])
    errors.raise_if_any()

    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save()
    _set_groups(user, parsed_roles)
    staff.user = user
    staff.save()
    record_event(
        actor=actor,
        action=OrgEvent.STAFF_CREATE,
        obj=staff,
        center_id=center.pk,
        data={
            "user": user.pk,
            "roles": [role.value for role in parsed_roles],
            "department": department.pk if department else None,
            "is_window_staff": is_window_staff,
        },
    )
    return user


def _holds_posts(user_id: int) -> bool:
    return Post.objects.filter(models.Q(a_staff_id=user_id) | models.Q(b_staff_id=user_id)).exists()


def _staff_errors(
    staff: Staff, department: Department | None, is_window_staff: bool, errors: FieldErrors
) -> None:
    _department_errors(staff.center, department, errors)
    if staff.is_window_staff and not is_window_staff and _holds_posts(staff.user_id):
        errors.add(
            "is_window_staff",
            _("%(name)s still holds a post at a window; take them off the post first.")
            % {"name": name_of(staff.user)},
        )


def staff_validate(*, staff: Staff, department: Department | None, is_window_staff: bool) -> None:
    """The department must be stationed in the person's center; someone holding a post stays
    window staff until taken off it."""
    errors = FieldErrors()
    _staff_errors(staff, department, is_window_staff, errors)
    errors.raise_if_any()


@transaction.atomic
def staff_update(
    *,
    actor: User | None,
    staff: Staff,
    roles: Iterable[str] | None = None,
    password: str | None = None,
    reason: str = "",
    **fields: Any,
) -> Staff:
    """Change a staff member's details and, when given, their roles and password.

    Only within the actor's standing (org.access.standing.can_manage_person); a change of roles
    or password needs a reason, is logged with it and told to the person."""
    reject_unknown(fields, STAFF_USER_FIELDS | STAFF_FIELDS)
    lock_rows(Staff, [staff.pk])
    _require_standing(actor, staff)
    user = copy.copy(staff.user)
    proposed = copy.copy(staff)
    changed = apply_changes(user, {k: v for k, v in fields.items() if k in STAFF_USER_FIELDS})
    changed |= apply_changes(proposed, {k: v for k, v in fields.items() if k in STAFF_FIELDS})
    errors = FieldErrors()
    if "full_name" in changed and not user.full_name:
        errors.add("full_name", _("Enter the person's full name."))
    if "department" in changed or "is_window_staff" in changed:
        _staff_errors(staff, proposed.department, proposed.is_window_staff, errors)
    new_roles: list[Role] | None = None
    if roles is not None:
        new_roles = _parse_roles(roles, errors)
        old_roles = sorted(staff.user.groups.values_list("name", flat=True))
        if sorted(role.value for role in new_roles) != old_roles:
            changed["roles"] = [old_roles, sorted(role.value for role in new_roles)]
            _grant_errors(actor, new_roles, errors)
    if password:
        _password_errors(password, user, errors)
        changed["password"] = ["", ""]  # recorded as changed, never the value
    reason = str(reason).strip()
    if "roles" in changed or "password" in changed:
        reason = _reason(actor, reason, errors)
    user_changes = [name for name in changed if name in STAFF_USER_FIELDS]
    staff_changes = [name for name in changed if name in STAFF_FIELDS]
    if user_changes:
        model_errors(user, errors, exclude=["password"])
    if staff_changes:
        model_errors(proposed, errors, exclude=["user"])
    errors.raise_if_any()
    if not changed:
        return staff

    if password:
        user.set_password(password)
        user_changes.append("password")
    if user_changes:
        user.save(update_fields=user_changes)
    if staff_changes:
        proposed.save(update_fields=[*staff_changes, "updated_at"])
    if new_roles is not None and "roles" in changed:
        _set_groups(staff.user, new_roles)
    record_event(
        actor=actor,
        action=OrgEvent.STAFF_UPDATE,
        obj=proposed,
        center_id=proposed.center_id,
        note=reason,
        data={"changed": changed},
    )
    if "roles" in changed:
        _tell_person(
            staff,
            actor,
            _("roles changed to %(roles)s")
            % {"roles": "、".join(str(role.label) for role in new_roles or ())},
            reason,
        )
    if "password" in changed:
        _tell_person(staff, actor, _("password changed"), reason)
    for name in user_changes:
        setattr(staff.user, name, getattr(user, name))
    for name in (*staff_changes, "updated_at"):
        setattr(staff, name, getattr(proposed, name))
    return staff


@transaction.atomic
def staff_set_roles(
    *, actor: User | None, user: User, roles: Iterable[str], reason: str = ""
) -> User:
    """Replace a person's roles, within the actor's standing, with a reason."""
    staff = Staff.objects.select_related("user", "center").filter(user=user).first()
    if staff is not None:
        _require_standing(actor, staff)
    elif actor is not None and not getattr(actor, "is_superuser", False):
        # A login without a workplace is nobody's subtree: only the system or a superuser.
        raise ValidationError(_("Only a system administrator may change this account."))
    errors = FieldErrors()
    parsed = _parse_roles(roles, errors)
    errors.raise_if_any()
    old = sorted(user.groups.values_list("name", flat=True))
    new = sorted(role.value for role in parsed)
    if old == new:
        return user
    _grant_errors(actor, parsed, errors)
    reason = _reason(actor, str(reason).strip(), errors)
    errors.raise_if_any()
    _set_groups(user, parsed)
    record_event(
        actor=actor,
        action=OrgEvent.STAFF_SET_ROLES,
        obj=staff if staff is not None else user,
        center_id=staff.center_id if staff is not None else None,
        note=reason,
        data={"changed": {"roles": [old, new]}},
    )
    if staff is not None:
        _tell_person(
            staff,
            actor,
            _("roles changed to %(roles)s")
            % {"roles": "、".join(str(role.label) for role in parsed)},
            reason,
        )
    return user


@transaction.atomic
def staff_deactivate(*, actor: User | None, staff: Staff, reason: str = "") -> Staff:
    """Disable the login of someone who left; their posts and window headships fall vacant."""
    lock_rows(Staff, [staff.pk])
    user = staff.user
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot disable your own account."))
    _require_standing(actor, staff)
    errors = FieldErrors()
    reason = _reason(actor, str(reason).strip(), errors)
    errors.raise_if_any()
    if not User.objects.filter(pk=user.pk, is_active=True).exists():
        raise Conflict(_("This account is already disabled."))
    a_posts = list(Post.objects.filter(a_staff=user).values_list("pk", flat=True))
    b_posts = list(Post.objects.filter(b_staff=user).values_list("pk", flat=True))
    headed = list(Window.objects.filter(head=user).values_list("pk", flat=True))
    Post.objects.filter(pk__in=a_posts).update(a_staff=None)
    Post.objects.filter(pk__in=b_posts).update(b_staff=None)
    Window.objects.filter(pk__in=headed).update(head=None)
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    record_event(
        actor=actor,
        action=OrgEvent.STAFF_DEACTIVATE,
        obj=staff,
        center_id=staff.center_id,
        note=reason,
        data={"vacated_a_posts": a_posts, "vacated_b_posts": b_posts, "headed_windows": headed},
    )
    _tell_person(staff, actor, _("account disabled"), reason)
    return staff


@transaction.atomic
def staff_activate(*, actor: User | None, staff: Staff, reason: str = "") -> Staff:
    lock_rows(Staff, [staff.pk])
    user = staff.user
    _require_standing(actor, staff)
    if User.objects.filter(pk=user.pk, is_active=True).exists():
        raise Conflict(_("This account is already active."))
    errors = FieldErrors()
    reason = _reason(actor, str(reason).strip(), errors)
    errors.raise_if_any()
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    record_event(
        actor=actor,
        action=OrgEvent.STAFF_ACTIVATE,
        obj=staff,
        center_id=staff.center_id,
        note=reason,
    )
    _tell_person(staff, actor, _("account enabled"), reason)
    return staff
