import datetime as dt
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from anjian.hazchem.models import Chemical, HazardUnit, MovementKind, StockMovement, UnitChemical, UnitKind
from anjian.hazchem.services_ledgers import movement_record

pytestmark = pytest.mark.django_db
N = 500


def test_bench(personas, catalogue):
    chlorine = Chemical.objects.get(name="氯")
    unit = HazardUnit.objects.create(enterprise=personas.enterprise_a, name="液氯库", kind=UnitKind.STORAGE)
    UnitChemical.objects.create(unit=unit, chemical=chlorine, max_quantity_t=Decimal("4"))
    when = timezone.now() - dt.timedelta(hours=1)
    for label, place in (("no unit", None), ("unit+regrade", unit)):
        start = time.perf_counter()
        for i in range(N):
            kind = MovementKind.PURCHASED if i % 2 == 0 else MovementKind.CONSUMED
            movement_record(actor=personas.enterprise_a_user, movement=StockMovement(
                enterprise=personas.enterprise_a, chemical=chlorine, unit=place, kind=kind,
                quantity_t=Decimal("0.5"), occurred_at=when))
        elapsed = time.perf_counter() - start
        print(f"BENCH {connection.vendor} {label}: {N} movements in {elapsed:.2f} s, {elapsed / N * 1000:.1f} ms each")
