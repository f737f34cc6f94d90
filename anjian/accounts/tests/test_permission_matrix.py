"""The accounts' surfaces in the permission matrix (issue 6 item 9): the departments' list (权责清单) is the same
for everyone signed in and nobody writes it through the site; a person's profile is its own; a token reaches what
its user reaches (anjian/enterprises/tests/test_permission_matrix.py asks that of the registry)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from anjian.accounts.models import Department
from anjian.core.testing.matrix import api_list_text, client_for, page_text

pytestmark = pytest.mark.django_db

PERSONAS = (
    "city_admin", "city_supervisor", "town_a_supervisor", "town_b_supervisor", "grid_worker_a",
    "enterprise_a_user", "expert_a", "department_a_supervisor",
)


@pytest.fixture
def departments(db):
    call_command("load_reference", stdout=io.StringIO())
    return Department.objects.get(code="housing")


@pytest.mark.parametrize("persona", PERSONAS)
def test_everyone_reads_the_departments_and_nobody_writes_them(personas, departments, persona):
    client = client_for(getattr(personas, persona))
    text = api_list_text(client, "departments")
    assert "东莞市住房和城乡建设局" in text and "construction" in text
    item = f"/api/v1/departments/{departments.pk}/"
    assert client.get(item).json()["domain_names"] == "建筑施工"
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(item if method != "post" else "/api/v1/departments/",
                                           json.dumps({"name": "篡改"}), content_type="application/json")
        assert response.status_code == 405, (method, response.status_code)
    assert Department.objects.get(pk=departments.pk).name == "东莞市住房和城乡建设局"
    # The page is the regulators'; others find it in no menu but may read it, as the API answers.
    page = client.get(reverse("department_list"))
    assert page.status_code == 200 and "东莞市住房和城乡建设局" in page_text(page)


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_profile_shows_only_ones_own_account(personas, persona):
    user = getattr(personas, persona)
    html = page_text(client_for(user).get(reverse("profile")))
    assert user.username in html
    for other in PERSONAS:
        if other != persona:
            assert getattr(personas, other).username not in html, other
