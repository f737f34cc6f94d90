"""The jurisdiction tree (市 → 镇街/园区 → 村/社区) and industrial parks."""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anjian.accounts.roles import Role
from anjian.core.models import ScopedModel
from anjian.core.scope import Scope
from anjian.regions.choices import RegionLevel

READ_ONLY = frozenset({"view", "export"})


class Region(ScopedModel):
    """A unit of the 统计用区划代码 tree. `prefix` (the native 4/9/12-digit code) is what a subtree shares."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=8, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    prefix = models.CharField(_("代码前缀"), max_length=12, db_index=True)
    unit_type = models.CharField(_("类型"), max_length=16, blank=True)
    # WGS84 centre used to place map labels and generated demo points; see data/SOURCES.md.
    latitude = models.DecimalField(_("纬度"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("经度"), max_digits=9, decimal_places=6, null=True, blank=True)

    history = HistoricalRecords()
    # Every department needs the geography of its region, whatever its domains.
    scope: ClassVar[Scope] = Scope(region_code="code", across_domains=True)
    # The tree is reference data: only the city administrator edits it.
    policy: ClassVar[dict[str, frozenset[str]]] = {
        role: READ_ONLY for role in Role if role != Role.CITY_ADMIN
    }

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        parts = [self.name]
        parent = self.parent
        while parent is not None and parent.level != RegionLevel.CITY:
            parts.insert(0, parent.name)
            parent = parent.parent
        return " / ".join(parts)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("regions:region_detail", args=[self.pk])


class IndustrialPark(ScopedModel):
    """A grouping of enterprises (may cross town lines), e.g. 立沙岛精细化工园区."""

    name = models.CharField(_("园区名称"), max_length=100, unique=True)
    region = models.ForeignKey(
        Region, verbose_name=_("所在镇街"), on_delete=models.PROTECT, related_name="parks",
        limit_choices_to={"level": RegionLevel.TOWN},
    )
    is_chemical_park = models.BooleanField(_("化工园区"), default=False)
    description = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()
    scope: ClassVar[Scope] = Scope(region_code="region__code", across_domains=True)
    policy: ClassVar[dict[str, frozenset[str]]] = {
        role: READ_ONLY for role in Role if role != Role.CITY_ADMIN
    } | {Role.GRID_WORKER: frozenset()}  # parks belong to towns: nothing of a village's grid worker

    class Meta:
        verbose_name = _("工业园区")
        verbose_name_plural = _("工业园区")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegionOutline(ScopedModel):
    """The outline of a town or village: a GeoJSON geometry (Polygon or MultiPolygon, lng/lat) and its bbox.

    Kept apart from Region so lists of the tree never read geometry and its history stays small. `approximate`
    marks the 示意 town areas computed from the town centres (Voronoi cells clipped to the city outline, see
    data/SOURCES.md) until `anjian load-boundaries` brings real outlines; checks of coordinates use real ones only.
    The bbox columns answer "which outlines may contain this point" from an index before any geometry is read.
    """

    region = models.OneToOneField(
        Region, verbose_name=_("行政区划"), on_delete=models.CASCADE, related_name="outline", primary_key=True
    )
    geometry = models.JSONField(_("范围（GeoJSON）"))
    west = models.FloatField(_("最小经度"))
    south = models.FloatField(_("最小纬度"))
    east = models.FloatField(_("最大经度"))
    north = models.FloatField(_("最大纬度"))
    approximate = models.BooleanField(_("示意范围"), default=False)
    source = models.CharField(_("来源"), max_length=200, blank=True)

    scope: ClassVar[Scope] = Scope(region_code="region__code", across_domains=True)
    policy: ClassVar[dict[str, frozenset[str]]] = {
        role: READ_ONLY for role in Role if role != Role.CITY_ADMIN
    }

    class Meta:
        verbose_name = _("区划范围")
        verbose_name_plural = _("区划范围")
        indexes = [models.Index(fields=["west", "east", "south", "north"], name="outline_bbox")]

    def __str__(self) -> str:
        return str(self.region)
