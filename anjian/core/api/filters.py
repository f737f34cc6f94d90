"""The API's filter backend: django-filter's, plus refusing what the FilterSet's form would silently ignore.

A yes/no filter (`?dust_explosion=`, `?unread=`, `?expiring=`) reads its value through a select widget that turns
anything it does not know into "no filter", so `?dust_explosion=maybe` listed everything. The API takes `true` or
`false` (what its OpenAPI schema says: a boolean), an empty value means no filter, and anything else answers 400
naming the parameter (issue 7 item 3). The HTML list pages keep their own widgets (anjian.core.filtersets).
"""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions

BOOLEAN_VALUES = frozenset({"true", "false"})


class ApiFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            check_boolean_parameters(filterset, request.query_params)
        return filterset


def check_boolean_parameters(filterset, params) -> None:
    errors = {}
    for name, filter_ in filterset.filters.items():
        if not isinstance(filter_, django_filters.BooleanFilter) or name not in params:
            continue
        bad = [value for value in params.getlist(name) if value and value not in BOOLEAN_VALUES]
        if bad:
            errors[name] = [_("“%(name)s”须为 true 或 false，收到“%(value)s”。") % {"name": name, "value": bad[0]}]
    if errors:
        raise exceptions.ValidationError(errors)
