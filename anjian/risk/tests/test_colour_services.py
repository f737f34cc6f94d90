"""Recomputing colours (issue 9 item 5, "Must show"): the job is idempotent and audits only changes; a change of
colour is one AuditEvent with from, to and the reasons; the enterprise follows its 重大危险源 level and its 重大隐患 at
once; villages and towns follow the mix of their enterprises."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anjian.core.models import AuditEvent
from anjian.enterprises.tests.factories import EnterpriseFactory
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.hazards.tests.factories import make_hazard
from anjian.hazchem.grading import follow_enterprise
from anjian.hazchem.models import HazardUnit
from anjian.hazchem.models.units import UnitKind
from anjian.risk import services_colours
from anjian.risk.models import EnterpriseColour, RegionColour, RiskUnit
from anjian.risk.tasks import RUN_TIME, recompute_colours

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def unit(enterprise, colour: str, name: str = "液氨储罐区") -> RiskUnit:
    return RiskUnit.objects.create(enterprise=enterprise, name=name, kind="installation", colour=colour)


def colour_of(enterprise) -> EnterpriseColour:
    return EnterpriseColour.objects.get(enterprise=enterprise)


def events(action: str):
    return AuditEvent.objects.filter(action=action)


def test_the_job_is_idempotent_and_audits_only_changes(personas):
    unit(personas.enterprise_a, "yellow")
    first = services_colours.recompute_all()
    assert first.created == EnterpriseColour.objects.count() == 2
    # A first colour is no change: one summary event per kind, none per row.
    assert events(services_colours.ENTERPRISE_COMPUTE).count() == 1
    assert not events(services_colours.ENTERPRISE_CHANGE).exists()
    stored = list(EnterpriseColour.objects.order_by("pk").values())
    regions = list(RegionColour.objects.order_by("pk").values())
    audit_count = AuditEvent.objects.count()

    with CaptureQueriesContext(connection) as queries:
        second = services_colours.recompute_all()
    assert [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)] == []
    assert (second.created, second.updated, second.enterprise_changes, second.region_changes) == (0, 0, 0, 0)
    assert AuditEvent.objects.count() == audit_count
    assert list(EnterpriseColour.objects.order_by("pk").values()) == stored
    assert list(RegionColour.objects.order_by("pk").values()) == regions


def test_a_change_of_colour_is_one_event_with_from_to_and_reasons(personas):
    enterprise = personas.enterprise_a
    unit(enterprise, "yellow")
    services_colours.recompute_all()
    unit(enterprise, "red", name="反应釜")
    run = services_colours.recompute_all()
    assert run.enterprise_changes == 1
    event = events(services_colours.ENTERPRISE_CHANGE).get()
    assert event.object_id == str(colour_of(enterprise).pk)
    assert event.region_code == enterprise.region.code and event.enterprise_id == enterprise.pk
    assert event.data["from"] == {"inherent": "yellow", "dynamic": "yellow"}
    assert event.data["to"] == {"inherent": "red", "dynamic": "red"}
    assert event.data["reasons"][0]["text"] == "2 个已评估风险点中最高为红色"
    assert event.data["method"] == "anjian-enterprise-colour" and event.data["method_version"] == "1"
    # Its village and town (one enterprise each here: all of them red) go red: two events, each at its region.
    changed = events(services_colours.REGION_CHANGE)
    assert {e.region_code for e in changed} == {enterprise.region.code, enterprise.region.parent.code}
    assert {(e.data["from"], e.data["to"]) for e in changed} == {("yellow", "red")}


def test_reasons_alone_update_the_row_without_an_event(personas):
    enterprise = personas.enterprise_a
    unit(enterprise, "yellow")
    services_colours.recompute_all()
    unit(enterprise, "blue", name="仓库")
    run = services_colours.recompute_all()
    assert (run.updated, run.enterprise_changes) == (1, 0)
    assert colour_of(enterprise).reasons[0]["text"] == "2 个已评估风险点中最高为黄色"


def test_open_major_and_overdue_hazards_raise_the_dynamic_colour(personas):
    enterprise = personas.enterprise_a
    services_colours.recompute_all()
    make_hazard(enterprise, status=HazardStatus.RECTIFYING, overdue=True)
    make_hazard(enterprise, status=HazardStatus.CLOSED, level=HazardLevel.MAJOR)  # closed: no weight
    services_colours.recompute_all()
    colour = colour_of(enterprise)
    assert (colour.inherent, colour.dynamic) == ("blue", "yellow")
    assert colour.reasons[-1]["code"] == "overdue_hazards"


def test_hazards_wait_for_the_night_or_a_recompute(personas):
    """Hazard writes do not recompute at once (their services' audit trail stays theirs): the nightly run or a
    regulator's 重新计算 takes a new 重大隐患 up."""
    enterprise = personas.enterprise_a
    services_colours.recompute_all()
    make_hazard(enterprise, level=HazardLevel.MAJOR)
    assert colour_of(enterprise).dynamic == "blue"
    services_colours.recompute_enterprise(enterprise.pk, actor=personas.town_a_supervisor, reason="复核")
    assert colour_of(enterprise).dynamic == "yellow"
    event = events(services_colours.ENTERPRISE_CHANGE).get()
    assert event.actor == personas.town_a_supervisor and event.reason == "复核"
    assert event.data["reasons"][-1]["text"] == "未销号重大隐患 1 项：提高一级"


def test_the_colour_follows_the_major_hazard_level(personas):
    enterprise = personas.enterprise_a
    services_colours.recompute_all()
    HazardUnit.objects.create(enterprise=enterprise, name="液氯罐区", kind=UnitKind.STORAGE, is_major=True, level=2)
    assert follow_enterprise(enterprise.pk, actor=personas.town_a_supervisor)
    colour = colour_of(enterprise)
    assert colour.inherent == "red"
    assert colour.reasons[-1]["text"] == "二级危险化学品重大危险源：至少为红色"
    assert RegionColour.objects.get(region=enterprise.region).colour == "red"


def test_the_colour_follows_a_bulk_regrade(personas, monkeypatch):
    from anjian.hazchem.grading import regrade_all
    from anjian.hazchem.models import UnitChemical

    enterprise = personas.enterprise_a
    services_colours.recompute_all()
    held = HazardUnit.objects.create(enterprise=enterprise, name="液氯罐区", kind=UnitKind.STORAGE,
                                     exposed_people=120)
    UnitChemical.objects.create(unit=held, name="氯", max_quantity_t=300)  # S = 60, R = 480: 一级
    regrade_all(HazardUnit.objects.filter(pk=held.pk))
    assert colour_of(enterprise).inherent == "red"
    # Past FOLLOW_IN_BATCH enterprises, one recompute_all instead of a batch read by lists of ids.
    calls = []
    monkeypatch.setattr(services_colours, "recompute_all", lambda **kwargs: calls.append(kwargs))
    services_colours.follow_major_hazards(None, enterprise_ids=list(range(services_colours.FOLLOW_IN_BATCH + 1)))
    assert calls == [{}]


def test_closed_enterprises_keep_a_colour_but_do_not_weigh_on_their_region(personas):
    closed = EnterpriseFactory(region=personas.village_a, operating_status="closed")
    unit(closed, "red")
    services_colours.recompute_all()
    assert colour_of(closed).dynamic == "red"
    village = RegionColour.objects.get(region=personas.village_a)
    assert (village.red, village.blue, village.colour) == (0, 1, "blue")


def test_a_person_recomputes_only_in_reach(personas):
    services_colours.recompute_enterprise(personas.enterprise_a.pk, actor=personas.town_a_supervisor)
    for outsider in (personas.town_b_supervisor, personas.enterprise_a_user, personas.grid_worker_a):
        with pytest.raises(services_colours.NotAllowed):
            services_colours.recompute_enterprise(personas.enterprise_a.pk, actor=outsider)


def test_the_nightly_job_runs_after_the_hazard_recount():
    assert RUN_TIME.hour == 3 and RUN_TIME.minute == 30
    assert recompute_colours.call_local()["enterprises"] == 0


def test_the_demo_grades_the_city_last(personas):
    from anjian.core.registry import registry

    labels = [label for label, _generate in registry.generators(after_accounts=True)]
    assert str(labels[-1]) == "企业和区域风险等级"
    assert services_colours.demo_colours(None) == f"企业风险等级 2 家，区域 {RegionColour.objects.count()} 个"


def test_a_batch_recompute_grades_places_as_the_whole_city_run_does(personas):
    """recompute_enterprises (bulk regrades, unit imports) counts each village and town as recompute_all does: a
    village's own enterprises, a town's own and its villages'; the city is not graded."""
    on_town = EnterpriseFactory(region=personas.town_a)
    in_village_b = EnterpriseFactory(region=personas.village_b)
    services_colours.recompute_all()
    for enterprise, colour in ((personas.enterprise_a, "red"), (on_town, "orange"), (in_village_b, "yellow")):
        unit(enterprise, colour)
    batch = services_colours.recompute_enterprises([personas.enterprise_a.pk, on_town.pk, in_village_b.pk])
    assert (batch.enterprises, batch.regions) == (3, 4)  # two villages, two towns
    fields = ("region_id", "colour", "red", "orange", "yellow", "blue")
    by_batch = list(RegionColour.objects.order_by("region_id").values(*fields))
    town_a = RegionColour.objects.get(region=personas.town_a)
    assert (town_a.red, town_a.orange) == (1, 1)

    city_run = services_colours.recompute_all()
    assert (city_run.updated, city_run.region_changes) == (0, 0)
    assert list(RegionColour.objects.order_by("region_id").values(*fields)) == by_batch
