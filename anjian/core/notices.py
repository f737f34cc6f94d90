"""Notices: what a service or a transition asks to be told to whom, handed to the notifications app after commit.

The framework layer names the notice; anjian.notifications (a higher layer) resolves the recipients, writes the
inbox rows and the deliveries, and installs itself with `set_sender` when its app is ready. A notice is sent only
after the transaction commits (none on rollback), and a failure to send never undoes the decision (issue 6
items 2 and 5).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """One notification about a record.

    `kind` names a notification template (data with Chinese text); `roles` are the roles whose users are told,
    each only where its jurisdiction reaches the record (e.g. the town supervisors of the enterprise's town,
    the enterprise's own users); `users` are user ids told as well (e.g. the person who reported a hazard).
    `key` makes the notice idempotent: the same key for the same recipient is written once.
    """

    kind: str
    roles: tuple[str, ...] = ()
    users: tuple[int, ...] = ()
    key: str = ""
    context: Mapping[str, Any] = field(default_factory=dict)


Sender = Callable[..., Any]
_sender: Sender | None = None
# Delivers the notices of many records at once, (record, notices, url) each: fewer queries than one call per record.
_many_sender: Sender | None = None


def set_sender(sender: Sender | None, *, many: Sender | None = None) -> None:
    """Install the functions that deliver notices, about one record and about many (anjian.notifications does, in
    its AppConfig.ready)."""
    global _sender, _many_sender
    _sender, _many_sender = sender, many


def send_on_commit(*, actor: Any, obj: models.Model, notices: Sequence[Notice], url: str = "") -> None:
    """Deliver `notices` about `obj` once the current transaction commits; nothing if it rolls back.

    Outside a transaction Django runs the callback at once. `robust` keeps a failing delivery from turning a
    committed decision into an error page: it is logged, and deliveries retry on their own.
    """
    if not notices or _sender is None:
        return
    sender = _sender
    transaction.on_commit(
        lambda: sender(actor=actor, obj=obj, notices=tuple(notices), url=url),
        robust=True,
    )


def send_many_on_commit(*, actor: Any, items: Sequence[tuple[models.Model, Sequence[Notice], str]]) -> None:
    """Deliver the notices about many records, (record, notices, url) each, once the current transaction commits.

    For a job that tells people about hundreds of records at once (the overdue run, issue 8 item 5): the batch
    sender writes them together, in one transaction. Should it fail, each record is tried on its own, in a
    savepoint, so one record's failure is logged and leaves the others delivered.
    """
    items = [(obj, tuple(notices), url) for obj, notices, url in items if notices]
    if not items or _sender is None:
        return
    sender, many = _sender, _many_sender

    def deliver_all() -> None:
        with transaction.atomic():
            if many is not None:
                try:
                    with transaction.atomic():
                        many(actor=actor, items=items)
                    return
                except Exception:
                    logger.exception("Delivering notices about %d records together failed; one by one", len(items))
            for obj, notices, url in items:
                try:
                    with transaction.atomic():
                        sender(actor=actor, obj=obj, notices=notices, url=url)
                except Exception:
                    logger.exception("Delivering notices about %s %s failed", type(obj).__name__, obj.pk)

    transaction.on_commit(deliver_all, robust=True)
