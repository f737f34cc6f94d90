"""The permission matrix over hazards (issue 8 "Must show"): every town-A persona asked for town B's hazard on every
surface (list, 挂牌督办 list, detail, edit, export, API) and with every action of the lifecycle, in the UI and the API;
enterprise users see only their own enterprise's hazards, towns only theirs, departments only their domains. The
corrections (issue 8 item 3) on every surface that changes a hazard (the edit page, the API's PATCH and PUT, a direct
photo upload): what each role must not change is refused there, and nothing changes."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from anjian.core.attachments import object_type_of
from anjian.core.models import Attachment
from anjian.core.testing.matrix import TAMPERED, Pair, PermissionMatrix, Surface, client_for, history_count, snapshot
from anjian.core.testing.personas import OTHER_DOMAIN
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.hazards.choices import HazardLevel, HazardStatus, SupervisionLevel
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import make_hazard

pytestmark = pytest.mark.django_db

ACTIONS = tuple(Hazard.workflow.actions)


def listed(enterprise, description: str) -> Hazard:
    return make_hazard(enterprise, description=description, status=HazardStatus.RECTIFIED, level=HazardLevel.MAJOR,
                       supervision_level=SupervisionLevel.TOWN, supervising_unit="镇街")


class TestHazardMatrix(PermissionMatrix):
    surfaces = (
        Surface("hazard", Hazard, "hazards:hazard_list", "hazards", detail_url="hazards:hazard_detail",
                edit_url="hazards:hazard_edit", api_writable=True, action_url="hazards:hazard_action",
                actions=ACTIONS),
        Surface("supervision", Hazard, "hazards:supervision_list", "hazards", detail_url="hazards:hazard_detail",
                api_writable=True, action_url="hazards:hazard_action", actions=ACTIONS),
    )

    def make_pairs(self, personas) -> dict[str, Pair]:
        p = personas
        other = EnterpriseFactory(region=p.village_a, name="东城丙建筑工程有限公司", domain=OTHER_DOMAIN)
        # 待验收: a state from which both the enterprise's and the regulators' actions exist.
        return {
            "hazard": Pair(
                make_hazard(p.enterprise_a, description="东城甲隐患配电箱", status=HazardStatus.RECTIFIED),
                make_hazard(p.enterprise_b, description="虎门乙隐患配电箱", status=HazardStatus.RECTIFIED),
                ("东城甲隐患配电箱",), ("虎门乙隐患配电箱",),
                make_hazard(other, description="东城丙隐患脚手架", status=HazardStatus.RECTIFIED),
                ("东城丙隐患脚手架",),
            ),
            "supervision": Pair(
                listed(p.enterprise_a, "东城甲督办储罐"), listed(p.enterprise_b, "虎门乙督办储罐"),
                ("东城甲督办储罐",), ("虎门乙督办储罐",),
                listed(other, "东城丙督办塔吊"), ("东城丙督办塔吊",),
            ),
        }


# --- corrections (issue 8 item 3): every surface that changes a hazard, for those who must not --------------------

CORRECTION = {"place": "篡改的部位", "description": "篡改的描述", "category": "site_fire"}
EDIT_SURFACES = ("page GET", "page POST", "API PATCH", "API PUT", "photo upload")


def a_photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile("篡改.jpg", buffer.getvalue(), content_type="image/jpeg")


def edit_answers(user, hazard: Hazard) -> dict[str, int]:
    """The status each surface that changes a hazard answers `user` trying to correct it."""
    client = client_for(user)
    page = reverse("hazards:hazard_edit", args=[hazard.pk])
    item = f"/api/v1/hazards/{hazard.pk}/"
    whole = {"enterprise": hazard.enterprise_id, "level": hazard.level, "source": hazard.source, **CORRECTION}
    upload = reverse("core:attachment_upload", args=[object_type_of(hazard), hazard.pk])
    return {
        "page GET": client.get(page).status_code,
        "page POST": client.post(page, {**CORRECTION, **TAMPERED}).status_code,
        "API PATCH": client.patch(item, json.dumps(CORRECTION), content_type="application/json").status_code,
        "API PUT": client.put(item, json.dumps(whole), content_type="application/json").status_code,
        "photo upload": client.post(upload, {"files": [a_photo()]}).status_code,
    }


def assert_refused_everywhere(user, hazard: Hazard, status: int) -> None:
    before, history = snapshot(hazard), history_count(hazard)
    answers = edit_answers(user, hazard)
    assert answers == dict.fromkeys(EDIT_SURFACES, status), answers
    assert snapshot(hazard) == before and history_count(hazard) == history
    assert not Attachment.objects.filter(object_id=str(hazard.pk)).exists()


def test_an_enterprise_user_may_not_correct_another_enterprises_hazard(personas):
    neighbour = EnterpriseFactory(region=personas.village_a, name="东城丁五金制品有限公司")
    for other in (make_hazard(neighbour), make_hazard(personas.enterprise_b)):
        assert_refused_everywhere(personas.enterprise_a_user, other, 404)


@pytest.mark.parametrize("status", [HazardStatus.RECTIFYING, HazardStatus.RECTIFIED, HazardStatus.CLOSED])
def test_an_enterprise_user_may_not_correct_once_rectification_is_assigned(personas, status):
    assert_refused_everywhere(personas.enterprise_a_user, make_hazard(personas.enterprise_a, status=status), 403)


def test_a_grid_worker_may_not_correct_a_hazard_someone_else_found(personas):
    for finder in (personas.town_a_supervisor, personas.enterprise_a_user, None):
        hazard = make_hazard(personas.enterprise_a, found_by=finder)
        assert_refused_everywhere(personas.grid_worker_a, hazard, 403)


def test_a_grid_worker_may_not_correct_what_they_found_once_assigned(personas):
    hazard = make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, found_by=personas.grid_worker_a)
    assert_refused_everywhere(personas.grid_worker_a, hazard, 403)


@pytest.mark.parametrize("town_user", ["town_a_supervisor", "department_a_supervisor", "grid_worker_a"])
def test_a_town_user_may_not_correct_another_towns_hazard(personas, town_user):
    user = getattr(personas, town_user)
    hazard = make_hazard(personas.enterprise_b, found_by=user)
    assert_refused_everywhere(user, hazard, 404)


def test_experts_correct_nothing(personas):
    hazard = make_hazard(personas.enterprise_a)
    answers = edit_answers(personas.expert_a, hazard)
    assert set(answers.values()) <= {403, 404}, answers


def test_the_same_surfaces_take_the_corrections_that_are_allowed(personas):
    """Positive control: the refusals above are the rules, not broken surfaces."""
    own_finding = make_hazard(personas.enterprise_a, found_by=personas.enterprise_a_user)
    answers = edit_answers(personas.enterprise_a_user, own_finding)
    assert answers == {"page GET": 200, "page POST": 302, "API PATCH": 200, "API PUT": 200, "photo upload": 302}
    own = make_hazard(personas.enterprise_a, found_by=personas.grid_worker_a)
    assert edit_answers(personas.grid_worker_a, own)["API PATCH"] == 200
