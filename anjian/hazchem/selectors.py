"""Reads of the chemical catalogue (issue 9 item 1). Every queryset starts from `restrict()`."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from anjian.core.scope import VIEW
from anjian.hazchem.models import LIST_SEPARATOR, Chemical, KeyProcess, split_list
from anjian.hazchem.pinyin import pinyin_of, without_qualifier

# A CAS number or its beginning: digits, then optionally -digits groups (7664, 7664-4, 7664-41-7).
CAS_QUERY = re.compile(r"^\d{2,7}(-\d{0,2}(-\d?)?)?$")
# Pinyin initials are typed as Latin letters (and digits for names such as 1,2-二氯乙烷).
INITIALS_QUERY = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
NEAREST_LIMIT = 5
# How many close names are re-ranked by their sound before the best NEAREST_LIMIT are offered.
NEAREST_POOL = 30
# difflib's ratio below which a catalogue name is not offered as "did you mean" (two of three characters alike).
NEAREST_CUTOFF = 0.6

# Ranks of a match, best first (issue 9 item 1: an exact name or CAS leads).
EXACT, EXACT_ALIAS, NAME_PREFIX, PARTIAL = range(4)


@dataclass(frozen=True)
class ChemicalSearch:
    """A ranked search of the catalogue; `nearest_names` are offered when nothing matched."""

    chemicals: QuerySet[Chemical]
    nearest_names: list[str] = field(default_factory=list)


def chemical_list(*, user: Any, action: str = VIEW) -> QuerySet[Chemical]:
    return Chemical.objects.restrict(user, action)


def key_process_list(*, user: Any, action: str = VIEW) -> QuerySet[KeyProcess]:
    return KeyProcess.objects.restrict(user, action)


def _member(field_name: str, value: str) -> Q:
    """`value` is one whole item of the ;-joined list in `field_name`."""
    sep = LIST_SEPARATOR
    return (Q(**{field_name: value}) | Q(**{f"{field_name}__startswith": value + sep})
            | Q(**{f"{field_name}__endswith": sep + value}) | Q(**{f"{field_name}__contains": sep + value + sep}))


def _item_prefix(field_name: str, value: str) -> Q:
    """Some item of the ;-joined list in `field_name` begins with `value`."""
    return Q(**{f"{field_name}__startswith": value}) | Q(**{f"{field_name}__contains": LIST_SEPARATOR + value})


def _conditions(query: str) -> tuple[Q, Q, Q, Q]:
    """The (exact, exact alias, prefix, any) conditions of one query by its shape: CAS, initials or a name."""
    if CAS_QUERY.match(query):
        exact = _member("cas", query)
        return exact, Q(pk__in=[]), Q(pk__in=[]), _item_prefix("cas", query)
    lowered = query.lower()
    exact = Q(name=query)
    alias = _member("aliases", query)
    prefix = Q(name__startswith=query)
    anywhere = Q(name__icontains=query) | Q(aliases__icontains=query)
    if INITIALS_QUERY.match(query):
        prefix |= _item_prefix("pinyin_initials", lowered)
        anywhere |= Q(pinyin_initials__contains=lowered)
    return exact, alias, prefix, anywhere


def chemical_search(query: str, *, user: Any | None = None, queryset: QuerySet[Chemical] | None = None
                    ) -> ChemicalSearch:
    """Catalogue rows matching `query` by name, alias, pinyin initials or CAS (whole or its beginning), ranked:
    exact name or CAS first, then an exact alias, then names and initials that begin with it, then the rest.

    Searches `queryset`, else what `user` may view (else the whole catalogue: the loader and tests).
    """
    if queryset is None:
        queryset = chemical_list(user=user) if user is not None else Chemical.objects.all()
    query = query.strip()
    if not query:
        return ChemicalSearch(queryset)
    # The separator of the stored lists is no part of a name or CAS number: it would match every list.
    query = query.replace(LIST_SEPARATOR, "").strip()
    if not query:
        return ChemicalSearch(queryset.none())
    exact, alias, prefix, anywhere = _conditions(query)
    ranked = (queryset.filter(exact | alias | prefix | anywhere)
              .annotate(rank=Case(When(exact, then=Value(EXACT)), When(alias, then=Value(EXACT_ALIAS)),
                                  When(prefix, then=Value(NAME_PREFIX)), default=Value(PARTIAL),
                                  output_field=IntegerField()))
              .order_by("rank", "catalogue_number", "sub_row"))
    if ranked.exists():
        return ChemicalSearch(ranked)
    return ChemicalSearch(ranked, nearest_names(query, queryset))


def nearest_names(query: str, queryset: QuerySet[Chemical]) -> list[str]:
    """Catalogue names (or aliases) closest to `query`, for the answer to an unknown name (issue 9, bad input).

    Names are compared without the catalogue's [qualifiers]; among the close ones, those that sound alike come first
    (a typing slip is usually a homophone: 氯乙稀 for 氯乙烯).
    """
    if CAS_QUERY.match(query):
        return []
    by_plain_name: dict[str, str] = {}
    for name, aliases in queryset.values_list("name", "aliases"):
        for candidate in [name, *split_list(aliases)]:
            by_plain_name.setdefault(without_qualifier(candidate), candidate)
    close = difflib.get_close_matches(query, sorted(by_plain_name), n=NEAREST_POOL, cutoff=NEAREST_CUTOFF)
    sound = pinyin_of(query)
    ranked = sorted(close, key=lambda plain: (-difflib.SequenceMatcher(None, sound, pinyin_of(plain)).ratio(),
                                              -difflib.SequenceMatcher(None, query, plain).ratio(), plain))
    return list(dict.fromkeys(by_plain_name[plain] for plain in ranked))[:NEAREST_LIMIT]
