"""`generate-demo --replace` once the demo city has hazards (issue 8 item 8): its hazards, self-inspections,
schedules and public reports go first, in bulk, then its enterprises; the running counts are taken again; a
citizen's report not accepted into the demo city's hazards stays."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from anjian.enterprises.demo import generated_enterprises
from anjian.hazards import demo, tally
from anjian.hazards.models import (
    Hazard,
    HistoricalHazard,
    InspectionSchedule,
    PublicReport,
    SelfInspection,
    SelfInspectionAnswer,
)
from anjian.hazards.tests.test_demo_hazards import ENTERPRISES, TODAY, checklists, city  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def test_replace_deletes_the_demo_citys_hazard_records_first(checklists, monkeypatch):  # noqa: F811
    demo.generate(seed=2026, today=TODAY)
    demo_hazard = Hazard.objects.filter(enterprise__in=generated_enterprises()).first()
    demo_hazard.description = "用户修改过的演示隐患"
    demo_hazard.save()
    region = demo_hazard.enterprise.region
    accepted = PublicReport.objects.create(
        tracking_code="ABCDEFGHJKMN",
        region=region,
        description="市民举报，已受理为演示隐患",
        submitted_at=timezone.now(),
        hazard=demo_hazard,
        status="accepted",
    )
    citizen = PublicReport.objects.create(
        tracking_code="ABCDEFGHJKMP", region=region, description="市民自己写的举报", submitted_at=timezone.now()
    )
    assert SelfInspection.objects.exists() and InspectionSchedule.objects.exists()
    assert HistoricalHazard.objects.filter(id=demo_hazard.pk).exists()
    rebuilt = []
    monkeypatch.setattr(tally, "rebuild", lambda: rebuilt.append(Hazard.objects.count()))
    out = io.StringIO()

    call_command("generate_demo", enterprises=ENTERPRISES, seed=2026, replace=True, stdout=out)

    assert not Hazard.objects.exists()
    assert rebuilt == [0], "the counts are taken again after the hazards went"
    assert not SelfInspection.objects.exists() and not SelfInspectionAnswer.objects.exists()
    assert not InspectionSchedule.objects.exists()
    assert list(PublicReport.objects.all()) == [citizen], "the demo's reports and those accepted into its hazards go"
    assert not PublicReport.objects.filter(pk=accepted.pk).exists()
    assert not HistoricalHazard.objects.filter(id=demo_hazard.pk).exists()
    assert "已删除此前生成的隐患" in out.getvalue() and "已删除此前生成的企业" in out.getvalue()
    assert generated_enterprises().count() == ENTERPRISES
