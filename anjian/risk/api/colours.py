"""API of the four-colour grading (issue 9 item 5), read-only like every derived record:

- `GET /api/v1/risk-colours/?region=<code>`: enterprise colours in that subtree (`enterprise`, `colour`, `reasons`,
  …), the interface other modules rely on; also `colour=`, `inherent=`, `domain=`;
- `GET /api/v1/region-colours/?level=town|village&region=<code>`: village and town colours with their counts,
  looked up by the region's 12-digit code.
Querysets come from `restrict()` through the base viewsets.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from anjian.core.api.viewsets import ScopedReadOnlyViewSet
from anjian.risk.filtersets_colours import EnterpriseColourFilterSet, RegionColourFilterSet
from anjian.risk.models import EnterpriseColour, RegionColour


class ReasonSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("规则代码（见方法版本）。"))
    text = serializers.CharField(help_text=_("依据说明。"))
    # "from"/"to" are Python keywords: declared through the field mapping below.
    stage = serializers.ChoiceField(choices=[("inherent", _("固有")), ("dynamic", _("动态"))])

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField(allow_blank=True, help_text=_("本条规则之前的等级（首条为空）。"))
        fields["to"] = serializers.CharField(help_text=_("本条规则之后的等级。"))
        return fields


class EnterpriseColourSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    region = serializers.CharField(source="enterprise.region.code", read_only=True,
                                   help_text=_("所属村（社区）代码。"))
    colour = serializers.CharField(source="dynamic", read_only=True,
                                   help_text=_("动态风险等级：red、orange、yellow 或 blue。"))
    reasons = ReasonSerializer(many=True, read_only=True)

    class Meta:
        model = EnterpriseColour
        fields = ["id", "enterprise", "enterprise_name", "region", "colour", "inherent", "reasons", "method",
                  "method_version", "computed_at", "changed_at"]


class RegionColourSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = RegionColour
        fields = ["code", "name", "level", "colour", "red", "orange", "yellow", "blue", "reason", "method",
                  "method_version", "computed_at"]


class EnterpriseColourViewSet(ScopedReadOnlyViewSet):
    """企业风险等级 (四色): the dynamic colour (`colour`), the inherent one and every reason."""

    model = EnterpriseColour
    serializer_class = EnterpriseColourSerializer
    filterset_class = EnterpriseColourFilterSet

    def optimize(self, queryset):
        return queryset.select_related("enterprise__region")


class RegionColourViewSet(ScopedReadOnlyViewSet):
    """镇街、村（社区）风险等级 (四色), from the mix of their enterprises' colours."""

    model = RegionColour
    serializer_class = RegionColourSerializer
    filterset_class = RegionColourFilterSet
    lookup_field = "code"
    lookup_value_regex = r"\d{12}"

    def optimize(self, queryset):
        return queryset.select_related("region")
