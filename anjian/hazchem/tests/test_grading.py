"""A unit's GB 18218 working on every change, its registration and the enterprise's flag (issue 9 item 2)."""

from decimal import Decimal

import pytest

from anjian.core.models import AuditEvent
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.hazchem import grading
from anjian.hazchem.models import Chemical, HazardUnit, MajorHazard, UnitChemical, UnitGrading, UnitKind
from anjian.hazchem.models.units import MajorHazardStatus


def add(unit, name, quantity, **extra):
    chemical = Chemical.objects.get(name=name) if name in ("氯", "氨", "甲醇") else None
    return UnitChemical.objects.create(unit=unit, chemical=chemical, name="" if chemical else name,
                                       max_quantity_t=Decimal(quantity), **extra)


@pytest.fixture
def unit(catalogue):
    enterprise = EnterpriseFactory()
    return HazardUnit.objects.create(enterprise=enterprise, name="液氯液氨罐区", kind=UnitKind.STORAGE,
                                     exposed_people=120)


def test_chlorine_and_ammonia_above_their_critical_quantities_make_a_level_three_major_hazard(unit):
    # 表1: 氯 Q = 5 t, 氨 Q = 10 t; 表3: 氯 β = 4, 氨 β = 2; 表5: 100人以上 α = 2.0.
    add(unit, "氯", "10")
    add(unit, "氨", "20")
    change = grading.regrade(unit)
    unit.refresh_from_db()
    assert (unit.grading, unit.s, unit.is_major, unit.r, unit.level) == (
        UnitGrading.GRADED, Decimal("4"), True, Decimal("24"), 3)  # R = 2.0 × (4×2 + 2×2) = 24 → 三级
    assert change.matters
    rows = unit.working["rows"]
    assert [(row["name"], row["quantity_t"], row["critical_quantity_t"], row["ratio"], row["beta"],
             row["beta_source"]) for row in rows] == [
        ("氯", "10.0000", "5", "2.0000", "4", "表3"),
        ("氨", "20.0000", "10", "2.0000", "2", "表3"),
    ]
    assert all(row["critical_quantity_source"].startswith("表1 第") for row in rows)
    assert unit.working["alpha"] == "2.0" and unit.working["level_label"] == "三级"
    registration = MajorHazard.objects.get(unit=unit)
    assert registration.level == 3 and registration.status == MajorHazardStatus.REGISTERED
    assert (registration.review_due.year - registration.registered_on.year) == 3
    unit.enterprise.refresh_from_db()
    assert unit.enterprise.major_hazard and unit.enterprise.major_hazard_level == 3


def test_s_exactly_one_is_major_and_dropping_below_deregisters_and_clears_the_flag(unit):
    row = add(unit, "氯", "5")  # S = 5/5 = 1: "等于或超过" (GB 18218-2018 3.4)
    grading.regrade(unit)
    assert unit.is_major and MajorHazard.objects.get(unit=unit).status == MajorHazardStatus.REGISTERED
    row.max_quantity_t = Decimal("4.9999")
    row.save()
    change = grading.regrade(unit)
    assert change.matters and not unit.is_major and unit.level is None
    assert MajorHazard.objects.get(unit=unit).status == MajorHazardStatus.DEREGISTERED
    unit.enterprise.refresh_from_db()
    assert not unit.enterprise.major_hazard and unit.enterprise.major_hazard_level is None
    assert AuditEvent.objects.filter(action="majorhazard.deregister").count() == 1


def test_a_regrade_that_changes_nothing_audits_nothing(unit):
    add(unit, "氯", "10")
    grading.regrade(unit)
    before = AuditEvent.objects.count()
    assert not grading.regrade(unit).matters
    assert AuditEvent.objects.count() == before


def test_a_stock_above_the_design_maximum_counts(unit):
    row = add(unit, "氯", "4")
    grading.regrade(unit)
    assert not unit.is_major
    row.stock_t = Decimal("6")
    row.save()
    grading.regrade(unit)
    assert unit.is_major and unit.working["rows"][0]["quantity_basis"] == grading.BASIS_STOCK


def test_a_chemical_without_symbol_is_not_graded_with_a_guess(unit):
    # 甲醇 is in Table 1 (Q = 500 t) but not in Table 3: without a hazard symbol its β is unknown.
    add(unit, "甲醇", "600")
    grading.regrade(unit)
    assert unit.grading == UnitGrading.NEEDS_BETA and unit.is_major and unit.level is None and unit.r is None
    assert unit.working["missing"][0]["needs"] == "beta"
    # A name neither the catalogue nor Table 1 knows, without symbol or Q: S stays a lower bound.
    add(unit, "某混合溶剂", "1")
    grading.regrade(unit)
    assert unit.grading == UnitGrading.NEEDS_SYMBOL and unit.working["s_is_lower_bound"]


def test_the_enterprise_level_is_its_highest_units(unit):
    add(unit, "氯", "10")
    grading.regrade(unit)
    second = HazardUnit.objects.create(enterprise=unit.enterprise, name="二号库", kind=UnitKind.STORAGE,
                                       exposed_people=120)
    add(second, "氯", "300")  # S = 60, R = 2 × 4 × 60 = 480 → 一级
    grading.regrade(second)
    unit.enterprise.refresh_from_db()
    assert unit.enterprise.major_hazard_level == 1


def test_entering_a_symbol_regrades_the_units_that_hold_the_chemical(unit, personas):
    from anjian.hazchem.services import chemical_save

    add(unit, "甲醇", "600")
    grading.regrade(unit)
    assert unit.grading == UnitGrading.NEEDS_BETA
    methanol = Chemical.objects.get(name="甲醇")
    methanol.hazard_symbols = [{"symbol": "W5.3", "source": "甲醇安全技术说明书：易燃液体，类别2"}]
    chemical_save(actor=personas.city_admin, chemical=methanol, reason="补录")
    unit.refresh_from_db()
    # 表1 甲醇 Q = 500 t keeps its Table 1 row; β from 表4 W5.3 = 1; α = 2.0: R = 2.0 × 1 × 600/500 = 2.4 → 四级.
    assert (unit.grading, unit.level, unit.r) == (UnitGrading.GRADED, 4, Decimal("2.4"))
    assert unit.working["rows"][0]["beta_source"] == "表4 W5.3"
    assert MajorHazard.objects.get(unit=unit).level == 4
