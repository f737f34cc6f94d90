"""The demo city's inventories (issue 9 item 7, for the ledgers of item 3): an opening stock (期初库存) for every
catalogue chemical of every demo hazard unit, written after the units' generator. Most stocks lie between 30 % and
95 % of the unit's design maximum, which leaves the grading as it was (GB 18218 takes the larger of the two); one
row in OVER_EVERY is stocked 10 % above its maximum so the demo shows the warning, and those units are graded again.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from anjian.core.registry import DemoOptions
from anjian.hazchem import grading
from anjian.hazchem.models import HazardUnit, MovementKind, StockBalance, StockMovement, UnitChemical
from anjian.hazchem.services_ledgers import TONNE

OVER_EVERY = 25
OPENING_DAYS_AGO = 30


def generate(*, seed: int, now: dt.datetime | None = None) -> tuple[int, int, float]:
    """Opening movements and balances for the units' chemicals; (movements, units regraded, seconds)."""
    started = time.monotonic()
    now = now or timezone.now()
    rng = random.Random(seed)
    opened_at = now - dt.timedelta(days=OPENING_DAYS_AGO)
    rows = list(UnitChemical.objects.filter(chemical__isnull=False).select_related("unit").order_by("id"))
    movements, balances, over_units = [], [], set()
    for index, row in enumerate(rows):
        if index % OVER_EVERY == OVER_EVERY - 1:
            stock = row.max_quantity_t * Decimal("1.1")
            over_units.add(row.unit_id)
        else:
            stock = row.max_quantity_t * Decimal(rng.randint(30, 95)) / 100
        stock = stock.quantize(TONNE)
        row.stock_t = stock
        if stock <= 0:
            continue
        movements.append(StockMovement(
            enterprise_id=row.unit.enterprise_id, chemical_id=row.chemical_id, unit_id=row.unit_id,
            kind=MovementKind.OPENING, direction=1, quantity_t=stock, balance_after_t=stock, occurred_at=opened_at,
            note="演示数据：期初库存"))
        balances.append(StockBalance(enterprise_id=row.unit.enterprise_id, chemical_id=row.chemical_id,
                                     unit_id=row.unit_id, quantity_t=stock, last_movement_at=opened_at))
    with transaction.atomic():
        StockMovement.objects.bulk_create(movements, batch_size=1000)
        StockBalance.objects.bulk_create(balances, batch_size=1000)
        UnitChemical.objects.bulk_update(rows, ["stock_t"], batch_size=1000)
        for unit in HazardUnit.objects.filter(pk__in=over_units).select_related("enterprise__region"):
            grading.regrade(unit, now=now)
    return len(movements), len(over_units), time.monotonic() - started


def generate_for_demo(options: DemoOptions) -> str:
    """`anjian demo`'s step for the ledgers: opening stock when the demo has units and no ledger yet."""
    if StockMovement._base_manager.exists():
        return f"危险化学品台账已有 {StockMovement._base_manager.count()} 条出入库记录，不再生成演示数据。"
    if not UnitChemical.objects.filter(chemical__isnull=False).exists():
        return "没有登记危险化学品的单元，未生成台账演示数据。"
    movements, regraded, seconds = generate(seed=options.seed)
    return (f"已为危险化学品单元生成期初库存 {movements} 条（其中 {regraded} 个单元库存超过设计最大量、已重新辨识），"
            f"用时 {seconds:.1f} 秒。")


def delete_generated_for(enterprise_ids: QuerySet) -> str:
    """`generate-demo --replace`: the generated enterprises' ledger lines, balances, trips and vehicles, set-based and
    before their units (the ledger PROTECTs the units it names)."""
    from django.db import connection

    from anjian.hazchem.models import HazmatVehicle, Trip

    deleted = 0
    for model in (Trip, HazmatVehicle, StockBalance, StockMovement):
        deleted += model._base_manager.filter(enterprise__in=enterprise_ids)._raw_delete(connection.alias)
    return f"已删除演示企业的危险化学品台账与运输记录 {deleted} 条。" if deleted else ""
