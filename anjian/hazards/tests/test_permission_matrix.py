"""The permission matrix over hazards (issue 8 "Must show"): every town-A persona asked for town B's hazard on every
surface (list, 挂牌督办 list, detail, edit, export, API) and with every action of the lifecycle, in the UI and the API;
enterprise users see only their own enterprise's hazards, towns only theirs, departments only their domains."""

from __future__ import annotations

import pytest

from anjian.core.testing.matrix import Pair, PermissionMatrix, Surface
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.hazards.choices import HazardLevel, HazardStatus, SupervisionLevel
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import make_hazard

pytestmark = pytest.mark.django_db

ACTIONS = tuple(Hazard.workflow.actions)


def listed(enterprise, description: str) -> Hazard:
    return make_hazard(enterprise, description=description, status=HazardStatus.RECTIFIED, level=HazardLevel.MAJOR,
                       supervision_level=SupervisionLevel.TOWN, supervising_unit="镇街")


class TestHazardMatrix(PermissionMatrix):
    surfaces = (
        Surface("hazard", Hazard, "hazards:hazard_list", "hazards", detail_url="hazards:hazard_detail",
                edit_url="hazards:hazard_edit", api_writable=True, action_url="hazards:hazard_action",
                actions=ACTIONS),
        Surface("supervision", Hazard, "hazards:supervision_list", "hazards", detail_url="hazards:hazard_detail",
                api_writable=True, action_url="hazards:hazard_action", actions=ACTIONS),
    )

    def make_pairs(self, personas) -> dict[str, Pair]:
        p = personas
        other = EnterpriseFactory(region=p.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN)
        # 待验收: a state from which both the enterprise's and the regulators' actions exist.
        return {
            "hazard": Pair(
                make_hazard(p.enterprise_a, description="东城甲隐患配电箱", status=HazardStatus.RECTIFIED),
                make_hazard(p.enterprise_b, description="虎门乙隐患配电箱", status=HazardStatus.RECTIFIED),
                ("东城甲隐患配电箱",), ("虎门乙隐患配电箱",),
                make_hazard(other, description="东城丙隐患脚手架", status=HazardStatus.RECTIFIED),
                ("东城丙隐患脚手架",),
            ),
            "supervision": Pair(
                listed(p.enterprise_a, "东城甲督办储罐"), listed(p.enterprise_b, "虎门乙督办储罐"),
                ("东城甲督办储罐",), ("虎门乙督办储罐",),
                listed(other, "东城丙督办塔吊"), ("东城丙督办塔吊",),
            ),
        }
