import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from anjian.core.models import AuditEvent
from anjian.enterprises import selectors, services
from anjian.enterprises.choices import ExpiryState, LicenceType
from anjian.enterprises.models import Enterprise, Licence
from anjian.enterprises.tests.factories import EnterpriseFactory, LiabilityInsuranceFactory, LicenceFactory, make_uscc

pytestmark = pytest.mark.django_db


def test_update_is_audited_and_historied(personas):
    enterprise = personas.enterprise_a
    enterprise.safety_principal = "王五"
    services.enterprise_save(actor=personas.town_a_supervisor, enterprise=enterprise, reason="核实更正")
    event = AuditEvent.objects.get(action="enterprise.update", object_id=str(enterprise.pk))
    assert event.actor == personas.town_a_supervisor
    assert event.reason == "核实更正"
    assert event.region_code == enterprise.region.code
    latest = enterprise.history.first()
    assert latest.history_user == personas.town_a_supervisor
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("safety_principal", "李四", "王五")]


def test_town_supervisor_cannot_move_enterprise_out_of_town(personas):
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.region = personas.village_b
    with pytest.raises(PermissionDenied):
        services.enterprise_save(actor=personas.town_a_supervisor, enterprise=enterprise)
    enterprise.refresh_from_db()
    assert enterprise.region == personas.village_a
    assert not AuditEvent.objects.filter(action="enterprise.update").exists()


def test_town_supervisor_cannot_register_in_other_town(personas):
    new = EnterpriseFactory.build(
        region=personas.village_b, uscc=make_uscc(9_000_001), industry=personas.enterprise_a.industry
    )
    with pytest.raises(PermissionDenied):
        services.enterprise_save(actor=personas.town_a_supervisor, enterprise=new)
    assert not Enterprise.objects.filter(uscc=new.uscc).exists()


def test_enterprise_user_cannot_register_enterprises(personas):
    new = EnterpriseFactory.build(
        region=personas.village_a, uscc=make_uscc(9_000_002), industry=personas.enterprise_a.industry
    )
    with pytest.raises(PermissionDenied):
        services.enterprise_save(actor=personas.enterprise_a_user, enterprise=new)


def test_wrong_check_character_names_the_expected_one(personas):
    from anjian.standards import uscc

    good = personas.enterprise_a.uscc
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.uscc = wrong
    with pytest.raises(ValidationError) as caught:
        services.enterprise_save(actor=personas.city_admin, enterprise=enterprise)
    message = " ".join(caught.value.message_dict["uscc"])
    assert uscc.check_character(good[:17]) in message
    assert "校验" in message


@pytest.mark.parametrize(("field", "value"), [("latitude", Decimal("24.1")), ("longitude", Decimal("112.9"))])
def test_coordinates_outside_dongguan_are_refused(personas, field, value):
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    setattr(enterprise, field, value)
    with pytest.raises(ValidationError) as caught:
        services.enterprise_save(actor=personas.city_admin, enterprise=enterprise)
    assert "东莞市范围" in " ".join(caught.value.message_dict[field])
    enterprise.refresh_from_db()
    assert getattr(enterprise, field) != value


def test_region_must_be_a_village(personas):
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.region = personas.town_a
    with pytest.raises(ValidationError) as caught:
        services.enterprise_save(actor=personas.city_admin, enterprise=enterprise)
    assert "region" in caught.value.message_dict


def test_duplicate_uscc_is_refused_in_chinese(personas):
    duplicate = EnterpriseFactory.build(region=personas.village_a, uscc=personas.enterprise_b.uscc,
                                        industry=personas.enterprise_a.industry)
    with pytest.raises(ValidationError) as caught:
        services.enterprise_save(actor=personas.city_admin, enterprise=duplicate)
    assert "已登记" in " ".join(caught.value.message_dict["uscc"])


def test_renewed_licence_supersedes_the_old_one_for_warnings(personas):
    today = dt.date(2026, 11, 29)
    old = LicenceFactory(enterprise=personas.enterprise_a, valid_to=today + dt.timedelta(days=10))
    warnings = selectors.expiry_warnings(enterprise=personas.enterprise_a, as_of=today)
    assert [(w["record"], w["state"]) for w in warnings] == [(old, ExpiryState.EXPIRING)]
    renewal = Licence(enterprise=personas.enterprise_a, licence_type=LicenceType.SAFETY_PRODUCTION,
                      number="（粤）WH安许证字〔2026〕9999", issuer="广东省应急管理厅",
                      valid_from=today, valid_to=today + dt.timedelta(days=3 * 365))
    services.licence_save(actor=personas.town_a_supervisor, licence=renewal)
    old.refresh_from_db()
    assert old.superseded
    assert selectors.expiry_warnings(enterprise=personas.enterprise_a, as_of=today) == []


def test_expired_insurance_and_standardization_are_warned(personas):
    today = dt.date(2026, 11, 29)
    insurance = LiabilityInsuranceFactory(enterprise=personas.enterprise_a, valid_to=today - dt.timedelta(days=1))
    enterprise = personas.enterprise_a
    enterprise.standardization_grade = "3"
    enterprise.standardization_expires = today + dt.timedelta(days=30)
    enterprise.save()
    warnings = selectors.expiry_warnings(enterprise=enterprise, as_of=today)
    assert [(w["record"], w["state"]) for w in warnings] == [
        (insurance, ExpiryState.EXPIRED),
        (None, ExpiryState.EXPIRING),
    ]


def test_expiring_condition_filters_enterprises(personas):
    today = dt.date(2026, 11, 29)
    LicenceFactory(enterprise=personas.enterprise_b, valid_to=today + dt.timedelta(days=31))
    LicenceFactory(enterprise=personas.enterprise_a, valid_to=today + dt.timedelta(days=30))
    flagged = Enterprise.objects.filter(selectors.expiring_condition(as_of=today))
    assert list(flagged) == [personas.enterprise_a]


def test_counts_are_scoped(personas):
    EnterpriseFactory(region=personas.village_b)
    town_a = selectors.counts_by_town(user=personas.town_a_supervisor)
    assert town_a == [{"town_prefix": personas.town_a.prefix, "count": 1}]
    city = {row["town_prefix"]: row["count"] for row in selectors.counts_by_town(user=personas.city_supervisor)}
    assert city == {personas.town_a.prefix: 1, personas.town_b.prefix: 2}


def test_saving_without_changes_writes_no_history_and_no_audit(personas):
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    versions = enterprise.history.count()
    services.enterprise_save(actor=personas.town_a_supervisor, enterprise=enterprise)
    assert enterprise.history.count() == versions
    assert not AuditEvent.objects.filter(action="enterprise.update").exists()


def test_control_characters_in_names_are_refused(personas):
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.name = "东城\x04甲企业有限公司"
    with pytest.raises(ValidationError) as caught:
        services.enterprise_save(actor=personas.city_admin, enterprise=enterprise)
    assert "控制字符" in " ".join(caught.value.message_dict["name"])
