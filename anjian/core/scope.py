"""Jurisdiction scoping: the one gate every queryset passes through (architecture rule 2).

A model says once how it reaches a region and an enterprise (`Scope`); a user says what it may reach for an
action (`Jurisdiction`, built by anjian.accounts). `RestrictedQuerySet.restrict(user, action)` joins the two.
Shape borrowed from NetBox's RestrictedQuerySet (netbox/utilities/querysets.py), not its code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.db.models import Q

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
EXPORT = "export"
ACTIONS = (VIEW, ADD, CHANGE, DELETE, EXPORT)


REGION_CODE_LENGTH = 12


def code_range(prefix: str) -> tuple[str, str]:
    """The inclusive range of 12-digit region codes under `prefix`.

    A subtree is a code prefix; asking for it as a range (not LIKE 'prefix%') lets a B-tree index answer on
    SQLite and PostgreSQL alike, whatever the collation.
    """
    return prefix.ljust(REGION_CODE_LENGTH, "0"), prefix.ljust(REGION_CODE_LENGTH, "9")


@dataclass(frozen=True)
class Scope:
    """How rows of a model reach the jurisdiction tree.

    `region_code` is the lookup path to a 12-digit region code (a subtree is a code prefix);
    `enterprise` is the lookup path to an enterprise primary key. Either may be None when the model
    cannot be reached that way (e.g. a Region has no enterprise).
    """

    region_code: str | None = None
    enterprise: str | None = None


@dataclass(frozen=True)
class Jurisdiction:
    """What one user may reach for one action on one model.

    everything: the whole city; nothing: no row; otherwise rows whose region code starts with one of
    `region_prefixes` or whose enterprise is one of `enterprise_ids`.
    """

    everything: bool = False
    region_prefixes: tuple[str, ...] = ()
    enterprise_ids: tuple[int, ...] = ()

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.region_prefixes and not self.enterprise_ids

    def covers(self, region_code: str, enterprise_id: int | None = None) -> bool:
        """The decision `q()` makes, asked of one row before it exists (scoped_save re-checks after saving)."""
        if self.everything:
            return True
        if any(region_code.startswith(prefix) for prefix in self.region_prefixes):
            return True
        return enterprise_id is not None and enterprise_id in self.enterprise_ids

    def q(self, scope: Scope) -> Q | None:
        """A Q object for `scope`, or None for 'no row can match'."""
        condition = Q()
        matched = False
        if self.region_prefixes and scope.region_code:
            for prefix in self.region_prefixes:
                condition |= Q(**{f"{scope.region_code}__range": code_range(prefix)})
            matched = True
        if self.enterprise_ids and scope.enterprise:
            condition |= Q(**{f"{scope.enterprise}__in": self.enterprise_ids})
            matched = True
        return condition if matched else None


NOBODY = Jurisdiction()
EVERYTHING = Jurisdiction(everything=True)


class ScopedUser(Protocol):
    is_authenticated: bool

    def jurisdiction(self, action: str, model: type[models.Model]) -> Jurisdiction: ...


def jurisdiction_of(user: Any, action: str, model: type[models.Model]) -> Jurisdiction:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NOBODY
    return user.jurisdiction(action, model)


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet:
        """Rows of this queryset that `user` may `action`. Unknown users and actions get nothing."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        jurisdiction = jurisdiction_of(user, action, self.model)
        if jurisdiction.everything:
            return self
        if jurisdiction.nothing:
            return self.none()
        condition = jurisdiction.q(self.model.scope)
        return self.none() if condition is None else self.filter(condition)


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Whether `user` may `action` this saved object: the same gate, asked for one row."""
    return type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists()


def can_add(user: Any, model: type[models.Model]) -> bool:
    """Whether `user` may add rows of `model` anywhere (the row itself is re-checked after saving)."""
    return not jurisdiction_of(user, ADD, model).nothing
