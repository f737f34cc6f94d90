"""Reads for the home dashboard and the enterprise map. Every one starts from `restrict()` (architecture rule 2)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, FloatField, Q
from django.db.models.functions import Cast

from anjian.core.scope import VIEW, code_range
from anjian.enterprises import selectors as enterprise_selectors
from anjian.enterprises.choices import FLAG_FIELDS, SupervisionDomain
from anjian.enterprises.filtersets import (
    ArchiveDocumentFilterSet,
    EnterpriseFilterSet,
    LiabilityInsuranceFilterSet,
    LicenceFilterSet,
)
from anjian.enterprises.models import ArchiveDocument, Enterprise, LiabilityInsurance, Licence
from anjian.regions import selectors as region_selectors
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region
from anjian.regions.services import city_outline

# Expiring records per kind, counted with the list page's own FilterSet so a card and its list always agree.
EXPIRING_KINDS = (
    ("licence", Licence, LicenceFilterSet),
    ("insurance", LiabilityInsurance, LiabilityInsuranceFilterSet),
    ("archive", ArchiveDocument, ArchiveDocumentFilterSet),
)


def _within(queryset, region: Region | None, field: str = "region"):
    """Rows of `queryset` in `region`'s subtree; all of them when `region` is None or the city (whose subtree is
    every region there is).

    The subtree is asked as `<field> IN (SELECT id FROM region WHERE code BETWEEN ...)`, not as a join on the code:
    the planner then starts from the few regions in range and reads the enterprises by their region index. With a
    join on `region__code__range` SQLite scanned all 200,000 enterprises (1.2 s for one village's counts; 10 ms
    this way, bench figures in docs/benchmarks.md).
    """
    if region is None or region.level == RegionLevel.CITY:
        return queryset
    regions = Region.objects.filter(code__range=code_range(region.prefix)).values("id")
    return queryset.filter(**{f"{field}__in": regions})


def dashboard_region(*, user: Any, code: str) -> Region | None:
    """The region `code` if `user` may see it (its dashboard), else None: the gate decides, not the URL."""
    return Region.objects.restrict(user, VIEW).select_related("parent__parent").filter(code=code).first()


def region_trail(*, user: Any, region: Region) -> list[dict]:
    """The region and its ancestors from the city down (东莞市 › 东城街道 › 某社区): name, code and whether
    `user` may open that level's dashboard (a town supervisor sees the city's name but not its dashboard)."""
    chain = []
    node: Region | None = region
    while node is not None:
        chain.insert(0, node)
        node = node.parent
    visible = set(Region.objects.restrict(user, VIEW).filter(pk__in=[r.pk for r in chain]).values_list("pk", flat=True))
    return [{"name": r.name, "code": r.code, "level": r.level, "open": r.pk in visible} for r in chain]


def enterprise_totals(*, user: Any, as_of: dt.date, region: Region | None = None) -> dict[str, int]:
    """Total, expiry-warning and per-flag (major_hazard, small_venue, dust_explosion, ...) enterprise counts in
    `region` (or the user's whole reach), in one aggregate query."""
    expiring = enterprise_selectors.expiring_in(as_of=as_of)
    flags = {name: Count("id", filter=Q(**{name: True})) for name in FLAG_FIELDS}
    totals = _within(Enterprise.objects.restrict(user, VIEW), region).aggregate(
        total=Count("id"),
        expiring=Count("id", filter=expiring),
        **flags,
    )
    return {key: value or 0 for key, value in totals.items()}


def expiring_record_counts(*, user: Any, region: Region | None = None) -> dict[str, int]:
    """Current licences, insurance policies and archive documents that are expired or expire soon, per kind."""
    counts = {}
    for kind, model, filterset_class in EXPIRING_KINDS:
        queryset = _within(model.objects.restrict(user, VIEW), region, "enterprise__region")
        filterset = filterset_class({"expiring": "true"}, queryset=queryset)
        counts[kind] = filterset.qs.order_by().count()
    return counts


def town_counts(*, user: Any) -> list[dict]:
    """Enterprise counts per town with the town's name and 12-digit code, largest first.

    The names come from one query on Region limited to the prefixes the restricted counts returned, so
    nothing outside the user's reach is named. It does not go through Region.restrict because an expert's
    or enterprise user's reach is a set of enterprises, not regions, and their towns would lose their names.
    """
    counts = enterprise_selectors.counts_by_town(user=user)
    prefixes = [row["town_prefix"] for row in counts]
    towns = {
        prefix: (code, name)
        for prefix, code, name in Region.objects.filter(level=RegionLevel.TOWN, prefix__in=prefixes).values_list(
            "prefix", "code", "name"
        )
    }
    rows = []
    for row in counts:
        code, name = towns.get(row["town_prefix"], (row["town_prefix"] + "000", row["town_prefix"]))
        rows.append({"code": code, "name": name, "count": row["count"]})
    return sorted(rows, key=lambda row: (-row["count"], row["code"]))


def village_counts(*, user: Any, region: Region | None = None) -> list[dict]:
    """Enterprise counts per village (社区/村) with its name and code, largest first: one grouped query."""
    rows = (
        _within(Enterprise.objects.restrict(user, VIEW), region)
        .values("region__code", "region__name")
        .annotate(count=Count("id"))
        .order_by("-count", "region__code")
    )
    return [{"code": row["region__code"], "name": row["region__name"], "count": row["count"]} for row in rows]


def domain_counts(*, user: Any, region: Region | None = None) -> list[dict]:
    """Enterprise counts per supervision domain with the domain's Chinese label, largest first."""
    labels = dict(SupervisionDomain.choices)
    if region is None:
        rows = enterprise_selectors.counts_by_domain(user=user)
    else:
        rows = (
            _within(Enterprise.objects.restrict(user, VIEW), region)
            .values("domain")
            .annotate(count=Count("id"))
            .order_by("-count", "domain")
        )
    return [
        {"domain": row["domain"], "label": str(labels.get(row["domain"], row["domain"])), "count": row["count"]}
        for row in rows
    ]


def own_enterprise(*, user: Any) -> Enterprise | None:
    """The enterprise of an enterprise user, through the gate (None when it is gone or out of reach)."""
    if not getattr(user, "enterprise_id", None):
        return None
    return enterprise_selectors.enterprise_list(user=user).filter(pk=user.enterprise_id).first()


def map_points(*, user: Any, params: Mapping[str, Any], request: Any = None) -> tuple[list[tuple], dict]:
    """Points of the enterprises `user` may see, filtered like the enterprise list.

    Returns (points, errors): each point is (latitude, longitude, id, name, major_hazard); errors are the
    FilterSet's field errors (then no points). Rows without coordinates are left out. Coordinates are cast
    to float in SQL and rows come as tuples, because a city has 200,000 points and Decimal or model
    instances per row would cost seconds.
    """
    filterset = EnterpriseFilterSet(params, queryset=Enterprise.objects.restrict(user, VIEW), request=request)
    if not filterset.is_valid():
        return [], {field: [str(message) for message in messages] for field, messages in filterset.errors.items()}
    rows = (
        filterset.qs.filter(latitude__isnull=False, longitude__isnull=False)
        .order_by()
        .annotate(lat=Cast("latitude", FloatField()), lng=Cast("longitude", FloatField()))
        .values_list("lat", "lng", "id", "name", "major_hazard")
    )
    return list(rows), {}


def town_labels(*, user: Any) -> list[dict]:
    """The towns `user` may see that have a centre, for the map's labels."""
    rows = (
        Region.objects.restrict(user, VIEW)
        .filter(level=RegionLevel.TOWN, latitude__isnull=False, longitude__isnull=False)
        .order_by("code")
        .annotate(lat=Cast("latitude", FloatField()), lng=Cast("longitude", FloatField()))
        .values_list("code", "name", "lat", "lng")
    )
    return [{"code": code, "name": name, "lat": lat, "lng": lng} for code, name, lat, lng in rows]


def map_geography(*, user: Any) -> dict:
    """GeoJSON FeatureCollection for the map background: the city outline, the visible towns' outlines (real, or
    approximate until load-boundaries brought real ones), the visible villages' real outlines for someone who sees
    one town at most, and the visible towns' labels.

    The city outline is public geography and shown to everyone signed in; town outlines and labels only for the
    towns `user` may see. Each feature says what it is in `properties.kind` (city, town, village or label).
    """
    features: list[dict] = []
    outline = city_outline()
    if outline:
        features.append({**outline, "properties": {**(outline.get("properties") or {}), "kind": "city"}})
    towns = region_selectors.outlines(user=user, level=RegionLevel.TOWN)
    levels = [(RegionLevel.TOWN, towns)]
    # Village outlines only for someone who sees one town at most (a whole city of them would be megabytes).
    if Region.objects.restrict(user, VIEW).filter(level=RegionLevel.TOWN).count() <= 1:
        levels.append((RegionLevel.VILLAGE, region_selectors.outlines(user=user, level=RegionLevel.VILLAGE)))
    for level, rows in levels:
        for row in rows:
            features.append(
                {
                    "type": "Feature",
                    "geometry": row["geometry"],
                    "properties": {
                        "kind": str(level), "code": row["code"], "name": row["name"],
                        "approximate": row["approximate"],
                    },
                }
            )
    for label in town_labels(user=user):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [label["lng"], label["lat"]]},
                "properties": {"kind": "label", "code": label["code"], "name": label["name"]},
            }
        )
    return {"type": "FeatureCollection", "features": features}
