"""Tables of the ledgers and transport (UI lists and their exports). Certificate numbers of drivers and escorts are
personal data (often the holder's ID number): every list and export masks them (anjian.core.privacy)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from anjian.core.privacy import mask_phone
from anjian.core.tables import BaseTable
from anjian.hazchem.models import HazmatVehicle, StockBalance, StockMovement, Trip


def mask_certificate(value: str | None) -> str:
    """Keep the first three and last four characters, as phone numbers are shown."""
    return mask_phone(value)


def _tonnes(value) -> str:
    return "—" if value is None else f"{value.normalize():f}"


class StockBalanceTable(BaseTable):
    """Balances with the unit's registered maximum; a stock above it is marked (issue 9 item 3)."""

    enterprise = tables.Column(verbose_name=_("单位"), linkify=lambda record: record.get_absolute_url(),
                               order_by=("enterprise__name",))
    chemical = tables.Column(verbose_name=_("危险化学品"), order_by=("chemical__name",))
    unit = tables.Column(verbose_name=_("单元"), default=_("单元外"), order_by=("unit__name",))
    quantity_t = tables.Column(verbose_name=_("库存（吨）"), attrs={"td": {"class": "text-end"}})
    maximum_t = tables.Column(verbose_name=_("设计最大量（吨）"), orderable=False, attrs={"td": {"class": "text-end"}})
    over = tables.Column(verbose_name=_("超过设计最大量"), empty_values=(), orderable=False)
    last_movement_at = tables.DateTimeColumn(verbose_name=_("最近出入库时间"))

    class Meta(BaseTable.Meta):
        model = StockBalance
        fields = ("enterprise", "chemical", "unit", "quantity_t", "maximum_t", "over", "last_movement_at")

    def render_quantity_t(self, value):
        return _tonnes(value)

    def render_maximum_t(self, value):
        return _tonnes(value)

    def render_over(self, record):
        if record.maximum_t is not None and record.quantity_t > record.maximum_t:
            return format_html('<span class="badge text-bg-warning">{}</span>', _("超量"))
        return ""

    def value_over(self, record):
        return _("是") if record.maximum_t is not None and record.quantity_t > record.maximum_t else ""


class StockMovementTable(BaseTable):
    occurred_at = tables.DateTimeColumn(verbose_name=_("发生时间"), linkify=True)
    enterprise = tables.Column(verbose_name=_("单位"))
    chemical = tables.Column(verbose_name=_("危险化学品"), order_by=("chemical__name",))
    unit = tables.Column(verbose_name=_("单元"), default="—")
    kind = tables.Column(verbose_name=_("类型"))
    quantity_t = tables.Column(verbose_name=_("数量（吨）"), attrs={"td": {"class": "text-end"}})
    balance_after_t = tables.Column(verbose_name=_("结存（吨）"), attrs={"td": {"class": "text-end"}})
    counterparty = tables.Column(verbose_name=_("往来单位"))
    document_number = tables.Column(verbose_name=_("单据编号"))
    recorded_by = tables.Column(verbose_name=_("登记人"), default="—")

    class Meta(BaseTable.Meta):
        model = StockMovement
        fields = ("occurred_at", "enterprise", "chemical", "unit", "kind", "quantity_t", "balance_after_t",
                  "counterparty", "document_number", "recorded_by")

    def render_quantity_t(self, value, record):
        sign = "+" if record.direction > 0 else "−"
        return f"{sign}{value.normalize():f}"

    def value_quantity_t(self, value, record):
        return f"{record.direction * value}"

    def render_balance_after_t(self, value):
        return _tonnes(value)

    def render_kind(self, value, record):
        if record.reverses_id:
            return format_html('{} <span class="text-muted small">#{}</span>', value, record.reverses_id)
        return value


class HazmatVehicleTable(BaseTable):
    plate = tables.Column(linkify=True)
    enterprise = tables.Column()
    permit_expires = tables.DateColumn()

    class Meta(BaseTable.Meta):
        model = HazmatVehicle
        fields = ("plate", "enterprise", "kind", "permit_number", "permit_expires", "capacity_t")


class TripTable(BaseTable):
    departure_at = tables.DateTimeColumn(linkify=True)
    driver_certificate = tables.Column()
    escort_certificate = tables.Column()

    class Meta(BaseTable.Meta):
        model = Trip
        fields = ("departure_at", "enterprise", "vehicle", "chemical", "quantity_t", "origin", "destination",
                  "driver_name", "driver_certificate", "escort_name", "escort_certificate")

    def render_driver_certificate(self, value):
        return mask_certificate(value)

    def value_driver_certificate(self, value):
        return mask_certificate(value)

    def render_escort_certificate(self, value):
        return mask_certificate(value)

    def value_escort_certificate(self, value):
        return mask_certificate(value)
