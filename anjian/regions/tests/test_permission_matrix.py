"""The jurisdiction tree's permission matrix (issue 6 item 9; base: anjian.core.testing.matrix).

Regions and parks are read-only for everyone but the city administrator: town A's people see town A's part of
the tree (a grid worker its village, and no park: parks belong to towns), never town B's; a department sees the
geography of its region whatever its domains.
"""

from __future__ import annotations

import pytest

from anjian.core.testing.matrix import Pair, PermissionMatrix, Surface
from anjian.regions.models import IndustrialPark, Region

pytestmark = pytest.mark.django_db


class TestTreeMatrix(PermissionMatrix):
    surfaces = (
        Surface("region", Region, "regions:region_list", "regions", detail_url="regions:region_detail",
                api_lookup="code",
                sees_a=frozenset({"town_a_supervisor", "grid_worker_a", "department_a_supervisor"})),
        # Parks belong to a town: a village grid worker does not reach them.
        Surface("park", IndustrialPark, "regions:park_list", "parks", detail_url="regions:park_detail",
                sees_a=frozenset({"town_a_supervisor", "department_a_supervisor"})),
    )

    def make_pairs(self, personas) -> dict[str, Pair]:
        p = personas
        return {
            "region": Pair(p.village_a, p.village_b, (p.village_a.code,), (p.village_b.code,)),
            "park": Pair(
                IndustrialPark.objects.create(name="东城甲测试园区", region=p.town_a),
                IndustrialPark.objects.create(name="虎门乙测试园区", region=p.town_b),
                ("东城甲测试园区",), ("虎门乙测试园区",),
            ),
        }
