"""Tables of checklists, schedules and self-inspections (UI lists and their exports)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.core.tables import BaseTable
from anjian.hazards.choices import ChecklistStatus
from anjian.hazards.models import Checklist, InspectionSchedule, SelfInspection

STATUS_COLOURS = {ChecklistStatus.DRAFT: "secondary", ChecklistStatus.PUBLISHED: "success",
                  ChecklistStatus.RETIRED: "light"}


class ChecklistTable(BaseTable):
    title = tables.Column(linkify=True)
    code = tables.Column()
    version = tables.Column()
    domain = tables.Column(default=_("各行业领域"))
    criteria = tables.BooleanColumn(yesno=(_("是"), _("否")))
    item_count = tables.Column(verbose_name=_("检查项数"), orderable=False)
    status = tables.Column()

    class Meta(BaseTable.Meta):
        model = Checklist
        fields = ("title", "code", "version", "domain", "criteria", "item_count", "status")

    def render_status(self, record, value):
        colour = STATUS_COLOURS.get(record.status, "secondary")
        text = "text-dark" if colour == "light" else ""
        return format_html('<span class="badge text-bg-{} {}">{}</span>', colour, text, value)

    def value_status(self, record):
        return record.get_status_display()


class InspectionScheduleTable(BaseTable):
    # The enterprise's name opens the schedule (the page an enterprise user acts on).
    enterprise = tables.Column(order_by=("enterprise__name",), linkify=lambda record: record.get_absolute_url())
    checklist = tables.Column(order_by=("checklist__title",))
    frequency = tables.Column()
    starts_on = tables.DateColumn()
    responsible = tables.Column()
    active = tables.BooleanColumn(yesno=(_("是"), _("否")))

    class Meta(BaseTable.Meta):
        model = InspectionSchedule
        fields = ("enterprise", "checklist", "frequency", "starts_on", "responsible", "active")

    def render_checklist(self, record):
        return record.checklist.title


class MissedScheduleTable(InspectionScheduleTable):
    town = tables.Column(verbose_name=_("镇街"), accessor="enterprise__region__parent__name", orderable=False)
    missed_period = tables.DateColumn(verbose_name=_("漏查周期"), orderable=False)
    last_period = tables.DateColumn(verbose_name=_("最近完成周期"), orderable=False, default="—")

    class Meta(InspectionScheduleTable.Meta):
        fields = ("enterprise", "town", "checklist", "frequency", "missed_period", "last_period", "responsible")
        exclude = ("starts_on", "active")


class SelfInspectionTable(BaseTable):
    performed_at = tables.DateTimeColumn(linkify=True)
    enterprise = tables.Column(order_by=("enterprise__name",))
    checklist = tables.Column(order_by=("checklist__title",))
    period_start = tables.DateColumn(default="—")
    failed_count = tables.Column()
    performed_by = tables.Column(default="—", orderable=False)

    class Meta(BaseTable.Meta):
        model = SelfInspection
        fields = ("performed_at", "enterprise", "checklist", "period_start", "failed_count", "performed_by")
        order_by = ("-performed_at",)

    def render_checklist(self, record):
        return record.checklist.title

    def render_failed_count(self, value):
        if value:
            return format_html('<span class="badge text-bg-danger">{}</span>', value)
        return format_html('<span class="badge text-bg-success">{}</span>', value)

    def value_failed_count(self, value):
        return value
