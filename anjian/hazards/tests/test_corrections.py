"""Corrections of a reported hazard (issue 8 item 3): the enterprise and the grid worker who found it correct where
and what while it is 待整改; regulators correct and grade any open hazard; every correction is audited and shows in
the hazard's history. The same rules hold in the service, on the pages and in the API."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from anjian.core.attachments import object_type_of
from anjian.core.models import Attachment, AuditEvent
from anjian.core.testing.browser import use_plain_static
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.models import Checklist, ChecklistItem, Hazard
from anjian.hazards.services import hazard_save
from anjian.hazards.tests.factories import make_hazard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):
    use_plain_static(settings)
    settings.MEDIA_ROOT = tmp_path / "media"


def photo(name: str = "补拍.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 80, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def read(hazard: Hazard) -> Hazard:
    """The hazard as a view reads it (the services decide from the values it was loaded with)."""
    return Hazard.objects.get(pk=hazard.pk)


def corrected(hazard: Hazard, **values) -> Hazard:
    row = read(hazard)
    for name, value in values.items():
        setattr(row, name, value)
    return row


def self_found(personas, **fields) -> Hazard:
    """A hazard of enterprise A found by its own safety manager (自查自报), unless another finder is given."""
    fields.setdefault("found_by", personas.enterprise_a_user)
    return make_hazard(personas.enterprise_a, **fields)


def edit_url(hazard: Hazard) -> str:
    return reverse("hazards:hazard_edit", args=[hazard.pk])


def major_item() -> ChecklistItem:
    checklist = Checklist.objects.create(code="hg2017", title="化工重大隐患判定标准", criteria=True)
    return ChecklistItem.objects.create(checklist=checklist, number=1, text="危险化学品生产未取得安全许可", major=True)


# --- the service ---------------------------------------------------------------------------------------------------


def test_the_enterprise_may_not_rewrite_what_an_inspector_or_a_grid_worker_found(personas):
    for finder in (personas.town_a_supervisor, personas.grid_worker_a, None):
        hazard = self_found(personas, found_by=finder)
        with pytest.raises(PermissionDenied, match="本单位人员发现"):
            hazard_save(actor=personas.enterprise_a_user, hazard=corrected(hazard, description="没有问题"))
        assert read(hazard).description == hazard.description


def test_the_enterprise_corrects_its_reported_hazard_with_history(personas):
    hazard = self_found(personas)
    user = personas.enterprise_a_user
    hazard_save(actor=user, hazard=corrected(hazard, description="配电箱门锁损坏", place="二号车间"), reason="笔误")
    row = read(hazard)
    assert (row.description, row.place) == ("配电箱门锁损坏", "二号车间")
    event = AuditEvent.objects.get(object_id=str(hazard.pk), action="hazard.update")
    assert event.actor == user and event.reason == "笔误"
    assert set(event.data["fields"]) == {"description", "place"}
    latest = row.history.order_by("-history_id").first()
    assert latest.history_change_reason == "笔误" and latest.history_user == user


@pytest.mark.parametrize("status", [HazardStatus.RECTIFYING, HazardStatus.RECTIFIED, HazardStatus.CLOSED])
def test_the_enterprise_may_not_correct_once_rectification_is_assigned(personas, status):
    hazard = self_found(personas, status=status)
    with pytest.raises(PermissionDenied, match="已下达整改"):
        hazard_save(actor=personas.enterprise_a_user, hazard=corrected(hazard, description="改过的描述"))
    assert read(hazard).description == hazard.description
    assert not AuditEvent.objects.filter(action="hazard.update").exists()


@pytest.mark.parametrize(("field", "value"), [("level", HazardLevel.MAJOR), ("source", "grid")])
def test_the_enterprise_may_not_grade_or_rewrite_how_it_was_found(personas, field, value):
    hazard = self_found(personas)
    with pytest.raises(PermissionDenied, match="不能修改这些信息"):
        hazard_save(actor=personas.enterprise_a_user, hazard=corrected(hazard, **{field: value}), reason="想改")
    assert getattr(read(hazard), field) == getattr(hazard, field)


def test_a_grid_worker_corrects_only_what_they_found(personas):
    worker = personas.grid_worker_a
    own = self_found(personas, found_by=worker, source="grid")
    others = self_found(personas, found_by=personas.town_a_supervisor)
    hazard_save(actor=worker, hazard=corrected(own, category="site_fire"))
    assert read(own).category == "site_fire"
    with pytest.raises(PermissionDenied, match="本人发现"):
        hazard_save(actor=worker, hazard=corrected(others, category="site_fire"))
    assert read(others).category == others.category


def test_regulators_correct_any_open_hazard_but_not_a_closed_one(personas):
    town = personas.town_a_supervisor
    rectifying = self_found(personas, status=HazardStatus.RECTIFYING)
    hazard_save(actor=town, hazard=corrected(rectifying, description="复核后的描述"))
    assert read(rectifying).description == "复核后的描述"
    closed = self_found(personas, status=HazardStatus.CLOSED)
    with pytest.raises(PermissionDenied, match="已销号"):
        hazard_save(actor=town, hazard=corrected(closed, description="复核后的描述"))


def test_regulators_may_not_move_a_hazard_to_another_enterprise(personas):
    hazard = self_found(personas)
    with pytest.raises(PermissionDenied, match="不能修改这些信息"):
        hazard_save(actor=personas.city_supervisor, hazard=corrected(hazard, enterprise=personas.enterprise_b))
    assert read(hazard).enterprise == personas.enterprise_a


def test_raising_to_major_needs_a_criterion_item_or_a_reason(personas):
    town = personas.town_a_supervisor
    hazard = self_found(personas)
    with pytest.raises(ValidationError) as refused:
        hazard_save(actor=town, hazard=corrected(hazard, level=HazardLevel.MAJOR))
    assert "level" in refused.value.message_dict
    assert read(hazard).level == HazardLevel.GENERAL
    hazard_save(actor=town, hazard=corrected(hazard, level=HazardLevel.MAJOR), reason="现场复核为重大隐患")
    assert read(hazard).level == HazardLevel.MAJOR


def test_a_major_criterion_item_makes_it_major_as_in_a_report(personas):
    hazard = self_found(personas)
    item = major_item()
    hazard_save(actor=personas.city_supervisor, hazard=corrected(hazard, criterion_item=item))
    row = read(hazard)
    assert row.level == HazardLevel.MAJOR and row.criterion_item == item
    # The criterion raises the level when it is chosen, not on every later correction: a regulator may still lower it.
    hazard_save(actor=personas.city_supervisor, hazard=corrected(hazard, level=HazardLevel.GENERAL), reason="复核")
    assert read(hazard).level == HazardLevel.GENERAL


# --- the pages -----------------------------------------------------------------------------------------------------


def test_the_detail_page_offers_edit_only_while_allowed(personas):
    reported = self_found(personas)
    assigned = self_found(personas, status=HazardStatus.RECTIFYING)
    client = login(personas.enterprise_a_user)
    assert edit_url(reported) in client.get(reported.get_absolute_url()).content.decode()
    assert edit_url(assigned) not in client.get(assigned.get_absolute_url()).content.decode()
    assert client.get(edit_url(assigned)).status_code == 403
    response = client.post(edit_url(assigned), {"place": "x", "description": "改过的描述", "category": "site_other"})
    assert response.status_code == 403
    assert read(assigned).description == assigned.description
    # The town still corrects it.
    assert edit_url(assigned) in login(personas.town_a_supervisor).get(assigned.get_absolute_url()).content.decode()


def test_the_enterprise_corrects_on_the_page_with_photos_and_the_history_shows_it(personas):
    hazard = self_found(personas)
    client = login(personas.enterprise_a_user)
    form = client.get(edit_url(hazard)).content.decode()
    assert 'name="photos"' in form and 'name="level"' not in form and 'name="criterion_item"' not in form
    response = client.post(
        edit_url(hazard),
        {
            "place": "二号车间",
            "description": "配电箱门锁损坏",
            "category": "site_other",
            "reason": "补充照片",
            "photos": [photo()],
        },
    )
    assert response.status_code == 302
    assert read(hazard).description == "配电箱门锁损坏"
    assert Attachment.objects.filter(object_id=str(hazard.pk), purpose="correction").count() == 1
    page = client.get(hazard.get_absolute_url()).content.decode()
    assert "配电箱门锁损坏" in page and "补充照片" in page


def test_a_grid_worker_may_not_open_the_edit_page_of_someone_elses_hazard(personas):
    others = self_found(personas, found_by=personas.town_a_supervisor)
    client = login(personas.grid_worker_a)
    assert edit_url(others) not in client.get(others.get_absolute_url()).content.decode()
    assert client.get(edit_url(others)).status_code == 403


def test_the_regulators_form_asks_a_reason_for_a_major_level(personas):
    hazard = self_found(personas)
    client = login(personas.town_a_supervisor)
    response = client.post(
        edit_url(hazard),
        {"place": "一号车间", "description": hazard.description, "category": hazard.category, "level": "major"},
    )
    assert response.status_code == 200 and "判定依据" in response.content.decode()
    assert read(hazard).level == HazardLevel.GENERAL


def test_photos_are_uploaded_directly_only_while_the_finder_may_correct(personas):
    reported = self_found(personas)
    assigned = self_found(personas, status=HazardStatus.RECTIFYING)
    client = login(personas.enterprise_a_user)

    def upload(hazard: Hazard):
        url = reverse("core:attachment_upload", args=[object_type_of(hazard), hazard.pk])
        return client.post(url, {"files": [photo()]})

    assert upload(reported).status_code == 302
    assert upload(assigned).status_code == 403
    assert not Attachment.objects.filter(object_id=str(assigned.pk)).exists()
    # The panel offers the upload only where it would be taken; evidence of the rectification comes with the
    # rectify action (its own right, not CHANGE).
    assert 'data-testid="attachment-upload"' in client.get(reported.get_absolute_url()).content.decode()
    assert 'data-testid="attachment-upload"' not in client.get(assigned.get_absolute_url()).content.decode()


# --- the API -------------------------------------------------------------------------------------------------------


def test_api_patch_follows_the_same_rules(personas):
    reported = self_found(personas)
    assigned = self_found(personas, status=HazardStatus.RECTIFYING)
    client = api(personas.enterprise_a_user)
    response = client.patch(f"/api/v1/hazards/{reported.pk}/", {"description": "配电箱门锁损坏"}, format="json")
    assert response.status_code == 200 and response.json()["description"] == "配电箱门锁损坏"
    response = client.patch(f"/api/v1/hazards/{assigned.pk}/", {"description": "改过的描述"}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    response = client.patch(f"/api/v1/hazards/{reported.pk}/", {"level": "major", "reason": "想改"}, format="json")
    assert response.status_code == 403
    assert read(assigned).description == assigned.description and read(reported).level == HazardLevel.GENERAL


def test_api_patch_of_a_major_level_needs_a_reason(personas):
    hazard = self_found(personas)
    client = api(personas.town_a_supervisor)
    response = client.patch(f"/api/v1/hazards/{hazard.pk}/", {"level": "major"}, format="json")
    assert response.status_code == 400 and "level" in response.json()["fields"]
    response = client.patch(f"/api/v1/hazards/{hazard.pk}/", {"level": "major", "reason": "复核"}, format="json")
    assert response.status_code == 200 and response.json()["level"] == "major"
