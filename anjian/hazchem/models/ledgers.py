"""Lifecycle ledgers of hazardous chemicals and their road transport (issue 9 item 3).

An enterprise's ledger (危险化学品台账, 《危险化学品安全管理条例》第二十四条、第四十一条: 如实记录 quantities and flows)
is a list of movements that is only ever appended to, and one balance per chemical and place (a hazard unit or the
enterprise at large) kept with it in the same transaction. Road transport (《危险货物道路运输安全管理办法》): the
enterprise's hazmat vehicles with their 道路运输证 and each trip with its driver and escort (押运员) certificates.
"""

from __future__ import annotations

from typing import ClassVar

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from anjian.accounts.roles import Role
from anjian.core.scope import ADD, CHANGE, EXPORT, VIEW
from anjian.core.validators import validate_date_in_range, validate_no_control_characters
from anjian.enterprises.models import EnterpriseChild
from anjian.hazchem.models.units import QUANTITY_DIGITS, QUANTITY_PLACES

# 《机动车号牌》GA 36: province character, issuing-office letter, then five characters (six for new-energy plates);
# letters I and O are never issued. Trailer plates end in 挂.
PLATE_PATTERN = (r"^[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z]"
                 r"(?:[A-HJ-NP-Z0-9]{5}|[A-HJ-NP-Z0-9]{6}|[A-HJ-NP-Z0-9]{4}挂)$")
validate_plate = RegexValidator(
    PLATE_PATTERN, _("请输入有效的机动车号牌，例如“粤S12345”或“粤S1234挂”（字母大写，不含I和O）。"))


class MovementKind(models.TextChoices):
    """What moved the stock. 期初 opens a ledger; 盘盈/盘亏 adjust it to a count and need a note saying why; 冲销
    reverses one earlier movement (the ledger is never edited, see StockMovement)."""

    OPENING = "opening", _("期初库存")
    PRODUCED = "produced", _("生产")
    PURCHASED = "purchased", _("购入")
    COUNT_GAIN = "count_gain", _("盘盈")
    CONSUMED = "consumed", _("使用")
    SOLD = "sold", _("销售")
    SHIPPED = "shipped", _("运出")
    DISPOSED = "disposed", _("处置")
    COUNT_LOSS = "count_loss", _("盘亏")
    REVERSAL = "reversal", _("冲销")


INCOMING = frozenset({MovementKind.OPENING, MovementKind.PRODUCED, MovementKind.PURCHASED, MovementKind.COUNT_GAIN})
OUTGOING = frozenset({MovementKind.CONSUMED, MovementKind.SOLD, MovementKind.SHIPPED, MovementKind.DISPOSED,
                      MovementKind.COUNT_LOSS})
# A count adjustment changes the books without goods moving: it must say why (issue 9 item 3, design note 盘点).
NEEDS_NOTE = frozenset({MovementKind.COUNT_GAIN, MovementKind.COUNT_LOSS, MovementKind.REVERSAL})


def ledger_policy(*enterprise_actions: str) -> dict[str, frozenset[str]]:
    """Who writes a ledger: the enterprise keeps its own (`enterprise_actions`), the city administrator may enter
    on its behalf; regulators read and export; grid workers and assigned experts read."""
    return {
        Role.ENTERPRISE_USER: frozenset({VIEW, EXPORT, *enterprise_actions}),
        Role.CITY_ADMIN: frozenset({VIEW, EXPORT, *enterprise_actions}),
        Role.CITY_SUPERVISOR: frozenset({VIEW, EXPORT}),
        Role.TOWN_SUPERVISOR: frozenset({VIEW, EXPORT}),
        Role.DEPARTMENT_SUPERVISOR: frozenset({VIEW, EXPORT}),
        Role.GRID_WORKER: frozenset({VIEW}),
        Role.EXPERT: frozenset({VIEW}),
    }


class StockMovement(EnterpriseChild):
    """One line of the ledger. Append-only: a ledger is evidence (条例第二十四条 requires a true record, and an
    inspector compares it with the goods), so a wrong line is never edited or deleted; it is corrected by a 冲销 line
    that points at it, and both stay visible. Nobody holds CHANGE or DELETE on it."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="stock_movements")
    chemical = models.ForeignKey("hazchem.Chemical", verbose_name=_("危险化学品"), on_delete=models.PROTECT,
                                 related_name="movements")
    unit = models.ForeignKey("hazchem.HazardUnit", verbose_name=_("单元"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="movements")
    kind = models.CharField(_("类型"), max_length=12, choices=MovementKind.choices)
    # +1 in, -1 out: kept on the row so a sum of direction × quantity gives the balance (and a reversal's is the
    # opposite of the line it reverses).
    direction = models.SmallIntegerField(_("方向"), choices=((1, _("入库")), (-1, _("出库"))))
    quantity_t = models.DecimalField(_("数量（吨）"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES,
                                     validators=[MinValueValidator(0)])
    balance_after_t = models.DecimalField(_("结存（吨）"), max_digits=QUANTITY_DIGITS,
                                          decimal_places=QUANTITY_PLACES)
    occurred_at = models.DateTimeField(_("发生时间"))
    counterparty = models.CharField(_("往来单位"), max_length=200, blank=True,
                                    validators=[validate_no_control_characters])
    document_number = models.CharField(_("单据编号"), max_length=64, blank=True,
                                       validators=[validate_no_control_characters])
    note = models.CharField(_("说明"), max_length=500, blank=True, validators=[validate_no_control_characters])
    reverses = models.OneToOneField("self", verbose_name=_("冲销的记录"), on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="reversed_by")
    recorded_by = models.ForeignKey("accounts.User", verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")

    policy: ClassVar[dict[str, frozenset[str]]] = ledger_policy(ADD)

    class Meta:
        verbose_name = _("出入库记录")
        verbose_name_plural = _("出入库记录")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity_t__gt=0), name="hazchem_movement_positive",
                                   violation_error_message=_("数量须大于0。")),
            models.CheckConstraint(condition=Q(balance_after_t__gte=0), name="hazchem_movement_balance_nonneg",
                                   violation_error_message=_("结存不能为负。")),
            models.CheckConstraint(condition=Q(direction__in=(1, -1)), name="hazchem_movement_direction"),
        ]
        indexes = [models.Index(fields=["enterprise", "chemical", "-id"], name="hazchem_movement_ledger")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.chemical} {self.quantity_t.normalize():f}t"

    def get_absolute_url(self) -> str:
        return reverse("hazchem:stockmovement_detail", args=[self.pk])


class StockBalance(EnterpriseChild):
    """The current stock of one chemical in one place: a hazard unit, or (unit empty) the enterprise outside any
    registered unit. Written only by `services_ledgers.movement_record`, under a row lock in the movement's
    transaction; the CHECK is the last line should anything else try to go below zero."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="stock_balances")
    chemical = models.ForeignKey("hazchem.Chemical", verbose_name=_("危险化学品"), on_delete=models.PROTECT,
                                 related_name="balances")
    unit = models.ForeignKey("hazchem.HazardUnit", verbose_name=_("单元"), on_delete=models.PROTECT, null=True,
                             blank=True, related_name="balances")
    quantity_t = models.DecimalField(_("库存（吨）"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES,
                                     default=0)
    last_movement_at = models.DateTimeField(_("最近出入库时间"), null=True, blank=True)

    policy: ClassVar[dict[str, frozenset[str]]] = ledger_policy()

    class Meta:
        verbose_name = _("库存")
        verbose_name_plural = _("库存台账")
        ordering = ["enterprise", "chemical", "unit"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity_t__gte=0), name="hazchem_balance_nonneg",
                                   violation_error_message=_("库存不能为负。")),
            # NULL units are not equal to each other in a plain unique constraint, hence two partial ones.
            models.UniqueConstraint(fields=["enterprise", "chemical", "unit"], condition=Q(unit__isnull=False),
                                    name="hazchem_balance_in_unit"),
            models.UniqueConstraint(fields=["enterprise", "chemical"], condition=Q(unit__isnull=True),
                                    name="hazchem_balance_outside_units"),
        ]

    def __str__(self) -> str:
        return f"{self.chemical} {self.quantity_t}t"

    def get_absolute_url(self) -> str:
        return reverse("hazchem:ledger", args=[self.enterprise_id])


class VehicleKind(models.TextChoices):
    TANK = "tank", _("罐式车辆")
    VAN = "van", _("厢式车辆")
    FLATBED = "flatbed", _("栏板/平板车辆")
    TRACTOR = "tractor", _("牵引车")
    TRAILER = "trailer", _("挂车")
    OTHER = "other", _("其他")


class HazmatVehicle(EnterpriseChild):
    """A vehicle the enterprise carries dangerous goods with, and its 道路运输证 (《道路危险货物运输管理规定》)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="hazmat_vehicles")
    plate = models.CharField(_("车牌号"), max_length=10, unique=True, validators=[validate_plate],
                             error_messages={"unique": _("该车牌号已登记。")})
    kind = models.CharField(_("车辆类型"), max_length=12, choices=VehicleKind.choices)
    permit_number = models.CharField(_("道路运输证号"), max_length=32, validators=[validate_no_control_characters])
    permit_expires = models.DateField(_("道路运输证有效期至"), validators=[validate_date_in_range])
    capacity_t = models.DecimalField(_("核定载质量（吨）"), max_digits=8, decimal_places=3,
                                     validators=[MinValueValidator(0)])
    note = models.CharField(_("备注"), max_length=200, blank=True, validators=[validate_no_control_characters])

    policy: ClassVar[dict[str, frozenset[str]]] = ledger_policy(ADD, CHANGE)
    history = HistoricalRecords(excluded_fields=["created", "updated"])

    class Meta:
        verbose_name = _("危险货物运输车辆")
        verbose_name_plural = _("危险货物运输车辆")
        ordering = ["enterprise", "plate"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity_t__gt=0), name="hazchem_vehicle_capacity",
                                   violation_error_message=_("核定载质量须大于0。")),
        ]

    def __str__(self) -> str:
        return self.plate

    def get_absolute_url(self) -> str:
        return reverse("hazchem:hazmatvehicle_detail", args=[self.pk])


class Trip(EnterpriseChild):
    """One road transport of a chemical. Refused (services_ledgers.trip_save) unless the vehicle's 道路运输证, the
    driver's and the escort's 从业资格证 are valid on the departure day and driver and escort are two people
    (《危险货物道路运输安全管理办法》: 驾驶人员、押运人员 hold valid qualifications; the 押运员 is a second
    person)."""

    enterprise = models.ForeignKey("enterprises.Enterprise", verbose_name=_("单位"), on_delete=models.CASCADE,
                                   related_name="trips")
    vehicle = models.ForeignKey(HazmatVehicle, verbose_name=_("车辆"), on_delete=models.PROTECT, related_name="trips")
    chemical = models.ForeignKey("hazchem.Chemical", verbose_name=_("危险化学品"), on_delete=models.PROTECT,
                                 related_name="trips")
    quantity_t = models.DecimalField(_("运输量（吨）"), max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES,
                                     validators=[MinValueValidator(0)])
    origin = models.CharField(_("起运地"), max_length=200, validators=[validate_no_control_characters])
    destination = models.CharField(_("目的地"), max_length=200, validators=[validate_no_control_characters])
    departure_at = models.DateTimeField(_("计划起运时间"))
    # Names and certificate numbers only: no ID numbers are needed (the certificate is checked, not the person).
    # Certificate numbers are personal data (often the holder's ID number): lists, exports and the API mask them.
    driver_name = models.CharField(_("驾驶员"), max_length=50, validators=[validate_no_control_characters])
    driver_certificate = models.CharField(_("驾驶员从业资格证号"), max_length=32,
                                          validators=[validate_no_control_characters])
    driver_certificate_expires = models.DateField(_("驾驶员从业资格证有效期至"), validators=[validate_date_in_range])
    escort_name = models.CharField(_("押运员"), max_length=50, validators=[validate_no_control_characters])
    escort_certificate = models.CharField(_("押运员从业资格证号"), max_length=32,
                                          validators=[validate_no_control_characters])
    escort_certificate_expires = models.DateField(_("押运员从业资格证有效期至"), validators=[validate_date_in_range])
    note = models.CharField(_("备注"), max_length=200, blank=True, validators=[validate_no_control_characters])

    policy: ClassVar[dict[str, frozenset[str]]] = ledger_policy(ADD, CHANGE)
    # The certificate numbers stay out of the 变更记录, which regulators read unmasked.
    history = HistoricalRecords(excluded_fields=["created", "updated", "driver_certificate", "escort_certificate"])

    class Meta:
        verbose_name = _("危险货物运输记录")
        verbose_name_plural = _("危险货物运输记录")
        ordering = ["-departure_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity_t__gt=0), name="hazchem_trip_quantity",
                                   violation_error_message=_("运输量须大于0。")),
        ]
        indexes = [models.Index(fields=["enterprise", "-departure_at"], name="hazchem_trip_departure")]

    def __str__(self) -> str:
        return f"{self.vehicle} {self.chemical} {timezone.localtime(self.departure_at):%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("hazchem:trip_detail", args=[self.pk])
