"""The notifications' filters, shared by the inbox page and the API (`?unread=true`, `?q=`)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from anjian.core.filtersets import BaseFilterSet
from anjian.notifications.models import Notification


class NotificationFilterSet(BaseFilterSet):
    unread = django_filters.BooleanFilter(method="filter_unread", label=_("只看未读"))
    kind = django_filters.CharFilter(label=_("通知类型"))
    search_fields = ("title", "text")

    class Meta:
        model = Notification
        fields: list[str] = []

    def filter_unread(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)
