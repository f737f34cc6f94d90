"""The hazards API (issue 8 "Interfaces others rely on"): `/api/v1/hazards/` and one action endpoint per transition.

The list uses the UI's FilterSet (`?enterprise=&status=&overdue=`...; a yes/no filter other than true/false is a
400, as everywhere in the API). Each action's body speaks the interface's names (anjian.hazards.api.serializers),
mapped to the model's fields before the hazards' own service runs it: 403 when the user may not, 404 for a hazard
out of reach (like a missing id), 409 with nothing changed when the state does not allow the action.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from anjian.core.api.viewsets import ScopedModelViewSet, TransitionApi, WorkflowViewSetMixin
from anjian.core.services import scoped_delete
from anjian.hazards import selectors, services
from anjian.hazards.api.serializers import ACTION_REQUESTS, HazardSerializer
from anjian.hazards.filtersets import HazardFilterSet
from anjian.hazards.models import Hazard


class HazardViewSet(WorkflowViewSetMixin, ScopedModelViewSet):
    """隐患. Created in status `reported` with `enterprise`, `description`, `level` (general|major), `source` and
    optionally `place`; the lifecycle moves through the action endpoints."""

    model = Hazard
    serializer_class = HazardSerializer
    filterset_class = HazardFilterSet
    cursor_ordering = "-id"

    # Every action of Hazard.workflow speaks the interface's body and names (issue 8 "Interfaces others rely on")
    # and runs through the hazards' own service; the kit makes the endpoints and their schema.
    transition_apis = {
        action: TransitionApi(request=body, field_names=names, service=services.hazard_transition)
        for action, (body, names) in ACTION_REQUESTS.items()
    }
    transition_refusals = {
        400: gettext_lazy("数据有误（含缺少理由、期限早于今天）"),
        403: gettext_lazy("无权执行该操作（含企业验收重大隐患、越级挂牌或解除督办）"),
    }

    def restricted_queryset(self, action: str):
        return selectors.hazard_list(user=self.request.user, action=action)

    def save_service(self, *, actor: Any, obj: Hazard, reason: str = "") -> Hazard:
        return services.hazard_save(actor=actor, hazard=obj, reason=reason)

    def delete_service(self, *, actor: Any, obj: Hazard, reason: str = "") -> None:
        scoped_delete(actor=actor, obj=obj, reason=reason)
