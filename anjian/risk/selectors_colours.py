"""Reading enterprise and region colours (issue 9 item 5). Every read starts from `restrict()`."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, FloatField, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast

from anjian.core.scope import VIEW, code_range
from anjian.regions.models import Region
from anjian.risk import colour_method as method
from anjian.risk.models import EnterpriseColour, RegionColour

# At most this many points per answer of the map: a phone draws 5,000 squares at once without trouble, 200,000
# would not. The worst colours are answered first, so what is left out is blue or yellow.
MAP_POINT_LIMIT = 5_000



def severity(field: str) -> Case:
    """Worst first: 红 0, 橙 1, 黄 2, 蓝 3, none 4 (for ordering by colour)."""
    return Case(*(When(**{field: colour}, then=Value(rank)) for rank, colour in enumerate(reversed(method.ORDER))),
                default=Value(len(method.ORDER)), output_field=IntegerField())


def enterprise_colours(*, user: Any, action: str = VIEW) -> QuerySet[EnterpriseColour]:
    return (EnterpriseColour.objects.restrict(user, action).select_related("enterprise__region__parent")
            .annotate(severity=severity("dynamic")))


def region_colours(*, user: Any, action: str = VIEW) -> QuerySet[RegionColour]:
    return (RegionColour.objects.restrict(user, action).select_related("region")
            .annotate(severity=severity("colour")))


def ranked(queryset: QuerySet[RegionColour]) -> QuerySet[RegionColour]:
    """Regions worst first: by colour, then by their red, orange and yellow enterprises."""
    return queryset.order_by("severity", "-red", "-orange", "-yellow", "code")


def enterprise_colour(*, user: Any, enterprise_id: int) -> EnterpriseColour | None:
    return enterprise_colours(user=user).filter(enterprise_id=enterprise_id).first()


def map_points(*, user: Any, region: Region | None = None, bbox: tuple[float, float, float, float] | None = None,
               limit: int = MAP_POINT_LIMIT) -> tuple[list[list[Any]], int, bool]:
    """Coloured points of the enterprises with coordinates in `user`'s reach, in the region's subtree and the box
    (west, south, east, north): [lat, lng, enterprise id, name, colour], reds first, then oranges, yellows and blues
    (one indexed query per colour, stopping at `limit`). Answers the points, how many, and whether some were left
    out."""
    rows = EnterpriseColour.objects.restrict(user, VIEW).filter(enterprise__latitude__isnull=False)
    if region:
        rows = rows.filter(enterprise__region__code__range=code_range(region.prefix))
    if bbox is not None:
        west, south, east, north = bbox
        rows = rows.filter(enterprise__longitude__range=(west, east), enterprise__latitude__range=(south, north))
    points: list[list[Any]] = []
    truncated = False
    for colour in reversed(method.ORDER):
        room = limit - len(points)
        if room <= 0:
            truncated = truncated or rows.filter(dynamic=colour).exists()
            continue
        found = list(
            rows.filter(dynamic=colour).order_by("enterprise_id")
            .values_list(Cast("enterprise__latitude", output_field=FloatField()),
                         Cast("enterprise__longitude", output_field=FloatField()), "enterprise_id", "enterprise__name")
            [: room + 1]
        )
        if len(found) > room:
            truncated = True
            found = found[:room]
        points.extend([lat, lng, pk, name, colour] for lat, lng, pk, name in found)
    return points, len(points), truncated

