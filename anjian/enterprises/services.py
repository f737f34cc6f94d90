"""Writes to the registry. UI views, API views, imports and commands all call these (architecture rule 3).

The rules every write shares (the gate on the stored row, the fields an enterprise user may correct, the re-check
after saving, `<entity>.<verb>` audit events) live in anjian.core.services; what is the registry's own is here.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from anjian.core.services import scoped_delete, scoped_save
from anjian.enterprises.models import ArchiveDocument, Enterprise, LiabilityInsurance, Licence


def enterprise_save(*, actor: Any, enterprise: Enterprise, reason: str = "") -> Enterprise:
    """Register a new enterprise or save changes to one, inside the actor's jurisdiction.

    A save that changes nothing writes nothing (a form saved unchanged, a re-import); an enterprise user may
    change only its contact data (Enterprise.editable_fields).
    """
    return scoped_save(actor=actor, obj=enterprise, reason=reason)


def enterprise_delete(*, actor: Any, enterprise: Enterprise, reason: str = "") -> None:
    scoped_delete(actor=actor, obj=enterprise, reason=reason)


def _supersede_older(record: Licence | LiabilityInsurance | ArchiveDocument, **same_kind: Any) -> None:
    """A newer record of the same kind replaces the older ones for expiry warnings (a renewal)."""
    if record.valid_to is None:
        return
    type(record).objects.filter(enterprise_id=record.enterprise_id, superseded=False, **same_kind).exclude(
        pk=record.pk
    ).filter(valid_to__lt=record.valid_to).update(superseded=True)


def licence_save(*, actor: Any, licence: Licence, reason: str = "") -> Licence:
    with transaction.atomic():
        scoped_save(actor=actor, obj=licence, reason=reason)
        _supersede_older(licence, licence_type=licence.licence_type)
    return licence


def insurance_save(*, actor: Any, insurance: LiabilityInsurance, reason: str = "") -> LiabilityInsurance:
    with transaction.atomic():
        scoped_save(actor=actor, obj=insurance, reason=reason)
        _supersede_older(insurance)
    return insurance


def archive_save(*, actor: Any, document: ArchiveDocument, reason: str = "") -> ArchiveDocument:
    with transaction.atomic():
        scoped_save(actor=actor, obj=document, reason=reason)
        _supersede_older(document, doc_type=document.doc_type)
    return document


def child_delete(*, actor: Any, record: Licence | LiabilityInsurance | ArchiveDocument, reason: str = "") -> None:
    scoped_delete(actor=actor, obj=record, reason=reason)
