from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from anjian.core.audit import action_label
from anjian.core.models import AuditEvent


class ActionFilter(admin.SimpleListFilter):
    """The actions in the log, by their Chinese labels (the codes are for programs)."""

    title = _("操作")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        codes = model_admin.get_queryset(request).order_by("action").values_list("action", flat=True).distinct()
        return [(code, action_label(code)) for code in codes]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only, even for superusers."""

    list_display = ("occurred_at", "actor", "action_name", "object_repr", "reason")
    list_filter = (ActionFilter,)
    search_fields = ("object_repr", "reason")
    readonly_fields = ("action_name",)

    @admin.display(description=_("操作"), ordering="action")
    def action_name(self, event: AuditEvent) -> str:
        return event.action_label

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
