"""Who reads a person's assessment file, the annual results, the reports to the departments and
the covers to replace (issue 21 item 1b).

- A person's file: the person themself; hall managers and supervisors of the person's center
  subtree; the leader of the person's department (PERSON_FILE_READER_ROLES, department roles
  bound to their department by `scope_of`).
- The lists: the same roles, over their scope. Recording and sending: a hall manager of the
  center (`manages_center`, checked again by the services).

`access_person_file` raises Http404 for a missing person and for one the user may not read."""

from __future__ import annotations

from django.http import Http404

from govhall.core.access import id_or_404
from govhall.core.models import User
from govhall.core.roles import PERSON_FILE_READER_ROLES
from govhall.org.access.scope import centers_in_scope, scope_of
from govhall.org.models import Staff


def can_read_person_files(user: object) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & PERSON_FILE_READER_ROLES)


def can_read_file_of(user: object, staff: Staff) -> bool:
    if staff.user_id == getattr(user, "pk", None):
        return True
    if not can_read_person_files(user):
        return False
    scope = scope_of(user)
    if scope.department_id is not None and staff.department_id != scope.department_id:
        return False
    return scope.everything or centers_in_scope(user).filter(pk=staff.center_id).exists()


def access_person_file(user: object, user_id: object) -> User:
    pk = id_or_404(user_id)
    staff = Staff.objects.select_related("user").filter(user_id=pk).first()
    if staff is None or not can_read_file_of(user, staff):
        raise Http404
    return staff.user
