"""Unit pages (issue 9 items 2 and 6): the form with its chemicals (吨/千克), the unit page's working, the register's
filters and export, the enterprise page's panel; bad input re-shows the form with Chinese errors and saves nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from anjian.core.testing.matrix import client_for, page_text, xlsx_text
from anjian.hazchem.models import HazardUnit, MajorHazard, UnitKind
from anjian.hazchem.services_units import hazard_unit_save
from anjian.hazchem.tests.units_support import seed_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(db):
    seed_catalogue()


@pytest.fixture
def world(catalogue, personas, settings):
    from anjian.core.testing.browser import use_plain_static

    use_plain_static(settings)
    return personas


def form_data(enterprise, rows, **extra):
    data = {"enterprise": enterprise.pk, "name": "液氯液氨罐区", "kind": "storage", "location": "东区",
            "exposed_people": "120", "chem-TOTAL_FORMS": str(len(rows)), "chem-INITIAL_FORMS": "0", **extra}
    for index, (name, quantity, unit) in enumerate(rows):
        data.update({f"chem-{index}-name": name, f"chem-{index}-quantity": quantity,
                     f"chem-{index}-quantity_unit": unit})
    return data


def test_the_form_saves_a_unit_with_kilograms_and_the_page_shows_the_working(world):
    client = client_for(world.enterprise_a_user)
    add = reverse("hazchem:hazardunit_add")
    assert "chem-TOTAL_FORMS" in page_text(client.get(add))
    response = client.post(add, form_data(world.enterprise_a, [("液氯", "10", "t"), ("液氨", "20000", "kg"),
                                                               ("", "", "t")]))
    assert response.status_code == 302, page_text(response)[:2000]
    unit = HazardUnit.objects.get()
    assert unit.level == 3
    page = page_text(client.get(response["Location"]))
    for text in ("24.0000", "三级", "表1 第", "表3", "20.0000", "2.0000", "β·q/Q"):
        assert text in page, text
    # The edit form shows the rows back, in tonnes.
    edit = page_text(client.get(reverse("hazchem:hazardunit_edit", args=[unit.pk])))
    assert 'value="20"' in edit and 'value="氨"' in edit
    panel = page_text(client.get(reverse("enterprises:enterprise_detail", args=[world.enterprise_a.pk])))
    assert "液氯液氨罐区" in panel and 'data-testid="enterprise-major-hazard"' in panel


def test_bad_rows_reshow_the_form_and_save_nothing(world):
    client = client_for(world.enterprise_a_user)
    response = client.post(reverse("hazchem:hazardunit_add"),
                           form_data(world.enterprise_a, [("氯乙稀", "1", "t"), ("氯", "-3", "t")]))
    assert response.status_code == 200
    page = page_text(response)
    assert "相近的品名" in page and "不能为负数" in page and 'value="氯乙稀"' in page
    assert not HazardUnit.objects.exists()


def test_needs_beta_is_shown_naming_the_chemical(world):
    unit = hazard_unit_save(actor=world.enterprise_a_user, chemicals=[{"name": "甲醇", "max_quantity_t": "100"}],
                            unit=HazardUnit(enterprise=world.enterprise_a, name="甲醇罐区", kind=UnitKind.STORAGE))
    page = page_text(client_for(world.town_a_supervisor).get(unit.get_absolute_url()))
    assert "需补充危险性类别符号或β" in page and "无法确定「甲醇」的校正系数β" in page


def test_register_filters_and_export(world):
    actor = world.city_admin
    for name, enterprise, quantity in (("东城罐区", world.enterprise_a, "10"), ("虎门罐区", world.enterprise_b, "200")):
        hazard_unit_save(actor=actor, chemicals=[{"name": "氯", "max_quantity_t": quantity}],
                         unit=HazardUnit(enterprise=enterprise, name=name, kind=UnitKind.STORAGE,
                                         exposed_people=120))
    MajorHazard.objects.filter(unit__name="东城罐区").update(review_due=dt.date(2020, 1, 1))
    client = client_for(world.city_supervisor)
    url = reverse("hazchem:majorhazard_list")
    both = page_text(client.get(url))
    assert "东城罐区" in both and "虎门罐区" in both
    assert "虎门罐区" not in page_text(client.get(url, {"town": world.town_a.code}))
    assert "虎门罐区" not in page_text(client.get(url, {"review": "overdue"}))
    assert "东城罐区" not in page_text(client.get(url, {"level": "1"}))
    assert "虎门罐区" in xlsx_text(client.get(url, {"export": "xlsx", "level": "1"}))


def test_persons_are_filled_in_on_the_registration_form(world):
    unit = hazard_unit_save(actor=world.enterprise_a_user, chemicals=[{"name": "氯", "max_quantity_t": "10"}],
                            unit=HazardUnit(enterprise=world.enterprise_a, name="罐区", kind=UnitKind.STORAGE))
    registration = MajorHazard.objects.get(unit=unit)
    client = client_for(world.enterprise_a_user)
    response = client.post(reverse("hazchem:majorhazard_edit", args=[registration.pk]), {
        "principal_name": "张三", "principal_phone": "13800138000", "technical_name": "李四",
        "technical_phone": "", "operational_name": "王五", "operational_phone": ""})
    assert response.status_code == 302
    assert "张三" in page_text(client.get(unit.get_absolute_url()))
