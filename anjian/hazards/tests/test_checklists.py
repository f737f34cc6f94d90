"""Checklists as data and their versions (issue 8 item 1): the shipped criteria match the official item counts,
reloading is idempotent, a changed shipped text becomes a new version, and a version in use is never changed."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from anjian.core.models import AuditEvent
from anjian.enterprises.choices import SupervisionDomain
from anjian.hazards import reference
from anjian.hazards.choices import ChecklistStatus, HazardCategory
from anjian.hazards.models import Checklist, ChecklistItem
from anjian.hazards.services_checklists import (
    checklist_delete,
    checklist_item_delete,
    checklist_item_save,
    checklist_new_version,
    checklist_publish,
    checklist_retire,
    checklist_save,
)
from anjian.hazards.tests.factories import make_checklist

pytestmark = pytest.mark.django_db


def article_counts(code: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for clause in ChecklistItem.objects.filter(checklist__code=code).values_list("clause", flat=True):
        article = re.match(r"第(.+?)条", clause).group(1)
        counts[article] = counts.get(article, 0) + 1
    return counts


class TestShippedChecklists:
    def test_hazchem_2017_has_its_twenty_major_items(self):
        reference.load_checklists()
        checklist = Checklist.objects.get(code="criteria-hazchem-2017")
        items = list(checklist.items.all())
        assert len(items) == 20
        assert all(item.major and not item.provisional for item in items)
        assert checklist.criteria and checklist.official and checklist.domain == SupervisionDomain.HAZARDOUS_CHEMICALS
        assert checklist.status == ChecklistStatus.PUBLISHED and checklist.version == 1
        # Verbatim from standards.md §4.1 (first and last items).
        assert items[0].text == "危险化学品生产、经营单位主要负责人和安全生产管理人员未依法经考核合格。"
        assert items[19].text.startswith("未按国家标准分区分类储存危险化学品")

    def test_gongmao_articles_have_the_counts_standards_md_gives(self):
        reference.load_checklists()
        counts: dict[str, int] = {}
        for code in ("criteria-gongmao-2023-general", "criteria-gongmao-2023-dust", "criteria-gongmao-2023-ammonia",
                     "criteria-gongmao-2023-confined-space"):
            for article, count in article_counts(code).items():
                counts[article] = counts.get(article, 0) + count
        # 第三条 3 items, 第十一条 (一)–(十), 第十二条 2, 第十三条 2, 第十四条 one sentence (standards.md §4.2).
        assert counts == {"三": 3, "十一": 10, "十二": 2, "十三": 2, "十四": 1}
        gongmao = ChecklistItem.objects.filter(checklist__code__startswith="criteria-gongmao-2023")
        assert gongmao.filter(major=False).count() == 0
        # The items standards.md marks U are shipped provisional and say so.
        provisional = {item.clause: item.text for item in gongmao.filter(provisional=True)}
        assert set(provisional) == {"第十一条第（九）项", "第十一条第（十）项", "第十三条第（二）项"}
        assert all("待核实" in text for text in provisional.values())

    def test_every_domain_has_a_general_checklist(self):
        reference.load_checklists()
        basic = Checklist.objects.get(code="general-basic")
        assert basic.domain == "" and not basic.criteria and basic.items.count() >= 10
        for domain in SupervisionDomain.values:
            site = Checklist.objects.get(domain=domain, code=f"site-{domain}")
            assert site.items.exists() and not site.items.filter(major=True).exists(), domain
        assert set(ChecklistItem.objects.values_list("category", flat=True)) <= set(HazardCategory.values)

    def test_reload_is_idempotent(self):
        first = reference.load_checklists()
        rows = (Checklist.objects.count(), ChecklistItem.objects.count(), AuditEvent.objects.count())
        assert reference.load_checklists() == first
        assert (Checklist.objects.count(), ChecklistItem.objects.count(), AuditEvent.objects.count()) == rows
        assert not Checklist.objects.exclude(version=1).exists()

    def test_changed_shipped_text_makes_a_new_version_and_retires_the_old(self, monkeypatch):
        reference.load_checklists()
        old = Checklist.objects.get(code="criteria-hazchem-2017")
        old_texts = list(old.items.values_list("text", flat=True))
        real = reference.shipped_checklists

        def amended():
            found = real()
            for index, shipped in enumerate(found):
                if shipped.code == "criteria-hazchem-2017":
                    items = (dict(shipped.items[0], text="修订后的第一项。"), *shipped.items[1:])
                    found[index] = dataclasses.replace(shipped, items=items)
            return found

        monkeypatch.setattr(reference, "shipped_checklists", amended)
        reference.load_checklists()
        reference.load_checklists()  # and again: still one new version
        versions = list(Checklist.objects.filter(code="criteria-hazchem-2017").order_by("version"))
        assert [(v.version, v.status) for v in versions] == [
            (1, ChecklistStatus.RETIRED), (2, ChecklistStatus.PUBLISHED)]
        # The version that was in use is unchanged, item for item.
        assert list(versions[0].items.values_list("text", flat=True)) == old_texts
        assert versions[1].items.get(number=1).text == "修订后的第一项。"
        assert versions[1].official and versions[1].items.count() == 20


class TestVersioning:
    def test_create_edit_publish_new_version(self, personas):
        actor = personas.city_supervisor
        draft = checklist_save(actor=actor, checklist=Checklist(code="town-fire", title="消防检查表"))
        assert (draft.version, draft.status, draft.official) == (1, ChecklistStatus.DRAFT, False)
        item = checklist_item_save(actor=actor, item=ChecklistItem(checklist=draft, number=1, text="灭火器完好"))
        item.text = "灭火器在有效期内"
        checklist_item_save(actor=actor, item=item)
        draft.title = "消防安全检查表"
        checklist_save(actor=actor, checklist=draft)

        published = checklist_publish(actor=actor, obj=draft)
        assert published.status == ChecklistStatus.PUBLISHED and published.published_at is not None
        assert AuditEvent.objects.filter(action="checklist.publish", object_id=str(draft.pk)).exists()

        second = checklist_new_version(actor=actor, checklist=published)
        assert (second.version, second.status) == (2, ChecklistStatus.DRAFT)
        assert list(second.items.values_list("number", "text")) == [(1, "灭火器在有效期内")]
        checklist_item_save(actor=actor, item=ChecklistItem(checklist=second, number=2, text="疏散通道畅通"))
        checklist_publish(actor=actor, obj=second)
        published.refresh_from_db()
        assert published.status == ChecklistStatus.RETIRED
        assert published.items.count() == 1
        assert AuditEvent.objects.filter(action="checklist.retire", object_id=str(published.pk)).exists()
        # A retired version can be the source of the next version too.
        third = checklist_new_version(actor=actor, checklist=published)
        assert third.version == 3 and third.items.count() == 1

    @pytest.mark.parametrize("status", [ChecklistStatus.PUBLISHED, ChecklistStatus.RETIRED])
    def test_a_version_in_use_or_retired_is_never_changed(self, personas, status):
        actor = personas.city_supervisor
        checklist = make_checklist(status=status)
        item = checklist.items.get(number=1)
        before = (checklist.title, list(checklist.items.values_list("number", "text")))

        checklist.title = "改过的名称"
        with pytest.raises(ValidationError, match="不能修改"):
            checklist_save(actor=actor, checklist=checklist)
        item.text = "改过的检查内容"
        with pytest.raises(ValidationError, match="不能修改"):
            checklist_item_save(actor=actor, item=item)
        with pytest.raises(ValidationError, match="不能修改"):
            checklist_item_save(actor=actor, item=ChecklistItem(checklist=checklist, number=9, text="新增"))
        with pytest.raises(ValidationError, match="不能修改"):
            checklist_item_delete(actor=actor, item=item)
        with pytest.raises(ValidationError, match="不能修改"):
            checklist_delete(actor=actor, checklist=checklist)

        checklist.refresh_from_db()
        assert (checklist.title, list(checklist.items.values_list("number", "text"))) == before

    def test_refusals(self, personas):
        actor = personas.city_supervisor
        make_checklist(code="dup")
        with pytest.raises(ValidationError, match="已存在"):
            checklist_save(actor=actor, checklist=Checklist(code="dup", title="重复"))
        empty = checklist_save(actor=actor, checklist=Checklist(code="empty", title="空清单"))
        with pytest.raises(ValidationError, match="没有检查项"):
            checklist_publish(actor=actor, obj=empty)
        with pytest.raises(ValidationError, match="判定标准"):
            checklist_item_save(actor=actor, item=ChecklistItem(checklist=empty, number=1, text="x", major=True))
        with pytest.raises(ValidationError, match="无需创建新版本"):
            checklist_new_version(actor=actor, checklist=empty)
        published = make_checklist(code="once")
        checklist_new_version(actor=actor, checklist=published)
        with pytest.raises(ValidationError, match="已有草稿"):
            checklist_new_version(actor=actor, checklist=published)
        with pytest.raises(ValidationError):
            checklist_retire(actor=actor, obj=published, reason="")
        assert Checklist.objects.get(pk=published.pk).status == ChecklistStatus.PUBLISHED

    def test_only_city_staff_write_checklists(self, personas):
        published = make_checklist(code="city-only")
        for persona in ("town_a_supervisor", "enterprise_a_user", "grid_worker_a"):
            user = getattr(personas, persona)
            with pytest.raises(PermissionDenied):
                checklist_save(actor=user, checklist=Checklist(code=f"x-{persona}", title="x"))
            with pytest.raises(PermissionDenied):
                checklist_new_version(actor=user, checklist=published)
        assert Checklist.objects.count() == 1


class TestPagesAndApi:
    def test_city_staff_draft_publish_and_version_through_the_pages(self, personas, client):
        client.force_login(personas.city_supervisor)
        response = client.post(reverse("hazards:checklist_add"), {"code": "town-fire", "title": "消防检查表"})
        assert response.status_code == 302
        draft = Checklist.objects.get(code="town-fire")
        add_item = reverse("hazards:checklistitem_add") + f"?checklist={draft.pk}"
        assert client.get(add_item).status_code == 200
        response = client.post(add_item, {"number": 1, "text": "灭火器在有效期内", "category": "site_fire"})
        assert response.status_code == 302 and draft.items.count() == 1
        page = client.get(draft.get_absolute_url()).content.decode()
        assert "灭火器在有效期内" in page and 'data-action="publish"' in page

        response = client.post(reverse("hazards:checklist_action", args=[draft.pk, "publish"]))
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == ChecklistStatus.PUBLISHED
        page = client.get(draft.get_absolute_url()).content.decode()
        assert "不能修改" in page and reverse("hazards:checklist_edit", args=[draft.pk]) not in page
        # Editing a published version through its URLs is refused, and nothing changes.
        item = draft.items.get()
        response = client.post(reverse("hazards:checklistitem_edit", args=[item.pk]),
                               {"number": 1, "text": "改过", "category": "site_fire"})
        assert response.status_code == 403
        for name, pk in (("checklistitem_delete", item.pk), ("checklist_edit", draft.pk),
                         ("checklist_delete", draft.pk)):
            assert client.get(reverse(f"hazards:{name}", args=[pk])).status_code == 403, name
            assert client.post(reverse(f"hazards:{name}", args=[pk]), {"title": "改过"}).status_code == 403, name
        assert client.get(reverse("hazards:checklistitem_add"), {"checklist": draft.pk}).status_code == 403
        item.refresh_from_db()
        assert Checklist.objects.get(pk=draft.pk).title == "消防检查表"
        assert item.text == "灭火器在有效期内"

        response = client.post(reverse("hazards:checklist_new_version", args=[draft.pk]))
        second = Checklist.objects.get(code="town-fire", version=2)
        assert response["Location"] == second.get_absolute_url()
        assert second.status == ChecklistStatus.DRAFT and second.items.count() == 1

    def test_api_lists_checklists_and_gives_items_in_detail(self, personas, client):
        reference.load_checklists()
        client.force_login(personas.enterprise_a_user)
        listed = client.get("/api/v1/checklists/", {"code": "criteria-hazchem-2017"}).json()
        assert [row["code"] for row in listed["results"]] == ["criteria-hazchem-2017"]
        row = listed["results"][0]
        assert row["item_count"] == 20 and "items" not in row
        detail = client.get(f"/api/v1/checklists/{row['id']}/").json()
        assert len(detail["items"]) == 20 and detail["items"][0]["number"] == 1
        assert detail["items"][0]["major"] is True
        assert client.post("/api/v1/checklists/", {}).status_code == 405


def test_a_regulators_version_of_a_shipped_checklist_survives_reload(personas):
    reference.load_checklists()
    city = personas.city_supervisor
    shipped = Checklist.objects.get(code="general-basic")
    local = checklist_new_version(actor=city, checklist=shipped)
    checklist_item_save(actor=city, item=ChecklistItem(checklist=local, number=99, text="东莞市补充检查项"))
    checklist_publish(actor=city, obj=local)
    reference.load_checklists()
    in_use = Checklist.objects.get(code="general-basic", status=ChecklistStatus.PUBLISHED)
    assert in_use.pk == local.pk and not in_use.official
    assert Checklist.objects.filter(code="general-basic").count() == 2
