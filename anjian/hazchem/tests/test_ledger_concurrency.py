"""Two movements racing on one balance (issue 9 item 3, "also under concurrent movements on PostgreSQL"): each
thread has its own connection; the balance row is created race-free and locked, so the second waits for the first
and sees its result. Afterwards the balance and the movement rows agree and nothing went below zero."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from anjian.hazchem.models import Chemical, MovementKind, StockBalance, StockMovement
from anjian.hazchem.selectors_ledgers import balances_disagree
from anjian.hazchem.services_ledgers import movement_record
from anjian.hazchem.tests.test_ledger import record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update locks rows on PostgreSQL only; the PostgreSQL stage of .ci/run runs this")


def race(personas, chemical, moves: list[tuple[str, str]]) -> dict[int, str]:
    """Run each (kind, quantity) in its own thread, all released at once; outcome per index."""
    barrier = threading.Barrier(len(moves))
    outcomes: dict[int, str] = {}

    def run(index: int, kind: str, quantity: str) -> None:
        try:
            movement = StockMovement(enterprise=personas.enterprise_a, chemical=chemical, kind=kind,
                                     quantity_t=Decimal(quantity),
                                     occurred_at=timezone.now() - dt.timedelta(minutes=1))
            barrier.wait(timeout=10)
            movement_record(actor=personas.enterprise_a_user, movement=movement)
            outcomes[index] = "recorded"
        except ValidationError:
            outcomes[index] = "refused"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index, *move)) for index, move in enumerate(moves)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_first_movements_create_one_balance_and_both_count(personas, catalogue):
    needs_postgresql()
    chlorine = Chemical.objects.get(name="氯")
    outcomes = race(personas, chlorine, [(MovementKind.PURCHASED, "1.5"), (MovementKind.PRODUCED, "2")])
    assert sorted(outcomes.values()) == ["recorded", "recorded"], outcomes
    balances = StockBalance.objects.filter(enterprise=personas.enterprise_a, chemical=chlorine)
    assert [row.quantity_t for row in balances] == [Decimal("3.5")]
    assert sorted(StockMovement.objects.values_list("balance_after_t", flat=True)) in (
        [Decimal("1.5"), Decimal("3.5")], [Decimal("2"), Decimal("3.5")])
    assert balances_disagree() == []


def test_two_withdrawals_of_the_same_stock_one_is_refused(personas, catalogue):
    needs_postgresql()
    chlorine = Chemical.objects.get(name="氯")
    record(personas.enterprise_a_user, personas.enterprise_a, chlorine, MovementKind.PURCHASED, "5")
    # Each alone fits (5 - 3 = 2); both together would leave -1.
    outcomes = race(personas, chlorine, [(MovementKind.SOLD, "3"), (MovementKind.SHIPPED, "3")])
    assert sorted(outcomes.values()) == ["recorded", "refused"], outcomes
    assert StockBalance.objects.get(enterprise=personas.enterprise_a, chemical=chlorine).quantity_t == Decimal("2")
    assert StockMovement.objects.count() == 2 and balances_disagree() == []


def test_many_racing_movements_keep_the_books(personas, catalogue):
    needs_postgresql()
    chlorine = Chemical.objects.get(name="氯")
    record(personas.enterprise_a_user, personas.enterprise_a, chlorine, MovementKind.PURCHASED, "4")
    moves = [(MovementKind.CONSUMED, "1")] * 6 + [(MovementKind.PURCHASED, "0.5")] * 4
    outcomes = race(personas, chlorine, moves)
    recorded = [index for index, outcome in outcomes.items() if outcome == "recorded"]
    expected = Decimal("4") + sum((Decimal("0.5") if moves[i][0] == MovementKind.PURCHASED else Decimal("-1")
                                   for i in recorded), Decimal(0))
    balance = StockBalance.objects.get(enterprise=personas.enterprise_a, chemical=chlorine).quantity_t
    assert balance == expected >= 0
    assert StockMovement.objects.count() == 1 + len(recorded) and balances_disagree() == []
