"""Changes to the organization (SPEC §3). Every change is atomic, validated and logged.

Rules live here and nowhere else; the workbench, the admin, the API and the demo loader all call
these functions. `*_validate` functions check a proposed state without writing, so forms (the
Django admin) can show the same messages on the right fields before anything is saved.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import CharField, Max, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.notify import send_sms
from govhall.core.roles import Role
from govhall.org.access import (
    can_manage_person,
    grantable_roles,
    manages_center,
    scope_of,
)
from govhall.org.models import LEVEL_RANK, Center, CenterLevel, Department, Post, Staff, Window

M = TypeVar("M", bound=models.Model)

PATH_MAX_LENGTH = Center._meta.get_field("path").max_length or 255
MAX_EARLY_ARRIVAL_MINUTES = 60

CENTER_FIELDS = frozenset(
    {
        "code",
        "name",
        "level",
        "parent",
        "address",
        "phone",
        "morning_opens",
        "morning_closes",
        "afternoon_opens",
        "afternoon_closes",
        "early_arrival_minutes",
        "is_active",
    }
)
DEPARTMENT_FIELDS = frozenset({"code", "name", "short_name", "phone", "is_active"})
WINDOW_FIELDS = frozenset({"number", "name", "head", "location", "is_active"})
POST_FIELDS = frozenset({"name", "a_staff", "b_staff"})
STAFF_USER_FIELDS = frozenset({"full_name", "phone"})
STAFF_FIELDS = frozenset({"title", "department", "is_window_staff"})


# --- helpers ------------------------------------------------------------------------------------


def _reject_unknown(fields: Iterable[str], allowed: frozenset[str]) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        # A programming error, not bad user input.
        raise TypeError(f"cannot change {', '.join(unknown)}")


def _raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _add(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _event_value(value: object) -> object:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)


def _apply(obj: models.Model, fields: dict[str, Any]) -> dict[str, list[object]]:
    """Set `fields` on `obj`; return {field: [old, new]} for the ones that really change."""
    changed: dict[str, list[object]] = {}
    for name, new in fields.items():
        old = getattr(obj, name)
        if isinstance(new, str):
            new = new.strip()
        if old != new:
            changed[name] = [_event_value(old), _event_value(new)]
            setattr(obj, name, new)
    return changed


def _others(qs: models.QuerySet[M], obj: M | None) -> models.QuerySet[M]:
    """`qs` without `obj` (when it is a stored row)."""
    return qs.exclude(pk=obj.pk) if obj is not None and obj.pk is not None else qs


def _name_of(user: User) -> str:
    return user.full_name or user.username


def _model_errors(obj: models.Model, *, exclude: Sequence[str] = ()) -> None:
    """Field validation (lengths, choices, blanks) after our own rules have passed."""
    obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)


# --- who may change which center's organization (issue 12) -------------------------------------


def _require_center_manager(actor: User | None, center: Center) -> None:
    """The actor manages `center` (a center of their subtree); `actor` None is the system."""
    if not manages_center(actor, center.pk):
        raise ValidationError(
            _("Only the managers of %(center)s may change its organization.")
            % {"center": center.name}
        )


def _parent_errors(
    actor: User | None, center: Center | None, parent: Center | None, errors: dict[str, list[str]]
) -> None:
    """A center is placed only under a center the actor manages (the top of the tree is the
    system's), and a manager does not move the center their own subtree starts from."""
    if actor is None or scope_of(actor).everything:
        return
    root = scope_of(actor).root
    if center is not None and center.pk is not None and root is not None and center.pk == root.pk:
        _add(errors, "parent", _("You cannot move the center you manage; ask a manager above it."))
    elif parent is None:
        _add(errors, "parent", _("Only a system administrator places a center at the top."))
    elif not manages_center(actor, parent.pk):
        _add(
            errors,
            "parent",
            _("You may not place a center under %(center)s.") % {"center": parent.name},
        )


# --- locks --------------------------------------------------------------------------------------


def lock_rows(model: type[M], ids: Iterable[int | None]) -> dict[int, M]:
    """Lock rows of one model in primary-key order (a fixed order, so no deadlocks).

    On SQLite this is a no-op; there write transactions are serialized anyway.
    """
    wanted = sorted({pk for pk in ids if pk is not None})
    if not wanted:
        return {}
    rows = model._default_manager.select_for_update().filter(pk__in=wanted).order_by("pk")
    return {row.pk: row for row in rows}


# --- centers ------------------------------------------------------------------------------------


def _hours_errors(center: Center, errors: dict[str, list[str]]) -> None:
    hours = (
        center.morning_opens,
        center.morning_closes,
        center.afternoon_opens,
        center.afternoon_closes,
    )
    if any(not isinstance(value, datetime.time) for value in hours):
        return  # missing times are reported by field validation
    if not center.morning_opens < center.morning_closes:
        _add(errors, "morning_closes", _("The morning must close after it opens."))
    if not center.morning_closes <= center.afternoon_opens:
        _add(errors, "afternoon_opens", _("The afternoon cannot open before the morning closes."))
    if not center.afternoon_opens < center.afternoon_closes:
        _add(errors, "afternoon_closes", _("The afternoon must close after it opens."))
    minutes = center.early_arrival_minutes
    if minutes is None or not 0 <= minutes <= MAX_EARLY_ARRIVAL_MINUTES:
        _add(
            errors,
            "early_arrival_minutes",
            _("Staff arrive between 0 and %(max)d minutes before opening.")
            % {"max": MAX_EARLY_ARRIVAL_MINUTES},
        )


def center_validate(proposed: Center, *, current: Center | None = None) -> None:
    """Check a proposed center state (`current` is the stored row when changing one).

    Raises ValidationError keyed by field: hours order, early arrival, unique code, level
    against parent and children, and no move under the center's own subtree.
    """
    errors: dict[str, list[str]] = {}
    _hours_errors(proposed, errors)
    code = (proposed.code or "").strip()
    if not code:
        _add(errors, "code", _("Enter a code."))
    elif Center.objects.filter(code=code).exclude(pk=proposed.pk).exists():
        _add(errors, "code", _("The center code %(code)s is already used.") % {"code": code})
    if proposed.level not in CenterLevel.values:
        _add(errors, "level", _("Choose a valid level."))
        _raise_if(errors)
    level = CenterLevel(proposed.level)
    parent = proposed.parent
    if parent is not None:
        if current is not None and (
            parent.pk == current.pk or parent.path.startswith(current.path)
        ):
            _add(
                errors,
                "parent",
                _("A center cannot be moved under itself or one of its own sub-centers."),
            )
        elif LEVEL_RANK[CenterLevel(parent.level)] >= LEVEL_RANK[level]:
            _add(
                errors,
                "parent",
                _("A %(level)s center cannot be placed under a %(parent)s center.")
                % {"level": level.label, "parent": CenterLevel(parent.level).label},
            )
    if current is not None and proposed.level != current.level:
        child_levels = set(current.children.values_list("level", flat=True))
        too_high = [c for c in child_levels if LEVEL_RANK[CenterLevel(c)] <= LEVEL_RANK[level]]
        if too_high:
            _add(
                errors,
                "level",
                _("A %(level)s center cannot supervise its %(child)s sub-centers.")
                % {"level": level.label, "child": CenterLevel(too_high[0]).label},
            )
    _raise_if(errors)


@transaction.atomic
def center_create(
    *,
    actor: User | None,
    code: str,
    name: str,
    level: str,
    parent: Center | None = None,
    **fields: Any,
) -> Center:
    """Create a center under `parent` and set its materialized path."""
    _reject_unknown(fields, CENTER_FIELDS)
    errors: dict[str, list[str]] = {}
    _parent_errors(actor, None, parent, errors)
    _raise_if(errors)
    if parent is not None:
        parent = lock_rows(Center, [parent.pk]).get(parent.pk, parent)
    center = Center(code=code.strip(), name=name.strip(), level=level, parent=parent, **fields)
    center_validate(center)
    _model_errors(center, exclude=["path"])
    center.save()
    center.path = f"{parent.path if parent else '/'}{center.pk}/"
    if len(center.path) > PATH_MAX_LENGTH:
        raise ValidationError({"parent": _("The center tree is too deep.")})
    center.save(update_fields=["path"])
    record_event(
        actor=actor,
        action="center.create",
        obj=center,
        center_id=center.pk,
        data={"parent": parent.pk if parent else None, "level": level},
    )
    return center


@transaction.atomic
def center_update(*, actor: User | None, center: Center, **fields: Any) -> Center:
    """Change a center. A move re-roots the materialized path of its whole subtree at once."""
    _reject_unknown(fields, CENTER_FIELDS)
    new_parent = fields.get("parent")
    locked = lock_rows(Center, [center.pk, new_parent.pk if new_parent else None])
    current = locked[center.pk]  # fresh row: the path may have moved since `center` was read
    if new_parent is not None:
        fields["parent"] = locked[new_parent.pk]
    _require_center_manager(actor, current)
    proposed = copy.copy(current)
    changed = _apply(proposed, fields)
    if not changed:
        return center
    if "parent" in changed:
        errors: dict[str, list[str]] = {}
        _parent_errors(actor, current, proposed.parent, errors)
        _raise_if(errors)
    center_validate(proposed, current=current)
    _model_errors(proposed, exclude=["path"])

    old_path = current.path
    if "parent" in changed:
        parent = proposed.parent
        new_path = f"{parent.path if parent else '/'}{current.pk}/"
        longest = Center.objects.filter(path__startswith=old_path).aggregate(
            longest=Max(Length("path"))
        )["longest"]
        if (longest or 0) - len(old_path) + len(new_path) > PATH_MAX_LENGTH:
            raise ValidationError({"parent": _("The center tree is too deep.")})
        proposed.path = new_path
    update_fields = [*changed, "updated_at"]
    proposed.save(update_fields=update_fields)
    if proposed.path != old_path:
        # One UPDATE for the whole subtree (the center itself included): swap the path prefix.
        Center.objects.filter(path__startswith=old_path).update(
            path=Concat(
                Value(proposed.path), Substr("path", len(old_path) + 1), output_field=CharField()
            )
        )
    record_event(
        actor=actor,
        action="center.update",
        obj=proposed,
        center_id=proposed.pk,
        data={"changed": changed},
    )
    # Callers keep using the object they passed in: bring it up to date.
    for name in (*changed, "path", "updated_at"):
        setattr(center, name, getattr(proposed, name))
    return center


# --- departments --------------------------------------------------------------------------------


def _department_code_errors(department: Department, errors: dict[str, list[str]]) -> None:
    code = department.code
    if not code:
        _add(errors, "code", _("Enter a code."))
    elif (
        Department.objects.filter(center_id=department.center_id, code=code)
        .exclude(pk=department.pk)
        .exists()
    ):
        _add(
            errors,
            "code",
            _("The department code %(code)s is already used in this center.") % {"code": code},
        )


@transaction.atomic
def department_create(
    *,
    actor: User | None,
    center: Center,
    code: str,
    name: str,
    short_name: str = "",
    phone: str = "",
) -> Department:
    _require_center_manager(actor, center)
    department = Department(
        center=center,
        code=code.strip(),
        name=name.strip(),
        short_name=short_name.strip(),
        phone=phone.strip(),
    )
    errors: dict[str, list[str]] = {}
    _department_code_errors(department, errors)
    _raise_if(errors)
    _model_errors(department)
    department.save()
    record_event(actor=actor, action="department.create", obj=department, center_id=center.pk)
    return department


@transaction.atomic
def department_update(*, actor: User | None, department: Department, **fields: Any) -> Department:
    _reject_unknown(fields, DEPARTMENT_FIELDS)
    _require_center_manager(actor, department.center)
    proposed = copy.copy(department)
    changed = _apply(proposed, fields)
    if not changed:
        return department
    errors: dict[str, list[str]] = {}
    if "code" in changed:
        _department_code_errors(proposed, errors)
    _raise_if(errors)
    _model_errors(proposed)
    proposed.save(update_fields=[*changed, "updated_at"])
    record_event(
        actor=actor,
        action="department.update",
        obj=proposed,
        center_id=proposed.center_id,
        data={"changed": changed},
    )
    for name in (*changed, "updated_at"):
        setattr(department, name, getattr(proposed, name))
    return department


# --- windows ------------------------------------------------------------------------------------


def window_validate(
    *,
    center: Center,
    number: int | None,
    departments: Iterable[Department] | None,
    head: User | None,
    window: Window | None = None,
) -> None:
    """Check a window's number, departments and head against its center."""
    errors: dict[str, list[str]] = {}
    if number is None or number < 1:
        _add(errors, "number", _("A window number is a whole number from 1."))
    elif _others(Window.objects.filter(center=center, number=number), window).exists():
        _add(
            errors,
            "number",
            _("Window number %(number)d is already used in this center.") % {"number": number},
        )
    for department in departments or ():
        if department.center_id != center.pk:
            _add(
                errors,
                "departments",
                _("%(department)s is not stationed in this center.")
                % {"department": department.name},
            )
    if head is not None:
        if not Staff.objects.filter(user=head, center=center).exists():
            _add(
                errors,
                "head",
                _("%(name)s does not work at this center.") % {"name": _name_of(head)},
            )
        elif not head.is_active:
            _add(errors, "head", _("%(name)s's account is disabled.") % {"name": _name_of(head)})
    _raise_if(errors)


@transaction.atomic
def window_create(
    *,
    actor: User | None,
    center: Center,
    number: int,
    name: str,
    departments: Iterable[Department] = (),
    head: User | None = None,
    location: str = "",
) -> Window:
    _require_center_manager(actor, center)
    departments = list(departments)
    window_validate(center=center, number=number, departments=departments, head=head)
    window = Window(
        center=center, number=number, name=name.strip(), head=head, location=location.strip()
    )
    _model_errors(window)
    window.save()
    window.departments.set(departments)
    record_event(
        actor=actor,
        action="window.create",
        obj=window,
        center_id=center.pk,
        data={
            "departments": sorted(d.pk for d in departments),
            "head": head.pk if head else None,
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
    _reject_unknown(fields, WINDOW_FIELDS)
    _require_center_manager(actor, window.center)
    proposed = copy.copy(window)
    changed = _apply(proposed, fields)
    new_departments = list(departments) if departments is not None else None
    if new_departments is not None:
        before = sorted(window.departments.values_list("pk", flat=True))
        after = sorted({d.pk for d in new_departments})
        if before != after:
            changed["departments"] = [before, after]
    if not changed:
        return window
    window_validate(
        center=proposed.center,
        number=proposed.number,
        departments=new_departments,
        head=proposed.head,
        window=proposed,
    )
    _model_errors(proposed)
    proposed.save(
        update_fields=[*(name for name in changed if name in WINDOW_FIELDS), "updated_at"]
    )
    if new_departments is not None and "departments" in changed:
        proposed.departments.set(new_departments)
    record_event(
        actor=actor,
        action="window.update",
        obj=proposed,
        center_id=proposed.center_id,
        data={"changed": changed},
    )
    for name in (*fields, "updated_at"):
        setattr(window, name, getattr(proposed, name))
    return window


# --- posts --------------------------------------------------------------------------------------


def post_validate(
    *,
    window: Window,
    a_staff: User | None,
    b_staff: User | None,
    post: Post | None = None,
) -> None:
    """AB岗 rules: A and B differ, both are window staff of the window's center, and a person
    holds at most one A post."""
    errors: dict[str, list[str]] = {}
    if a_staff is not None and b_staff is not None and a_staff.pk == b_staff.pk:
        _add(errors, "b_staff", _("A and B staff of a post must be two different people."))
    people = [(field, user) for field, user in (("a_staff", a_staff), ("b_staff", b_staff)) if user]
    staff_by_user = {
        staff.user_id: staff
        for staff in Staff.objects.filter(user__in=[user.pk for _field, user in people])
    }
    for field, user in people:
        staff = staff_by_user.get(user.pk)
        name = _name_of(user)
        if staff is None or staff.center_id != window.center_id:
            _add(errors, field, _("%(name)s does not work at this center.") % {"name": name})
        elif not staff.is_window_staff:
            _add(
                errors,
                field,
                _("%(name)s is not window staff. Non-window staff may not work at a window.")
                % {"name": name},
            )
        elif not user.is_active:
            _add(errors, field, _("%(name)s's account is disabled.") % {"name": name})
    if a_staff is not None and "a_staff" not in errors:
        held = _others(Post.objects.filter(a_staff=a_staff), post).select_related("window").first()
        if held is not None:
            _add(
                errors,
                "a_staff",
                _("%(name)s already holds the A post %(post)s; a person holds one A post only.")
                % {"name": _name_of(a_staff), "post": str(held)},
            )
    _raise_if(errors)


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
    _require_center_manager(actor, window.center)
    _lock_post_staff(a_staff, b_staff)
    post_validate(window=window, a_staff=a_staff, b_staff=b_staff)
    post = Post(window=window, name=name.strip(), a_staff=a_staff, b_staff=b_staff)
    _model_errors(post)
    post.save()
    record_event(
        actor=actor,
        action="post.create",
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
    _reject_unknown(fields, POST_FIELDS)
    _require_center_manager(actor, post.window.center)
    proposed = copy.copy(post)
    changed = _apply(proposed, fields)
    if not changed:
        return post
    if "a_staff" in changed or "b_staff" in changed:
        _lock_post_staff(proposed.a_staff, proposed.b_staff)
        post_validate(
            window=proposed.window,
            a_staff=proposed.a_staff,
            b_staff=proposed.b_staff,
            post=proposed,
        )
    _model_errors(proposed)
    proposed.save(update_fields=[*changed, "updated_at"])
    action = "post.update" if set(changed) == {"name"} else "post.assign"
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
    _require_center_manager(actor, post.window.center)
    record_event(
        actor=actor,
        action="post.delete",
        obj=post,
        center_id=post.window.center_id,
        data={"window": post.window_id, "name": post.name},
    )
    post.delete()


# --- staff --------------------------------------------------------------------------------------


def _parse_roles(roles: Iterable[str], errors: dict[str, list[str]]) -> list[Role]:
    parsed: list[Role] = []
    for role in roles:
        if role not in Role.values:
            _add(errors, "roles", _("Unknown role: %(role)s.") % {"role": role})
        elif Role(role) not in parsed:
            parsed.append(Role(role))
    if not parsed and "roles" not in errors:
        _add(errors, "roles", _("Choose at least one role."))
    return parsed


def _set_groups(user: User, roles: Sequence[Role]) -> None:
    user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    # Roles and scope are cached on the user object; this object must see the new ones.
    for cached in ("_govhall_roles", "_govhall_scope"):
        if hasattr(user, cached):
            delattr(user, cached)


def _department_errors(
    center: Center, department: Department | None, errors: dict[str, list[str]]
) -> None:
    if department is not None and department.center_id != center.pk:
        _add(
            errors,
            "department",
            _("%(department)s is not stationed in this center.") % {"department": department.name},
        )


# --- standing: nobody manages a user above their own standing (rule: org.access) -------------

MAX_STAFF_REASON_LENGTH = 200


def _require_standing(actor: User | None, staff: Staff) -> None:
    if not can_manage_person(actor, staff):
        raise ValidationError(
            _("You may not change the account of %(name)s: it is above your standing.")
            % {"name": _name_of(staff.user)}
        )


def _grant_errors(actor: User | None, roles: Sequence[Role], errors: dict[str, list[str]]) -> None:
    refused = [role for role in roles if role not in grantable_roles(actor)]
    for role in refused:
        _add(
            errors,
            "roles",
            _("You may not grant the role %(role)s: you do not hold it.") % {"role": role.label},
        )


def _reason_errors(actor: User | None, reason: str, errors: dict[str, list[str]]) -> None:
    """A person changing roles, a password or the active flag says why (the system need not)."""
    if actor is not None and not reason:
        _add(errors, "reason", _("Give the reason for this change of the account."))
    elif len(reason) > MAX_STAFF_REASON_LENGTH:
        _add(
            errors,
            "reason",
            _("At most %(max)s characters.") % {"max": MAX_STAFF_REASON_LENGTH},
        )


def _tell_person(staff: Staff, actor: User | None, what: str, reason: str) -> None:
    """Tell the person, after commit, by SMS to their phone (if any) what changed and why."""
    phone = staff.user.phone.strip()
    if not phone:
        return
    by = _name_of(actor) if actor is not None else _("the system")
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


def _password_errors(password: str | None, user: User, errors: dict[str, list[str]]) -> None:
    if password is None:
        return
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors.setdefault("password", []).extend(exc.messages)


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
) -> User:
    """Create a staff account: the login, its role groups and where the person works.

    The actor must manage people at `center` and may grant only roles they may grant."""
    if not manages_center(actor, center.pk):
        raise ValidationError(_("You may not create accounts at %(center)s.") % {"center": center})
    errors: dict[str, list[str]] = {}
    username = username.strip()
    user = User(username=username, full_name=full_name.strip(), phone=phone.strip())
    if not username:
        _add(errors, "username", _("Enter a username."))
    else:
        try:
            User.username_validator(username)
        except ValidationError as exc:
            errors.setdefault("username", []).extend(exc.messages)
        if User.objects.filter(username__iexact=username).exists():
            _add(
                errors,
                "username",
                _("The username %(username)s is taken.") % {"username": username},
            )
    if not user.full_name:
        _add(errors, "full_name", _("Enter the person's full name."))
    parsed_roles = _parse_roles(roles, errors)
    _grant_errors(actor, parsed_roles, errors)
    _department_errors(center, department, errors)
    _password_errors(password, user, errors)
    _raise_if(errors)

    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    _model_errors(user, exclude=["password"])
    user.save()
    _set_groups(user, parsed_roles)
    staff = Staff(
        user=user,
        center=center,
        department=department,
        title=title.strip(),
        is_window_staff=is_window_staff,
    )
    _model_errors(staff, exclude=["user"])
    staff.save()
    record_event(
        actor=actor,
        action="staff.create",
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


def staff_validate(*, staff: Staff, department: Department | None, is_window_staff: bool) -> None:
    """The department must be stationed in the person's center; someone holding a post stays
    window staff until taken off it."""
    errors: dict[str, list[str]] = {}
    _department_errors(staff.center, department, errors)
    if staff.is_window_staff and not is_window_staff and _holds_posts(staff.user_id):
        _add(
            errors,
            "is_window_staff",
            _("%(name)s still holds a post at a window; take them off the post first.")
            % {"name": _name_of(staff.user)},
        )
    _raise_if(errors)


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

    Only within the actor's standing (org.access.can_manage_person); a change of roles or
    password needs a reason, is logged with it and told to the person."""
    _reject_unknown(fields, STAFF_USER_FIELDS | STAFF_FIELDS)
    lock_rows(Staff, [staff.pk])
    _require_standing(actor, staff)
    reason = reason.strip()
    user = copy.copy(staff.user)
    proposed = copy.copy(staff)
    changed = _apply(user, {k: v for k, v in fields.items() if k in STAFF_USER_FIELDS})
    changed |= _apply(proposed, {k: v for k, v in fields.items() if k in STAFF_FIELDS})
    errors: dict[str, list[str]] = {}
    if "full_name" in changed and not user.full_name:
        _add(errors, "full_name", _("Enter the person's full name."))
    if "department" in changed or "is_window_staff" in changed:
        try:
            staff_validate(
                staff=staff,
                department=proposed.department,
                is_window_staff=proposed.is_window_staff,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
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
    if "roles" in changed or "password" in changed:
        _reason_errors(actor, reason, errors)
    _raise_if(errors)
    if not changed:
        return staff

    user_changes = [name for name in changed if name in STAFF_USER_FIELDS]
    if password:
        user.set_password(password)
        user_changes.append("password")
    if user_changes:
        _model_errors(user, exclude=["password"])
        user.save(update_fields=user_changes)
    staff_changes = [name for name in changed if name in STAFF_FIELDS]
    if staff_changes:
        _model_errors(proposed, exclude=["user"])
        proposed.save(update_fields=[*staff_changes, "updated_at"])
    if new_roles is not None and "roles" in changed:
        _set_groups(staff.user, new_roles)
    record_event(
        actor=actor,
        action="staff.update",
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
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    parsed = _parse_roles(roles, errors)
    _raise_if(errors)
    old = sorted(user.groups.values_list("name", flat=True))
    new = sorted(role.value for role in parsed)
    if old == new:
        return user
    _grant_errors(actor, parsed, errors)
    _reason_errors(actor, reason, errors)
    _raise_if(errors)
    _set_groups(user, parsed)
    record_event(
        actor=actor,
        action="staff.roles",
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
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    _reason_errors(actor, reason, errors)
    _raise_if(errors)
    if not User.objects.filter(pk=user.pk, is_active=True).exists():
        raise ValidationError(_("This account is already disabled."))
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
        action="staff.deactivate",
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
        raise ValidationError(_("This account is already active."))
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    _reason_errors(actor, reason, errors)
    _raise_if(errors)
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    record_event(
        actor=actor, action="staff.activate", obj=staff, center_id=staff.center_id, note=reason
    )
    _tell_person(staff, actor, _("account enabled"), reason)
    return staff
