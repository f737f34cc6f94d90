from __future__ import annotations

import datetime as dt

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet, IdFilter
from anjian.enterprises import selectors
from anjian.enterprises.choices import (
    FLAG_FIELDS,
    ArchiveDocumentType,
    EnterpriseSize,
    LicenceType,
    OperatingStatus,
    StandardizationGrade,
    SupervisionDomain,
)
from anjian.enterprises.models import ArchiveDocument, Enterprise, LiabilityInsurance, Licence
from anjian.regions.filtersets import RegionSubtreeFilter
from anjian.regions.models import IndustrialPark

ORDERING_FIELDS = (
    ("name", "name"),
    ("uscc", "uscc"),
    ("employee_count", "employee_count"),
    ("updated", "updated"),
    ("region__code", "region"),
)


def _parks(request):
    return IndustrialPark.objects.restrict(getattr(request, "user", None))


def _today() -> dt.date:
    return timezone.localdate()


class EnterpriseFilterSet(BaseFilterSet):
    region = RegionSubtreeFilter(field_name="region__code", label=_("区域"))
    # distinct=False: a plain column IN (...) cannot duplicate rows, and DISTINCT would cost a sort on every list.
    domain = django_filters.MultipleChoiceFilter(
        choices=SupervisionDomain.choices, label=_("行业领域"), distinct=False
    )
    size = django_filters.ChoiceFilter(choices=EnterpriseSize.choices, label=_("规模"))
    operating_status = django_filters.ChoiceFilter(choices=OperatingStatus.choices, label=_("经营状态"))
    standardization_grade = django_filters.ChoiceFilter(
        choices=StandardizationGrade.choices[1:], label=_("标准化等级")
    )
    industry = django_filters.CharFilter(field_name="industry__code", lookup_expr="startswith", label=_("行业代码"))
    park = django_filters.ModelChoiceFilter(queryset=lambda request: _parks(request), label=_("园区"))
    expiring = django_filters.BooleanFilter(method="filter_expiring", label=_("证照到期预警"))
    ordering = django_filters.OrderingFilter(fields=ORDERING_FIELDS, label=_("排序"))
    search_fields = ("name", "uscc", "address", "safety_principal")

    class Meta:
        model = Enterprise
        fields = list(FLAG_FIELDS)

    def filter_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        condition = selectors.expiring_condition(as_of=_today())
        return queryset.filter(condition) if value else queryset.exclude(condition)

    def search(self, queryset, name, value):
        value = value.strip()
        if len(value) == 18 and value.isalnum():
            return queryset.filter(uscc=value.upper())
        return super().search(queryset, name, value)


class EnterpriseChildFilterSet(BaseFilterSet):
    region = RegionSubtreeFilter(field_name="enterprise__region__code", label=_("区域"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("单位ID"))
    expiring = django_filters.BooleanFilter(method="filter_expiring", label=_("到期预警"))

    def filter_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        limit = _today() + dt.timedelta(days=selectors.warning_days())
        expiring = {"superseded": False, "valid_to__lte": limit}
        return queryset.filter(**expiring) if value else queryset.exclude(**expiring)


class LicenceFilterSet(EnterpriseChildFilterSet):
    licence_type = django_filters.ChoiceFilter(choices=LicenceType.choices, label=_("许可证类型"))
    search_fields = ("number", "issuer", "enterprise__name")

    class Meta:
        model = Licence
        fields = ["licence_type", "superseded"]


class LiabilityInsuranceFilterSet(EnterpriseChildFilterSet):
    search_fields = ("policy_number", "insurer", "enterprise__name")

    class Meta:
        model = LiabilityInsurance
        fields = ["superseded"]


class ArchiveDocumentFilterSet(EnterpriseChildFilterSet):
    doc_type = django_filters.ChoiceFilter(choices=ArchiveDocumentType.choices, label=_("档案类型"))
    search_fields = ("title", "enterprise__name")

    class Meta:
        model = ArchiveDocument
        fields = ["doc_type", "superseded"]
