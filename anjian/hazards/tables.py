"""Tables of hazards: the list page and its .xlsx export (the export writes each column's `value_*`)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.core.tables import BaseTable
from anjian.enterprises.tables import wide_only
from anjian.hazards.choices import HAZARD_STATUS_COLOURS, HazardLevel, HazardSource, HazardStatus, SupervisionLevel
from anjian.hazards.models import Hazard


class HazardTable(BaseTable):
    description = tables.Column(verbose_name=_("隐患描述"), linkify=True, orderable=False)
    enterprise = tables.Column(verbose_name=_("单位"), order_by=("enterprise__name", "id"))
    town = tables.Column(verbose_name=_("镇街"), accessor="pk", orderable=False, attrs=wide_only())
    level = tables.Column(verbose_name=_("等级"), accessor="pk", order_by=("level", "-found_at"))
    status = tables.Column(verbose_name=_("状态"), accessor="pk", order_by=("status", "-found_at"))
    source = tables.Column(verbose_name=_("发现途径"), accessor="pk", order_by=("source", "-found_at"),
                           attrs=wide_only("xl"))
    found_at = tables.DateTimeColumn(verbose_name=_("发现时间"), attrs=wide_only("md"))
    deadline = tables.DateColumn(verbose_name=_("整改期限"))
    supervision = tables.Column(verbose_name=_("挂牌督办"), accessor="pk", orderable=False, attrs=wide_only())

    class Meta(BaseTable.Meta):
        model = Hazard
        fields = ("description", "enterprise", "town", "level", "status", "source", "found_at", "deadline",
                  "supervision")
        sequence = fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels resolved once per page, not once per cell (lazy translations cost).
        self.level_labels = {value: str(label) for value, label in HazardLevel.choices}
        self.status_labels = {value: str(label) for value, label in HazardStatus.choices}
        self.source_labels = {value: str(label) for value, label in HazardSource.choices}
        self.supervision_labels = {value: str(label) for value, label in SupervisionLevel.choices}
        self.overdue_label = str(_("逾期"))

    def render_description(self, value, record):
        text = value if len(value) <= 40 else value[:40] + "…"
        place = format_html('<div class="small text-body-secondary">{}</div>', record.place) if record.place else ""
        return format_html("{}{}", text, place)

    def value_description(self, value):
        return value

    def render_town(self, record):
        village = record.enterprise.region
        return village.parent.name if village.parent_id else village.name

    def value_town(self, record):
        return self.render_town(record)

    def render_level(self, record):
        colour = "danger" if record.level == HazardLevel.MAJOR else "secondary"
        return format_html('<span class="badge text-bg-{}">{}</span>', colour, self.level_labels.get(record.level))

    def value_level(self, record):
        return self.level_labels.get(record.level, record.level)

    def render_status(self, record):
        badge = format_html('<span class="badge text-bg-{}">{}</span>',
                            HAZARD_STATUS_COLOURS.get(record.status, "secondary"),
                            self.status_labels.get(record.status, record.status))
        if record.overdue:
            badge = format_html('{} <span class="badge text-bg-danger" data-testid="overdue">{}</span>', badge,
                                self.overdue_label)
        return badge

    def value_status(self, record):
        label = self.status_labels.get(record.status, record.status)
        return f"{label}（{self.overdue_label}）" if record.overdue else label

    def render_source(self, record):
        return self.source_labels.get(record.source, record.source)

    def value_source(self, record):
        return self.render_source(record)

    def render_supervision(self, record):
        if not record.listed:
            return ""
        return format_html('<span class="badge text-bg-warning">{}</span>',
                           self.supervision_labels.get(record.supervision_level))

    def value_supervision(self, record):
        return self.supervision_labels.get(record.supervision_level, "") if record.listed else ""

    def value_found_at(self, value):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
