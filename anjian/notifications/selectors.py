"""Reads of the notifications app: whom a notice reaches, and a person's inbox (issue 6 item 5).

Recipients are found in two steps. SQL narrows the active users of the notice's roles to those whose region,
enterprise or assignment could reach the record's place (one query for all the notices about one record); then
the gate itself, `allows(user, "view", record)`, decides in memory, so a notification never reaches someone
who may not see the record (a department outside the record's domain, an expert not assigned to it).
"""

from __future__ import annotations

from collections.abc import Sequence
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


def role_condition(role: str, place: Place) -> Q | None:
    """The users of `role` whose jurisdiction could reach `place` (None: nobody of that role can)."""
    spec = ROLES.get(role)
    if spec is None:
        return None
    prefixes = place.region_prefixes
    # The regions whose subtree holds the place, as ids: each term of the OR then uses an index of the user table
    # (a join to the region table would scan every user, once per record).
    # The jurisdiction tree's model is reached through the user's foreign key: regions sit above this app.
    regions = User._meta.get_field("region").related_model.objects.filter(prefix__in=prefixes).values("pk")
    if spec.reach is Reach.CITY:
        return Q(role=role, region_id__in=regions) if prefixes else Q(role=role)
    if spec.reach in (Reach.REGION, Reach.DEPARTMENT):
        # A department's domains are checked by the gate below (JSON containment differs between databases).
        return Q(role=role, region_id__in=regions) if prefixes else None
    if place.enterprise is None:
        return None
    if spec.reach is Reach.ENTERPRISE:
        return Q(role=role, enterprise_id=place.enterprise)
    assigned = User.assigned_enterprises.through.objects.filter(enterprise_id=place.enterprise)
    return Q(role=role, pk__in=assigned.values("user_id"))


def may_view(user: Any, obj: models.Model | None) -> bool:
    """The final filter: the gate's decision for this person and this record (no record: nothing to hide)."""
    return allows(user, VIEW, obj) if is_scoped(obj) else True


def recipients_by_notice(*, actor: Any, obj: models.Model | None, notices: Sequence[Notice]) -> list[list[User]]:
    """For each notice, the users it reaches: the users of its roles whose jurisdiction covers the record, and the
    users it names, each only if active and allowed to view the record; never the actor.

    One query for all the notices (the candidates of every role, and the named users).
    """
    place = place_of(obj)
    condition = Q()
    matched = False
    named = {int(user_id) for notice in notices for user_id in notice.users}
    if named:
        condition |= Q(pk__in=named)
        matched = True
    if place is not None:
        for role in sorted({role for notice in notices for role in notice.roles}):
            role_q = role_condition(role, place)
            if role_q is not None:
                condition |= role_q
                matched = True
    if not matched:
        return [[] for _notice in notices]
    candidates = User.objects.filter(condition, is_active=True).select_related("region", "notification_preference")
    actor_id = getattr(actor, "pk", None)
    if actor_id is not None:
        candidates = candidates.exclude(pk=actor_id)
    visible = [user for user in candidates.order_by("pk") if may_view(user, obj)]
    result = []
    for notice in notices:
        roles = set(notice.roles) if place is not None else set()
        users = {int(user_id) for user_id in notice.users}
        result.append([user for user in visible if user.role in roles or user.pk in users])
    return result


def inbox(*, user: Any) -> QuerySet[Notification]:
    """A person's notifications (never another's, whatever the role): unread first, then newest first."""
    unread = ExpressionWrapper(Q(read_at__isnull=True), output_field=BooleanField())
    return Notification.objects.restrict(user, VIEW).annotate(unread=unread).order_by("-unread", "-id")


def unread_count(*, user: Any) -> int:
    """The header's count: one COUNT on the partial index of unread rows."""
    return Notification.objects.restrict(user, VIEW).filter(read_at__isnull=True).count()
