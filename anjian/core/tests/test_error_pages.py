import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_out_of_scope_record_gets_the_chinese_404_page(client, personas):
    client.force_login(personas.town_a_supervisor)
    response = client.get(reverse("enterprises:enterprise_detail", args=[personas.enterprise_b.pk]))
    assert response.status_code == 404
    html = response.content.decode()
    assert "不在您的管辖范围内" in html
    assert personas.enterprise_b.name not in html


def test_forbidden_action_gets_the_chinese_403_page(client, personas):
    client.force_login(personas.grid_worker_a)
    response = client.get(reverse("enterprises:enterprise_list"), {"export": "xlsx"})
    assert response.status_code == 403
    assert "您无权导出该列表" in response.content.decode()
