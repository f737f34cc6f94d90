"""The departments with safety duties and their supervision domains (权责清单, issue 6 item 10): a list page and a
read-only API for everyone signed in, so a regulator sees which department answers for which domain."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from anjian.accounts.models import Department
from anjian.core.api.viewsets import ScopedReadOnlyViewSet
from anjian.core.filtersets import BaseFilterSet
from anjian.core.tables import BaseTable
from anjian.core.views import ObjectListView


class DepartmentFilterSet(BaseFilterSet):
    domain = django_filters.CharFilter(method="filter_domain", label=_("行业领域代码"))
    search_fields = ("name", "short_name", "code")

    class Meta:
        model = Department
        fields: list[str] = []

    def filter_domain(self, queryset, name, value):
        # The list is a few dozen rows: matching the JSON list in Python reads the same on SQLite and PostgreSQL.
        code = value.strip()
        return queryset.filter(pk__in=[row.pk for row in queryset if code in row.domains])


class DepartmentTable(BaseTable):
    name = tables.Column(verbose_name=_("部门名称"))
    short_name = tables.Column(verbose_name=_("简称"))
    domain_names = tables.Column(verbose_name=_("负责的行业领域"), orderable=False, empty_values=())
    basis = tables.Column(verbose_name=_("职责依据"), orderable=False)

    class Meta(BaseTable.Meta):
        model = Department
        fields = ("name", "short_name", "domain_names", "basis")
        order_by = ("code",)


class DepartmentListView(ObjectListView):
    model = Department
    url_base = "department"
    filterset_class = DepartmentFilterSet
    table_class = DepartmentTable


class DepartmentSerializer(serializers.ModelSerializer):
    domain_names = serializers.CharField(read_only=True)

    class Meta:
        model = Department
        fields = ["id", "code", "name", "short_name", "domains", "domain_names", "basis"]
        read_only_fields = fields


class DepartmentViewSet(ScopedReadOnlyViewSet):
    """行业主管部门及其负责的行业领域（权责清单）。"""

    model = Department
    serializer_class = DepartmentSerializer
    filterset_class = DepartmentFilterSet
    cursor_ordering = "code"
