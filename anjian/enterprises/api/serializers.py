"""Serializers of the registry API. They validate shape; the services validate rules (architecture rule 6)."""

from __future__ import annotations

from pathlib import PurePath

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from anjian.core.api.serializers import ServiceModelSerializer
from anjian.core.privacy import mask_phone
from anjian.core.scope import VIEW
from anjian.enterprises.choices import FLAG_FIELDS
from anjian.enterprises.models import ArchiveDocument, Enterprise, Industry, LiabilityInsurance, Licence
from anjian.enterprises.selectors import sees_phone
from anjian.regions.choices import RegionLevel
from anjian.regions.models import IndustrialPark, Region


class _CurrentValueMixin:
    """A relation limited to what the user may see, plus the value the record already has.

    An enterprise user sees no region or park, yet may save its own record unchanged. Subclasses define
    `visible(user)`, the queryset of choices the user may see.
    """

    def get_queryset(self):
        request = self.context.get("request")
        queryset = self.visible(getattr(request, "user", None))
        instance = getattr(self.parent, "instance", None)
        current = getattr(instance, f"{self.source}_id", None) if isinstance(instance, Enterprise) else None
        if current is not None:
            queryset = queryset | self.queryset.model.objects.filter(pk=current)
        return queryset


class VillageCodeField(_CurrentValueMixin, serializers.SlugRelatedField):
    """The enterprise's village/community by its 12-digit code, among the villages the user may see."""

    default_error_messages = {
        "does_not_exist": _("未知的村（社区）代码或不在您的管辖范围内：{value}。"),
        "invalid": _("区划代码格式错误。"),
    }

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Region.objects.all(), **kwargs)

    def visible(self, user):
        return Region.objects.restrict(user, VIEW).filter(level=RegionLevel.VILLAGE)


class ParkField(_CurrentValueMixin, serializers.PrimaryKeyRelatedField):
    default_error_messages = {
        "does_not_exist": _("未知的园区或不在您的管辖范围内：{pk_value}。"),
        "incorrect_type": _("园区须为园区ID（整数），收到 {data_type}。"),
    }

    def __init__(self, **kwargs):
        super().__init__(queryset=IndustrialPark.objects.all(), **kwargs)

    def visible(self, user):
        return IndustrialPark.objects.restrict(user, VIEW)


class IndustryCodeField(serializers.SlugRelatedField):
    default_error_messages = {
        "does_not_exist": _("未知的国民经济行业代码（GB/T 4754-2017）：{value}。"),
        "invalid": _("行业代码格式错误。"),
    }

    def __init__(self, **kwargs):
        # Reference data: every code of the classification is valid for every user.
        super().__init__(slug_field="code", queryset=Industry.objects.all(), **kwargs)


class ScopedEnterpriseField(serializers.PrimaryKeyRelatedField):
    """The enterprise a licence, policy or archive belongs to: an id the user may see (else 'does not exist')."""

    default_error_messages = {
        "does_not_exist": _("单位不存在：{pk_value}。"),
        "incorrect_type": _("单位须为单位ID（整数），收到 {data_type}。"),
    }

    def __init__(self, **kwargs):
        super().__init__(queryset=Enterprise.objects.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return Enterprise.objects.restrict(getattr(request, "user", None), VIEW)


class EnterpriseSerializer(ServiceModelSerializer):
    """生产经营单位. `region` is the village/community code; `safety_principal_phone` is masked for roles that do
    not work with it."""

    region = VillageCodeField(label=_("所属村（社区）代码"))
    region_name = serializers.CharField(source="region.name", read_only=True)
    town = serializers.CharField(source="region.parent.code", read_only=True, default=None, allow_null=True)
    town_name = serializers.CharField(source="region.parent.name", read_only=True, default=None, allow_null=True)
    industry = IndustryCodeField(label=_("国民经济行业代码"))
    industry_name = serializers.CharField(source="industry.name", read_only=True)
    park = ParkField(label=_("所在园区ID"), required=False, allow_null=True)
    park_name = serializers.CharField(source="park.name", read_only=True, default=None, allow_null=True)
    flags = serializers.SerializerMethodField()

    class Meta:
        model = Enterprise
        fields = [
            "id", "uscc", "name", "legal_representative", "safety_principal", "safety_principal_phone", "address",
            "region", "region_name", "town", "town_name", "park", "park_name", "latitude", "longitude",
            "industry", "industry_name", "domain", "size", "employee_count", "operating_status",
            *FLAG_FIELDS, "flags", "standardization_grade", "standardization_expires", "created", "updated",
        ]
        read_only_fields = ["created", "updated"]

    def get_flags(self, enterprise: Enterprise) -> list[str]:
        """The Chinese labels of the flags set, for display."""
        return enterprise.flags

    def to_representation(self, enterprise: Enterprise) -> dict:
        data = super().to_representation(enterprise)
        if not sees_phone(self.actor, enterprise):
            data["safety_principal_phone"] = mask_phone(data["safety_principal_phone"] or "")
        return data


class EnterpriseChildSerializer(ServiceModelSerializer):
    """A record of one enterprise; `enterprise` is an id the user may see."""

    enterprise = ScopedEnterpriseField(label=_("单位ID"))
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)


class LicenceSerializer(EnterpriseChildSerializer):
    """许可证."""

    class Meta:
        model = Licence
        fields = [
            "id", "enterprise", "enterprise_name", "licence_type", "number", "issuer", "valid_from", "valid_to",
            "superseded", "created", "updated",
        ]
        read_only_fields = ["superseded", "created", "updated"]


class LiabilityInsuranceSerializer(EnterpriseChildSerializer):
    """安全生产责任保险（安责险）."""

    class Meta:
        model = LiabilityInsurance
        fields = [
            "id", "enterprise", "enterprise_name", "insurer", "policy_number", "insured_persons",
            "coverage_per_person_yuan", "valid_from", "valid_to", "superseded", "created", "updated",
        ]
        read_only_fields = ["superseded", "created", "updated"]


class ArchiveDocumentSerializer(EnterpriseChildSerializer):
    """Multipart: `file` is written, never read back; it is fetched through `download_url` (under the gate)."""

    file_name = serializers.SerializerMethodField()
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ArchiveDocument
        fields = [
            "id", "enterprise", "enterprise_name", "doc_type", "title", "file", "file_name", "download_url",
            "valid_to", "superseded", "note", "created", "updated",
        ]
        read_only_fields = ["superseded", "created", "updated"]
        extra_kwargs = {"file": {"write_only": True}}

    def get_file_name(self, document: ArchiveDocument) -> str:
        return PurePath(document.file.name).name if document.file else ""

    def get_download_url(self, document: ArchiveDocument) -> str:
        path = reverse("api:archive-download", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class IndustrySerializer(serializers.ModelSerializer):
    """国民经济行业分类 (GB/T 4754-2017)."""

    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Industry
        fields = ["code", "name", "level", "parent", "section", "description"]
        read_only_fields = fields
