"""Changing the departments stationed in a center (SPEC §3)."""

from __future__ import annotations

import copy
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhall.core.events import record_event
from govhall.core.models import User
from govhall.core.validation import FieldErrors
from govhall.org.events import OrgEvent
from govhall.org.models import Center, Department
from govhall.org.services._common import (
    apply_changes,
    model_errors,
    reject_unknown,
    require_center_manager,
)

DEPARTMENT_FIELDS = frozenset({"code", "name", "short_name", "phone", "is_active"})


def _code_errors(department: Department, errors: FieldErrors) -> None:
    code = department.code
    if not code:
        errors.add("code", _("Enter a code."))
    elif (
        Department.objects.filter(center_id=department.center_id, code=code)
        .exclude(pk=department.pk)
        .exists()
    ):
        errors.conflict(
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
    require_center_manager(actor, center)
    department = Department(
        center=center,
        code=code.strip(),
        name=name.strip(),
        short_name=short_name.strip(),
        phone=phone.strip(),
    )
    errors = FieldErrors()
    _code_errors(department, errors)
    model_errors(department, errors)
    errors.raise_if_any()
    department.save()
    record_event(
        actor=actor, action=OrgEvent.DEPARTMENT_CREATE, obj=department, center_id=center.pk
    )
    return department


@transaction.atomic
def department_update(*, actor: User | None, department: Department, **fields: Any) -> Department:
    reject_unknown(fields, DEPARTMENT_FIELDS)
    require_center_manager(actor, department.center)
    proposed = copy.copy(department)
    changed = apply_changes(proposed, fields)
    if not changed:
        return department
    errors = FieldErrors()
    if "code" in changed:
        _code_errors(proposed, errors)
    model_errors(proposed, errors)
    errors.raise_if_any()
    proposed.save(update_fields=[*changed, "updated_at"])
    record_event(
        actor=actor,
        action=OrgEvent.DEPARTMENT_UPDATE,
        obj=proposed,
        center_id=proposed.center_id,
        data={"changed": changed},
    )
    for name in (*changed, "updated_at"):
        setattr(department, name, getattr(proposed, name))
    return department
