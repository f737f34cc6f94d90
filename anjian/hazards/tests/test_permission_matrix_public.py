"""The permission matrix of public reports (issue 8, "Must show"): every town-A persona is asked for town B's report
on every surface (list, export, detail, the triage actions in the UI and the API) and gets nothing (404 like a
missing id); town A's report is seen by town A's supervisor and, with the contact masked, its village's grid worker.
The public tracking answer never shows the reporter's contact."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anjian.core.testing.matrix import Pair, PermissionMatrix, Surface
from anjian.hazards import services_public
from anjian.hazards.choices import PublicReportStatus
from anjian.hazards.models import PublicReport

pytestmark = pytest.mark.django_db

CONTACT_A = "13811112222"


def make_report(region, description: str, contact: str = "") -> PublicReport:
    return PublicReport.objects.create(
        tracking_code=services_public.new_tracking_code(), region=region, description=description, contact=contact,
        submitted_at=timezone.now(), status=PublicReportStatus.PENDING,
    )


class TestPublicReportMatrix(PermissionMatrix):
    surfaces = (
        Surface("publicreport", PublicReport, "hazards:publicreport_list", "public-report-triage",
                detail_url="hazards:publicreport_detail", action_url="hazards:publicreport_action",
                actions=tuple(PublicReport.workflow.actions),
                sees_a=frozenset({"town_a_supervisor", "grid_worker_a"})),
    )

    def make_pairs(self, personas) -> dict[str, Pair]:
        return {
            "publicreport": Pair(
                make_report(personas.village_a, "东城甲举报仓库堆放油漆", CONTACT_A),
                make_report(personas.village_b, "虎门乙举报违规动火作业", "13833334444"),
                ("东城甲举报仓库堆放油漆",), ("虎门乙举报违规动火作业", "13833334444"),
            ),
        }


def test_the_public_tracking_answer_never_shows_the_contact(personas):
    report = make_report(personas.village_a, "东城甲举报仓库堆放油漆", CONTACT_A)
    page = Client().post(reverse("hazards:public_report_track"), {"code": report.tracking_code})
    api = Client().get(f"/api/v1/public-reports/{report.tracking_code}/")
    assert page.status_code == 200 and api.status_code == 200
    for body in (page.content.decode(), api.content.decode()):
        assert CONTACT_A not in body and "138****2222" not in body
