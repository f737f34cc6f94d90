"""Tables of hazard units and the 重大危险源 register (UI lists and their exports; issue 9 item 2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from anjian.core.tables import BaseTable
from anjian.hazchem.models import HazardUnit, MajorHazard

YES_NO = (_("是"), _("否"))
LEVEL_LABELS = {1: _("一级"), 2: _("二级"), 3: _("三级"), 4: _("四级")}


def level_text(value: int | None) -> str:
    return str(LEVEL_LABELS.get(value, "")) if value else "—"


class HazardUnitTable(BaseTable):
    name = tables.Column(linkify=True)
    enterprise = tables.Column(verbose_name=_("单位"), order_by=("enterprise__name",))
    kind = tables.Column()
    s = tables.Column(verbose_name=_("S值"))
    is_major = tables.BooleanColumn(yesno=YES_NO)
    r = tables.Column(verbose_name=_("R值"))
    level = tables.Column()
    grading = tables.Column()

    class Meta(BaseTable.Meta):
        model = HazardUnit
        fields = ("name", "enterprise", "kind", "s", "is_major", "r", "level", "grading")

    def render_level(self, value):
        return level_text(value)

    def value_level(self, value):
        return level_text(value)


class MajorHazardTable(BaseTable):
    registration_number = tables.Column(linkify=lambda record: record.get_absolute_url())
    enterprise = tables.Column(verbose_name=_("单位"), order_by=("enterprise__name",))
    unit = tables.Column(verbose_name=_("单元"), order_by=("unit__name",))
    level = tables.Column()
    status = tables.Column()
    registered_on = tables.DateColumn()
    review_due = tables.DateColumn()
    principal_name = tables.Column()
    technical_name = tables.Column()
    operational_name = tables.Column()

    class Meta(BaseTable.Meta):
        model = MajorHazard
        fields = ("registration_number", "enterprise", "unit", "level", "status", "registered_on", "review_due",
                  "principal_name", "technical_name", "operational_name")

    def render_level(self, value):
        return level_text(value)

    def value_level(self, value):
        return level_text(value)
