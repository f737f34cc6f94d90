"""Framework API views: the audit log (read-only) and the locally served OpenAPI documentation."""

from __future__ import annotations

from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import serializers

from anjian.core.api.viewsets import ScopedReadOnlyViewSet
from anjian.core.filtersets import AuditEventFilterSet
from anjian.core.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    action_label = serializers.CharField(read_only=True, help_text=_("操作的中文名称，如“修改生产经营单位”。"))
    object_type = serializers.SerializerMethodField()

    class Meta:
        model = AuditEvent
        fields = [
            "id", "occurred_at", "actor", "action", "action_label", "object_type", "object_id", "object_repr",
            "region_code", "enterprise_id", "reason", "data",
        ]
        read_only_fields = fields

    def get_object_type(self, event: AuditEvent) -> str:
        return f"{event.content_type.app_label}.{event.content_type.model}"


class AuditEventViewSet(ScopedReadOnlyViewSet):
    """审计事件: decisions recorded by services, newest first, scoped like the records they concern."""

    model = AuditEvent
    serializer_class = AuditEventSerializer
    filterset_class = AuditEventFilterSet
    cursor_ordering = "-id"

    def optimize(self, queryset):
        return queryset.select_related("actor", "content_type")


class LocalSwaggerView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored drf-spectacular-sidecar assets: no CDN, the intranet has no internet.

    The split view serves its start-up script as a file (`?script`), so the page runs no inline script and the
    Content-Security-Policy (anjian.core.middleware.SecurityHeadersMiddleware) needs no 'unsafe-inline' scripts."""

    @staticmethod
    def _swagger_ui_resource(filename: str) -> str:
        return static(f"drf_spectacular_sidecar/swagger-ui-dist/{filename}")

    @staticmethod
    def _swagger_ui_favicon() -> str:
        return static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png")
