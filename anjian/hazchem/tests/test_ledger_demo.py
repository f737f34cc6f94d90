"""The demo city's inventories (issue 9 item 7 for the ledgers): opening stock for the chemicals of the demo units,
balances that agree with the movements, the over-maximum example re-identified, nothing without units, once only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from anjian.core.registry import DemoOptions
from anjian.hazchem.demo_ledgers import OVER_EVERY, generate_for_demo
from anjian.hazchem.models import Chemical, HazardUnit, StockMovement, UnitChemical, UnitKind
from anjian.hazchem.selectors_ledgers import balances_disagree

pytestmark = pytest.mark.django_db
OPTIONS = DemoOptions(enterprises=10, seed=7)


def test_without_units_it_does_nothing_and_says_so(catalogue):
    assert "没有登记危险化学品的单元" in generate_for_demo(OPTIONS)
    assert not StockMovement.objects.exists()


def test_opening_stock_for_every_catalogue_chemical_of_the_units(personas, catalogue):
    names = ["氯", "甲醇"] * OVER_EVERY
    for index, name in enumerate(names):
        unit = HazardUnit.objects.create(enterprise=personas.enterprise_a, name=f"罐区{index}", kind=UnitKind.STORAGE)
        UnitChemical.objects.create(unit=unit, chemical=Chemical.objects.get(name=name), max_quantity_t=Decimal("1"))
    message = generate_for_demo(OPTIONS)
    assert f"期初库存 {len(names)} 条" in message and "其中 2 个单元" in message
    assert balances_disagree() == []
    stocks = list(UnitChemical.objects.values_list("stock_t", flat=True))
    assert all(stock is not None and stock > 0 for stock in stocks)
    over = UnitChemical.objects.filter(stock_t__gt=Decimal("1")).select_related("unit")
    assert over.count() == 2 and all(row.unit.working["rows"][0]["quantity_basis"] == "stock" for row in over)
    assert "不再生成" in generate_for_demo(OPTIONS)
    assert StockMovement.objects.count() == len(names)
