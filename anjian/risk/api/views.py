"""API of risk units, assessments, control measures and their checks (issue 9 items 4 and 6):
`/api/v1/risk-units/` (CRUD; `POST <id>/assess/` assesses by LEC or LS), `/api/v1/risk-assessments/` (read-only),
`/api/v1/risk-measures/` (CRUD; `POST <id>/check/` records this period's check) and `/api/v1/risk-measure-checks/`
(read-only). Querysets come from `restrict()` through the base viewsets; writes go through anjian.risk.services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from anjian.core.scope import VIEW
from anjian.risk import selectors, services
from anjian.risk.api.serializers import (
    AssessInputSerializer,
    CheckInputSerializer,
    ControlMeasureSerializer,
    MeasureCheckSerializer,
    RiskAssessmentSerializer,
    RiskUnitSerializer,
)
from anjian.risk.filtersets import (
    ControlMeasureFilterSet,
    MeasureCheckFilterSet,
    RiskAssessmentFilterSet,
    RiskUnitFilterSet,
)
from anjian.risk.models import ControlMeasure, MeasureCheck, RiskAssessment, RiskUnit


def _visible(queryset, pk: Any):
    # A row outside the user's view answers 404 like a missing id; the service then decides the action itself.
    try:
        row = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        row = None
    if row is None:
        raise Http404
    return row


class RiskUnitViewSet(ScopedModelViewSet):
    """风险点. `colour` and `assessed_on` are the latest assessment's (read-only)."""

    model = RiskUnit
    serializer_class = RiskUnitSerializer
    filterset_class = RiskUnitFilterSet

    def optimize(self, queryset):
        return queryset.select_related("enterprise", "enterprise__region")

    def save_service(self, *, actor: Any, obj: RiskUnit, reason: str = "") -> RiskUnit:
        return services.risk_unit_save(actor=actor, unit=obj, reason=reason)

    def delete_service(self, *, actor: Any, obj: RiskUnit, reason: str = "") -> None:
        services.risk_unit_delete(actor=actor, unit=obj, reason=reason)

    @extend_schema(request=AssessInputSerializer, responses={201: RiskAssessmentSerializer},
                   summary=_("风险评估（LEC 或风险矩阵），结果成为风险点的风险等级"))
    @action(detail=True, methods=["post"])
    def assess(self, request, pk=None):
        unit = _visible(selectors.risk_unit_list(user=request.user, action=VIEW), pk)
        body = AssessInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        inputs = {key: data.pop(key) for key in ("l", "e", "c", "s") if key in data}
        assessment = services.risk_assess(actor=request.user, unit=unit, method=data["method"], inputs=inputs,
                                          assessed_on=data.get("assessed_on"),
                                          assessor_name=data.get("assessor_name", ""), reason=data.get("reason", ""))
        return Response(RiskAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


class RiskAssessmentViewSet(ScopedReadOnlyViewSet):
    """风险评估记录, each with the method, its version, the mapping or scheme and the inputs that produced it."""

    model = RiskAssessment
    serializer_class = RiskAssessmentSerializer
    filterset_class = RiskAssessmentFilterSet

    def optimize(self, queryset):
        return queryset.select_related("unit")


class ControlMeasureViewSet(ScopedModelViewSet):
    """管控措施 of a risk unit; a measure with `check_cycle` is a periodic check item."""

    model = ControlMeasure
    serializer_class = ControlMeasureSerializer
    filterset_class = ControlMeasureFilterSet

    def optimize(self, queryset):
        return queryset.select_related("unit", "enterprise", "enterprise__region")

    def save_service(self, *, actor: Any, obj: ControlMeasure, reason: str = "") -> ControlMeasure:
        return services.measure_save(actor=actor, measure=obj, reason=reason)

    def delete_service(self, *, actor: Any, obj: ControlMeasure, reason: str = "") -> None:
        services.measure_delete(actor=actor, measure=obj, reason=reason)

    @extend_schema(request=CheckInputSerializer, responses={201: MeasureCheckSerializer},
                   summary=_("检查管控措施（本周期）；未落实时上报隐患"))
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        measure = _visible(selectors.measure_list(user=request.user, action=VIEW), pk)
        body = CheckInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if not services.may_check(request.user, measure):
            raise PermissionDenied(_("您无权检查该管控措施。"))
        check = services.measure_check(actor=request.user, measure=measure, **body.validated_data)
        return Response(MeasureCheckSerializer(check).data, status=status.HTTP_201_CREATED)


class MeasureCheckViewSet(ScopedReadOnlyViewSet):
    """管控措施检查记录; a failed check names the hazard it reported."""

    model = MeasureCheck
    serializer_class = MeasureCheckSerializer
    filterset_class = MeasureCheckFilterSet
