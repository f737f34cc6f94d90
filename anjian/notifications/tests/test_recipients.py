"""Whom a notice reaches (issue 6 item 5): the users of its roles whose jurisdiction covers the record, the users it
names, each only if allowed to view the record; never the actor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.accounts.roles import Role
from anjian.core.notices import Notice
from anjian.enterprises.tests.factories import LicenceFactory
from anjian.notifications.models import Notification
from anjian.notifications.selectors import recipients_by_notice, recipients_by_record
from anjian.notifications.services import deliver_notices
from anjian.notifications.tests.support import department_supervisor, expiry_notice
from anjian.regions.models import Region

pytestmark = pytest.mark.django_db


def names(users) -> set[str]:
    return {user.username for user in users}


def test_town_supervisors_of_the_records_town_and_the_enterprises_users(personas, licence_a, templates):
    created = deliver_notices(actor=personas.city_supervisor, obj=licence_a, notices=[expiry_notice(licence_a)])
    assert {notification.recipient.username for notification in created} == {"town_a_supervisor",
                                                                              "enterprise_a_user"}
    assert not Notification.objects.filter(recipient=personas.town_b_supervisor).exists()


def test_the_actor_is_never_told_of_his_own_decision(personas, licence_a):
    notice = Notice("licence.expiring", roles=(Role.TOWN_SUPERVISOR, Role.ENTERPRISE_USER),
                    users=(personas.town_a_supervisor.pk,))
    [users] = recipients_by_notice(actor=personas.town_a_supervisor, obj=licence_a, notices=[notice])
    assert names(users) == {"enterprise_a_user"}


def test_every_role_by_its_reach(personas, licence_a):
    roles = tuple(Role)
    [users] = recipients_by_notice(actor=None, obj=licence_a, notices=[Notice("licence.expiring", roles=roles)])
    town_a_people = {"town_a_supervisor", "grid_worker_a", "enterprise_a_user", "expert_a"}
    assert {"city_admin", "city_supervisor", *town_a_people} <= names(users)
    assert "town_b_supervisor" not in names(users)
    [users] = recipients_by_notice(actor=None, obj=personas.enterprise_b, notices=[Notice("x", roles=roles)])
    assert {"city_admin", "city_supervisor", "town_b_supervisor"} <= names(users)
    assert not names(users) & town_a_people


def test_department_supervisors_only_for_their_domains(personas, licence_a):
    city = Region.objects.get(level="city")
    other_domain = "construction" if personas.enterprise_a.domain != "construction" else "machinery"
    department_supervisor("dept_same", region=city, domains=[personas.enterprise_a.domain])
    department_supervisor("dept_other", region=city, domains=[other_domain])
    department_supervisor("dept_town_b", region=personas.town_b, domains=[personas.enterprise_a.domain])
    notice = Notice("licence.expiring", roles=(Role.DEPARTMENT_SUPERVISOR,))
    [users] = recipients_by_notice(actor=None, obj=licence_a, notices=[notice])
    assert names(users) & {"dept_same", "dept_other", "dept_town_b"} == {"dept_same"}


def test_named_users_are_told_only_if_they_may_see_the_record(personas, licence_a):
    notice = Notice("licence.expiring", users=(personas.town_b_supervisor.pk, personas.grid_worker_a.pk))
    [users] = recipients_by_notice(actor=None, obj=licence_a, notices=[notice])
    assert names(users) == {"grid_worker_a"}


def test_inactive_users_are_not_told(personas, licence_a):
    personas.town_a_supervisor.is_active = False
    personas.town_a_supervisor.save()
    [users] = recipients_by_notice(actor=None, obj=licence_a, notices=[expiry_notice(licence_a)])
    assert names(users) == {"enterprise_a_user"}


def test_each_notice_reaches_its_own_roles(personas, licence_a):
    first = Notice("licence.expiring", roles=(Role.TOWN_SUPERVISOR,))
    second = Notice("insurance.expiring", roles=(Role.ENTERPRISE_USER,), users=(personas.city_admin.pk,))
    town, enterprise = recipients_by_notice(actor=None, obj=licence_a, notices=[first, second])
    assert names(town) == {"town_a_supervisor"}
    assert names(enterprise) == {"enterprise_a_user", "city_admin"}


def test_one_query_finds_the_candidates_of_every_role(personas, licence_a):
    notice = Notice("licence.expiring", roles=(Role.CITY_SUPERVISOR, Role.TOWN_SUPERVISOR, Role.GRID_WORKER,
                                               Role.ENTERPRISE_USER, Role.DEPARTMENT_SUPERVISOR))
    with CaptureQueriesContext(connection) as queries:
        [users] = recipients_by_notice(actor=None, obj=licence_a, notices=[notice])
    assert len(queries) == 1
    assert {"city_supervisor", "town_a_supervisor", "grid_worker_a", "enterprise_a_user"} <= names(users)
    assert "town_b_supervisor" not in names(users)


def test_many_records_at_once_reach_whom_each_alone_reaches_in_a_fixed_number_of_queries(
        personas, licence_a, django_assert_max_num_queries):
    """The overdue job's batches (issue 8 item 5): the same people as one record at a time, every role and a named
    user included, with one query for the candidates whatever the number of records."""

    personas.expert_a.assigned_enterprises.add(personas.enterprise_a)
    licence_b = LicenceFactory(enterprise=personas.enterprise_b, valid_to=dt.date(2026, 3, 1))
    every_role = Notice("licence.expiring", roles=tuple(Role))
    named = Notice("licence.expiring", roles=(Role.TOWN_SUPERVISOR,), users=(personas.grid_worker_a.pk,))
    items = [(licence_a, [every_role, named]), (licence_b, [every_role, named]), (personas.enterprise_b, [named])]
    alone = [recipients_by_notice(actor=personas.city_admin, obj=obj, notices=notices) for obj, notices in items]
    with django_assert_max_num_queries(3):  # the candidates, the experts' assignments, (a reach of its own)
        together = recipients_by_record(actor=personas.city_admin, items=items)
    assert [[names(users) for users in record] for record in together] == [
        [names(users) for users in record] for record in alone]
    assert "expert_a" in names(together[0][0]) and "expert_a" not in names(together[1][0])
    assert "grid_worker_a" in names(together[0][1]) and "grid_worker_a" not in names(together[1][1])
