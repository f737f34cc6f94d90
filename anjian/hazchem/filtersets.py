"""Filters of the catalogue: one FilterSet per model for the UI list, the API and the export (issue 9 item 1)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet
from anjian.hazchem.models import Chemical, KeyProcess
from anjian.hazchem.selectors import chemical_search

DRUG_PRECURSOR_CATEGORIES = (("第一类", _("第一类")), ("第二类", _("第二类")), ("第三类", _("第三类")))


class ChemicalFilterSet(BaseFilterSet):
    """`q` (the list's box) and `search` (the API's parameter, issue 9's interface) are the same ranked search."""

    q = django_filters.CharFilter(method="ranked_search", label=_("搜索"))
    search = django_filters.CharFilter(method="ranked_search", label=_("品名、别名、拼音首字母或CAS号"))
    drug_precursor = django_filters.BooleanFilter(method="filter_drug_precursor", label=_("易制毒"))
    drug_precursor_category = django_filters.ChoiceFilter(choices=DRUG_PRECURSOR_CATEGORIES, label=_("易制毒类别"))

    class Meta:
        model = Chemical
        fields = ["explosive_precursor", "key_supervised", "highly_toxic"]

    def ranked_search(self, queryset, name, value):
        return chemical_search(value, queryset=queryset).chemicals

    def filter_drug_precursor(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(drug_precursor_category="") if value else queryset.filter(drug_precursor_category="")


class KeyProcessFilterSet(BaseFilterSet):
    search_fields = ("name",)

    class Meta:
        model = KeyProcess
        fields = ["batch"]
