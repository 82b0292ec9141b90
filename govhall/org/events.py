"""Every event name the org app writes (`govhall.core.events`): "<noun>.<verb>" in the
imperative, labelled with what a timeline shows. Services pass these constants to
`record_event`; the app registers the class in `OrgConfig.ready()`."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgEvent(models.TextChoices):
    CENTER_CREATE = "center.create", _("Center created")
    CENTER_UPDATE = "center.update", _("Center changed")
    DEPARTMENT_CREATE = "department.create", _("Department created")
    DEPARTMENT_UPDATE = "department.update", _("Department changed")
    WINDOW_CREATE = "window.create", _("Window created")
    WINDOW_UPDATE = "window.update", _("Window changed")
    POST_CREATE = "post.create", _("Post created")
    POST_UPDATE = "post.update", _("Post renamed")
    POST_ASSIGN = "post.assign", _("A and B staff of the post set")
    POST_DELETE = "post.delete", _("Post deleted")
    STAFF_CREATE = "staff.create", _("Staff account created")
    STAFF_UPDATE = "staff.update", _("Staff account changed")
    STAFF_SET_ROLES = "staff.set_roles", _("Roles of the staff account set")
    STAFF_DEACTIVATE = "staff.deactivate", _("Staff account disabled")
    STAFF_ACTIVATE = "staff.activate", _("Staff account enabled")
