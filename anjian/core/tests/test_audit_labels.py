"""Audit pages name each action in Chinese, never by its code (issue 7 item 6): the audit log list, its export, a
record's audit events, the admin and the API's `action_label`."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from anjian.accounts.models import User
from anjian.core.models import AuditEvent

pytestmark = pytest.mark.django_db

CODE, LABEL = "enterprise.update", "修改生产经营单位"


@pytest.fixture
def updated(personas):
    client = APIClient()
    client.force_authenticate(personas.city_admin)
    response = client.patch(f"/api/v1/enterprises/{personas.enterprise_a.pk}/", {"employee_count": 77}, format="json")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action=CODE).exists()
    return personas


def test_audit_log_list_shows_the_label(updated, client):
    client.force_login(updated.city_admin)
    html = client.get(reverse("core:auditevent_list")).content.decode()
    assert LABEL in html
    assert CODE not in html


def test_audit_log_export_shows_the_label(updated, client):
    client.force_login(updated.city_admin)
    response = client.get(reverse("core:auditevent_list"), {"export": "xlsx"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = {str(cell.value) for row in sheet.iter_rows() for cell in row}
    assert LABEL in values and CODE not in values


def test_a_records_audit_events_show_the_label(updated, client):
    client.force_login(updated.city_admin)
    html = client.get(reverse("enterprises:enterprise_detail", args=[updated.enterprise_a.pk])).content.decode()
    section = html[html.index('id="audit-events"'):]
    section = section[: section.index("</ul>")]
    assert LABEL in section and CODE not in section


def test_admin_shows_the_label(updated, client):
    superuser = User.objects.create_superuser("root_admin", password="Anjian-root-2026!")
    client.force_login(superuser)
    html = client.get(reverse("admin:core_auditevent_changelist")).content.decode()
    assert LABEL in html
    assert f">{CODE}<" not in html  # neither a cell nor a filter choice shows the code
    filtered = client.get(reverse("admin:core_auditevent_changelist"), {"action": CODE})
    assert filtered.status_code == 200 and LABEL in filtered.content.decode()


def test_api_gives_the_label_beside_the_code(updated):
    client = APIClient()
    client.force_authenticate(updated.city_admin)
    event = client.get("/api/v1/audit-events/", {"action": CODE}).json()["results"][0]
    assert event["action"] == CODE and event["action_label"] == LABEL
