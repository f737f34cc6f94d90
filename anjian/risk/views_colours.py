"""Pages of the four-colour grading (issue 9 item 5): the risk map, the ranking of towns and villages, the list of
enterprise colours, the colour panel of the enterprise page and its 重新计算 button. Every read starts from
`restrict()` (anjian.risk.selectors_colours)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_POST, require_safe

from anjian.core.i18n import stored_text
from anjian.core.scope import VIEW, allows, jurisdiction_of
from anjian.core.views import ObjectListView
from anjian.regions import selectors as region_selectors
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region
from anjian.risk import colour_method, selectors_colours, services_colours, tables_colours
from anjian.risk.choices import RiskColour
from anjian.risk.filtersets_colours import EnterpriseColourFilterSet, RegionColourFilterSet
from anjian.risk.models import EnterpriseColour, RegionColour
from anjian.risk.models.colours import RECOMPUTE
from anjian.risk.tables_colours import EnterpriseColourTable, RegionColourTable

DETAIL_ID_PLACEHOLDER = 999999999
RECOMPUTE_REASON = gettext_lazy("手动重新计算")
COMPACT_JSON = {"separators": (",", ":"), "ensure_ascii": False}
HEX = tables_colours.HEX


class EnterpriseColourListView(ObjectListView):
    model = EnterpriseColour
    url_base = "risk:enterprisecolour"
    filterset_class = EnterpriseColourFilterSet
    table_class = EnterpriseColourTable
    template_name = "risk/colour_enterprise_list.html"
    # Worst first, then by name: the ranking of enterprises.
    default_order = ("severity", "enterprise__name", "id")

    def get_queryset(self, action: str) -> QuerySet:
        return selectors_colours.enterprise_colours(user=self.request.user, action=action)

    def filter_form_hook(self, form: Any) -> None:
        form.fields["region"].widget.choices = region_selectors.region_choices(
            user=self.request.user, levels=(RegionLevel.TOWN, RegionLevel.VILLAGE))


class RegionColourListView(ObjectListView):
    """The ranking: towns (or one town's villages, `?region=<town>&level=village`) worst first, with their counts."""

    model = RegionColour
    url_base = "risk:regioncolour"
    filterset_class = RegionColourFilterSet
    table_class = RegionColourTable
    template_name = "risk/colour_ranking.html"
    default_order = ("severity", "-red", "-orange", "-yellow", "code")

    def get_queryset(self, action: str) -> QuerySet:
        return selectors_colours.region_colours(user=self.request.user, action=action)

    def filtered(self, action: str):
        queryset, filterset = super().filtered(action)
        if "level" not in self.request.GET:
            # Without a level the ranking is of towns; a town supervisor, who has one, sees its villages.
            towns = queryset.filter(level=RegionLevel.TOWN)
            queryset = towns if towns.count() > 1 else queryset.filter(level=RegionLevel.VILLAGE)
        return queryset, filterset

    def filter_form_hook(self, form: Any) -> None:
        form.fields["region"].widget.choices = region_selectors.region_choices(
            user=self.request.user, levels=(RegionLevel.TOWN,))

    def get_extra_context(self) -> dict[str, Any]:
        return {"legend": _legend(), "map_url": reverse("risk:colour_map")}


def _legend() -> list[dict[str, str]]:
    return [{"value": value, "label": label, "hex": HEX[value]} for value, label in RiskColour.choices]


def _visible_region(user: Any, code: str) -> Region | None:
    """The region of `code` if `user` may see it (a code outside the reach is answered like a missing one)."""
    if not code:
        return None
    region = Region.objects.restrict(user, VIEW).filter(code=code).first()
    if region is None:
        raise Http404
    return region


@require_safe
def colour_map(request: HttpRequest) -> HttpResponse:
    """四色风险图: towns filled by colour on the dashboard's offline background, enterprises as coloured points."""
    if jurisdiction_of(request.user, VIEW, EnterpriseColour).nothing:
        raise Http404
    region = _visible_region(request.user, request.GET.get("region", ""))
    config = {
        "pointsUrl": reverse("risk:colour_map_points"),
        "regionsUrl": reverse("risk:colour_map_regions"),
        "detailUrl": reverse("enterprises:enterprise_detail", args=[DETAIL_ID_PLACEHOLDER]),
        "detailPlaceholder": str(DETAIL_ID_PLACEHOLDER),
        "rankingUrl": reverse("risk:colour_ranking"),
        "region": region.code if region else "",
        "tileUrl": settings.ANJIAN_MAP_TILE_URL,
        "tileAttribution": settings.ANJIAN_MAP_TILE_ATTRIBUTION,
        "colours": HEX,
        "labels": {value: str(label) for value, label in RiskColour.choices},
        "text": {
            "count": _("显示 %(count)s 个单位"),
            "truncated": _("（本范围单位较多，先显示风险最高的 %(count)s 个；放大地图或选择镇街可看到其余单位）"),
            "loading": _("正在加载…"),
            "error": _("加载失败："),
            "villages": _("查看村（社区）排名"),
            "enterprises": _("红 %(red)s · 橙 %(orange)s · 黄 %(yellow)s · 蓝 %(blue)s"),
            "none": _("无在业单位"),
            "approximate": _("示意范围（由镇街中心点推算，非法定界线）"),
        },
    }
    context = {
        "config": config,
        "legend": _legend(),
        "towns": region_selectors.region_choices(user=request.user, levels=(RegionLevel.TOWN,),
                                                 empty_label=_("全部镇街")),
        "region": region,
        "has_tiles": bool(settings.ANJIAN_MAP_TILE_URL),
    }
    return render(request, "risk/colour_map.html", context)


def _bbox(value: str) -> tuple[float, float, float, float] | None:
    """`west,south,east,north` in degrees, or None when not given; ValueError when malformed."""
    if not value:
        return None
    parts = [float(part) for part in value.split(",")]
    if len(parts) != 4:
        raise ValueError(value)
    west, south, east, north = parts
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError(value)
    return west, south, east, north


@require_safe
@gzip_page
@cache_control(private=True, no_store=True)
def colour_map_points(request: HttpRequest) -> JsonResponse:
    """{"points": [[lat, lng, id, name, colour], ...], "count": n, "truncated": bool} for the viewport (`bbox`) and
    the chosen region (`region`), reds first; a bad box answers 400, a region out of reach 404."""
    try:
        bbox = _bbox(request.GET.get("bbox", ""))
    except ValueError:
        fields = {"bbox": [_("应为 西,南,东,北 的经纬度。")]}
        body = {"code": "invalid", "message": _("筛选条件有误。"), "fields": fields}
        return JsonResponse(body, status=400, json_dumps_params=COMPACT_JSON)
    region = _visible_region(request.user, request.GET.get("region", ""))
    limit = selectors_colours.MAP_POINT_LIMIT
    points, count, truncated = selectors_colours.map_points(user=request.user, region=region, bbox=bbox, limit=limit)
    return JsonResponse({"points": points, "count": count, "truncated": truncated, "limit": limit},
                        json_dumps_params=COMPACT_JSON)


@require_safe
@gzip_page
@cache_control(private=True, no_store=True)
def colour_map_regions(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the towns (and, for a chosen town, its villages with an outline) the user may see, each with its
    colour and counts, and the town labels. Regions whose colours the user may not read come without a colour."""
    region = _visible_region(request.user, request.GET.get("region", ""))
    colours = {row.code: row for row in selectors_colours.region_colours(user=request.user)}
    features: list[dict[str, Any]] = []
    levels = [RegionLevel.TOWN] + ([RegionLevel.VILLAGE] if region is not None else [])
    for level in levels:
        for row in region_selectors.outlines(user=request.user, level=level):
            if level == RegionLevel.VILLAGE and not row["code"].startswith(region.prefix):
                continue
            features.append({"type": "Feature", "geometry": row["geometry"],
                             "properties": {"kind": str(level), "code": row["code"], "name": row["name"],
                                            "approximate": row["approximate"], **_colour_properties(colours, row)}})
    towns = Region.objects.restrict(request.user, VIEW).filter(
        level=RegionLevel.TOWN, latitude__isnull=False, longitude__isnull=False).order_by("code")
    for town in towns:
        features.append({"type": "Feature",
                         "geometry": {"type": "Point", "coordinates": [float(town.longitude), float(town.latitude)]},
                         "properties": {"kind": "label", "code": town.code, "name": town.name}})
    return JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json",
                        json_dumps_params=COMPACT_JSON)


def _colour_properties(colours: dict[str, RegionColour], row: dict[str, Any]) -> dict[str, Any]:
    colour = colours.get(row["code"])
    if colour is None:
        return {"colour": None}
    return {"colour": colour.colour, "red": colour.red, "orange": colour.orange, "yellow": colour.yellow,
            "blue": colour.blue, "reason": colour.reason}


@require_POST
def recompute_view(request: HttpRequest, enterprise_id: int) -> HttpResponse:
    """重新计算: a regulator grades one enterprise (and its village and town) now, instead of at night."""
    from anjian.enterprises.models import Enterprise

    enterprise = Enterprise.objects.restrict(request.user, VIEW).filter(pk=enterprise_id).first()
    if enterprise is None:
        raise Http404
    try:
        services_colours.recompute_enterprise(enterprise.pk, actor=request.user,
                                              reason=stored_text(RECOMPUTE_REASON))
    except services_colours.NotAllowed:
        raise Http404 from None
    messages.success(request, _("已重新计算风险等级。"))
    return redirect(reverse("enterprises:enterprise_detail", args=[enterprise.pk]) + "#risk-colour")


def enterprise_panel(request: Any, enterprise: Any) -> dict[str, Any] | None:
    """The enterprise page's 风险等级 section: its colours with every reason (none for who may not view them)."""
    user = request.user
    if jurisdiction_of(user, VIEW, EnterpriseColour).nothing:
        return None
    colour = selectors_colours.enterprise_colour(user=user, enterprise_id=enterprise.pk)
    probe = colour or EnterpriseColour(enterprise=enterprise)
    return {
        "colour": colour,
        "reasons": colour.reasons if colour else [],
        "recompute_url": reverse("risk:colour_recompute", args=[enterprise.pk]) if allows(user, RECOMPUTE, probe)
        else None,
        "method": colour_method.METHOD,
        "badges": {value: tables_colours.colour_badge(value, label) for value, label in RiskColour.choices},
    }
