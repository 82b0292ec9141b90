"""Django admin for the catalog: read-only browsing.

Changes go through the workbench pages, which call catalog.services.* (validation, the 40% warning,
fee rules and the event log); the admin must not bypass them.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from govhall.catalog.models import FeeItem, ItemWindow, Material, ServiceItem


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MaterialInline(ReadOnlyMixin, admin.TabularInline):
    model = Material
    fk_name = "item"
    fields = ("position", "name", "is_main", "form", "copies", "source", "note")
    extra = 0


class FeeInline(ReadOnlyMixin, admin.TabularInline):
    model = FeeItem
    fields = ("name", "standard_amount", "unit", "standard_basis")
    extra = 0


class ItemWindowInline(ReadOnlyMixin, admin.TabularInline):
    model = ItemWindow
    fields = ("window", "authorization")
    extra = 0


@admin.register(ServiceItem)
class ServiceItemAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "center",
        "department",
        "item_type",
        "legal_days",
        "promised_days",
        "is_active",
    )
    list_filter = ("item_type", "is_active", "online_available", "center")
    search_fields = ("code", "name")
    list_select_related = ("center", "department")
    inlines = (MaterialInline, FeeInline, ItemWindowInline)
