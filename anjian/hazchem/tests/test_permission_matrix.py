"""The chemical catalogue's surfaces in the permission matrix (issue 9 item 1). The catalogue is shared reference
data, so there is no town A / town B pair to tell apart: every signed-in role reads it, and this matrix proves who must
NOT change a chemical (enterprise users, town and department staff, grid workers, experts, the anonymous public) on
every surface, the page, its form post and the API, while city staff may complete its symbols and notes."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from anjian.core.models import AuditEvent
from anjian.core.testing.matrix import api_list_text, client_for, page_text, snapshot
from anjian.hazchem.models import Chemical, KeyProcess

pytestmark = pytest.mark.django_db

READERS = ("enterprise_a_user", "town_a_supervisor", "town_b_supervisor", "grid_worker_a", "expert_a",
           "department_a_supervisor", "city_supervisor", "city_admin")
NOT_EDITORS = ("enterprise_a_user", "town_a_supervisor", "grid_worker_a", "expert_a", "department_a_supervisor")
TAMPERED = {"hazard_symbols": "W2 伪造来源", "notes": "越权修改"}


@pytest.fixture
def ammonia(catalogue):
    return Chemical.objects.get(name="氨", sub_row=1)


@pytest.mark.parametrize("persona", READERS)
def test_every_role_reads_the_catalogue(personas, ammonia, persona):
    client = client_for(getattr(personas, persona))
    assert "液氨" in page_text(client.get(reverse("hazchem:chemical_list"), {"q": "氨"}))
    assert client.get(reverse("hazchem:chemical_detail", args=[ammonia.pk])).status_code == 200
    assert "7664-41-7" in api_list_text(client, "chemicals", {"search": "液氨"})
    assert client.get(f"/api/v1/chemicals/{ammonia.pk}/").json()["name"] == "氨"
    assert "光气及光气化工艺" in page_text(client.get(reverse("hazchem:keyprocess_list")))
    assert "光气及光气化工艺" in api_list_text(client, "key-processes")


@pytest.mark.parametrize("persona", NOT_EDITORS)
def test_who_must_not_change_a_chemical(personas, ammonia, persona):
    client = client_for(getattr(personas, persona))
    before = snapshot(ammonia)
    edit = reverse("hazchem:chemical_edit", args=[ammonia.pk])
    # The kit answers a row outside the user's CHANGE reach as it answers a missing one (architecture rule 2).
    assert client.get(edit).status_code == 404
    assert client.post(edit, TAMPERED).status_code == 404
    detail = page_text(client.get(reverse("hazchem:chemical_detail", args=[ammonia.pk])))
    assert edit not in detail  # no edit button
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(f"/api/v1/chemicals/{ammonia.pk}/", TAMPERED,
                                           content_type="application/json")
        assert response.status_code in (403, 405), (method, response.status_code)
    assert client.post("/api/v1/chemicals/", {"name": "伪造品", "catalogue_number": 9999},
                       content_type="application/json").status_code in (403, 405)
    assert snapshot(ammonia) == before
    assert not AuditEvent.objects.filter(action="chemical.update").exists()


def test_nobody_changes_key_processes_over_the_api(personas, catalogue):
    process = KeyProcess.objects.get(number=1)
    client = client_for(personas.city_admin)
    response = client.patch(f"/api/v1/key-processes/{process.pk}/", {"name": "伪造"},
                            content_type="application/json")
    assert response.status_code in (403, 405)
    process.refresh_from_db()
    assert process.name == "光气及光气化工艺"


def test_anonymous_is_sent_to_login(ammonia):
    client = Client()
    login = reverse(settings.LOGIN_URL)
    for url in (reverse("hazchem:chemical_list"), reverse("hazchem:chemical_detail", args=[ammonia.pk]),
                reverse("hazchem:chemical_edit", args=[ammonia.pk]), reverse("hazchem:keyprocess_list")):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302 and response["Location"].startswith(login), (method, url)
    for url in ("/api/v1/chemicals/", f"/api/v1/chemicals/{ammonia.pk}/", "/api/v1/key-processes/"):
        assert client.get(url, HTTP_ACCEPT="application/json").status_code in (401, 403), url
    assert client.patch(f"/api/v1/chemicals/{ammonia.pk}/", TAMPERED,
                        content_type="application/json").status_code in (401, 403)
    assert snapshot(ammonia) == snapshot(Chemical.objects.get(pk=ammonia.pk))
    assert ammonia.notes == "" and Chemical.objects.get(pk=ammonia.pk).notes == ""


@pytest.mark.parametrize("persona", ("city_supervisor", "city_admin"))
def test_city_staff_complete_a_chemical_on_its_page(personas, ammonia, persona):
    client = client_for(getattr(personas, persona))
    edit = reverse("hazchem:chemical_edit", args=[ammonia.pk])
    assert edit in page_text(client.get(reverse("hazchem:chemical_detail", args=[ammonia.pk])))
    response = client.post(edit, {"hazard_symbols": "W2 供应商安全技术说明书第2部分\nJ2 GB 18218-2018 表3",
                                  "notes": "市局核定"})
    assert response.status_code == 302, page_text(response)[:500]
    ammonia.refresh_from_db()
    assert ammonia.hazard_symbols == [{"symbol": "W2", "source": "供应商安全技术说明书第2部分"},
                                      {"symbol": "J2", "source": "GB 18218-2018 表3"}]
    assert AuditEvent.objects.filter(action="chemical.update", object_id=str(ammonia.pk),
                                     actor=getattr(personas, persona)).exists()
    shown = page_text(client.get(reverse("hazchem:chemical_detail", args=[ammonia.pk])))
    assert "供应商安全技术说明书第2部分" in shown and "市局核定" in shown


def test_a_symbol_without_source_is_refused_on_the_form(personas, ammonia):
    client = client_for(personas.city_supervisor)
    response = client.post(reverse("hazchem:chemical_edit", args=[ammonia.pk]), {"hazard_symbols": "W2",
                                                                               "notes": ""})
    assert response.status_code == 200
    assert "须注明来源" in page_text(response)
    ammonia.refresh_from_db()
    assert ammonia.hazard_symbols == []


@pytest.mark.parametrize("persona", NOT_EDITORS)
def test_who_must_not_complete_a_key_process(personas, catalogue, persona):
    process = KeyProcess.objects.get(number=1)
    client = client_for(getattr(personas, persona))
    before = snapshot(process)
    edit = reverse("hazchem:keyprocess_edit", args=[process.pk])
    assert client.get(reverse("hazchem:keyprocess_detail", args=[process.pk])).status_code == 200
    assert client.get(edit).status_code == 404
    assert client.post(edit, {"typical_processes": "伪造", "details_source": "伪造"}).status_code == 404
    assert snapshot(process) == before


def test_city_staff_complete_a_key_process_with_its_source(personas, catalogue):
    process = KeyProcess.objects.get(number=1)
    client = client_for(personas.city_supervisor)
    edit = reverse("hazchem:keyprocess_edit", args=[process.pk])
    refused = client.post(edit, {"typical_processes": "光气合成双光气、三光气", "key_monitoring_parameters": "",
                                 "details_source": ""})
    assert refused.status_code == 200 and "请注明" in page_text(refused)
    process.refresh_from_db()
    assert process.typical_processes == ""
    response = client.post(edit, {"typical_processes": "光气合成双光气、三光气",
                                  "key_monitoring_parameters": "一氧化碳、氯气含水量；反应釜温度和压力",
                                  "details_source": "安监总管三〔2009〕116号 附件", "reason": "补录工艺说明"})
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.details_source == "安监总管三〔2009〕116号 附件"
    assert AuditEvent.objects.filter(action="keyprocess.update").count() == 1
    # A later load keeps what staff entered.
    from anjian.hazchem.reference import load_key_processes

    load_key_processes()
    process.refresh_from_db()
    assert process.typical_processes == "光气合成双光气、三光气"


def test_a_key_chemical_missing_from_the_list_is_marked_with_its_source(personas, catalogue):
    from anjian.hazchem.reference import load_catalogue
    from anjian.hazchem.services import chemical_save

    methanol = Chemical.objects.get(name="甲醇")
    barium_nitrate = Chemical.objects.filter(name="硝酸钡").first()
    assert barium_nitrate is not None and not barium_nitrate.key_supervised
    barium_nitrate.key_supervised_source = "重点监管的危险化学品名录（2013年完整版）第二批 第X行"
    chemical_save(actor=personas.city_admin, chemical=barium_nitrate, reason="补录")
    barium_nitrate.refresh_from_db()
    assert barium_nitrate.key_supervised
    load_catalogue()  # a load never clears a flag that has a source
    barium_nitrate.refresh_from_db()
    assert barium_nitrate.key_supervised
    barium_nitrate.key_supervised_source = ""
    chemical_save(actor=personas.city_admin, chemical=barium_nitrate, reason="撤回")
    barium_nitrate.refresh_from_db()
    assert not barium_nitrate.key_supervised
    # A chemical the packaged list names stays 重点监管 whatever staff do.
    methanol.key_supervised_source = ""
    chemical_save(actor=personas.city_admin, chemical=methanol, reason="试图清除")
    methanol.refresh_from_db()
    assert methanol.key_supervised


def test_a_table1_chemical_cannot_be_marked_outside_the_standard_on_the_form(personas, ammonia):
    client = client_for(personas.city_admin)
    response = client.post(reverse("hazchem:chemical_edit", args=[ammonia.pk]),
                           {"hazard_symbols": "", "gb18218_exempt_source": "某说明书", "notes": ""})
    assert response.status_code == 200
    assert "表1列有本品" in page_text(response)
    ammonia.refresh_from_db()
    assert ammonia.gb18218_exempt_source == ""
