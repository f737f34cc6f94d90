"""A hazard's copy of its enterprise's place (Hazard.region_code, Hazard.domain): set when it is written, and moved
with the enterprise however the enterprise moves (a form, an import in bulk, any other save)."""

from __future__ import annotations

import pytest

from anjian.core.scope import VIEW
from anjian.core.services import scoped_bulk_save, scoped_save
from anjian.enterprises.models import Enterprise
from anjian.hazards import tally
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import assert_counts_exact, counted, make_hazard

pytestmark = pytest.mark.django_db


def visible_to(user) -> set[int]:
    return set(Hazard.objects.restrict(user, VIEW).values_list("pk", flat=True))


def test_a_hazard_copies_its_enterprises_place(personas):
    hazard = make_hazard(personas.enterprise_a)
    assert (hazard.region_code, hazard.domain) == (personas.village_a.code, personas.enterprise_a.domain)
    assert hazard.pk in visible_to(personas.town_a_supervisor)
    assert hazard.pk not in visible_to(personas.town_b_supervisor)


@pytest.mark.parametrize("how", ["service", "import", "plain save"])
def test_hazards_follow_their_enterprise_to_another_town(personas, how):
    hazard = make_hazard(personas.enterprise_a)
    enterprise = Enterprise.objects.get(pk=personas.enterprise_a.pk)
    enterprise.region = personas.village_b
    enterprise.domain = "construction"
    if how == "service":
        scoped_save(actor=personas.city_supervisor, obj=enterprise, reason="迁址")
    elif how == "import":
        scoped_bulk_save(actor=personas.city_supervisor, model=Enterprise, rows=[enterprise], reason="迁址",
                         audit_action="enterprise.import")
    else:
        enterprise.save()
    hazard.refresh_from_db()
    assert (hazard.region_code, hazard.domain) == (personas.village_b.code, "construction")
    assert_counts_exact()
    assert hazard.pk in visible_to(personas.town_b_supervisor)
    assert hazard.pk not in visible_to(personas.town_a_supervisor)


def test_a_hazard_moved_to_another_enterprise_takes_its_place(personas):
    hazard = make_hazard(personas.enterprise_a)
    hazard = Hazard.objects.get(pk=hazard.pk)
    hazard.enterprise = personas.enterprise_b
    hazard.save()
    assert Hazard.objects.get(pk=hazard.pk).region_code == personas.village_b.code
    assert_counts_exact()


def test_a_deleted_hazard_leaves_the_counts(personas):
    kept = make_hazard(personas.enterprise_a, status="closed")
    make_hazard(personas.enterprise_b, status="rectifying")
    Hazard.objects.get(pk=kept.pk).delete()
    Hazard.objects.filter(enterprise=personas.enterprise_b).delete()
    assert counted() == ({}, {})
    assert_counts_exact()


def test_a_bulk_update_outside_the_counted_fields_is_refused():
    with pytest.raises(ValueError, match="status"):
        tally.update_counted(Hazard.objects.all(), status="closed")
