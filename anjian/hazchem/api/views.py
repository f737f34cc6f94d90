"""API of the chemical catalogue (issue 9 item 1): `GET /api/v1/chemicals/?search=` (name, alias, pinyin initials or
CAS; the interface issue 9 promises other modules) with list and detail, and `GET /api/v1/key-processes/`. Both are
read-only: staff complete a chemical on its page. Querysets come from `restrict()` through the base viewsets."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.response import Response

from anjian.core.api.viewsets import ScopedReadOnlyViewSet
from anjian.hazchem import properties
from anjian.hazchem.filtersets import ChemicalFilterSet, KeyProcessFilterSet
from anjian.hazchem.models import Chemical, KeyProcess
from anjian.hazchem.selectors import chemical_list, key_process_list, nearest_names

# A search answers its best matches as one page, in rank order (the id cursor would lose the ranking).
SEARCH_LIMIT = 50


class HazardSymbolSerializer(serializers.Serializer):
    symbol = serializers.CharField(help_text=_("GB 18218-2018 表2 的符号（J1…W11）。"))
    source = serializers.CharField(help_text=_("录入依据。"))


class ChemicalSerializer(serializers.ModelSerializer):
    aliases = serializers.ListField(child=serializers.CharField(), source="alias_list", read_only=True)
    cas_numbers = serializers.ListField(child=serializers.CharField(), read_only=True)
    hazard_symbols = HazardSymbolSerializer(many=True, read_only=True)

    class Meta:
        model = Chemical
        fields = ["id", "catalogue_number", "sub_row", "name", "aliases", "cas", "cas_numbers", "highly_toxic",
                  "explosive_precursor", "explosive_precursor_class", "drug_precursor_category", "key_supervised",
                  "key_supervised_source", "pinyin_initials", "hazard_symbols", "gb18218_exempt_source", "notes"]


class PhysicalPropertySerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField()
    unit = serializers.CharField(allow_blank=True)
    source = serializers.CharField(help_text=_("chemicals 数据库中该数值的数据来源。"))


class ChemicalDetailSerializer(ChemicalSerializer):
    """A chemical with its physical properties from the `chemicals` package by CAS (issue 9 item 1); only the detail
    carries them, since a list would load them for every row."""

    formula = serializers.SerializerMethodField(help_text=_("分子式；chemicals 数据库中没有该CAS号时为空。"))
    physical_properties = serializers.SerializerMethodField()

    class Meta(ChemicalSerializer.Meta):
        fields = [*ChemicalSerializer.Meta.fields, "formula", "physical_properties"]

    def _physical(self, chemical: Chemical) -> properties.PhysicalData | None:
        return properties.data_for(chemical.cas_numbers)

    def get_formula(self, chemical: Chemical) -> str:
        data = self._physical(chemical)
        return data.formula if data else ""

    @extend_schema_field(PhysicalPropertySerializer(many=True))
    def get_physical_properties(self, chemical: Chemical) -> list[dict]:
        data = self._physical(chemical)
        return [vars(row) for row in properties.shown_properties(data)] if data else []


class ChemicalViewSet(ScopedReadOnlyViewSet):
    """危险化学品目录. With `search`, the best matches in rank order (exact name or CAS first) and, when nothing
    matched, `nearest_names` (issue 9: an unknown name gets the nearest catalogue names)."""

    model = Chemical
    serializer_class = ChemicalSerializer
    filterset_class = ChemicalFilterSet

    def restricted_queryset(self, action: str):
        return chemical_list(user=self.request.user, action=action)

    def get_serializer_class(self):
        return ChemicalDetailSerializer if self.action == "retrieve" else ChemicalSerializer

    # The page keeps the list's shape (next, previous, results); a search adds `nearest_names`.
    @extend_schema(parameters=[OpenApiParameter(
        "search", str, description=str(_("品名、别名、拼音首字母或CAS号（完整或前几位）；给出时按匹配程度排序，最多返回"
                                          "50条，并附 nearest_names：未找到时为目录中相近的品名，否则为空。")))])
    def list(self, request, *args, **kwargs):
        query = request.query_params.get("search", "").strip()
        if not query:
            return super().list(request, *args, **kwargs)
        matched = self.filter_queryset(self.get_queryset())
        rows = list(matched[:SEARCH_LIMIT])
        nearest = [] if rows else nearest_names(query, chemical_list(user=request.user))
        return Response({"next": None, "previous": None, "results": self.get_serializer(rows, many=True).data,
                         "nearest_names": nearest})


class KeyProcessSerializer(serializers.ModelSerializer):
    class Meta:
        model = KeyProcess
        fields = ["id", "batch", "number", "name", "typical_processes", "key_monitoring_parameters", "details_source",
                  "note"]


class KeyProcessViewSet(ScopedReadOnlyViewSet):
    """重点监管危险化工工艺 (the 18 of the 2009 and 2013 lists)."""

    model = KeyProcess
    serializer_class = KeyProcessSerializer
    filterset_class = KeyProcessFilterSet

    def restricted_queryset(self, action: str):
        return key_process_list(user=self.request.user, action=action)
