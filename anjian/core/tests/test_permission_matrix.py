"""The framework's permission matrix (issue 6 item 9; base: anjian.core.testing.matrix): the audit log.

Decisions are scoped like the records they concern: town A's people never read town B's, and the town-A
department reads only the decisions on its own domain.
"""

from __future__ import annotations

import pytest

from anjian.core import audit
from anjian.core.models import AuditEvent
from anjian.core.testing.matrix import Pair, PermissionMatrix, Surface
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


class TestAuditMatrix(PermissionMatrix):
    surfaces = (Surface("auditevent", AuditEvent, "core:auditevent_list", "audit-events"),)

    def make_pairs(self, personas) -> dict[str, Pair]:
        p = personas
        other = EnterpriseFactory(region=p.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN)
        return {
            "auditevent": Pair(
                audit.record(actor=p.town_a_supervisor, action="enterprise.update", obj=p.enterprise_a, reason="甲"),
                audit.record(actor=p.town_b_supervisor, action="enterprise.update", obj=p.enterprise_b, reason="乙"),
                (p.enterprise_a.name,), (p.enterprise_b.name,),
                audit.record(actor=p.town_a_supervisor, action="enterprise.update", obj=other, reason="丙"),
                (other.name,),
            ),
        }
