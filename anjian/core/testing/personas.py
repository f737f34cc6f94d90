"""Test personas: two towns, an enterprise in each, and one user per role (shape of healthchecks' hc/test.py).

Town A is 东城街道 (441900003000), town B is 虎门镇 (441900121000). Both enterprises are of the machinery domain
(工贸-机械); `department_a_supervisor` supervises machinery within town A (管行业必须管安全), so it reaches
enterprise A and nothing of town B, nor a town-A enterprise of another domain. Needs the reference regions and
industries loaded (the `personas` fixture in anjian/conftest.py does that).
"""

from __future__ import annotations

from dataclasses import dataclass

from anjian.accounts.models import User
from anjian.accounts.roles import Role
from anjian.enterprises.models import Enterprise
from anjian.regions.models import Region

TOWN_A = "441900003000"
TOWN_B = "441900121000"
PASSWORD = "Anjian-test-2026"
# The domain of both persona enterprises, and the one the town-A department supervises.
DEPARTMENT_DOMAIN = "machinery"
OTHER_DOMAIN = "construction"


@dataclass
class Personas:
    town_a: Region
    town_b: Region
    village_a: Region
    village_b: Region
    enterprise_a: Enterprise
    enterprise_b: Enterprise
    city_admin: User
    city_supervisor: User
    town_a_supervisor: User
    town_b_supervisor: User
    grid_worker_a: User
    enterprise_a_user: User
    expert_a: User
    department_a_supervisor: User

    @classmethod
    def create(cls) -> Personas:
        from anjian.enterprises.tests.factories import EnterpriseFactory

        city = Region.objects.get(level="city")
        town_a = Region.objects.get(code=TOWN_A)
        town_b = Region.objects.get(code=TOWN_B)
        village_a = town_a.children.order_by("code").first()
        village_b = town_b.children.order_by("code").first()
        enterprise_a = EnterpriseFactory(region=village_a, name="东城甲企业有限公司", domain=DEPARTMENT_DOMAIN)
        enterprise_b = EnterpriseFactory(region=village_b, name="虎门乙企业有限公司", domain=DEPARTMENT_DOMAIN)

        def user(username: str, role: str, **extra) -> User:
            person = User(username=username, role=role, **extra)
            person.set_password(PASSWORD)
            person.full_clean()
            person.save()
            return person

        expert = user("expert_a", Role.EXPERT)
        expert.assigned_enterprises.add(enterprise_a)
        return cls(
            town_a=town_a,
            town_b=town_b,
            village_a=village_a,
            village_b=village_b,
            enterprise_a=enterprise_a,
            enterprise_b=enterprise_b,
            city_admin=user("city_admin", Role.CITY_ADMIN, region=city),
            city_supervisor=user("city_supervisor", Role.CITY_SUPERVISOR, region=city),
            town_a_supervisor=user("town_a_supervisor", Role.TOWN_SUPERVISOR, region=town_a),
            town_b_supervisor=user("town_b_supervisor", Role.TOWN_SUPERVISOR, region=town_b),
            grid_worker_a=user("grid_worker_a", Role.GRID_WORKER, region=village_a),
            enterprise_a_user=user("enterprise_a_user", Role.ENTERPRISE_USER, enterprise=enterprise_a),
            expert_a=expert,
            department_a_supervisor=user(
                "department_a_supervisor", Role.DEPARTMENT_SUPERVISOR, region=town_a, domains=[DEPARTMENT_DOMAIN]
            ),
        )
