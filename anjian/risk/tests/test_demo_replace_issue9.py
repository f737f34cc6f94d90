"""`generate-demo --replace` once the demo city has issue 9's records: hazard units, registrations, ledgers, risk units
and colours go before the enterprises (each app's deleter), and the city is generated again."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from anjian.enterprises.demo import generated_enterprises
from anjian.hazchem import demo_ledgers, demo_units
from anjian.hazchem.models import HazardUnit, MajorHazard, StockMovement
from anjian.hazchem.reference import load_catalogue
from anjian.risk import demo as risk_demo
from anjian.risk import services_colours
from anjian.risk.models import EnterpriseColour, RiskUnit

pytestmark = pytest.mark.django_db

ENTERPRISES = 400


def test_replace_deletes_issue_9_records_first(reference_regions):
    load_catalogue()
    call_command("generate_demo", enterprises=ENTERPRISES, seed=2026, stdout=io.StringIO())
    units = demo_units.generate(seed=2026)
    demo_ledgers.generate(seed=2026)
    risk_demo.generate(seed=2026)
    services_colours.recompute_all()
    assert units.units and MajorHazard.objects.exists() and StockMovement.objects.exists()
    assert RiskUnit.objects.exists() and EnterpriseColour.objects.exists()
    out = io.StringIO()

    call_command("generate_demo", enterprises=ENTERPRISES, seed=2026, replace=True, stdout=out)

    assert generated_enterprises().count() == ENTERPRISES
    for model in (HazardUnit, MajorHazard, StockMovement, RiskUnit, EnterpriseColour):
        assert not model._base_manager.exists(), model.__name__
    assert "已删除此前生成的企业" in out.getvalue()
