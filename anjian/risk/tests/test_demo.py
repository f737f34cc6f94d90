"""The demo's risk units (issue 9 item 7): hazardous-chemicals enterprises all get assessed units, all four colours
occur, and each unit's colour is its assessment's."""

from __future__ import annotations

import pytest

from anjian.enterprises.choices import SupervisionDomain
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.risk.demo import generate
from anjian.risk.models import ControlMeasure, RiskAssessment, RiskUnit

pytestmark = pytest.mark.django_db


def test_demo_units_are_assessed_in_all_four_colours(reference_regions):
    chemical = [EnterpriseFactory(domain=SupervisionDomain.HAZARDOUS_CHEMICALS) for _ in range(30)]
    [EnterpriseFactory(domain=SupervisionDomain.MACHINERY) for _ in range(30)]
    result = generate(seed=7)
    assert set(result.colours) == {"red", "orange", "yellow", "blue"}
    assert set(RiskUnit.objects.values_list("enterprise", flat=True)) >= {e.pk for e in chemical}
    assert result.units == RiskUnit.objects.count() == RiskAssessment.objects.count()
    for unit in RiskUnit.objects.all()[:40]:
        assessment = unit.assessments.get()
        assert (unit.colour, unit.assessed_on) == (assessment.colour, assessment.assessed_on)
        assert assessment.scheme in ("LEC-320/160/70", "LS-A")
    assert ControlMeasure.objects.exclude(check_cycle="").count() == result.units
