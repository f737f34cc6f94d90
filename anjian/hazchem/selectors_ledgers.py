"""Reads of the ledgers and transport (issue 9 item 3); every queryset starts from `restrict()`."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, OuterRef, QuerySet, Subquery, Sum

from anjian.core.scope import VIEW
from anjian.enterprises.models import Enterprise
from anjian.hazchem.models import HazmatVehicle, StockBalance, StockMovement, Trip, UnitChemical
from anjian.hazchem.models.units import QUANTITY_PLACES


def movement_list(*, user: Any, action: str = VIEW) -> QuerySet[StockMovement]:
    return StockMovement.objects.restrict(user, action).select_related(
        "enterprise", "chemical", "unit", "recorded_by", "reverses")


def balance_list(*, user: Any, action: str = VIEW) -> QuerySet[StockBalance]:
    """Balances with the unit's registered maximum of the chemical (`maximum_t`, None outside units)."""
    maximum = UnitChemical.objects.filter(unit_id=OuterRef("unit_id"), chemical_id=OuterRef("chemical_id"))
    return (StockBalance.objects.restrict(user, action).select_related("enterprise", "chemical", "unit")
            .annotate(maximum_t=Subquery(maximum.values("max_quantity_t")[:1])))


def vehicle_list(*, user: Any, action: str = VIEW) -> QuerySet[HazmatVehicle]:
    return HazmatVehicle.objects.restrict(user, action).select_related("enterprise")


def trip_list(*, user: Any, action: str = VIEW) -> QuerySet[Trip]:
    return Trip.objects.restrict(user, action).select_related("enterprise", "vehicle", "chemical")


@dataclass(frozen=True)
class LedgerRow:
    balance: StockBalance
    maximum_t: Decimal | None

    @property
    def over_maximum(self) -> bool:
        return self.maximum_t is not None and self.balance.quantity_t > self.maximum_t


def ledger_rows(*, user: Any, enterprise: Enterprise) -> list[LedgerRow]:
    """An enterprise's balances by chemical and place, each with its unit's registered maximum (the ledger page)."""
    rows = balance_list(user=user).filter(enterprise=enterprise).order_by("chemical__name", F("unit__name").asc(
        nulls_first=True))
    return [LedgerRow(balance, balance.maximum_t) for balance in rows]


def ledger_enterprise(*, user: Any, pk: Any) -> Enterprise:
    """The enterprise whose ledger `user` may read (raises Enterprise.DoesNotExist outside their reach)."""
    return Enterprise.objects.restrict(user, VIEW).get(pk=pk)


LEDGER_STEP = Decimal(1).scaleb(-QUANTITY_PLACES)


def balances_disagree(*, enterprise_id: int | None = None) -> list[tuple[int, int, int | None, Decimal, Decimal]]:
    """Places whose balance differs from the sum of their movements: (enterprise, chemical, unit, balance, sum).
    Empty when the ledger is whole; the tests (and an operator after a repair) ask it. Not gated: no user reads it."""
    sums = StockMovement.objects.values("enterprise_id", "chemical_id", "unit_id").annotate(
        total=Sum(F("direction") * F("quantity_t")))
    balances = StockBalance.objects.all()
    if enterprise_id is not None:
        sums, balances = sums.filter(enterprise_id=enterprise_id), balances.filter(enterprise_id=enterprise_id)
    # SQLite sums decimals as binary floats (0.0001 comes back as 0.0000999999999999998): the sum is rounded to the
    # ledger's own 0.0001 t, which every quantity is a multiple of, before it is compared.
    expected = {(row["enterprise_id"], row["chemical_id"], row["unit_id"]):
                Decimal(str(row["total"] or 0)).quantize(LEDGER_STEP) for row in sums}
    found = {(row.enterprise_id, row.chemical_id, row.unit_id): row.quantity_t for row in balances}
    return [(*key, found.get(key, Decimal(0)), expected.get(key, Decimal(0)))
            for key in sorted(set(expected) | set(found), key=str)
            if found.get(key, Decimal(0)) != expected.get(key, Decimal(0))]
