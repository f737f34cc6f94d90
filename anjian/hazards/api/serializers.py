"""Serializers of the hazards API (issue 8 "Interfaces others rely on"). They validate shape; the services the rules.

The interface names differ from the model's where the issue says so: a transition's body speaks the interface
(`description` of a rectification, `note` of a verification, `level` and `target_date` of a listing) and
`ACTION_REQUESTS` maps each name to the model field the transition sets.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from anjian.core.api.serializers import ServiceModelSerializer
from anjian.core.scope import VIEW
from anjian.core.workflow import REASON_MAX_LENGTH
from anjian.enterprises.models import Enterprise
from anjian.hazards.choices import SupervisionLevel
from anjian.hazards.models import Hazard


class HazardEnterpriseField(serializers.PrimaryKeyRelatedField):
    """The enterprise a hazard is found at: an id the user may see (else 'does not exist', like a missing id)."""

    default_error_messages = {
        "does_not_exist": _("单位不存在：{pk_value}。"),
        "incorrect_type": _("单位须为单位ID（整数），收到 {data_type}。"),
    }

    def __init__(self, **kwargs):
        super().__init__(queryset=Enterprise.objects.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return Enterprise.objects.restrict(getattr(request, "user", None), VIEW)


class HazardSerializer(ServiceModelSerializer):
    """隐患. Created with `enterprise`, `description`, `level`, `source` and optionally `place` and `category`;
    every other field is written by the lifecycle's actions (`POST /api/v1/hazards/<id>/<action>/`)."""

    enterprise = HazardEnterpriseField(label=_("单位ID"))
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    listed = serializers.BooleanField(read_only=True, label=_("挂牌督办中"))

    class Meta:
        model = Hazard
        fields = [
            "id", "enterprise", "enterprise_name", "place", "description", "category", "level", "source",
            "found_at", "external_ref", "status", "overdue",
            "measures", "responsible", "funds", "deadline", "interim_measures", "assigned_at", "requested_deadline",
            "rectification", "rectified_at", "verification_note", "closed_at", "spot_check_note", "spot_checked_at",
            "listed", "supervision_level", "supervising_unit", "supervision_target_date", "listed_at", "lifted_at",
            "escalation_level", "created", "updated",
        ]
        read_only_fields = [
            "found_at", "external_ref", "status", "overdue",
            "measures", "responsible", "funds", "deadline", "interim_measures", "assigned_at", "requested_deadline",
            "rectification", "rectified_at", "verification_note", "closed_at", "spot_check_note", "spot_checked_at",
            "supervision_level", "supervising_unit", "supervision_target_date", "listed_at", "lifted_at",
            "escalation_level", "created", "updated",
        ]


def _reason(required: bool) -> serializers.CharField:
    return serializers.CharField(label=_("理由"), required=required, allow_blank=not required,
                                 max_length=REASON_MAX_LENGTH)


def _attachments(required: bool) -> serializers.ListField:
    return serializers.ListField(child=serializers.FileField(), required=required, allow_empty=not required,
                                 label=_("附件"))


def _text(label, *, required: bool = True) -> serializers.CharField:
    return serializers.CharField(label=label, required=required, allow_blank=not required)


class HazardAssignBody(serializers.Serializer):
    """下达整改 with the 五到位."""

    measures = _text(_("整改措施"))
    responsible = serializers.CharField(label=_("整改责任人"), max_length=50)
    funds = serializers.DecimalField(label=_("整改资金（元）"), max_digits=14, decimal_places=2, min_value=0,
                                     required=False, allow_null=True)
    deadline = serializers.DateField(label=_("整改期限（YYYY-MM-DD）"))
    interim_measures = _text(_("临时管控措施"), required=False)
    reason = _reason(False)
    attachments = _attachments(False)


class HazardRectifyBody(serializers.Serializer):
    """提交整改: what was done, with at least one photo or file as evidence (multipart)."""

    description = _text(_("整改情况"))
    reason = _reason(False)
    attachments = _attachments(True)


class HazardVerifyBody(serializers.Serializer):
    note = _text(_("验收意见"), required=False)
    reason = _reason(False)
    attachments = _attachments(False)


class HazardReasonBody(serializers.Serializer):
    """退回整改, 解除督办, 重新整改: a reason."""

    reason = _reason(True)
    attachments = _attachments(False)


class HazardExtendBody(serializers.Serializer):
    deadline = serializers.DateField(label=_("新的整改期限（YYYY-MM-DD）"))
    reason = _reason(True)
    attachments = _attachments(False)


class HazardRequestExtensionBody(serializers.Serializer):
    deadline = serializers.DateField(label=_("申请延期至（YYYY-MM-DD）"))
    reason = _reason(True)
    attachments = _attachments(False)


class HazardListSupervisionBody(serializers.Serializer):
    level = serializers.ChoiceField(label=_("督办级别"), choices=SupervisionLevel.choices)
    target_date = serializers.DateField(label=_("督办期限（YYYY-MM-DD）"))
    supervising_unit = serializers.CharField(label=_("督办单位（默认为挂牌机关）"), required=False, allow_blank=True,
                                             max_length=100)
    reason = _reason(False)
    attachments = _attachments(False)


class HazardSpotCheckBody(serializers.Serializer):
    note = _text(_("抽查意见"))
    reason = _reason(False)
    attachments = _attachments(False)


# action → (request body, interface name → model field). Names not in the map are the model's own; the kit's
# transition endpoint (anjian.core.api.viewsets.TransitionApi) maps them before the service runs.
ACTION_REQUESTS: dict[str, tuple[type[serializers.Serializer], dict[str, str]]] = {
    "assign": (HazardAssignBody, {}),
    "rectify": (HazardRectifyBody, {"description": "rectification"}),
    "verify": (HazardVerifyBody, {"note": "verification_note"}),
    "reject": (HazardReasonBody, {}),
    "extend": (HazardExtendBody, {}),
    "request_extension": (HazardRequestExtensionBody, {"deadline": "requested_deadline"}),
    "list_supervision": (HazardListSupervisionBody, {"level": "supervision_level",
                                                  "target_date": "supervision_target_date"}),
    "lift_supervision": (HazardReasonBody, {}),
    "spot_check": (HazardSpotCheckBody, {"note": "spot_check_note"}),
    "reopen": (HazardReasonBody, {}),
}

