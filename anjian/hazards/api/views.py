"""The hazards API (issue 8 "Interfaces others rely on"): `/api/v1/hazards/` and one action endpoint per transition.

The list uses the UI's FilterSet (`?enterprise=&status=&overdue=`...; a yes/no filter other than true/false is a
400, as everywhere in the API). Each action's body speaks the interface's names (anjian.hazards.api.serializers),
mapped to the model's fields before the hazards' own service runs it: 403 when the user may not, 404 for a hazard
out of reach (like a missing id), 409 with nothing changed when the state does not allow the action.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response

from anjian.core.api.parsers import FormParser, JSONParser, MultiPartParser
from anjian.core.api.viewsets import ScopedModelViewSet, WorkflowViewSetMixin
from anjian.core.services import scoped_delete
from anjian.core.workflow import ATTACHMENTS_FIELD, REASON_FIELD, action_label
from anjian.hazards import selectors, services
from anjian.hazards.api.serializers import ACTION_REQUESTS, HazardSerializer, model_values
from anjian.hazards.filtersets import HazardFilterSet
from anjian.hazards.models import Hazard


def hazard_action(action: str):
    """`POST /api/v1/hazards/<id>/<action>/` (hyphenated path) with the interface's body for `action`."""
    body_class = ACTION_REQUESTS[action][0]

    def endpoint(self, request, *args, **kwargs):
        hazard = self.get_object()
        body = body_class(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        saved = services.hazard_transition(
            actor=request.user, obj=hazard, action=action, reason=values.get(REASON_FIELD, ""),
            data=model_values(action, values), attachments=values.get(ATTACHMENTS_FIELD) or [],
        )
        return Response(self.get_serializer(saved).data)

    endpoint.__name__ = action
    endpoint.__doc__ = _("执行“%(action)s”。") % {"action": action_label(Hazard, action)}
    endpoint = drf_action(detail=True, methods=["post"], url_path=action.replace("_", "-"), url_name=action,
                          parser_classes=[JSONParser, MultiPartParser, FormParser])(endpoint)
    return extend_schema(
        request={"application/json": body_class, "multipart/form-data": body_class},
        responses={
            200: HazardSerializer,
            400: OpenApiResponse(description=_("数据有误（含缺少理由、期限早于今天）")),
            403: OpenApiResponse(description=_("无权执行该操作（含企业验收重大隐患、越级挂牌或解除督办）")),
            404: OpenApiResponse(description=_("记录不存在或不在管辖范围内")),
            409: OpenApiResponse(description=_("当前状态不允许该操作（illegal_transition）")),
        },
        summary=action_label(Hazard, action),
    )(endpoint)


class HazardViewSet(WorkflowViewSetMixin, ScopedModelViewSet):
    """隐患. Created in status `reported` with `enterprise`, `description`, `level` (general|major), `source` and
    optionally `place`; the lifecycle moves through the action endpoints."""

    model = Hazard
    serializer_class = HazardSerializer
    filterset_class = HazardFilterSet
    cursor_ordering = "-id"

    # Every action of Hazard.workflow, with the interface's names (the kit's generic endpoints are not used).
    assign = hazard_action("assign")
    rectify = hazard_action("rectify")
    verify = hazard_action("verify")
    reject = hazard_action("reject")
    extend = hazard_action("extend")
    request_extension = hazard_action("request_extension")
    list_supervision = hazard_action("list_supervision")
    lift_supervision = hazard_action("lift_supervision")
    spot_check = hazard_action("spot_check")
    reopen = hazard_action("reopen")

    def restricted_queryset(self, action: str):
        return selectors.hazard_list(user=self.request.user, action=action)

    def save_service(self, *, actor: Any, obj: Hazard, reason: str = "") -> Hazard:
        return services.hazard_save(actor=actor, hazard=obj, reason=reason)

    def delete_service(self, *, actor: Any, obj: Hazard, reason: str = "") -> None:
        scoped_delete(actor=actor, obj=obj, reason=reason)
