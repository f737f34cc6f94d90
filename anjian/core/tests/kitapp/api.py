"""The test module's API: the kit's base viewset; each transition becomes POST /api/v1/kit-permits/<id>/<action>/."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from anjian.core.api.serializers import ServiceModelSerializer
from anjian.core.api.viewsets import ScopedModelViewSet, WorkflowViewSetMixin
from anjian.core.services import scoped_delete
from anjian.core.tests.kitapp.models import WorkPermit
from anjian.core.tests.kitapp.views import WorkPermitFilterSet, permit_approve, permit_save


class WorkPermitSerializer(ServiceModelSerializer):
    state = serializers.CharField(read_only=True)

    class Meta:
        model = WorkPermit
        fields = ["id", "enterprise", "title", "state", "valid_until"]
        read_only_fields = ["state", "valid_until"]


class WorkPermitViewSet(WorkflowViewSetMixin, ScopedModelViewSet):
    model = WorkPermit
    serializer_class = WorkPermitSerializer
    filterset_class = WorkPermitFilterSet

    def optimize(self, queryset):
        return queryset.select_related("enterprise", "enterprise__region")

    def save_service(self, *, actor: Any, obj: WorkPermit, reason: str = "") -> WorkPermit:
        return permit_save(actor=actor, permit=obj, reason=reason)

    def delete_service(self, *, actor: Any, obj: WorkPermit, reason: str = "") -> None:
        scoped_delete(actor=actor, obj=obj, reason=reason)

    def transition_service(self, *, actor: Any, obj: WorkPermit, action: str, reason: str, data: dict,
                           attachments: list) -> WorkPermit:
        service = permit_approve if action == "approve" else super().transition_service
        return service(actor=actor, obj=obj, action=action, reason=reason, data=data, attachments=attachments)
