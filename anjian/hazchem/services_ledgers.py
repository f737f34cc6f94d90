"""Writes of the lifecycle ledgers and road transport (issue 9 item 3).

`movement_record` appends one line to an enterprise's ledger and moves the balance of that chemical in that place in
the same transaction, under a row lock, so two movements at once never both spend the same stock; a movement that
would take a balance below zero is refused and nothing is written. When the place is a hazard unit the unit's
`UnitChemical.stock_t` follows the balance and the unit is graded again (GB 18218-2018 4.2.2 counts the larger of
the design maximum and what is actually held); a unit that crosses S = 1 or changes level is re-identified and the
town's supervisors are told after the commit. `trip_save` refuses a trip whose vehicle permit or people's
certificates are not valid on the departure day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from anjian.accounts.roles import Role
from anjian.core import audit
from anjian.core.notices import Notice, send_on_commit
from anjian.core.scope import ADD, jurisdiction_of
from anjian.core.services import scoped_save
from anjian.hazchem import grading
from anjian.hazchem.models import (
    HazardUnit,
    HazmatVehicle,
    MovementKind,
    StockBalance,
    StockMovement,
    Trip,
    UnitChemical,
)
from anjian.hazchem.models.ledgers import INCOMING, NEEDS_NOTE, OUTGOING
from anjian.hazchem.models.units import QUANTITY_PLACES

# The ledger keeps tonnes to 0.1 kg (QUANTITY_PLACES); a finer quantity would be rounded silently, so it is refused.
TONNE = Decimal(1).scaleb(-QUANTITY_PLACES)
KG_PER_TONNE = Decimal(1000)
# A clock a few minutes ahead on a phone is not a movement in the future.
FUTURE_SLACK = dt.timedelta(minutes=10)
# Told to the town when a movement re-identifies a unit (issue 9 item 3); text in notifications/data/templates.csv.
REGRADE_NOTICE = "hazardunit.stock_regraded"


@dataclass(frozen=True)
class MovementResult:
    """What a recorded movement did: the line, the balance after it, warnings to show (a stock above a unit's
    registered maximum) and the unit's regrade (None without a unit)."""

    movement: StockMovement
    balance: StockBalance
    warnings: tuple[str, ...] = ()
    change: grading.Change | None = None


def tonnes(value: Any, unit: str = "t") -> Decimal:
    """A quantity typed by a person or a client, in tonnes: `unit` "t" or "kg" (converted explicitly, 1 t = 1000 kg).
    Refuses what is not a positive number or is finer than the ledger keeps (0.1 kg), naming the value."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(_("数量“%(value)s”不是有效的数字。") % {"value": str(value)[:20]}) from None
    if not number.is_finite():
        raise ValidationError(_("数量“%(value)s”不是有效的数字。") % {"value": str(value)[:20]})
    if unit == "kg":
        number = number / KG_PER_TONNE
    elif unit != "t":
        raise ValidationError(_("计量单位只能是吨（t）或千克（kg）。"))
    if number <= 0:
        raise ValidationError(_("数量须大于0。"))
    # Before quantize(): a number of more digits than the context's precision makes it raise.
    if number.adjusted() >= 12:
        raise ValidationError(_("数量过大，请核对。"))
    if number != number.quantize(TONNE):
        raise ValidationError(_("数量最多精确到0.0001吨（0.1千克）。"))
    return number.quantize(TONNE)


def _direction(movement: StockMovement) -> int:
    if movement.kind == MovementKind.REVERSAL:
        return -movement.reverses.direction
    if movement.kind in INCOMING:
        return 1
    if movement.kind in OUTGOING:
        return -1
    raise ValidationError({"kind": [_("请选择出入库类型。")]})


def _check_reversal(movement: StockMovement) -> None:
    original = movement.reverses
    if movement.kind != MovementKind.REVERSAL:
        if original is not None:
            raise ValidationError({"reverses": [_("只有“冲销”记录可以指向被冲销的记录。")]})
        return
    if original is None:
        raise ValidationError({"reverses": [_("请选择要冲销的记录。")]})
    if original.enterprise_id != movement.enterprise_id:
        raise ValidationError({"reverses": [_("只能冲销本单位的记录。")]})
    if original.kind == MovementKind.REVERSAL:
        raise ValidationError({"reverses": [_("冲销记录不能再被冲销；如需恢复，请重新登记。")]})
    if StockMovement.objects.filter(reverses=original).exists():
        raise ValidationError({"reverses": [_("该记录已被冲销。")]})
    # A reversal takes back exactly the line it names: same chemical, place and quantity.
    movement.chemical_id, movement.unit_id, movement.quantity_t = (
        original.chemical_id, original.unit_id, original.quantity_t)


def _check_unit(movement: StockMovement) -> UnitChemical | None:
    if movement.unit_id is None:
        return None
    unit = movement.unit
    if unit.enterprise_id != movement.enterprise_id:
        raise ValidationError({"unit": [_("单元“%(unit)s”不属于本单位。") % {"unit": unit}]})
    row = UnitChemical.objects.filter(unit_id=unit.pk, chemical_id=movement.chemical_id).first()
    if row is None:
        raise ValidationError({"unit": [_("单元“%(unit)s”未登记“%(chemical)s”。请先在单元中添加该危险化学品及其设计"
                                          "最大量，或不选单元（计入单元外库存）。")
                                        % {"unit": unit, "chemical": movement.chemical}]})
    return row


def _locked_balance(enterprise_id: int, chemical_id: int, unit_id: int | None) -> StockBalance:
    """The balance row of this place, locked until the transaction ends. The row is created race-free first (INSERT
    … ON CONFLICT DO NOTHING on PostgreSQL, INSERT OR IGNORE on SQLite): two first movements of a chemical at once
    then wait for each other on the one row instead of both creating it."""
    StockBalance.objects.bulk_create(
        [StockBalance(enterprise_id=enterprise_id, chemical_id=chemical_id, unit_id=unit_id)], ignore_conflicts=True)
    return StockBalance.objects.select_for_update().get(enterprise_id=enterprise_id, chemical_id=chemical_id,
                                                        unit_id=unit_id)


def _unit_url(unit: HazardUnit) -> str:
    # The unit's page comes with the units' part of issue 9; until it is routed the ledger page shows the unit.
    try:
        return unit.get_absolute_url()
    except NoReverseMatch:
        return reverse("hazchem:ledger", args=[unit.enterprise_id])


def movement_record(*, actor: Any, movement: StockMovement, reason: str = "",
                    now: dt.datetime | None = None) -> MovementResult:
    """Append `movement` (unsaved) to its enterprise's ledger, or refuse it and change nothing.

    Refused: a line that already exists (the ledger is append-only), an actor who may not add to this enterprise's
    ledger, a unit of another enterprise or one that does not list the chemical, a count adjustment or reversal
    without a note, a time in the future, and any movement that would take the balance below zero.
    """
    now = now or timezone.now()
    if movement.pk is not None:
        raise PermissionDenied(_("出入库记录只能新增，不能修改；登记错误请用“冲销”更正。"))
    if not jurisdiction_of(actor, ADD, StockMovement).covers_object(movement):
        raise PermissionDenied(_("您无权登记该单位的出入库记录。"))
    _check_reversal(movement)
    movement.direction = _direction(movement)
    if movement.kind in NEEDS_NOTE and not (movement.note or "").strip():
        raise ValidationError({"note": [_("盘盈、盘亏和冲销须填写说明。")]})
    if movement.occurred_at and movement.occurred_at > now + FUTURE_SLACK:
        raise ValidationError({"occurred_at": [_("发生时间不能晚于当前时间。")]})
    movement.recorded_by = actor if getattr(actor, "is_authenticated", False) else None
    movement.balance_after_t = Decimal(0)
    movement.full_clean(validate_unique=False)
    unit_row = _check_unit(movement)
    with transaction.atomic():
        unit = None
        if unit_row is not None:
            # Movements of one unit queue on the unit: its grading reads every chemical of the unit.
            unit = HazardUnit.objects.select_for_update().get(pk=movement.unit_id)
        balance = _locked_balance(movement.enterprise_id, movement.chemical_id, movement.unit_id)
        after = balance.quantity_t + movement.direction * movement.quantity_t
        if after < 0:
            raise ValidationError({"quantity_t": [
                _("出库后库存将为负：“%(chemical)s”%(place)s当前库存 %(stock)s 吨，本次出库 %(quantity)s 吨。")
                % {"chemical": movement.chemical, "place": f"（{unit}）" if unit else "",
                   "stock": _plain(balance.quantity_t), "quantity": _plain(movement.quantity_t)}]})
        balance.quantity_t = after
        balance.last_movement_at = max(filter(None, (balance.last_movement_at, movement.occurred_at)))
        balance.save(update_fields=["quantity_t", "last_movement_at", "updated"])
        movement.balance_after_t = after
        movement.save()
        data: dict[str, Any] = {"kind": movement.kind, "quantity_t": str(movement.quantity_t),
                                "balance_after_t": str(after)}
        if movement.reverses_id:
            data["reverses"] = movement.reverses_id
        warnings: list[str] = []
        change = None
        if unit is not None:
            UnitChemical.objects.filter(pk=unit_row.pk).update(stock_t=after)
            if after > unit_row.max_quantity_t:
                warnings.append(_("“%(chemical)s”在单元“%(unit)s”的库存 %(stock)s 吨已超过登记的设计最大量 %(maximum)s "
                                  "吨，单元已按实际库存重新辨识。")
                                % {"chemical": movement.chemical, "unit": unit, "stock": _plain(after),
                                   "maximum": _plain(unit_row.max_quantity_t)})
                data["over_maximum"] = True
            change = grading.regrade(unit, actor=actor, now=now)
            if change.matters:
                data["regraded"] = {"was_major": change.was_major, "is_major": change.is_major,
                                    "old_level": change.old_level, "new_level": change.new_level}
                send_on_commit(actor=actor, obj=unit, url=_unit_url(unit), notices=(Notice(
                    REGRADE_NOTICE, roles=(Role.TOWN_SUPERVISOR,), key=f"stock-regrade-{movement.pk}",
                    context={"chemical": str(movement.chemical), "stock": _plain(after),
                             "was_major": change.was_major, "is_major": change.is_major,
                             "old_level": change.old_level, "new_level": change.new_level,
                             "enterprise": str(unit.enterprise)}),))
        audit.record(actor=actor, action="stockmovement.create", obj=movement, reason=reason, data=data)
    return MovementResult(movement, balance, tuple(warnings), change)


def _plain(value: Decimal) -> str:
    """1.5000 → 1.5 for messages (the ledger keeps four places; people read what is there)."""
    return format(value.normalize(), "f")


def vehicle_save(*, actor: Any, vehicle: HazmatVehicle, reason: str = "") -> HazmatVehicle:
    """Register or correct a hazmat vehicle (scoped_save: gate, validation, history, audit)."""
    vehicle.plate = (vehicle.plate or "").strip().upper().replace(" ", "")
    return scoped_save(actor=actor, obj=vehicle, reason=reason)


def certificate_refusals(trip: Trip) -> list[tuple[str, str]]:
    """(field, message) for each permit or certificate not valid on the trip's departure day (Asia/Shanghai)."""
    day = timezone.localdate(trip.departure_at)
    shown = date_format(day, "SHORT_DATE_FORMAT")
    checks = (
        ("vehicle", _("车辆%(plate)s的道路运输证") % {"plate": trip.vehicle.plate}, trip.vehicle.permit_expires),
        ("driver_certificate_expires", _("驾驶员%(name)s的从业资格证") % {"name": trip.driver_name},
         trip.driver_certificate_expires),
        ("escort_certificate_expires", _("押运员%(name)s的从业资格证") % {"name": trip.escort_name},
         trip.escort_certificate_expires),
    )
    return [
        (field, _("%(what)s有效期至%(expiry)s，起运日%(day)s已过期，不能安排此次运输。")
         % {"what": what, "expiry": date_format(expiry, "SHORT_DATE_FORMAT"), "day": shown})
        for field, what, expiry in checks if expiry is not None and expiry < day
    ]


def trip_save(*, actor: Any, trip: Trip, reason: str = "") -> Trip:
    """Plan or correct a trip; refused, naming each certificate and its expiry, when the vehicle's 道路运输证 or the
    driver's or escort's 从业资格证 has expired by the departure day, when driver and escort are one person, or when
    the load exceeds the vehicle's 核定载质量."""
    errors: dict[str, list[str]] = {}
    if trip.vehicle_id and trip.departure_at:
        vehicle = trip.vehicle
        if vehicle.enterprise_id != trip.enterprise_id:
            errors.setdefault("vehicle", []).append(_("车辆%(plate)s不属于本单位。") % {"plate": vehicle.plate})
        for field, message in certificate_refusals(trip):
            errors.setdefault(field, []).append(message)
        if trip.quantity_t is not None and trip.quantity_t > vehicle.capacity_t:
            errors.setdefault("quantity_t", []).append(
                _("运输量 %(quantity)s 吨超过车辆%(plate)s的核定载质量 %(capacity)s 吨。")
                % {"quantity": _plain(trip.quantity_t), "plate": vehicle.plate, "capacity": _plain(vehicle.capacity_t)})
    driver, escort = (trip.driver_name or "").strip(), (trip.escort_name or "").strip()
    driver_no = (trip.driver_certificate or "").strip().upper()
    escort_no = (trip.escort_certificate or "").strip().upper()
    if (driver and driver == escort) or (driver_no and driver_no == escort_no):
        errors.setdefault("escort_name", []).append(_("押运员不能由驾驶员兼任，请另派押运员。"))
    if errors:
        raise ValidationError(errors)
    return scoped_save(actor=actor, obj=trip, reason=reason)
