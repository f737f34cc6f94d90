import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.core.tables import BaseTable
from anjian.regions.models import IndustrialPark, Region

INDENT = {"city": "", "town": "anjian-indent-1", "village": "anjian-indent-2"}


class RegionTable(BaseTable):
    code = tables.Column(verbose_name=_("区划代码"))
    name = tables.Column(
        verbose_name=_("名称"), linkify=True, order_by=("code",),
        attrs={"td": {"class": lambda record: INDENT.get(record.level, "")}},
    )
    level = tables.Column(verbose_name=_("层级"))
    parent = tables.Column(verbose_name=_("上级"), orderable=False, default="—")
    unit_type = tables.Column(verbose_name=_("类型"), orderable=False, default="")

    class Meta(BaseTable.Meta):
        model = Region
        fields = ("code", "name", "level", "parent", "unit_type")
        order_by = ("code",)

    def value_name(self, value):
        return value


class IndustrialParkTable(BaseTable):
    name = tables.Column(verbose_name=_("园区名称"), linkify=("regions:park_detail", {"pk": tables.A("pk")}))
    region = tables.Column(verbose_name=_("所在镇街"), order_by=("region__code",))
    is_chemical_park = tables.Column(verbose_name=_("化工园区"))

    class Meta(BaseTable.Meta):
        model = IndustrialPark
        fields = ("name", "region", "is_chemical_park")

    def render_is_chemical_park(self, value):
        return format_html('<span class="badge text-bg-warning">{}</span>', _("化工园区")) if value else "—"

    def value_is_chemical_park(self, value):
        return value
