"""Base FilterSet: one per model serves the UI list, the API list and the export (NetBox's split)."""

from __future__ import annotations

from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.conf import settings as filter_settings

from anjian.core.models import AuditEvent

# Primary keys are 64-bit signed integers on both databases; a larger number is bad input, not a query.
MAX_ID = 2**63 - 1
EMPTY_CHOICE_LABEL = filter_settings.EMPTY_CHOICE_LABEL  # django-filter's "---------"


class IdFilter(django_filters.NumberFilter):
    """A record id: a whole number in the database's range (else a 400, never an overflow in the driver)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class ObjectTypeFilter(django_filters.CharFilter):
    """A record type written `app_label.model` (e.g. `enterprises.enterprise`), for rows that point at any record
    through a content type (audit events, attachments)."""

    def filter(self, qs, value):
        if not value:
            return qs
        app_label, _dot, model = value.strip().lower().partition(".")
        return qs.filter(**{f"{self.field_name}__app_label": app_label, f"{self.field_name}__model": model})


class YesNoSelect(forms.NullBooleanSelect):
    """A yes/no filter's select: 全部 / 是 / 否 (Django's NullBooleanSelect offers 未知 for "any").

    It reads the query string exactly as NullBooleanSelect does (true/false, True/False, 2/3, anything else is no
    filter), so the API and old links keep working; only the labels and the "any" option's value ("") change."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", _("全部")), ("true", _("是")), ("false", _("否"))]

    def format_value(self, value):
        # A list: ChoiceWidget tests `option in value`, and "" is in any string.
        formatted = super().format_value(value)
        return ["" if formatted == "unknown" else formatted]


class BaseFilterSet(django_filters.FilterSet):
    """Adds `q`, a free-text search over `Meta.search_fields` (icontains; an exact-code field matches exactly).

    Every yes/no filter (declared, or generated from a BooleanField in `Meta.fields`) reads 全部 / 是 / 否, and a
    choice filter's empty choice reads 全部."""

    q = django_filters.CharFilter(method="search", label=_("搜索"))

    search_fields: tuple[str, ...] = ()

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        for filter_ in filters.values():
            if isinstance(filter_, django_filters.BooleanFilter):
                filter_.extra.setdefault("widget", YesNoSelect)
            elif (
                # ModelChoiceFilter is a ChoiceFilter; OrderingFilter too, but it is no filter a person picks from.
                isinstance(filter_, django_filters.ChoiceFilter)
                and not isinstance(filter_, django_filters.OrderingFilter)
                and filter_.extra.get("empty_label", EMPTY_CHOICE_LABEL) == EMPTY_CHOICE_LABEL
            ):
                # No choice means every row: 全部, like the yes/no filters (django-filter writes "---------").
                filter_.extra["empty_label"] = _("全部")
        return filters

    def search(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        conditions = [Q(**{f"{field}__icontains": value}) for field in self.search_fields]
        return queryset.filter(reduce(or_, conditions))


class AuditEventFilterSet(BaseFilterSet):
    """The audit log's filters, for its UI list, its export and the API."""

    action = django_filters.CharFilter(lookup_expr="startswith", label=_("操作"))
    object_type = ObjectTypeFilter(field_name="content_type", label=_("对象类型（app.model）"))
    object_id = django_filters.CharFilter(label=_("对象ID"))
    enterprise = IdFilter(field_name="enterprise_id", label=_("企业ID"))
    occurred_after = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__gte", label=_("起始日期"))
    occurred_before = django_filters.DateFilter(field_name="occurred_at", lookup_expr="date__lte", label=_("截止日期"))
    search_fields = ("object_repr", "reason", "actor__username")

    class Meta:
        model = AuditEvent
        fields: list[str] = []
