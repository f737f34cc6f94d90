"""The permission matrix over self-inspection schedules and self-inspections (issue 8 "Must show": enterprise users
see only their own, towns only theirs): every town-A persona asked for town B's records on every surface, in the UI
and the API. Checklists are shared reference data (every signed-in role reads them); their drafts are tested below."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from anjian.core.testing.matrix import Pair, PermissionMatrix, Surface, api_list_text, client_for, page_text
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.hazards.choices import ChecklistStatus, Frequency
from anjian.hazards.models import InspectionSchedule, SelfInspection
from anjian.hazards.tests.factories import make_checklist

pytestmark = pytest.mark.django_db


class TestSelfInspectionMatrix(PermissionMatrix):
    surfaces = (
        Surface("schedule", InspectionSchedule, "hazards:schedule_list", "inspection-schedules",
                detail_url="hazards:schedule_detail", edit_url="hazards:schedule_edit"),
        Surface("selfinspection", SelfInspection, "hazards:selfinspection_list", "self-inspections",
                detail_url="hazards:selfinspection_detail"),
    )

    def make_pairs(self, personas) -> dict[str, Pair]:
        p = personas
        checklist = make_checklist(items=2)
        other = EnterpriseFactory(region=p.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN)

        def schedule(enterprise, responsible):
            return InspectionSchedule.objects.create(enterprise=enterprise, checklist=checklist,
                                                     frequency=Frequency.MONTHLY, starts_on=dt.date(2026, 1, 1),
                                                     responsible=responsible)

        def inspection(enterprise):
            return SelfInspection.objects.create(enterprise=enterprise, checklist=checklist,
                                                 performed_at=timezone.now(), failed_count=0)

        return {
            "schedule": Pair(schedule(p.enterprise_a, "东城甲自查负责人"), schedule(p.enterprise_b, "虎门乙自查负责人"),
                             ("东城甲自查负责人",), ("虎门乙自查负责人",),
                             schedule(other, "东城丙自查负责人"), ("东城丙自查负责人",)),
            "selfinspection": Pair(inspection(p.enterprise_a), inspection(p.enterprise_b),
                                   (p.enterprise_a.name,), (p.enterprise_b.name,),
                                   inspection(other), (other.name,)),
        }


def test_drafts_are_for_city_staff_only(personas):
    draft = make_checklist(code="draft-only", title="起草中的消防检查表", status=ChecklistStatus.DRAFT)
    make_checklist(code="in-use", title="在用的消防检查表")
    for persona in ("enterprise_a_user", "town_a_supervisor", "grid_worker_a", "expert_a"):
        client = client_for(getattr(personas, persona))
        listed = page_text(client.get(reverse("hazards:checklist_list")))
        assert "在用的消防检查表" in listed and "起草中的消防检查表" not in listed, persona
        assert "起草中的消防检查表" not in api_list_text(client, "checklists")
        assert client.get(reverse("hazards:checklist_detail", args=[draft.pk])).status_code == 404
        assert client.get(f"/api/v1/checklists/{draft.pk}/").status_code == 404
        assert client.post(reverse("hazards:checklist_action", args=[draft.pk, "publish"])).status_code == 404
    city = client_for(personas.city_supervisor)
    assert "起草中的消防检查表" in page_text(city.get(reverse("hazards:checklist_list")))
    assert city.get(reverse("hazards:checklist_detail", args=[draft.pk])).status_code == 200


def test_town_cannot_publish_or_edit_checklists(personas):
    draft = make_checklist(code="draft-town", status=ChecklistStatus.DRAFT)
    published = make_checklist(code="published-town")
    client = client_for(personas.town_a_supervisor)
    assert client.get(reverse("hazards:checklist_add")).status_code == 403
    assert client.post(reverse("hazards:checklist_new_version", args=[published.pk])).status_code == 403
    assert client.post(reverse("hazards:checklist_action", args=[published.pk, "retire"]),
                       {"reason": "x"}).status_code == 403
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == (ChecklistStatus.DRAFT, ChecklistStatus.PUBLISHED)
