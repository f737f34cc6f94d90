"""hazard_unit_save and friends (issue 9 item 2): every change re-identifies and re-grades the unit, its registration
and the enterprise's flag and level follow; bad input is refused in Chinese and changes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anjian.core.models import AuditEvent
from anjian.hazchem import grading
from anjian.hazchem.models import Chemical, HazardUnit, KeyProcess, MajorHazard, UnitChemical, UnitGrading, UnitKind
from anjian.hazchem.models.units import MajorHazardStatus
from anjian.hazchem.services_units import (
    hazard_unit_delete,
    hazard_unit_save,
    major_hazard_save,
    quantity_in_tonnes,
    resolve_chemical,
)
from anjian.hazchem.tests.units_support import seed_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    seed_catalogue()


@pytest.fixture
def world(catalogue, personas):
    return personas


def new_unit(personas, name="液氯液氨罐区", kind=UnitKind.STORAGE, people=120):
    return HazardUnit(enterprise=personas.enterprise_a, name=name, kind=kind, exposed_people=people)


def save(actor, unit, chemicals, **kwargs):
    return hazard_unit_save(actor=actor, unit=unit, chemicals=chemicals, **kwargs)


def test_a_unit_saved_with_chlorine_and_ammonia_is_graded_registered_and_flags_its_enterprise(world):
    actor = world.enterprise_a_user
    unit = save(actor, new_unit(world), [{"name": "液氯", "max_quantity_t": "10"},
                                         {"name": "7664-41-7", "max_quantity_kg": "20000"}])
    # 表1 氯 Q=5, 氨 Q=10; 表3 β 4 and 2; α=2.0 (100人以上): R = 2 × (4×2 + 2×2) = 24 → 三级.
    assert (unit.grading, unit.s, unit.is_major, unit.r, unit.level) == (
        UnitGrading.GRADED, Decimal("4.0000"), True, Decimal("24.0000"), 3)
    rows = UnitChemical.objects.filter(unit=unit).order_by("id")
    assert [(row.chemical.name, row.max_quantity_t) for row in rows] == [("氯", Decimal("10")), ("氨", Decimal("20"))]
    registration = MajorHazard.objects.get(unit=unit)
    assert registration.level == 3 and registration.status == MajorHazardStatus.REGISTERED
    world.enterprise_a.refresh_from_db()
    assert (world.enterprise_a.major_hazard, world.enterprise_a.major_hazard_level) == (True, 3)
    assert AuditEvent.objects.filter(action="hazardunit.create", actor=actor).exists()
    assert AuditEvent.objects.filter(action="hazardunit.chemicals", object_id=str(unit.pk)).exists()


def test_changes_regrade_and_the_enterprise_follows_down_and_up(world):
    actor = world.town_a_supervisor
    unit = save(actor, new_unit(world), [{"name": "氯", "max_quantity_t": "10"}])
    assert unit.level is not None
    # Fewer people within 500 m: α falls, R falls, the level moves (表5, 表6).
    unit.exposed_people = 0
    save(actor, unit, None)
    assert unit.working["alpha"] == "0.5" and unit.r == Decimal("4.0000") and unit.level == 4
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.major_hazard_level == 4
    # Below Q: the unit is no longer major, the registration is deregistered and the flag clears.
    save(actor, unit, [{"name": "氯", "max_quantity_t": "4.5"}])
    assert not unit.is_major and unit.level is None
    assert MajorHazard.objects.get(unit=unit).status == MajorHazardStatus.DEREGISTERED
    world.enterprise_a.refresh_from_db()
    assert (world.enterprise_a.major_hazard, world.enterprise_a.major_hazard_level) == (False, None)
    # A second unit at 一级 sets the enterprise to its highest level.
    save(actor, new_unit(world, name="液氯储罐区二", people=200), [{"name": "氯", "max_quantity_t": "200"}])
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.major_hazard_level == 1


def test_deleting_the_only_major_unit_clears_the_enterprise(world):
    unit = save(world.city_admin, new_unit(world), [{"name": "氯", "max_quantity_t": "10"}])
    hazard_unit_delete(actor=world.city_admin, unit=unit, reason="拆除")
    world.enterprise_a.refresh_from_db()
    assert not world.enterprise_a.major_hazard and not MajorHazard.objects.exists()


def test_a_chemical_without_beta_is_named_and_not_graded_with_a_guess(world):
    # 甲醇: 表1 gives Q = 500 t, 表3 has no β and the catalogue row has no hazard symbol yet.
    unit = save(world.enterprise_a_user, new_unit(world), [{"name": "甲醇", "max_quantity_t": "600"}])
    assert unit.grading == UnitGrading.NEEDS_BETA and unit.is_major and unit.r is None and unit.level is None
    assert unit.working["missing"][0]["name"] == "甲醇"
    # The assessor's β with its source settles it.
    save(world.enterprise_a_user, unit, [{"name": "甲醇", "max_quantity_t": "600", "beta": "1",
                                         "assessor_source": "安全评价报告 AP-2026-01"}])
    assert unit.grading == UnitGrading.GRADED and unit.level is not None


def test_a_free_name_needs_the_assessors_q_and_its_source(world):
    entry = {"name": "某企业自产中间体X", "max_quantity_t": "3"}
    with pytest.raises(ValidationError) as refused:
        save(world.enterprise_a_user, new_unit(world), [entry])
    assert "目录中没有" in str(refused.value)
    with pytest.raises(ValidationError, match="评价依据"):
        save(world.enterprise_a_user, new_unit(world), [{**entry, "critical_quantity_t": "10"}])
    unit = save(world.enterprise_a_user, new_unit(world),
                [{**entry, "critical_quantity_t": "10", "beta": "1.5", "assessor_source": "评价报告第5章"}])
    assert unit.grading == UnitGrading.GRADED and unit.s == Decimal("0.3000")


@pytest.mark.parametrize(("entry", "message"), [
    ({"name": "氯乙稀", "max_quantity_t": "1"}, "相近的品名"),
    ({"name": "氯", "max_quantity_t": "-1"}, "不能为负数"),
    ({"name": "氯", "max_quantity_t": "十吨"}, "不是数字"),
    ({"name": "氯", "max_quantity_t": "NaN"}, "不是数字"),
    ({"name": "氯", "max_quantity_t": "1", "max_quantity_kg": "1000"}, "只填写一种"),
    ({"name": "氯"}, "只填写一种"),
    ({"chemical": 987654321, "max_quantity_t": "1"}, "没有ID"),
    ({"max_quantity_t": "1"}, "请选择"),
    ({"name": "氯", "max_quantity_t": "1", "colour": "red"}, "不认识的字段"),
])
def test_bad_chemicals_are_refused_in_chinese_and_change_nothing(world, entry, message):
    with pytest.raises(ValidationError) as refused:
        save(world.enterprise_a_user, new_unit(world), [{"name": "氨", "max_quantity_t": "1"}, entry])
    assert message in " ".join(refused.value.message_dict["chemicals"])
    assert "第2种" in " ".join(refused.value.message_dict["chemicals"])
    assert not HazardUnit.objects.exists() and not UnitChemical.objects.exists()


def test_an_ambiguous_name_lists_the_candidates(world):
    duplicate = Chemical.objects.get(name="氯", sub_row=1)
    Chemical.objects.create(catalogue_number=99001, sub_row=1, name="测试双名品", cas="")
    Chemical.objects.create(catalogue_number=99002, sub_row=1, name="测试双名品", cas="")
    with pytest.raises(ValidationError) as refused:
        resolve_chemical("测试双名品")
    assert "多个条目" in refused.value.messages[0] and "99001" in refused.value.messages[0]
    assert resolve_chemical("7782-50-5") == duplicate


def test_the_same_chemical_twice_is_refused(world):
    with pytest.raises(ValidationError, match="只列一次"):
        save(world.enterprise_a_user, new_unit(world), [{"name": "氯", "max_quantity_t": "1"},
                                                      {"name": "液氯", "max_quantity_t": "2"}])


def test_kilograms_are_converted_explicitly():
    assert quantity_in_tonnes(kilograms="1500") == Decimal("1.5000")
    assert quantity_in_tonnes(tonnes=" 2.25 ") == Decimal("2.2500")


def test_key_processes_attach_to_production_units_only(world):
    process = KeyProcess.objects.get(number=1)
    with pytest.raises(ValidationError) as refused:
        save(world.enterprise_a_user, new_unit(world), [], key_processes=[process])
    assert "生产单元" in refused.value.message_dict["key_processes"][0]
    unit = save(world.enterprise_a_user, new_unit(world, kind=UnitKind.PRODUCTION), [], key_processes=[process])
    assert list(unit.key_processes.all()) == [process]


def test_a_ledger_stock_survives_a_list_change(world):
    unit = save(world.enterprise_a_user, new_unit(world), [{"name": "氯", "max_quantity_t": "4"}])
    UnitChemical.objects.filter(unit=unit).update(stock_t=Decimal("6"))
    save(world.enterprise_a_user, unit, [{"name": "氯", "max_quantity_t": "3"}, {"name": "氨", "max_quantity_t": "1"}])
    assert UnitChemical.objects.get(unit=unit, chemical__name="氯").stock_t == Decimal("6")
    assert unit.is_major  # 6/5 from the stock, not 3/5 from the design maximum


def test_other_towns_and_roles_are_refused(world):
    foreign = HazardUnit(enterprise=world.enterprise_b, name="虎门罐区", kind=UnitKind.STORAGE)
    with pytest.raises(PermissionDenied):
        save(world.town_a_supervisor, foreign, [{"name": "氯", "max_quantity_t": "10"}])
    with pytest.raises(PermissionDenied):
        save(world.grid_worker_a, new_unit(world), [{"name": "氯", "max_quantity_t": "10"}])
    unit = save(world.enterprise_a_user, new_unit(world), [{"name": "氯", "max_quantity_t": "10"}])
    with pytest.raises(PermissionDenied):
        hazard_unit_delete(actor=world.enterprise_a_user, unit=unit)
    assert HazardUnit.objects.count() == 1 and not MajorHazard.objects.filter(enterprise=world.enterprise_b).exists()


def test_persons_are_filled_in_but_the_systems_fields_are_not(world):
    unit = save(world.enterprise_a_user, new_unit(world), [{"name": "氯", "max_quantity_t": "10"}])
    registration = MajorHazard.objects.get(unit=unit)
    registration.principal_name, registration.principal_phone = "张三", "13800138000"
    major_hazard_save(actor=world.enterprise_a_user, registration=registration)
    assert AuditEvent.objects.filter(action="majorhazard.update").exists()
    registration.level = 1
    with pytest.raises(PermissionDenied):
        major_hazard_save(actor=world.town_a_supervisor, registration=registration)
    assert MajorHazard.objects.get(pk=registration.pk).level == 3


def test_regrade_keeps_its_behaviour_for_the_ledger(world):
    unit = save(world.enterprise_a_user, new_unit(world), [{"name": "氯", "max_quantity_t": "4"}])
    UnitChemical.objects.filter(unit=unit).update(stock_t=Decimal("5"))
    assert grading.regrade(unit).is_major


def test_a_chemical_staff_find_outside_the_standard_is_left_out_and_the_unit_graded(world):
    """硫酸 is in the 危险化学品目录 but not in GB 18218-2018 Table 1, and its hazards (corrosive) are none of Table 2's
    categories: once staff record that with a source, the units holding it are graded without it, and the working
    names it as left out. A Table 1 chemical, or one with hazard symbols, cannot be marked so."""
    from anjian.hazchem.services import chemical_save

    unit = save(world.enterprise_a_user, new_unit(world), [{"name": "液氯", "max_quantity_t": "10"},
                                                           {"name": "硫酸", "max_quantity_t": "50"}])
    assert (unit.grading, unit.level) == (UnitGrading.NEEDS_SYMBOL, None)
    only_acid = save(world.enterprise_a_user, new_unit(world, name="硫酸罐区"),
                     [{"name": "硫酸", "max_quantity_t": "80"}])
    sulphuric = Chemical.objects.get(name="硫酸")
    source = "硫酸安全技术说明书第2部分：皮肤腐蚀/刺激类别1A、严重眼损伤类别1，无GB 18218-2018表2所列类别"
    sulphuric.gb18218_exempt_source = source
    chemical_save(actor=world.city_admin, chemical=sulphuric)
    unit.refresh_from_db()
    # 液氯 alone: S = 10/5 = 2; R = α 2.0 × β 4 × 2 = 16 → 三级 (Table 6: 10 ≤ R < 50).
    assert (unit.grading, unit.s, unit.r, unit.level) == (UnitGrading.GRADED, Decimal("2.0000"), Decimal("16.0000"), 3)
    assert [(entry["name"], entry["source"]) for entry in unit.working["excluded"]] == [("硫酸", source)]
    only_acid.refresh_from_db()
    assert (only_acid.grading, only_acid.s, only_acid.is_major, only_acid.level) == (
        UnitGrading.GRADED, Decimal("0.0000"), False, None)

    chlorine = Chemical.objects.get(name="氯")
    chlorine.gb18218_exempt_source = "随意填写"
    with pytest.raises(ValidationError, match="表1列有本品"):
        chemical_save(actor=world.city_admin, chemical=chlorine)
    sulphuric.hazard_symbols = [{"symbol": "W5.1", "source": "某说明书"}]
    with pytest.raises(ValidationError, match="只能填其一"):
        chemical_save(actor=world.city_admin, chemical=sulphuric)
