"""The home dashboard and the enterprise map. Reads go through anjian.dashboard.selectors (restrict() first)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe

from anjian.accounts.roles import ROLES, Home, Reach
from anjian.core.scope import VIEW, jurisdiction_of
from anjian.dashboard import selectors
from anjian.enterprises import selectors as enterprise_selectors
from anjian.enterprises.choices import FLAG_FIELDS, SupervisionDomain
from anjian.hazards import selectors_stats as hazard_stats
from anjian.hazards.choices import HazardLevel, HazardStatus
from anjian.regions import selectors as region_selectors
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region

# A placeholder id reversed into the detail URL; the map script puts the clicked point's id in its place.
DETAIL_ID_PLACEHOLDER = 999999999
DASHBOARD_CODE_PLACEHOLDER = "000000000000"

# Roles whose reach lies inside their own region's subtree (Reach.REGION, and departments: a region and domains).
REGION_BOUND_ROLES = frozenset(role for role, spec in ROLES.items() if spec.reach in (Reach.REGION, Reach.DEPARTMENT))

# Compact JSON: the points answer for a whole city is megabytes, so no spaces and Chinese names unescaped.
COMPACT_JSON = {"separators": (",", ":"), "ensure_ascii": False}


def _with_query(url: str, **params: str) -> str:
    return f"{url}?{urlencode(params)}" if params else url


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.home is Home.ENTERPRISE:
        enterprise = selectors.own_enterprise(user=user)
        warnings = (
            enterprise_selectors.expiry_warnings(enterprise=enterprise, as_of=timezone.localdate())
            if enterprise
            else []
        )
        return render(request, "dashboard/home_enterprise.html", {"enterprise": enterprise, "warnings": warnings})
    return _overview(request, None)


@require_safe
def region_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    """The dashboard of one region (city, town or village) in the user's jurisdiction; 404 for any other code."""
    if request.user.home is Home.ENTERPRISE:
        raise Http404
    region = selectors.dashboard_region(user=request.user, code=code)
    if region is None:
        raise Http404
    return _overview(request, region)


def _hazard_section(user, region: Region | None, within: Region | None) -> dict | None:
    """The hazard counts of the dashboard (issue 8 item 7): open by status, 重大, overdue, listed, and the
    rectification rate this year, in one aggregate over the gate. Each count carries the hazard list's query string
    for the same filter (the template puts the list's URL before it); None for someone who sees no hazards."""
    from anjian.hazards.models import Hazard

    if jurisdiction_of(user, VIEW, Hazard).nothing:
        return None
    totals = hazard_stats.hazard_totals(user=user, region=within)
    scope = {"town": region.code} if region else {}
    statuses = [
        {"label": status.label, "count": totals[status.value], "query": _with_query("", **scope, status=status.value)}
        for status in HazardStatus if status != HazardStatus.CLOSED
    ]
    return {
        "totals": totals,
        "statuses": statuses,
        "major": _with_query("", **scope, level=HazardLevel.MAJOR),
        "overdue": _with_query("", **scope, overdue="true"),
        "listed": _with_query("", **scope, listed="true"),
        "stats_url": reverse("hazards:hazard_stats"),
    }


def _own_region(user) -> Region | None:
    """The region of a staff user whose reach lies inside its subtree (town and village staff, departments)."""
    if getattr(user, "role", None) in REGION_BOUND_ROLES:
        return user.region
    return None


def _overview(request: HttpRequest, region: Region | None) -> HttpResponse:
    """Counts, charts and warnings of `region` (or the user's whole reach on the home page); every count is a link
    to the list it counts, filtered the same way (the region's subtree and the count's own filter)."""
    user = request.user
    list_url = reverse("enterprises:enterprise_list")
    scope = {"region": region.code} if region else {}
    # On the home page a town supervisor's or grid worker's counts are also narrowed to their own region's subtree:
    # the same rows (their reach lies inside it), but the database then starts from that region's few villages
    # instead of scanning every enterprise of the city (see selectors._within).
    within = region or _own_region(user)
    totals = selectors.enterprise_totals(user=user, as_of=timezone.localdate(), region=within)
    records = selectors.expiring_record_counts(user=user, region=within)
    domains = selectors.domain_counts(user=user, region=within)
    cards = [
        {
            "label": _("生产经营单位"),
            "count": totals["total"],
            "url": _with_query(list_url, **scope),
            "colour": "primary",
        },
        {
            "label": _("危险化学品重大危险源"),
            "count": totals["major_hazard"],
            "url": _with_query(list_url, **scope, major_hazard="true"),
            "colour": "danger",
        },
        {
            "label": _("三小场所"),
            "count": totals["small_venue"],
            "url": _with_query(list_url, **scope, small_venue="true"),
            "colour": "info",
        },
        {
            "label": _("证照到期预警单位"),
            "count": totals["expiring"],
            "url": _with_query(list_url, **scope, expiring="true"),
            "colour": "warning",
        },
    ]
    # Every key-supervision flag, each a link to the list of those enterprises (e.g. 粉尘涉爆 in this town).
    flags = [
        {"name": name, "label": label, "count": totals[name], "url": _with_query(list_url, **scope, **{name: "true"})}
        for name, label in FLAG_FIELDS.items()
    ]
    expiring = [
        {
            "label": _("到期预警许可证"),
            "count": records["licence"],
            "url": _with_query(reverse("enterprises:licence_list"), **scope, expiring="true"),
        },
        {
            "label": _("到期预警安责险"),
            "count": records["insurance"],
            "url": _with_query(reverse("enterprises:insurance_list"), **scope, expiring="true"),
        },
        {
            "label": _("到期预警档案"),
            "count": records["archive"],
            "url": _with_query(reverse("enterprises:archive_list"), **scope, expiring="true"),
        },
    ]
    if region is None:
        towns = selectors.town_counts(user=user)
        # Someone who sees one town (a town supervisor, a grid worker) learns nothing from a single bar:
        # their chart breaks the town down by village instead.
        by_village = len(towns) == 1
    else:
        towns = selectors.town_counts(user=user) if region.level == RegionLevel.CITY else []
        by_village = region.level == RegionLevel.TOWN
    if by_village:
        areas, area_title = selectors.village_counts(user=user, region=within), _("各村（社区）生产经营单位数量")
    else:
        areas, area_title = towns, _("各镇街生产经营单位数量")
    area_rows = [
        {
            **row,
            # A bar opens that town's (village's) dashboard; its count in the table opens the list.
            "dashboard": reverse("region_dashboard", args=[row["code"]]),
            "url": _with_query(list_url, region=row["code"]),
        }
        for row in areas
    ]
    chart_data = {
        "areas": area_rows,
        "domains": [{**row, "url": _with_query(list_url, **scope, domain=row["domain"])} for row in domains],
        "labels": {
            "areas": area_title,
            "domains": _("各行业领域生产经营单位数量"),
            "count": _("数量"),
        },
    }
    context = {
        "region": region,
        "trail": selectors.region_trail(user=user, region=region) if region else [],
        "map_url": _with_query(reverse("map"), **scope),
        "cards": cards,
        "flags": flags,
        "expiring": expiring,
        "towns": towns,
        "areas": area_rows,
        "area_title": area_title,
        "domains": domains,
        "chart_data": chart_data,
        "warning_days": enterprise_selectors.warning_days(),
        "hazards": _hazard_section(user, region, within),
    }
    return render(request, "dashboard/home.html", context)


@require_safe
def enterprise_map(request: HttpRequest) -> HttpResponse:
    detail_url = reverse("enterprises:enterprise_detail", args=[DETAIL_ID_PLACEHOLDER])
    config = {
        "pointsUrl": reverse("map_points"),
        "townsUrl": reverse("map_towns"),
        # The clicked town's code replaces the placeholder: a click on a town area opens its dashboard.
        "dashboardUrl": reverse("region_dashboard", args=[DASHBOARD_CODE_PLACEHOLDER]),
        "dashboardPlaceholder": DASHBOARD_CODE_PLACEHOLDER,
        "detailUrl": detail_url,
        "detailPlaceholder": str(DETAIL_ID_PLACEHOLDER),
        "tileUrl": settings.ANJIAN_MAP_TILE_URL,
        "tileAttribution": settings.ANJIAN_MAP_TILE_ATTRIBUTION,
        "text": {
            "count": _("共 %(count)s 个单位"),
            "loading": _("正在加载…"),
            "error": _("加载失败："),
            "majorHazard": _("危险化学品重大危险源"),
            "details": _("查看详情"),
            "townDashboard": _("查看本镇街仪表盘"),
            "approximate": _("示意范围（由镇街中心点推算，非法定界线）"),
        },
    }
    flags = [
        {"name": name, "label": label, "checked": request.GET.get(name) in {"true", "True", "1"}}
        for name, label in FLAG_FIELDS.items()
    ]
    context = {
        "config": config,
        "domains": SupervisionDomain.choices,
        "selected_domain": request.GET.get("domain", ""),
        "flags": flags,
        "q": request.GET.get("q", ""),
        "region": request.GET.get("region", ""),
        "has_tiles": bool(settings.ANJIAN_MAP_TILE_URL),
        "outline_kinds": region_selectors.outline_kinds(user=request.user),
    }
    return render(request, "dashboard/map.html", context)


@require_safe
@gzip_page
@cache_control(private=True, no_store=True)
def map_points(request: HttpRequest) -> JsonResponse:
    """{"points": [[lat, lng, id, name, major_hazard], ...], "count": n}; bad filters answer 400."""
    points, errors = selectors.map_points(user=request.user, params=request.GET, request=request)
    if errors:
        body = {"code": "invalid", "message": _("筛选条件有误。"), "fields": errors}
        return JsonResponse(body, status=400, json_dumps_params=COMPACT_JSON)
    return JsonResponse({"points": points, "count": len(points)}, json_dumps_params=COMPACT_JSON)


@require_safe
@gzip_page
@cache_control(private=True, no_store=True)
def map_towns(request: HttpRequest) -> JsonResponse:
    """GeoJSON of the map background: city outline and labels of the towns the user may see."""
    return JsonResponse(
        selectors.map_geography(user=request.user),
        content_type="application/geo+json",
        json_dumps_params=COMPACT_JSON,
    )
