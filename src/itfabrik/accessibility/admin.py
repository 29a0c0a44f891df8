"""Django admin (django-admin/, superusers): where reports are read when no address is set."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import AccessibilityReport


@admin.register(AccessibilityReport)
class AccessibilityReportAdmin(admin.ModelAdmin[AccessibilityReport]):
    list_display = ["created_at", "page_url", "contact_email", "forwarded_at"]
    list_filter = ["forwarded_at"]
    search_fields = ["description", "page_url"]
    readonly_fields = [
        "created_at",
        "page_url",
        "description",
        "contact_email",
        "reporter",
        "forwarded_at",
    ]

    def has_add_permission(self, request: Any) -> bool:
        return False  # reports come from the accessibility page, with their audit row

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False
