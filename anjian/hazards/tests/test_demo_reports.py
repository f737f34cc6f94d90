"""The demo city's public reports (issue 8 item 8): every state, accepted ones behind the hazards found through a
public report, dismissed ones with their reason, rewards, spread over the year; valid rows; the running counts
taken again after the bulk insert."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count

from anjian.hazards import demo, tally
from anjian.hazards.choices import HazardSource, HazardStatus, PublicReportStatus
from anjian.hazards.models import Hazard, PublicReport
from anjian.hazards.tests.test_demo_hazards import TODAY, checklists, city  # noqa: F401 - shared fixtures

pytestmark = pytest.mark.django_db


def test_reports_in_every_state_over_the_year(checklists, monkeypatch):  # noqa: F811
    rebuilt = []
    monkeypatch.setattr(tally, "rebuild", lambda: rebuilt.append(Hazard.objects.count()))

    result = demo.generate(seed=2026, today=TODAY)

    reports = PublicReport.objects.all()
    assert reports.count() == result.reports
    assert rebuilt == [result.hazards], "the counts are taken again once, after every hazard is in"
    by_status = dict(reports.values_list("status").annotate(n=Count("id")))
    assert set(by_status) == set(PublicReportStatus.values)
    accepted = reports.filter(status=PublicReportStatus.ACCEPTED)
    from_reports = Hazard.objects.filter(source=HazardSource.PUBLIC_REPORT)
    assert accepted.count() == from_reports.count() > 0
    assert set(accepted.values_list("hazard_id", flat=True)) == set(from_reports.values_list("pk", flat=True))
    assert not accepted.filter(decided_at__isnull=True).exists()
    rewarded = accepted.filter(reward_amount__isnull=False)
    assert rewarded.exists() and not rewarded.exclude(hazard__status=HazardStatus.CLOSED).exists()
    rejected = reports.filter(status=PublicReportStatus.REJECTED)
    assert rejected.exists() and not rejected.filter(public_reply="").exists()
    assert not rejected.filter(hazard__isnull=False).exists()
    pending = reports.filter(status=PublicReportStatus.PENDING)
    assert not pending.filter(decided_at__isnull=False).exists()
    assert not pending.filter(submitted_at__date__lt=TODAY - dt.timedelta(days=demo.PENDING_DAYS)).exists()
    months = {moment.strftime("%Y-%m") for moment in reports.values_list("submitted_at", flat=True)}
    assert len(months) >= 10, "spread over the year"
    assert reports.values("tracking_code").distinct().count() == reports.count()
    for report in reports.order_by("pk")[:200]:
        report.full_clean()
        assert report.region.level == "village"
