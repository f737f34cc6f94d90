"""Registry API (/api/v1/): enterprises, licences, insurance policies, archive documents, industries.

Lists use the same FilterSets as the UI list and the export; querysets come from `restrict()` through the
base viewsets; writes call anjian.enterprises.services.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

import django_filters
from django.db.models import F
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.decorators import action

from anjian.core.api.parsers import FormParser, JSONParser, MultiPartParser
from anjian.core.api.viewsets import ScopedModelViewSet
from anjian.core.filtersets import BaseFilterSet
from anjian.enterprises import selectors, services
from anjian.enterprises.api.serializers import (
    ArchiveDocumentSerializer,
    EnterpriseSerializer,
    IndustrySerializer,
    LiabilityInsuranceSerializer,
    LicenceSerializer,
)
from anjian.enterprises.filtersets import (
    ArchiveDocumentFilterSet,
    EnterpriseFilterSet,
    LiabilityInsuranceFilterSet,
    LicenceFilterSet,
)
from anjian.enterprises.models import ArchiveDocument, Enterprise, Industry, LiabilityInsurance, Licence


class EnterpriseViewSet(ScopedModelViewSet):
    """生产经营单位. `?region=<12-digit code>` is that region's whole subtree; `?ordering=name` pages by name."""

    model = Enterprise
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    # The FilterSet's OrderingFilter names → fields on the row, for the cursor (region via an annotation).
    cursor_ordering_fields = {
        "name": "name",
        "uscc": "uscc",
        "employee_count": "employee_count",
        "updated": "updated",
        "region": "region_code",
    }

    def restricted_queryset(self, action: str):
        return selectors.enterprise_list(user=self.request.user, action=action)

    def optimize(self, queryset):
        # The row a write reads carries what its answer shows (village, town, industry, park) and what the gate
        # and validation read (the village's code and level): one query (issue 6 item 3).
        return queryset.annotate(region_code=F("region__code"))

    def save_service(self, *, actor: Any, obj: Enterprise, reason: str = "") -> Enterprise:
        return services.enterprise_save(actor=actor, enterprise=obj, reason=reason)

    def delete_service(self, *, actor: Any, obj: Enterprise, reason: str = "") -> None:
        services.enterprise_delete(actor=actor, enterprise=obj, reason=reason)


class EnterpriseChildViewSet(ScopedModelViewSet):
    def optimize(self, queryset):
        # The enterprise's village is what the gate reads of a licence, policy or archive.
        return queryset.select_related("enterprise", "enterprise__region")

    def delete_service(self, *, actor: Any, obj, reason: str = "") -> None:
        services.child_delete(actor=actor, record=obj, reason=reason)


class LicenceViewSet(EnterpriseChildViewSet):
    """许可证."""

    model = Licence
    serializer_class = LicenceSerializer
    filterset_class = LicenceFilterSet

    def save_service(self, *, actor: Any, obj: Licence, reason: str = "") -> Licence:
        return services.licence_save(actor=actor, licence=obj, reason=reason)


class LiabilityInsuranceViewSet(EnterpriseChildViewSet):
    """安责险."""

    model = LiabilityInsurance
    serializer_class = LiabilityInsuranceSerializer
    filterset_class = LiabilityInsuranceFilterSet

    def save_service(self, *, actor: Any, obj: LiabilityInsurance, reason: str = "") -> LiabilityInsurance:
        return services.insurance_save(actor=actor, insurance=obj, reason=reason)


class ArchiveDocumentViewSet(EnterpriseChildViewSet):
    """安全生产档案. Create and replace with multipart/form-data; the file is checked by type, content and size."""

    model = ArchiveDocument
    serializer_class = ArchiveDocumentSerializer
    filterset_class = ArchiveDocumentFilterSet
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def save_service(self, *, actor: Any, obj: ArchiveDocument, reason: str = "") -> ArchiveDocument:
        return services.archive_save(actor=actor, document=obj, reason=reason)

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary=_("下载档案文件"))
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        # get_object() goes through restrict(user, VIEW): a document out of scope is a 404 like a missing one.
        document = self.get_object()
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError) as error:
            raise exceptions.NotFound(_("档案文件已丢失。")) from error
        return FileResponse(handle, as_attachment=True, filename=PurePath(document.file.name).name)


class IndustryFilterSet(BaseFilterSet):
    """Filters of the GB/T 4754-2017 classification (no UI list of it exists)."""

    parent = django_filters.CharFilter(field_name="parent_id", label=_("上级代码"))
    search_fields = ("code", "name")

    class Meta:
        model = Industry
        fields = ["level", "section"]


class IndustryViewSet(viewsets.ReadOnlyModelViewSet):
    """国民经济行业分类 (GB/T 4754-2017): national reference data, the same for every signed-in user, so it is
    not scoped to a jurisdiction (Industry has no region); looked up by code."""

    queryset = Industry.objects.all()
    serializer_class = IndustrySerializer
    filterset_class = IndustryFilterSet
    lookup_field = "code"
    cursor_ordering = "code"
