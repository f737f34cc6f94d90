"""Serializers of the risk API (issue 9 item 4). A unit's colour and assessment date are read-only (the assessments
set them); an assessment is created through the unit's `assess` action with the method and its inputs."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from anjian.core.api.serializers import ServiceModelSerializer
from anjian.core.scope import CHANGE, VIEW
from anjian.core.workflow import REASON_MAX_LENGTH
from anjian.enterprises.models import Enterprise
from anjian.risk.choices import AssessmentMethod, CheckResult
from anjian.risk.models import ControlMeasure, MeasureCheck, RiskAssessment, RiskUnit
from anjian.risk.services import NOTE_MAX_LENGTH


class _ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """An id among the rows of `model` the user may reach with `action` (else 'does not exist', like a missing id)."""

    model: type = Enterprise
    action = VIEW

    def __init__(self, **kwargs):
        super().__init__(queryset=self.model.objects.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return self.model.objects.restrict(getattr(request, "user", None), self.action)


class RiskEnterpriseField(_ScopedRelatedField):
    default_error_messages = {
        "does_not_exist": _("单位不存在：{pk_value}。"),
        "incorrect_type": _("单位须为单位ID（整数），收到 {data_type}。"),
    }


class ChangeableUnitField(_ScopedRelatedField):
    model = RiskUnit
    action = CHANGE
    default_error_messages = {
        "does_not_exist": _("风险点不存在或您无权修改：{pk_value}。"),
        "incorrect_type": _("风险点须为风险点ID（整数），收到 {data_type}。"),
    }


class RiskUnitSerializer(ServiceModelSerializer):
    enterprise = RiskEnterpriseField(label=_("单位ID"))
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)

    class Meta:
        model = RiskUnit
        fields = ["id", "enterprise", "enterprise_name", "name", "kind", "location", "control_level",
                  "responsible_person", "hazard_factors", "accident_types", "emergency_measures", "emergency_phone",
                  "warning_signs", "colour", "assessed_on"]
        read_only_fields = ["colour", "assessed_on"]


class RiskAssessmentSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = RiskAssessment
        fields = ["id", "enterprise", "unit", "unit_name", "method", "method_version", "scheme", "inputs", "score",
                  "colour", "assessor_name", "assessed_on", "created"]
        read_only_fields = fields


class AssessInputSerializer(serializers.Serializer):
    """POST /api/v1/risk-units/<id>/assess/: LEC takes l, e, c from the LEC tables; LS takes l, s in 1–5."""

    method = serializers.ChoiceField(label=_("评价方法"), choices=AssessmentMethod.choices)
    l = serializers.DecimalField(label=_("可能性L"), max_digits=6, decimal_places=2)  # noqa: E741
    e = serializers.DecimalField(label=_("暴露频繁程度E（LEC）"), max_digits=6, decimal_places=2, required=False)
    c = serializers.DecimalField(label=_("后果C（LEC）"), max_digits=6, decimal_places=2, required=False)
    s = serializers.DecimalField(label=_("严重性S（LS）"), max_digits=6, decimal_places=2, required=False)
    assessed_on = serializers.DateField(label=_("评估日期"), required=False, help_text=_("省略为今天。"))
    assessor_name = serializers.CharField(label=_("评估人"), required=False, allow_blank=True, max_length=50)
    reason = serializers.CharField(label=_("理由"), required=False, allow_blank=True, max_length=REASON_MAX_LENGTH)


class ControlMeasureSerializer(ServiceModelSerializer):
    unit = ChangeableUnitField(label=_("风险点ID"))
    unit_name = serializers.CharField(source="unit.name", read_only=True)

    class Meta:
        model = ControlMeasure
        fields = ["id", "enterprise", "unit", "unit_name", "kind", "description", "level", "responsible",
                  "check_cycle", "check_content"]
        read_only_fields = ["enterprise"]

    def to_representation(self, instance):
        # A measure the user may only view still names its unit (the field's CHANGE queryset is for writes).
        data = super().to_representation(instance)
        data["unit"] = instance.unit_id
        return data


class MeasureCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeasureCheck
        fields = ["id", "enterprise", "measure", "period_start", "checked_at", "result", "note", "hazard"]
        read_only_fields = fields


class CheckInputSerializer(serializers.Serializer):
    """POST /api/v1/risk-measures/<id>/check/: this period's check; 未落实 (fail) needs a note and reports a hazard."""

    result = serializers.ChoiceField(label=_("检查结果"), choices=CheckResult.choices)
    note = serializers.CharField(label=_("说明"), required=False, allow_blank=True, max_length=NOTE_MAX_LENGTH)
    place = serializers.CharField(label=_("隐患部位"), required=False, allow_blank=True, max_length=200)
