"""Writes to the registry. UI views, API views, imports and commands all call these (architecture rule 3)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from anjian.core.services import scoped_delete, scoped_save
from anjian.enterprises.models import ArchiveDocument, Enterprise, LiabilityInsurance, Licence


def enterprise_save(*, actor: Any, enterprise: Enterprise, reason: str = "") -> Enterprise:
    """Register a new enterprise or save changes to one, inside the actor's jurisdiction."""
    action = "enterprise.update" if enterprise.pk else "enterprise.create"
    return scoped_save(actor=actor, obj=enterprise, reason=reason, audit_action=action)


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
        action = "licence.update" if licence.pk else "licence.add"
        scoped_save(actor=actor, obj=licence, reason=reason, audit_action=action)
        _supersede_older(licence, licence_type=licence.licence_type)
    return licence


def insurance_save(*, actor: Any, insurance: LiabilityInsurance, reason: str = "") -> LiabilityInsurance:
    with transaction.atomic():
        action = "insurance.update" if insurance.pk else "insurance.add"
        scoped_save(actor=actor, obj=insurance, reason=reason, audit_action=action)
        _supersede_older(insurance)
    return insurance


def archive_save(*, actor: Any, document: ArchiveDocument, reason: str = "") -> ArchiveDocument:
    with transaction.atomic():
        action = "archive.update" if document.pk else "archive.add"
        scoped_save(actor=actor, obj=document, reason=reason, audit_action=action)
        _supersede_older(document, doc_type=document.doc_type)
    return document


def child_delete(*, actor: Any, record: Licence | LiabilityInsurance | ArchiveDocument, reason: str = "") -> None:
    scoped_delete(actor=actor, obj=record, reason=reason)
