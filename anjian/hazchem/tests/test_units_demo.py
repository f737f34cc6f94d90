"""The demo city's hazard units (issue 9 item 7) and the bulk grading they use: every level 1–4 present among the
enterprises flagged major, the others below S = 1, a few waiting for a β, and `regrade_all` keeping units,
registrations and the enterprises' flags exactly as `regrade` would."""

import pytest
from django.db.models import Count

from anjian.enterprises import demo as enterprise_demo
from anjian.hazchem import demo_units, grading
from anjian.hazchem.models import HazardUnit, MajorHazard, UnitChemical, UnitGrading
from anjian.hazchem.tests.units_support import seed_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(reference_regions, industries):
    seed_catalogue()
    enterprise_demo.generate(enterprises=2500, seed=7)
    return demo_units.generate(seed=7)


def test_the_demo_city_has_major_hazards_of_every_level_and_the_flags_follow(city):
    majors = demo_units.hazchem_enterprises().filter(major_hazard=True)
    levels = dict(MajorHazard.objects.values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    assert set(levels) == {1, 2, 3, 4}, levels
    # Exactly the flagged enterprises hold registered major units, at their highest level.
    assert set(majors.values_list("pk", flat=True)) == set(
        HazardUnit.objects.filter(is_major=True).values_list("enterprise_id", flat=True))
    for enterprise in majors:
        best = min(HazardUnit.objects.filter(enterprise=enterprise, is_major=True).values_list("level", flat=True))
        assert enterprise.major_hazard_level == best
    assert not HazardUnit.objects.filter(is_major=False, s__gte=1).exists()
    assert HazardUnit.objects.filter(grading=UnitGrading.NEEDS_BETA).count() == city.needs_beta > 0
    assert not MajorHazard.objects.filter(principal_name="").exists()
    assert "已生成" not in demo_units.generate_for_demo(type("Options", (), {"seed": 7})())


def test_regrade_all_agrees_with_regrade(city):
    unit = HazardUnit.objects.filter(is_major=True, level=3).first()
    UnitChemical.objects.filter(unit=unit).update(max_quantity_t=1)
    result = grading.regrade_all()
    assert result.changed == 1 and result.deregistered == 1
    unit.refresh_from_db()
    assert not unit.is_major and unit.working == grading.work(unit, list(unit.chemicals.order_by("id"))).document
    assert not grading.regrade(unit).matters  # the per-unit path finds nothing left to change
    assert grading.regrade_all().changed == 0
    assert demo_units.delete_generated_for(enterprise_demo.generated_enterprises().values("pk"))
    assert not HazardUnit.objects.exists() and not MajorHazard.objects.exists()
