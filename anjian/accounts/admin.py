from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from anjian.accounts.models import User


@admin.register(User)
class AnjianUserAdmin(UserAdmin):
    list_display = ("username", "last_name", "first_name", "role", "region", "enterprise", "is_active")
    list_filter = ("role", "is_active", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "phone")
    autocomplete_fields = ("region", "enterprise", "assigned_enterprises")
    fieldsets = (
        *UserAdmin.fieldsets,
        (_("角色与管辖"), {"fields": ("role", "region", "enterprise", "assigned_enterprises", "phone")}),
    )
