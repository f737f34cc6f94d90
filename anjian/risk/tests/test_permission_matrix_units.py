"""Risk units, assessments, control measures and their checks in the permission matrix (issue 9 item 4, "Must
show"): every town-A persona asked for town B's records on every surface (lists, exports, detail, edit, delete, the
风险告知卡, the API and its assess/check actions) gets nothing and changes nothing; and who within reach must NOT
assess, change a register or record checks (regulators, grid workers, experts) is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.core.testing.matrix import Pair, PermissionMatrix, Surface, client_for, snapshot
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.risk.choices import CheckCycle
from anjian.risk.models import ControlMeasure, MeasureCheck, RiskAssessment, RiskUnit
from anjian.risk.tests.factories import make_measure, make_unit

pytestmark = pytest.mark.django_db


def _assessment(unit: RiskUnit) -> RiskAssessment:
    return RiskAssessment.objects.create(
        enterprise=unit.enterprise, unit=unit, method="LS", method_version="1", scheme="LS-A",
        inputs={"L": 2, "S": 3}, score=Decimal(6), colour="yellow", assessed_on=dt.date(2026, 11, 1),
        assessor_name=f"{unit.name}评估人")


def _check(measure: ControlMeasure) -> MeasureCheck:
    return MeasureCheck.objects.create(enterprise=measure.enterprise, measure=measure,
                                       period_start=dt.date(2026, 11, 1), checked_at=timezone.now(), result="pass",
                                       note=f"{measure.responsible}已检查")


class TestRiskUnitMatrix(PermissionMatrix):
    surfaces = (
        Surface("riskunit", RiskUnit, "risk:riskunit_list", "risk-units", detail_url="risk:riskunit_detail",
                edit_url="risk:riskunit_edit", delete_url="risk:riskunit_delete", extra_urls=("risk:riskunit_card",),
                api_writable=True, actions=("assess",)),
        Surface("riskassessment", RiskAssessment, "risk:riskassessment_list", "risk-assessments",
                detail_url="risk:riskassessment_detail"),
        Surface("controlmeasure", ControlMeasure, "risk:controlmeasure_list", "risk-measures",
                edit_url="risk:controlmeasure_edit", delete_url="risk:controlmeasure_delete", api_writable=True,
                actions=("check",)),
        Surface("measurecheck", MeasureCheck, "risk:measurecheck_list", "risk-measure-checks"),
    )

    def make_pairs(self, personas) -> dict[str, Pair]:
        p = personas
        other = EnterpriseFactory(region=p.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN)
        units = {key: make_unit(enterprise, name=f"{key}储罐区") for key, enterprise in
                 (("东城甲", p.enterprise_a), ("虎门乙", p.enterprise_b), ("东城丙", other))}
        measures = {key: make_measure(unit, description=f"{key}喷淋联锁", responsible=f"{key}责任人",
                                      check_cycle=CheckCycle.MONTHLY) for key, unit in units.items()}
        assessments = {key: _assessment(unit) for key, unit in units.items()}
        checks = {key: _check(measure) for key, measure in measures.items()}

        def pair(rows, marker):
            return Pair(rows["东城甲"], rows["虎门乙"], (marker("东城甲"),), (marker("虎门乙"),), rows["东城丙"],
                        (marker("东城丙"),))

        return {
            "riskunit": pair(units, lambda key: f"{key}储罐区"),
            "riskassessment": pair(assessments, lambda key: f"{key}储罐区"),
            "controlmeasure": pair(measures, lambda key: f"{key}喷淋联锁"),
            "measurecheck": pair(checks, lambda key: f"{key}责任人已检查"),
        }


# ---- within reach: who must not assess, change the register or record checks --------------------------------------

NOT_KEEPERS = ("town_a_supervisor", "grid_worker_a", "expert_a", "department_a_supervisor", "city_supervisor")


@pytest.mark.parametrize("persona", NOT_KEEPERS)
def test_regulators_read_but_do_not_keep_an_enterprises_register(personas, persona):
    unit = make_unit(personas.enterprise_a)
    measure = make_measure(unit, check_cycle=CheckCycle.DAILY)
    before_unit, before_measure = snapshot(unit), snapshot(measure)
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("risk:riskunit_detail", args=[unit.pk])).status_code == 200
    assert client.get(reverse("risk:riskunit_card", args=[unit.pk])).status_code == 200
    # The assess page answers as for a missing unit; the API, which shows the unit, refuses.
    assert client.post(reverse("risk:riskunit_assess", args=[unit.pk]),
                       {"method": "LS", "l_ls": "5", "s": "5"}).status_code == 404
    response = client.post(f"/api/v1/risk-units/{unit.pk}/assess/", {"method": "LS", "l": 5, "s": 5},
                           content_type="application/json")
    assert response.status_code == 403
    assert client.post(reverse("risk:riskunit_edit", args=[unit.pk]), {"name": "篡改"}).status_code == 404
    assert client.patch(f"/api/v1/risk-units/{unit.pk}/", {"name": "篡改"},
                        content_type="application/json").status_code == 403
    assert client.post(f"/api/v1/risk-measures/{measure.pk}/check/", {"result": "pass"},
                       content_type="application/json").status_code == 403
    assert client.post(reverse("risk:controlmeasure_check", args=[measure.pk]), {"result": "pass"}).status_code == 403
    assert client.post("/api/v1/risk-units/", {"enterprise": personas.enterprise_a.pk, "name": "新增", "kind": "area"},
                       content_type="application/json").status_code == 403
    assert snapshot(unit) == before_unit and snapshot(measure) == before_measure
    assert not RiskAssessment.objects.exists() and not MeasureCheck.objects.exists()
    assert RiskUnit.objects.count() == 1


def test_nobody_edits_an_assessment_or_a_check(personas):
    unit = make_unit(personas.enterprise_a)
    assessment = _assessment(unit)
    client = client_for(personas.enterprise_a_user)
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(f"/api/v1/risk-assessments/{assessment.pk}/", {"colour": "blue"},
                                           content_type="application/json")
        assert response.status_code == 405
    assert client.post("/api/v1/risk-assessments/", {"unit": unit.pk},
                       content_type="application/json").status_code == 405
    # The unit's colour is the assessments' own: a write of it is ignored by the API.
    response = client.patch(f"/api/v1/risk-units/{unit.pk}/", {"colour": "red"}, content_type="application/json")
    assert response.status_code == 200
    unit.refresh_from_db()
    assert unit.colour == ""
