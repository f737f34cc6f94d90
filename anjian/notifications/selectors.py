"""Reads of the notifications app: whom a notice reaches, and a person's inbox (issue 6 item 5).

Recipients are found in two steps. SQL narrows the active users of the notice's roles to those whose region,
enterprise or assignment could reach the record's place (one query for all the notices about one record); then
the gate itself, `allows(user, "view", record)`, decides in memory, so a notification never reaches someone
who may not see the record (a department outside the record's domain, an expert not assigned to it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet

from anjian.accounts.models import User
from anjian.accounts.roles import ROLES, Reach
from anjian.core.notices import Notice
from anjian.core.scope import VIEW, allows, scope_values
from anjian.notifications.models import Notification

# Region prefixes are the native 4/9/12-digit codes of the city, its towns and its villages.
PREFIX_LENGTHS = (4, 9, 12)


@dataclass(frozen=True)
class Place:
    """Where a record hangs on the jurisdiction tree."""

    region_code: str | None
    enterprise: int | None
    domain: str | None

    @property
    def region_prefixes(self) -> tuple[str, ...]:
        code = self.region_code or ""
        return tuple(dict.fromkeys(code[:length] for length in PREFIX_LENGTHS if len(code) >= length))


def is_scoped(obj: models.Model | None) -> bool:
    return obj is not None and getattr(type(obj), "scope", None) is not None


def place_of(obj: models.Model | None) -> Place | None:
    if not is_scoped(obj):
        return None
    values = scope_values(obj)
    return Place(region_code=values["region_code"], enterprise=values["enterprise"], domain=values["domain"])


def role_condition(role: str, prefixes: Collection[str], enterprises: Collection[int]) -> Q | None:
    """The users of `role` whose jurisdiction could reach a place under one of the region `prefixes` or of one of the
    `enterprises` (None: nobody of that role can)."""
    spec = ROLES.get(role)
    if spec is None:
        return None
    # The regions whose subtree holds the place, as ids: each term of the OR then uses an index of the user table
    # (a join to the region table would scan every user, once per record).
    # The jurisdiction tree's model is reached through the user's foreign key: regions sit above this app.
    regions = User._meta.get_field("region").related_model.objects.filter(prefix__in=sorted(prefixes)).values("pk")
    if spec.reach is Reach.CITY:
        return Q(role=role, region_id__in=regions) if prefixes else Q(role=role)
    if spec.reach in (Reach.REGION, Reach.DEPARTMENT):
        # A department's domains are checked by the gate below (JSON containment differs between databases).
        return Q(role=role, region_id__in=regions) if prefixes else None
    if not enterprises:
        return None
    if spec.reach is Reach.ENTERPRISE:
        return Q(role=role, enterprise_id__in=sorted(enterprises))
    assigned = User.assigned_enterprises.through.objects.filter(enterprise_id__in=sorted(enterprises))
    return Q(role=role, pk__in=assigned.values("user_id"))


def may_view(user: Any, obj: models.Model | None) -> bool:
    """The final filter: the gate's decision for this person and this record (no record: nothing to hide)."""
    return allows(user, VIEW, obj) if is_scoped(obj) else True


def recipients_by_notice(*, actor: Any, obj: models.Model | None, notices: Sequence[Notice]) -> list[list[User]]:
    """For each notice, the users it reaches: the users of its roles whose jurisdiction covers the record, and the
    users it names, each only if active and allowed to view the record; never the actor.

    One query for all the notices (the candidates of every role, and the named users).
    """
    return recipients_by_record(actor=actor, items=[(obj, notices)])[0]


class Candidates:
    """The users a batch's query found, indexed the way `role_condition` matched them (region prefix, enterprise,
    assignment, or anywhere for the city's roles), so each record's few are found without asking the gate about
    every candidate for every record."""

    def __init__(self, users: Iterable[User]) -> None:
        self.by_id: dict[int, User] = {}
        self.by_prefix: dict[str, list[User]] = {}
        self.by_enterprise: dict[int, list[User]] = {}
        self.anywhere: list[User] = []
        for user in users:
            self.by_id[user.pk] = user
            spec = ROLES.get(user.role)
            if spec is not None and spec.reach is Reach.CITY:
                self.anywhere.append(user)
            elif user.region_id is not None:
                self.by_prefix.setdefault(user.region.prefix, []).append(user)
            if user.enterprise_id is not None:
                self.by_enterprise.setdefault(user.enterprise_id, []).append(user)
            for enterprise_id in getattr(user, "assigned_ids", ()):
                self.by_enterprise.setdefault(enterprise_id, []).append(user)

    def near(self, place: Place | None, named: Iterable[int]) -> list[User]:
        """The candidates whose reach could hold `place`, and the `named` users, each once, in id order."""
        found = {pk: self.by_id[pk] for pk in named if pk in self.by_id}
        if place is not None:
            found.update((user.pk, user) for user in self.anywhere)
            for prefix in place.region_prefixes:
                found.update((user.pk, user) for user in self.by_prefix.get(prefix, ()))
            if place.enterprise is not None:
                found.update((user.pk, user) for user in self.by_enterprise.get(place.enterprise, ()))
        return [found[pk] for pk in sorted(found)]


def recipients_by_record(
    *, actor: Any, items: Sequence[tuple[models.Model | None, Sequence[Notice]]]
) -> list[list[list[User]]]:
    """`recipients_by_notice` for many records at once, (record, notices) each: one query finds the candidates of
    every record (the overdue job tells about hundreds, issue 8 item 5), and each user's reach is computed once."""
    places = [place_of(obj) for obj, _notices in items]
    named = {int(user_id) for _obj, notices in items for notice in notices for user_id in notice.users}
    condition = Q(pk__in=sorted(named)) if named else Q()
    matched = bool(named)
    places_by_role: dict[str, list[Place]] = {}
    for place, (_obj, notices) in zip(places, items, strict=True):
        if place is not None:
            for role in {role for notice in notices for role in notice.roles}:
                places_by_role.setdefault(role, []).append(place)
    for role in sorted(places_by_role):
        prefixes = {prefix for place in places_by_role[role] for prefix in place.region_prefixes}
        enterprises = {place.enterprise for place in places_by_role[role] if place.enterprise is not None}
        role_q = role_condition(role, prefixes, enterprises)
        if role_q is not None:
            condition |= role_q
            matched = True
    if not matched:
        return [[[] for _notice in notices] for _obj, notices in items]
    users = User.objects.filter(condition, is_active=True).select_related("region", "notification_preference")
    actor_id = getattr(actor, "pk", None)
    if actor_id is not None:
        users = users.exclude(pk=actor_id)
    candidates = Candidates(_with_assignments(list(users.order_by("pk"))))
    result = []
    for place, (obj, notices) in zip(places, items, strict=True):
        named_here = {int(user_id) for notice in notices for user_id in notice.users}
        visible = [user for user in candidates.near(place, named_here) if may_view(user, obj)]
        per_notice = []
        for notice in notices:
            roles = set(notice.roles) if place is not None else set()
            ids = {int(user_id) for user_id in notice.users}
            per_notice.append([user for user in visible if user.role in roles or user.pk in ids])
        result.append(per_notice)
    return result


def _with_assignments(users: list[User]) -> list[User]:
    """Experts carry the ids of their assigned enterprises (`assigned_ids`), read in one query for all of them."""
    experts = [user for user in users if user.role in ROLES and ROLES[user.role].reach is Reach.ASSIGNED]
    if experts:
        assigned: dict[int, list[int]] = {}
        through = User.assigned_enterprises.through.objects.filter(user_id__in=[user.pk for user in experts])
        for user_id, enterprise_id in through.values_list("user_id", "enterprise_id"):
            assigned.setdefault(user_id, []).append(enterprise_id)
        for user in experts:
            user.assigned_ids = assigned.get(user.pk, [])
    return users


def inbox(*, user: Any) -> QuerySet[Notification]:
    """A person's notifications (never another's, whatever the role): unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return Notification.objects.restrict(user, VIEW).annotate(unread=unread).order_by("-unread", "-id")


def unread_count(*, user: Any) -> int:
    """The header's count: one COUNT on the partial index of unread rows."""
    return Notification.objects.restrict(user, VIEW).filter(read_at__isnull=True).count()
