"""Base FilterSet: one per model serves the UI list, the API list and the export (NetBox's split)."""

from __future__ import annotations

from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class BaseFilterSet(django_filters.FilterSet):
    """Adds `q`, a free-text search over `Meta.search_fields` (icontains; an exact-code field matches exactly)."""

    q = django_filters.CharFilter(method="search", label=_("搜索"))

    search_fields: tuple[str, ...] = ()

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        conditions = [Q(**{f"{field}__icontains": value}) for field in self.search_fields]
        return queryset.filter(reduce(or_, conditions))
