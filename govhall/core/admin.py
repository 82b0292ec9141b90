from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from govhall.core.models import Event, Job, User

# The admin is titled like the rest of the site, not "Django administration" (issue 17 item 11).
admin.site.site_header = _("Government service center administration")
admin.site.site_title = _("Government service center")
admin.site.index_title = _("Site administration")


def _superuser(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_active", False) and request.user.is_superuser)


class SuperuserOnlyMixin:
    """Accounts, roles (groups) and permissions are changed here by superusers only: a staff
    account given the model permissions could otherwise make itself a superuser. Staff accounts
    are managed in the workbench, within the manager's standing."""

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _superuser(request)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _superuser(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _superuser(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return _superuser(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _superuser(request)


@admin.register(User)
class UserAdmin(SuperuserOnlyMixin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("govhall", {"fields": ("full_name", "phone")}))  # type: ignore[misc]
    list_display = ("username", "full_name", "phone", "is_active", "is_staff")
    search_fields = ("username", "full_name", "phone")


if admin.site.is_registered(Group):
    admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(SuperuserOnlyMixin, BaseGroupAdmin):
    pass


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "action", "object_type", "object_repr", "center_id")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "note", "object_id")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ("id", "kind", "status", "created_by", "done", "total", "created_at")
    list_filter = ("kind", "status")
