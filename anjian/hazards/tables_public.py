"""The regulators' table of public reports. The reporter's contact is masked unless the viewer handles the report."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.core.privacy import mask_phone
from anjian.core.tables import BaseTable
from anjian.hazards.models import PublicReport
from anjian.hazards.services_public import sees_contact

STATUS_COLOURS = {"pending": "warning", "accepted": "success", "rejected": "secondary"}


class PublicReportTable(BaseTable):
    tracking_code = tables.Column(linkify=True, verbose_name=_("查询码"))
    submitted_at = tables.DateTimeColumn(verbose_name=_("举报时间"))
    region = tables.Column(verbose_name=_("所在镇街或村（社区）"), order_by=("region__code",))
    description = tables.Column(verbose_name=_("举报内容"), orderable=False)
    contact = tables.Column(verbose_name=_("联系方式"), orderable=False, default="")
    status = tables.Column(verbose_name=_("状态"))
    hazard = tables.Column(verbose_name=_("对应隐患"), orderable=False, default="")

    class Meta(BaseTable.Meta):
        model = PublicReport
        fields = ("tracking_code", "submitted_at", "region", "description", "contact", "status", "hazard")
        order_by = ("-submitted_at",)

    def render_region(self, record):
        return record.region.full_name

    def value_region(self, record):
        return record.region.full_name

    def render_description(self, value):
        return value if len(value) <= 40 else f"{value[:40]}…"

    def value_description(self, value):
        return value

    def render_contact(self, value, record):
        return value if sees_contact(self.user, record) else mask_phone(value)

    def value_contact(self, value, record):
        return value if sees_contact(self.user, record) else mask_phone(value)

    def render_status(self, record):
        return format_html('<span class="badge text-bg-{}">{}</span>', STATUS_COLOURS.get(record.status, "secondary"),
                           record.get_status_display())

    def value_status(self, record):
        return record.get_status_display()

    def render_hazard(self, record):
        return f"#{record.hazard_id}" if record.hazard_id else ""

    def value_hazard(self, record):
        return record.hazard_id or ""
