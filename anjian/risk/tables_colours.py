"""Tables of the colour lists (issue 9 item 5): the UI lists and their xlsx exports."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.core.tables import BaseTable
from anjian.risk.models import EnterpriseColour, RegionColour

# The four colours as drawn on badges and the map (Tabler's red, orange, yellow and blue); grey for none yet.
HEX = {"red": "#d63939", "orange": "#f76707", "yellow": "#f4c20d", "blue": "#206bc4", "": "#adb5bd"}
# Dark text on yellow and grey, white on the others (contrast).
TEXT = {"yellow": "#1d273b", "": "#1d273b"}
BADGE = '<span class="badge" data-colour="{}" style="background-color:{};color:{}">{}</span>'


def colour_badge(value: str, label: Any) -> str:
    return format_html(BADGE, value or "none", HEX.get(value, HEX[""]), TEXT.get(value, "#ffffff"), label or _("无"))


# Columns a phone leaves out, so the name and the colour keep their width (the export has them all).
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}


class EnterpriseColourTable(BaseTable):
    enterprise = tables.Column(verbose_name=_("单位"), linkify=True, order_by=("enterprise__name",),
                               attrs={"td": {"style": "min-width: 10em"}})
    town = tables.Column(verbose_name=_("镇街"), accessor="enterprise__region__parent__name",
                         order_by=("enterprise__region__code",))
    village = tables.Column(verbose_name=_("村（社区）"), accessor="enterprise__region__name",
                            order_by=("enterprise__region__code",), attrs=WIDE_ONLY)
    dynamic = tables.Column(order_by=("severity", "enterprise__name"))
    inherent = tables.Column(attrs=WIDE_ONLY)
    reasons = tables.Column(verbose_name=_("判定依据"), orderable=False, attrs=WIDE_ONLY)
    changed_at = tables.DateTimeColumn(attrs=WIDE_ONLY)

    class Meta(BaseTable.Meta):
        model = EnterpriseColour
        fields = ("enterprise", "town", "village", "dynamic", "inherent", "reasons", "changed_at")

    def render_dynamic(self, record: EnterpriseColour) -> str:
        return colour_badge(record.dynamic, record.get_dynamic_display())

    def render_inherent(self, record: EnterpriseColour) -> str:
        return colour_badge(record.inherent, record.get_inherent_display())

    def render_reasons(self, value: list) -> str:
        return "；".join(reason["text"] for reason in value)

    def value_dynamic(self, record: EnterpriseColour) -> str:
        return str(record.get_dynamic_display())

    def value_inherent(self, record: EnterpriseColour) -> str:
        return str(record.get_inherent_display())

    def value_reasons(self, value: list) -> str:
        return "；".join(reason["text"] for reason in value)


class RegionColourTable(BaseTable):
    region = tables.Column(verbose_name=_("区域"), order_by=("code",))
    level = tables.Column(verbose_name=_("层级"))
    colour = tables.Column(order_by=("severity", "-red", "-orange", "code"))
    red = tables.Column()
    orange = tables.Column()
    yellow = tables.Column()
    blue = tables.Column()
    total = tables.Column(verbose_name=_("在业单位"), orderable=False)
    reason = tables.Column(attrs=WIDE_ONLY)
    enterprises = tables.Column(verbose_name=_("企业"), empty_values=(), orderable=False, exclude_from_export=True)

    class Meta(BaseTable.Meta):
        model = RegionColour
        fields = ("region", "level", "colour", "red", "orange", "yellow", "blue", "total", "reason")

    def render_region(self, record: RegionColour) -> str:
        # A town links to the ranking of its villages; a village to its enterprises.
        if record.level == "town":
            url = reverse("risk:colour_ranking") + "?" + urlencode({"region": record.code, "level": "village"})
            return format_html('<a href="{}">{}</a>', url, record.region.name)
        return record.region.name

    def render_level(self, record: RegionColour) -> str:
        return str(_("镇街") if record.level == "town" else _("村（社区）"))

    def render_colour(self, record: RegionColour) -> str:
        return colour_badge(record.colour, record.get_colour_display())

    def render_enterprises(self, record: RegionColour) -> str:
        url = reverse("risk:enterprisecolour_list") + "?" + urlencode({"region": record.code})
        return format_html('<a href="{}">{}</a>', url, _("查看企业"))

    def value_region(self, record: RegionColour) -> str:
        return record.region.name

    def value_colour(self, record: RegionColour) -> str:
        return str(record.get_colour_display()) if record.colour else str(_("无"))
