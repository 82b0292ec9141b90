"""Read-only admin views of the calendar data.

Changes go through the calendar page (govhall.workdays.services), which validates them, logs
an event and tells every process to rebuild its calendars; the admin only shows the rows.
"""

from django.contrib import admin
from django.http import HttpRequest

from govhall.workdays.models import CenterDay, ScheduleDay, ScheduleYear


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ScheduleDayInline(admin.TabularInline):
    model = ScheduleDay
    fields = ("date", "is_workday", "name")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(ScheduleYear)
class ScheduleYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "source", "imported_by", "created_at")
    inlines = [ScheduleDayInline]


@admin.register(CenterDay)
class CenterDayAdmin(ReadOnlyAdmin):
    list_display = ("center_id", "date", "kind", "reason", "created_by")
    list_filter = ("kind",)
    date_hierarchy = "date"
