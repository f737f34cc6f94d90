"""The matrix over a workflow module built only from the kit (issue 6 item 9: "including its actions"): every
town-A persona is asked for town B's permit on every surface and with every action, in the UI and the API."""

from __future__ import annotations

import pytest

from anjian.core.testing.matrix import Pair, PermissionMatrix, Surface
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.core.tests.kitapp.models import PermitState, WorkPermit
from anjian.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


class TestKitMatrix(PermissionMatrix):
    surfaces = (
        Surface("workpermit", WorkPermit, "kitapp:workpermit_list", "kit-permits",
                detail_url="kitapp:workpermit_detail", edit_url="kitapp:workpermit_edit", api_writable=True,
                action_url="kitapp:workpermit_action", actions=tuple(WorkPermit.workflow.actions)),
    )

    def make_pairs(self, personas) -> dict[str, Pair]:
        p = personas
        other = EnterpriseFactory(region=p.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN)
        # Submitted: a state from which both the enterprise's and the regulators' actions exist.
        return {
            "workpermit": Pair(
                WorkPermit.objects.create(enterprise=p.enterprise_a, title="东城甲动火作业",
                                          state=PermitState.SUBMITTED),
                WorkPermit.objects.create(enterprise=p.enterprise_b, title="虎门乙动火作业",
                                          state=PermitState.SUBMITTED),
                ("东城甲动火作业",), ("虎门乙动火作业",),
                WorkPermit.objects.create(enterprise=other, title="东城丙动火作业", state=PermitState.SUBMITTED),
                ("东城丙动火作业",),
            ),
        }
