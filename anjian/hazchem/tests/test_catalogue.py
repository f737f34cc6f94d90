"""The chemical catalogue (issue 9 item 1): the load matches the packaged files and is idempotent, staff additions
survive a reload, the search finds names, aliases, pinyin initials and CAS numbers in rank order, an unknown name
gets the nearest names, and an edit is audited."""

from __future__ import annotations

import csv
import io
from importlib import resources

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anjian.core.models import AuditEvent
from anjian.hazchem.models import Chemical, KeyProcess
from anjian.hazchem.reference import load_catalogue, load_key_processes, unmatched_key_chemicals
from anjian.hazchem.selectors import chemical_search
from anjian.hazchem.services import chemical_save

pytestmark = pytest.mark.django_db


def data_rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("anjian.hazchem").joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_load_counts_match_the_files(catalogue):
    rows = data_rows("hazchem_catalog_2015.csv")
    assert Chemical.objects.count() == len(rows) == 2997
    assert Chemical.objects.values("catalogue_number").distinct().count() == 2828
    assert KeyProcess.objects.count() == len(data_rows("key_supervised_processes.csv")) == 18
    assert Chemical.objects.filter(explosive_precursor=True).count() == sum(
        row["yizhibao_2017"] == "Y" for row in rows) == 84
    assert Chemical.objects.exclude(drug_precursor_category="").count() == sum(
        bool(row["yizhidu_category"]) for row in rows)
    assert set(Chemical.objects.exclude(drug_precursor_category="").values_list(
        "drug_precursor_category", flat=True)) <= {"第一类", "第二类", "第三类"}
    # The official count of 剧毒 entries (SOURCES.md).
    assert Chemical.objects.filter(highly_toxic=True).values("catalogue_number").distinct().count() == 148
    assert Chemical.objects.filter(cas__isnull=True).count() == sum(not row["cas"] for row in rows) == 163
    # Every row of the 重点监管 list reaches the catalogue (by CAS, else by name or alias).
    assert unmatched_key_chemicals() == []
    key = set(Chemical.objects.filter(key_supervised=True).values_list("name", flat=True))
    assert {"氯", "氨", "氯乙烯[稳定的]", "氯酸钠", "氯酸钾", "汽油", "石脑油"} <= key
    assert "氯化钠" not in key


def test_second_load_changes_nothing_and_keeps_staff_additions(catalogue, personas):
    chlorine = Chemical.objects.get(name="氯")
    chlorine.hazard_symbols = [{"symbol": "W2", "source": "GB 18218-2018 表1 第1行"}]
    chlorine.notes = "市局核定"
    chemical_save(actor=personas.city_supervisor, chemical=chlorine, reason="补录符号")
    # A row the file would correct (as if edited outside the services) is put back; staff fields stay.
    Chemical.objects.filter(pk=chlorine.pk).update(name="氯（误改）", key_supervised=False)
    before = {row["pk"]: row for row in Chemical.objects.exclude(pk=chlorine.pk).values("pk", "updated")}
    assert load_catalogue() == 2997
    assert load_key_processes() == 18
    chlorine.refresh_from_db()
    assert chlorine.name == "氯" and chlorine.key_supervised
    assert chlorine.hazard_symbols == [{"symbol": "W2", "source": "GB 18218-2018 表1 第1行"}]
    assert chlorine.notes == "市局核定"
    after = {row["pk"]: row for row in Chemical.objects.exclude(pk=chlorine.pk).values("pk", "updated")}
    assert after == before
    assert Chemical.objects.count() == 2997 and KeyProcess.objects.count() == 18


def names(query: str) -> list[str]:
    return [chemical.name for chemical in chemical_search(query).chemicals]


def test_search_by_name_puts_the_exact_name_first(catalogue):
    assert names("汽油")[0] == "汽油"
    found = names("氯乙烯")  # the catalogue's name is 氯乙烯[稳定的]: it begins with what was typed
    assert found[0] == "氯乙烯[稳定的]"
    assert "1,1-二氯乙烯" in found  # names containing it follow


def test_search_by_alias(catalogue):
    assert names("液氯")[0] == "氯"
    assert names("鸦片")[0] == "阿片"


def test_search_by_pinyin_initials(catalogue):
    assert Chemical.objects.get(name="氯乙烯[稳定的]").pinyin_initials.split(";")[0] == "lyx"
    assert "氯乙烯[稳定的]" in names("lyx")
    assert "氯乙烯[稳定的]" in names("LYX")


def test_search_by_cas_exact_and_prefix(catalogue):
    assert names("7664-41-7")[0] == "氨"
    assert "氨" in names("7664-41")
    assert "氨" in names("7664")
    # A row with several CAS numbers is found by any of them.
    several = Chemical.objects.filter(cas__contains=";").first()
    assert several.name in names(several.cas_numbers[-1])


def test_unknown_name_gets_the_nearest_names(catalogue):
    result = chemical_search("氯乙稀")  # 稀 for 烯: a typing slip
    assert list(result.chemicals) == []
    assert "氯乙烯" in result.nearest_names or "氯乙烯[稳定的]" in result.nearest_names
    assert chemical_search("7664-41-7").nearest_names == []
    assert chemical_search("99999-99-9").nearest_names == []
    assert list(chemical_search(";").chemicals) == []  # the lists' separator matches nothing


def test_city_staff_edit_is_audited_with_history(catalogue, personas):
    ammonia = Chemical.objects.get(name="氨", sub_row=1)
    ammonia.hazard_symbols = [{"symbol": "j2", "source": "供应商SDS第2部分"}]
    chemical_save(actor=personas.city_admin, chemical=ammonia, reason="补录")
    ammonia.refresh_from_db()
    assert ammonia.hazard_symbols == [{"symbol": "J2", "source": "供应商SDS第2部分"}]
    event = AuditEvent.objects.get(action="chemical.update", object_id=str(ammonia.pk))
    assert event.actor == personas.city_admin and event.reason == "补录"
    assert ammonia.history.count() >= 1


@pytest.mark.parametrize("symbols", [
    [{"symbol": "X9", "source": "某来源"}],
    [{"symbol": "W2", "source": ""}],
    [{"symbol": "W2", "source": "甲"}, {"symbol": "W2", "source": "乙"}],
    "W2",
])
def test_bad_symbols_are_refused_and_change_nothing(catalogue, personas, symbols):
    ammonia = Chemical.objects.get(name="氨", sub_row=1)
    ammonia.hazard_symbols = symbols
    with pytest.raises(ValidationError):
        chemical_save(actor=personas.city_supervisor, chemical=ammonia)
    ammonia.refresh_from_db()
    assert ammonia.hazard_symbols == []
    assert not AuditEvent.objects.filter(action="chemical.update").exists()


def test_catalogue_fields_and_other_roles_are_refused(catalogue, personas):
    ammonia = Chemical.objects.get(name="氨", sub_row=1)
    ammonia.name = "氨（改）"
    with pytest.raises(PermissionDenied):
        chemical_save(actor=personas.city_supervisor, chemical=ammonia)
    for persona in ("town_a_supervisor", "enterprise_a_user", "grid_worker_a", "expert_a",
                    "department_a_supervisor"):
        ammonia = Chemical.objects.get(name="氨", sub_row=1)
        ammonia.notes = "越权修改"
        with pytest.raises(PermissionDenied):
            chemical_save(actor=getattr(personas, persona), chemical=ammonia)
    assert Chemical.objects.get(name="氨", sub_row=1).notes == ""
