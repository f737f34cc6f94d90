"""Jurisdiction scoping: the one gate every queryset passes through (architecture rule 2).

A model says once how its rows reach the jurisdiction tree (`Scope`) and which actions it has beyond the five
standard ones (`actions`); a user says what it may reach for an action (`Jurisdiction`, built by
anjian.accounts from the role table and the model's `policy`). `RestrictedQuerySet.restrict(user, action)` joins
the two, for a list, an edit or a workflow transition alike (issue 6 item 1). Shape borrowed from NetBox's
RestrictedQuerySet (netbox/utilities/querysets.py), not its code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
EXPORT = "export"
STANDARD_ACTIONS: Mapping[str, Any] = {
    VIEW: _("查看"),
    ADD: _("新建"),
    CHANGE: _("修改"),
    DELETE: _("删除"),
    EXPORT: _("导出"),
}
# Kept for callers that iterate the standard actions; a model's own actions come from `declared_actions`.
ACTIONS = tuple(STANDARD_ACTIONS)

REGION_CODE_LENGTH = 12


class UnknownAction(ValueError):
    """An action the model does not declare: a programming error, raised before any row is read."""


def declared_actions(model: type[models.Model]) -> dict[str, Any]:
    """Every action of `model` with its Chinese label: the five standard ones and the model's own `actions`."""
    return {**STANDARD_ACTIONS, **getattr(model, "actions", {})}


def check_action(model: type[models.Model], action: str) -> None:
    if action not in STANDARD_ACTIONS and action not in getattr(model, "actions", {}):
        raise UnknownAction(
            f"{model.__name__} declares no action {action!r}; declared: {', '.join(declared_actions(model))}"
        )


def code_range(prefix: str) -> tuple[str, str]:
    """The inclusive range of 12-digit region codes under `prefix`.

    A subtree is a code prefix; asking for it as a range (not LIKE 'prefix%') lets a B-tree index answer on
    SQLite and PostgreSQL alike, whatever the collation.
    """
    return prefix.ljust(REGION_CODE_LENGTH, "0"), prefix.ljust(REGION_CODE_LENGTH, "9")


@dataclass(frozen=True)
class Scope:
    """How rows of a model reach the jurisdiction tree.

    - `region_code`: lookup path to a 12-digit region code (a subtree is a code prefix);
    - `enterprise`: lookup path to an enterprise primary key;
    - `domain`: lookup path to the row's supervision domain (行业领域), which narrows a department's reach
      (管行业必须管安全, issue 6 item 10);
    - `owner`: lookup path to a user id, for rows that belong to one person (a notification): only that
      person reaches them, whatever their role;
    - `shared`: reference rows outside the tree (a checklist, the chemical catalogue): whoever holds the
      action reaches every row;
    - `across_domains`: geography every department needs inside its region (regions, parks): a department's
      domains do not narrow it.
    A path left None means the model cannot be reached that way.
    """

    region_code: str | None = None
    enterprise: str | None = None
    domain: str | None = None
    owner: str | None = None
    shared: bool = False
    across_domains: bool = False

    @property
    def on_tree(self) -> bool:
        """Whether rows hang on the jurisdiction tree (by region or enterprise) at all."""
        return bool(self.region_code or self.enterprise)


@dataclass(frozen=True)
class Jurisdiction:
    """What one user may reach for one action.

    everything: every row on the jurisdiction tree; otherwise rows whose region code starts with one of
    `region_prefixes` or whose enterprise is one of `enterprise_ids`, narrowed to `domains` when that is not
    None (a department); plus, on models with an owner, the rows owned by `user_id`.
    """

    everything: bool = False
    region_prefixes: tuple[str, ...] = ()
    enterprise_ids: tuple[int, ...] = ()
    domains: frozenset[str] | None = None
    user_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.region_prefixes and not self.enterprise_ids and self.user_id is None

    def for_scope(self, scope: Scope) -> Jurisdiction:
        """This reach as it applies to rows of one scope: the parts the scope cannot express are dropped.

        `everything` covers the tree only, so a private row (owner only) stays with its owner even for the
        city; a department's domains apply only where rows have a domain, and a scope that has none (and is not
        geography shared across domains) cannot show that a row is in the department's domains, so the
        department reaches none of its rows.
        """
        if self.nothing:
            return NOBODY
        if scope.shared:
            return EVERYTHING
        tree_allowed = self.domains is None or scope.domain is not None or scope.across_domains
        everything = self.everything and scope.on_tree and tree_allowed
        prefixes = self.region_prefixes if scope.region_code and tree_allowed and not everything else ()
        enterprises = self.enterprise_ids if scope.enterprise and tree_allowed and not everything else ()
        domains = self.domains if scope.domain and not scope.across_domains and (prefixes or enterprises) else None
        owner = self.user_id if scope.owner else None
        return Jurisdiction(
            everything=everything, region_prefixes=prefixes, enterprise_ids=enterprises, domains=domains,
            user_id=owner,
        )

    def covers(
        self,
        region_code: str | None,
        enterprise_id: int | None = None,
        *,
        domain: str | None = None,
        owner_id: int | None = None,
    ) -> bool:
        """The decision `q()` makes, asked of one row's values in memory (no query).

        Call it on a jurisdiction already narrowed with `for_scope`, as `jurisdiction_of` returns it.
        """
        if self.everything:
            return True
        if owner_id is not None and owner_id == self.user_id:
            return True
        in_tree = (region_code is not None and region_code.startswith(self.region_prefixes)) or (
            enterprise_id is not None and enterprise_id in self.enterprise_ids
        )
        if not in_tree:
            return False
        return self.domains is None or domain in self.domains

    def covers_object(self, obj: models.Model) -> bool:
        """`covers` for one model instance, its values read along the model's scope paths (cached relations)."""
        values = scope_values(obj)
        return self.for_scope(type(obj).scope).covers(
            values["region_code"], values["enterprise"], domain=values["domain"], owner_id=values["owner"]
        )

    def q(self, scope: Scope) -> Q | None:
        """A Q object for rows of `scope`, or None for 'no row can match' (Q() for every row)."""
        reach = self.for_scope(scope)
        if reach.everything:
            return Q()
        tree = Q()
        matched = False
        for prefix in reach.region_prefixes:
            tree |= Q(**{f"{scope.region_code}__range": code_range(prefix)})
            matched = True
        if reach.enterprise_ids:
            tree |= Q(**{f"{scope.enterprise}__in": reach.enterprise_ids})
            matched = True
        if matched and reach.domains is not None:
            tree &= Q(**{f"{scope.domain}__in": sorted(reach.domains)})
        if reach.user_id is not None:
            owned = Q(**{scope.owner: reach.user_id})
            return tree | owned if matched else owned
        return tree if matched else None


NOBODY = Jurisdiction()
EVERYTHING = Jurisdiction(everything=True)


def resolve_path(obj: models.Model, path: str | None) -> Any:
    """The value at a lookup path (`region__code`, `enterprise_id`, `pk`) of an instance, through its relations."""
    if not path:
        return None
    value: Any = obj
    for part in path.split("__"):
        if value is None:
            return None
        value = getattr(value, part, None)
    return value


def scope_relations(model: type[models.Model]) -> list[str]:
    """The relations a row's scope paths go through (`select_related` them to decide `allows` without queries)."""
    scope: Scope = model.scope
    paths = (scope.region_code, scope.enterprise, scope.domain, scope.owner)
    return sorted({path.rsplit("__", 1)[0] for path in paths if path and "__" in path})


def scope_values(obj: models.Model) -> dict[str, Any]:
    """The row's place on the tree: region code, enterprise id, domain and owner, read along its scope paths."""
    scope: Scope = type(obj).scope
    region_code = resolve_path(obj, scope.region_code)
    enterprise = resolve_path(obj, scope.enterprise)
    owner = resolve_path(obj, scope.owner)
    return {
        "region_code": str(region_code) if region_code not in (None, "") else None,
        "enterprise": int(enterprise) if enterprise is not None else None,
        "domain": resolve_path(obj, scope.domain) or None,
        "owner": int(owner) if owner is not None else None,
    }


class ScopedUser(Protocol):
    is_authenticated: bool

    def jurisdiction(self, action: str, model: type[models.Model]) -> Jurisdiction: ...


def jurisdiction_of(user: Any, action: str, model: type[models.Model]) -> Jurisdiction:
    """What `user` may reach for `action` on rows of `model` (NOBODY for anonymous or inactive users)."""
    check_action(model, action)
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NOBODY
    return user.jurisdiction(action, model).for_scope(model.scope)


class RestrictedQuerySet(models.QuerySet):
    def restrict(self, user: Any, action: str = VIEW) -> RestrictedQuerySet:
        """Rows of this queryset that `user` may `action`. Unknown users get nothing; unknown actions raise."""
        jurisdiction = jurisdiction_of(user, action, self.model)
        if jurisdiction.everything:
            return self
        condition = jurisdiction.q(self.model.scope)
        return self.none() if condition is None else self.filter(condition)


def can(user: Any, action: str, obj: models.Model) -> bool:
    """Whether `user` may `action` this object as stored: the same gate, asked of the database for one row."""
    return type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists()


def can_add(user: Any, model: type[models.Model]) -> bool:
    """Whether `user` may add rows of `model` anywhere (the row itself is re-checked after saving)."""
    return not jurisdiction_of(user, ADD, model).nothing


def allows(user: Any, action: str, obj: models.Model) -> bool:
    """Whether `user` may `action` this instance as it is in memory: the gate's decision without a query.

    For buttons and masks on rows already read (a list, a detail page); writes re-check the stored row.
    """
    return jurisdiction_of(user, action, type(obj)).covers_object(obj)


__all__ = [
    "ACTIONS", "ADD", "CHANGE", "DELETE", "EVERYTHING", "EXPORT", "NOBODY", "STANDARD_ACTIONS", "VIEW",
    "Jurisdiction", "RestrictedQuerySet", "Scope", "ScopedUser", "UnknownAction", "allows", "can", "can_add",
    "check_action", "code_range", "declared_actions", "jurisdiction_of", "resolve_path", "scope_relations",
    "scope_values",
]
