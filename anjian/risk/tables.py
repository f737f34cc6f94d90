"""Tables of risk units, assessments, measures and checks (UI lists and their exports)."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.core.tables import BaseTable
from anjian.risk import tables_colours
from anjian.risk.models import ControlMeasure, MeasureCheck, RiskAssessment, RiskUnit


def colour_badge(value: str, label: str) -> str:
    """A risk unit's colour as the colour pages draw it (one palette for the app); a unit never assessed says so."""
    if not value:
        return format_html('<span class="text-body-secondary">{}</span>', _("未评估"))
    return tables_colours.colour_badge(value, label)


class ColourColumn(tables.Column):
    def render(self, value, record):
        return colour_badge(getattr(record, self.accessor), getattr(record, f"get_{self.accessor}_display")())

    def value(self, value, record):
        # The export keeps the label, not the badge's markup.
        return getattr(record, f"get_{self.accessor}_display")() or ""


class RiskUnitTable(BaseTable):
    name = tables.Column(linkify=True)
    enterprise = tables.Column(verbose_name=_("单位"), order_by=("enterprise__name",))
    colour = ColourColumn(empty_values=())

    class Meta(BaseTable.Meta):
        model = RiskUnit
        fields = ("name", "enterprise", "kind", "location", "control_level", "responsible_person", "colour",
                  "assessed_on")


class RiskAssessmentTable(BaseTable):
    unit = tables.Column(linkify=True, order_by=("unit__name",))
    enterprise = tables.Column(verbose_name=_("单位"), order_by=("enterprise__name",))
    colour = ColourColumn(empty_values=())
    assessed_on = tables.DateColumn(linkify=True)

    class Meta(BaseTable.Meta):
        model = RiskAssessment
        fields = ("assessed_on", "unit", "enterprise", "method", "score", "colour", "scheme", "assessor_name")


class ControlMeasureTable(BaseTable):
    unit = tables.Column(linkify=True, order_by=("unit__name",))
    enterprise = tables.Column(verbose_name=_("单位"), order_by=("enterprise__name",))

    class Meta(BaseTable.Meta):
        model = ControlMeasure
        fields = ("unit", "enterprise", "kind", "description", "level", "responsible", "check_cycle")


class MeasureCheckTable(BaseTable):
    measure = tables.Column(verbose_name=_("管控措施"), accessor="measure__description", orderable=False)
    unit = tables.Column(verbose_name=_("风险点"), accessor="measure__unit", orderable=False,
                         linkify=lambda record: record.measure.unit.get_absolute_url())
    enterprise = tables.Column(verbose_name=_("单位"), order_by=("enterprise__name",))
    hazard = tables.Column(linkify=True)

    class Meta(BaseTable.Meta):
        model = MeasureCheck
        fields = ("checked_at", "period_start", "unit", "measure", "enterprise", "result", "note", "hazard")


class CheckItemTable(ControlMeasureTable):
    """The open check items, each with its 检查 link (the page refuses who may not record checks)."""

    check_text = tables.Column(verbose_name=_("检查内容"), accessor="check_content", orderable=False, empty_values=())
    actions = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta(ControlMeasureTable.Meta):
        fields = ("actions", "unit", "enterprise", "check_text", "level", "responsible", "check_cycle")
        exclude = ("kind", "description")

    def render_check_text(self, value, record):
        return record.check_text

    def render_actions(self, record):
        return format_html('<a class="btn btn-sm btn-outline-primary" href="{}" data-testid="check-link">{}</a>',
                           reverse("risk:controlmeasure_check", args=[record.pk]), _("检查"))
