from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.core.filtersets import BaseFilterSet
from anjian.core.scope import code_range
from anjian.regions.choices import RegionLevel
from anjian.regions.models import IndustrialPark, Region


class RegionCodeField(forms.CharField):
    """A 12-digit region code, cleaned to the Region; an unknown code is a clear error, not an empty list."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        region = Region.objects.filter(code=value.strip()).first()
        if region is None:
            # Params, not pre-formatted text: django-filter formats the message again, and input may hold "%".
            raise ValidationError(_("未知的行政区划代码：%(code)s"), code="unknown_region", params={"code": value})
        return region


class RegionSubtreeFilter(django_filters.Filter):
    """`region=<code>` means that region's whole subtree (code prefix, indexed)."""

    field_class = RegionCodeField

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{f"{self.field_name}__range": code_range(value.prefix)})


class RegionFilterSet(BaseFilterSet):
    parent = RegionSubtreeFilter(field_name="code", label=gettext_lazy("上级区划"))
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices, label=gettext_lazy("层级"))
    search_fields = ("name", "code")

    class Meta:
        model = Region
        fields = ["level"]


class IndustrialParkFilterSet(BaseFilterSet):
    region = RegionSubtreeFilter(field_name="region__code", label=gettext_lazy("所在区域"))
    search_fields = ("name",)

    class Meta:
        model = IndustrialPark
        fields = ["is_chemical_park"]
