"""A record that reached the database without history (the demo city, a bulk load) shows its first change with
its before → after (issue 7 item 7: it showed “修改 —” with no fields)."""

from __future__ import annotations

import datetime as dt

import pytest

from anjian.core.history import BASELINE_REASON
from anjian.core.views import change_history
from anjian.enterprises import demo, importing
from anjian.enterprises.models import Enterprise
from anjian.enterprises.services import enterprise_save
from anjian.enterprises.tests.test_import import make_row, run, xlsx_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated(reference_regions, industries):
    demo.generate(today=dt.date(2026, 12, 1), enterprises=30, seed=5)
    enterprise = Enterprise.objects.order_by("pk").first()
    assert not enterprise.history.exists(), "the generator writes no history rows"
    return enterprise


def test_the_first_edit_of_a_generated_enterprise_shows_before_and_after(generated, personas):
    old_name = generated.name
    enterprise = Enterprise.objects.get(pk=generated.pk)
    enterprise.name = "改名后的有限公司"
    enterprise_save(actor=personas.city_admin, enterprise=enterprise, reason="更名")

    latest, baseline = change_history(Enterprise.objects.get(pk=generated.pk))
    assert [(change["label"], change["old_display"], change["new_display"]) for change in latest["changes"]] == [
        ("单位名称", old_name, "改名后的有限公司")
    ]
    assert latest["user"] == personas.city_admin and latest["reason"] == "更名"
    assert baseline["reason"] == str(BASELINE_REASON) and baseline["user"] is None
    assert baseline["date"] == generated.created


def test_a_second_edit_writes_no_second_baseline(generated, personas):
    for name in ("第一次改名有限公司", "第二次改名有限公司"):
        enterprise = Enterprise.objects.get(pk=generated.pk)
        enterprise.name = name
        enterprise_save(actor=personas.city_admin, enterprise=enterprise)
    assert list(generated.history.order_by("history_id").values_list("history_type", flat=True)) == ["+", "~", "~"]


def test_an_import_that_changes_a_generated_enterprise_writes_its_baseline_too(generated, personas):
    row = make_row(generated.region, 1, **{"统一社会信用代码": generated.uscc})
    row["从业人数"] = generated.employee_count + 5
    kept = {"单位名称": "name", "法定代表人": "legal_representative", "安全负责人": "safety_principal",
            "安全负责人电话": "safety_principal_phone", "地址": "address"}
    for label, field in kept.items():
        row[label] = getattr(generated, field)
    result = run(xlsx_upload([row]), personas.city_admin, commit=True)
    assert result.committed, result.errors
    latest = change_history(Enterprise.objects.get(pk=generated.pk))[0]
    assert ("从业人数", str(generated.employee_count), str(generated.employee_count + 5)) in [
        (change["label"], change["old_display"], change["new_display"]) for change in latest["changes"]
    ]
    assert latest["reason"] == importing.IMPORT_REASON
