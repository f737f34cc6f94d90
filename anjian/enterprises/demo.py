"""The demo city: a deterministic, plausible registry of Dongguan enterprises (issue 2 item 10).

Everything that describes an enterprise (village, domain, size, flags, names, USCC, coordinates, industry code,
licence numbers, the offsets of every validity date) comes from one `random.Random(seed)`, so a seed gives the
same city on every machine. Only two things follow the clock, on purpose: validity dates are offsets from the day
the generator runs (so expiry warnings always exist, ~5% of licences, policies and documents expiring within 30
days or expired), and the `created`/`updated` timestamps are the time of the run.

Rows are written with one multi-row statement per batch (executemany on SQLite, COPY on PostgreSQL) inside one
transaction, without the ORM's per-object work and without simple_history rows: generated data has no history.

Generated USCCs are "91" + "441900" + a 9-character organisation code starting with `DEMO_MARKER` + the GB 32100
check character; the marker is how `delete_generated` finds generated data again.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from anjian.core.bulk import insert_prepared
from anjian.core.progress import EVERY_ROWS, Progress, silent
from anjian.core.registry import DemoOptions
from anjian.enterprises.choices import (
    ArchiveDocumentType,
    EnterpriseSize,
    LicenceType,
    OperatingStatus,
    StandardizationGrade,
    SupervisionDomain,
)
from anjian.enterprises.models import ArchiveDocument, Enterprise, Industry, LiabilityInsurance, Licence
from anjian.regions.choices import RegionLevel
from anjian.regions.models import IndustrialPark, Region
from anjian.regions.services import city_outline
from anjian.standards import uscc

D = SupervisionDomain

# "91" 工商登记/企业 + "441900" 东莞市 (GB 32100-2015 positions 1–8).
USCC_PREFIX = "91441900"
# Positions 9–10 of every generated code. Real organisation codes of Dongguan companies start with digits or
# "MA"; "DM" marks demo data so `--replace` can delete exactly what was generated.
DEMO_MARKER = "DM"
USCC_CHARSET = uscc.CHARSET

# Dongguan's extent with a margin, as enforced by the Enterprise validators (issue 2, "Bad input").
LATITUDE_RANGE = (22.6, 23.2)
LONGITUDE_RANGE = (113.5, 114.3)
OFFSET_RADIUS_KM = 2.5
# How far an enterprise lies from its village's centre.
VILLAGE_RADIUS_KM = 0.6
KM_PER_DEGREE_LATITUDE = 111.32

EXPIRING_SHARE = 0.05
EXPIRY_WARNING_DAYS = 30

# Towns where manufacturing concentrates get more enterprises (relative weights; a town not named weighs 1).
TOWN_WEIGHTS = {
    "长安镇": 3.0, "虎门镇": 2.6, "厚街镇": 2.6, "塘厦镇": 2.5, "常平镇": 2.4, "大朗镇": 2.4, "凤岗镇": 2.0,
    "清溪镇": 2.0, "寮步镇": 2.0, "大岭山镇": 2.0, "东城街道": 2.0, "南城街道": 1.8, "黄江镇": 1.8, "松山湖": 1.5,
    "石碣镇": 1.5, "樟木头镇": 1.3, "横沥镇": 1.3, "万江街道": 1.3, "茶山镇": 1.2, "石排镇": 1.2, "桥头镇": 1.2,
    "莞城街道": 0.8, "洪梅镇": 0.6, "望牛墩镇": 0.6, "东莞港": 0.3, "东莞生态园": 0.3, "东莞滨海湾新区": 0.5,
}

# Supervision domain shares: mostly 工贸, few 危险化学品 (~2%) and 烟花爆竹 (~0.1%).
DOMAIN_WEIGHTS = {
    D.COMMERCE: 30.0, D.MACHINERY: 24.0, D.LIGHT_INDUSTRY: 18.0, D.TEXTILES: 8.0, D.BUILDING_MATERIALS: 2.5,
    D.METALLURGY: 0.8, D.NONFERROUS: 1.2, D.TOBACCO: 0.05, D.CONSTRUCTION: 4.0, D.ROAD_TRANSPORT: 3.0,
    D.WATERWAY: 0.3, D.SPECIAL_EQUIPMENT: 0.8, D.ELECTRIC_POWER: 0.3, D.GAS_PIPELINES: 0.3,
    D.HAZARDOUS_CHEMICALS: 2.0, D.FIREWORKS: 0.1, D.OTHER: 4.6,
}

# GB/T 4754-2017 小类 codes per domain, given as code prefixes resolved against the loaded Industry table.
DOMAIN_INDUSTRIES = {
    D.COMMERCE: ("51", "52"),
    D.MACHINERY: ("33", "34", "35", "38", "39", "40"),
    D.LIGHT_INDUSTRY: ("13", "14", "15", "19", "20", "21", "22", "23", "24", "29"),
    D.TEXTILES: ("17", "18"),
    D.BUILDING_MATERIALS: ("30",),
    D.METALLURGY: ("31", "3391"),
    D.NONFERROUS: ("32", "3392"),
    D.TOBACCO: ("16",),
    D.CONSTRUCTION: ("47", "48", "49", "50"),
    D.ROAD_TRANSPORT: ("5431", "5433", "5435", "5437", "5439", "5421"),
    D.WATERWAY: ("5523", "5532"),
    D.SPECIAL_EQUIPMENT: ("3411", "3332", "3431", "3435"),
    D.ELECTRIC_POWER: ("4411", "4412", "4416", "4420"),
    D.GAS_PIPELINES: ("4511", "4512", "4513"),
    D.HAZARDOUS_CHEMICALS: ("261", "264", "265", "266", "268", "5162", "5166", "5169", "5265"),
    D.FIREWORKS: ("2672", "5149", "5299"),
    D.OTHER: ("59", "62", "72", "80"),
}

# Words a company name uses for what it does, by GB/T 4754 大类 (first two digits), else by domain.
PRODUCT_WORDS_BY_DIVISION = {
    "13": ("农产品加工", "饲料"), "14": ("食品", "烘焙食品", "调味品"), "15": ("饮料", "茶业"),
    "17": ("纺织", "织造", "印染"), "18": ("服装", "服饰", "制衣"), "19": ("鞋业", "皮具", "箱包"),
    "20": ("木业", "木制品"), "21": ("家具", "家居"), "22": ("纸品", "包装材料"), "23": ("印刷", "彩印"),
    "24": ("玩具", "工艺品", "文具", "体育用品"), "29": ("塑胶制品", "橡胶制品", "塑料五金"),
    "30": ("建材", "玻璃制品", "陶瓷"), "31": ("钢铁", "钢材加工"), "32": ("铝业", "铜业", "有色金属"),
    "33": ("五金制品", "金属制品", "五金塑胶"), "34": ("机械设备", "精密机械", "自动化设备"),
    "35": ("模具", "机械制造", "智能装备"), "38": ("电器", "电线电缆", "电池", "照明"),
    "39": ("电子", "电子科技", "通讯设备", "智能科技"), "40": ("仪器仪表", "检测设备"),
    "26": ("化工", "新材料", "涂料", "化学品"), "51": ("贸易", "商贸", "实业"), "52": ("百货", "商业", "超市"),
}
PRODUCT_WORDS_BY_DOMAIN = {
    D.CONSTRUCTION: ("建筑工程", "建设工程", "装饰工程", "市政工程"),
    D.ROAD_TRANSPORT: ("物流", "运输", "货运"),
    D.WATERWAY: ("航运", "港务"),
    D.SPECIAL_EQUIPMENT: ("锅炉", "起重设备", "电梯工程", "压力容器"),
    D.ELECTRIC_POWER: ("电力", "能源", "热电"),
    D.GAS_PIPELINES: ("燃气", "天然气", "能源"),
    D.HAZARDOUS_CHEMICALS: ("化工", "化工贸易", "化学品", "石化", "新材料"),
    D.FIREWORKS: ("烟花爆竹", "烟花贸易"),
    D.TOBACCO: ("烟草",),
    D.OTHER: ("仓储", "餐饮管理", "物业管理", "科技"),
}
BRAND_CHARACTERS = (
    "恒达盛鑫隆宏信源丰泰华兴利佳美创精新达凯瑞祥安永荣昌盈富顺通广联德金科汇中力嘉锦益旺辉鸿腾骏伟志诚"
    "万嘉聚星宇昊晟卓越东南明润天成浩博远建立众和邦福康乐宝兆铭"
)
SURNAMES = (
    "陈李黄张梁刘林何罗王郑叶钟谢周吴杨邓卢冯蔡曾赖彭朱许徐莫苏胡郭袁方谭麦温邱姚区潘余高萧杜戴简肖吕"
)
GIVEN_CHARACTERS = "伟强明华建国志勇军平杰俊峰斌辉文浩宇鹏超丽敏静芳娟燕玲霞婷慧秀英红梅兰凤洁琳嘉健荣彬锦"
ROADS = ("工业路", "兴业路", "创业路", "振兴路", "富民路", "科技路", "环城路", "新园路", "育才路", "沿河路",
         "同富路", "发展大道", "园区大道", "商业街", "新村路", "康乐路")
PHONE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                  "156", "157", "158", "159", "180", "181", "186", "187", "188", "189")

SIZE_WEIGHTS = {EnterpriseSize.MICRO: 55, EnterpriseSize.SMALL: 35, EnterpriseSize.MEDIUM: 8,
                EnterpriseSize.LARGE: 2}
EMPLOYEES = {EnterpriseSize.MICRO: (2, 19), EnterpriseSize.SMALL: (20, 299), EnterpriseSize.MEDIUM: (300, 999),
             EnterpriseSize.LARGE: (1000, 8000)}
# 规模以上 (~15% overall): never micro.
ABOVE_SCALE_SHARE = {EnterpriseSize.MICRO: 0.0, EnterpriseSize.SMALL: 0.15, EnterpriseSize.MEDIUM: 0.9,
                     EnterpriseSize.LARGE: 1.0}
STATUS_WEIGHTS = {OperatingStatus.OPERATING: 94, OperatingStatus.SUSPENDED: 3, OperatingStatus.CLOSED: 2,
                  OperatingStatus.BANNED: 1}

INDUSTRIAL = frozenset({D.MACHINERY, D.LIGHT_INDUSTRY, D.TEXTILES, D.BUILDING_MATERIALS, D.METALLURGY,
                        D.NONFERROUS, D.TOBACCO, D.HAZARDOUS_CHEMICALS})
DUST_DOMAINS = frozenset({D.MACHINERY, D.LIGHT_INDUSTRY, D.TEXTILES, D.BUILDING_MATERIALS, D.METALLURGY,
                          D.NONFERROUS, D.TOBACCO})
AMMONIA_INDUSTRIES = ("13", "14", "15", "5117", "5123", "5124")
# 《安全生产责任保险实施办法》 第六条: the high-risk domains where 安责险 is compulsory.
INSURANCE_DOMAINS = frozenset({D.HAZARDOUS_CHEMICALS, D.FIREWORKS, D.METALLURGY, D.NONFERROUS, D.CONSTRUCTION,
                               D.ROAD_TRANSPORT, D.WATERWAY, D.CIVIL_EXPLOSIVES, D.FISHING_VESSELS})
INSURERS = (
    ("PICC", "中国人民财产保险股份有限公司东莞市分公司"),
    ("PAIC", "中国平安财产保险股份有限公司东莞分公司"),
    ("CPIC", "中国太平洋财产保险股份有限公司东莞中心支公司"),
    ("CCIC", "中华联合财产保险股份有限公司东莞中心支公司"),
    ("CLPC", "中国人寿财产保险股份有限公司东莞市中心支公司"),
)
HAZCHEM_PARK = "立沙岛精细化工园区"
HAZCHEM_PARK_TOWN = "沙田镇"
HAZCHEM_PARK_SHARE = 0.3
SONGSHAN_LAKE_PARK = "松山湖高新技术产业开发区"
SONGSHAN_LAKE_TOWN = "松山湖"

# The one small PDF every generated archive document points to (archive rows need a file; the content is moot).
SAMPLE_PDF_NAME = "archives/demo/demo-sample.pdf"
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
BATCH_SIZE = 5000


# Phases `generate` reports to its progress callback (the command's bar on a terminal).
GENERATING = "生成企业"
GENERATING_RECORDS = "生成证照档案"


class DemoError(Exception):
    """The demo city cannot be generated as asked; the message is for the person running the command."""


@dataclass
class DemoResult:
    enterprises: int = 0
    licences: int = 0
    insurances: int = 0
    archives: int = 0
    seconds: float = 0.0
    deleted: int = 0
    # What the apps above the registry deleted with the generated enterprises, a line each (DEPENDENT_DELETERS).
    deleted_dependents: list[str] = field(default_factory=list)


@dataclass
class _Town:
    code: str
    name: str
    short_name: str
    latitude: float
    longitude: float
    villages: list[tuple[int, str]] = field(default_factory=list)  # (region id, short village name)


# ---------------------------------------------------------------------------------------------------------------
# Geometry: a scanline point-in-polygon test, fast enough for 200,000 points against a 2,700-vertex outline.


class CityOutline:
    """Point-in-polygon over the city outline's rings (even-odd rule), answered from cached scanlines.

    Each latitude is snapped to a 0.0005° (~55 m) scanline whose edge crossings are computed once; a query is then
    a bisect. That resolution is far finer than the outline's own accuracy (GCJ-02, see regions/data/SOURCES.md).
    """

    STEP = 0.0005

    def __init__(self, rings: Sequence[Sequence[Sequence[float]]]):
        self.edges = [
            (ring[i][0], ring[i][1], ring[(i + 1) % len(ring)][0], ring[(i + 1) % len(ring)][1])
            for ring in rings
            for i in range(len(ring))
        ]
        self._rows: dict[int, list[float]] = {}

    @classmethod
    def from_geojson(cls, feature: dict | None) -> CityOutline | None:
        if not feature:
            return None
        geometry = feature.get("geometry", feature)
        if geometry.get("type") == "Polygon":
            rings = geometry["coordinates"]
        elif geometry.get("type") == "MultiPolygon":
            rings = [ring for polygon in geometry["coordinates"] for ring in polygon]
        else:
            return None
        return cls(rings)

    def _crossings(self, row: int) -> list[float]:
        crossings = self._rows.get(row)
        if crossings is None:
            y = (row + 0.5) * self.STEP
            crossings = sorted(
                x1 + (y - y1) * (x2 - x1) / (y2 - y1) for x1, y1, x2, y2 in self.edges if (y1 > y) != (y2 > y)
            )
            self._rows[row] = crossings
        return crossings

    def contains(self, longitude: float, latitude: float) -> bool:
        crossings = self._crossings(math.floor(latitude / self.STEP))
        return bisect.bisect_left(crossings, longitude) % 2 == 1


def inside_city(latitude: float, longitude: float, outline: CityOutline | None) -> bool:
    if not LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]:
        return False
    if not LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]:
        return False
    return outline is None or outline.contains(longitude, latitude)


# ---------------------------------------------------------------------------------------------------------------
# Reference data the generator needs, read once.


def _short_town_name(name: str) -> str:
    for suffix in ("街道", "镇"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name.removeprefix("东莞")


def _short_village_name(name: str) -> str:
    for suffix in ("社区居民委员会", "居民委员会", "村民委员会", "村委会", "居委会"):
        if name.endswith(suffix):
            return name[: -len(suffix)] + ("社区" if "居" in suffix else "村")
    return name


def _load_towns() -> list[_Town]:
    towns = {
        code: _Town(code=code, name=name, short_name=_short_town_name(name), latitude=float(lat), longitude=float(lng))
        for code, name, lat, lng in Region.objects.filter(level=RegionLevel.TOWN, latitude__isnull=False)
        .order_by("code")
        .values_list("code", "name", "latitude", "longitude")
    }
    for region_id, name, town_code in (
        Region.objects.filter(level=RegionLevel.VILLAGE).order_by("code").values_list("id", "name", "parent__code")
    ):
        if town_code in towns:
            towns[town_code].villages.append((region_id, _short_village_name(name)))
    result = [town for town in towns.values() if town.villages]
    if not result:
        raise DemoError("没有可用的村（社区）区划或镇街中心坐标：请先运行 anjian load-reference。")
    return result


def _industry_codes() -> dict[str, list[str]]:
    leaves = list(Industry.objects.filter(level=4).order_by("code").values_list("code", flat=True))
    if not leaves:
        raise DemoError("国民经济行业分类未加载：请先运行 anjian load-reference。")
    by_domain = {}
    for domain, prefixes in DOMAIN_INDUSTRIES.items():
        codes = [code for code in leaves if code.startswith(prefixes) and code not in {"2671"}]
        if not codes:
            raise DemoError(f"行业领域 {domain} 没有匹配的国民经济行业小类代码。")
        by_domain[domain] = codes
    return by_domain


# ---------------------------------------------------------------------------------------------------------------
# The generator proper.


def _weighted(rng: random.Random, table: dict) -> Iterator:
    """An endless stream of keys of `table` drawn with its weights (cumulative weights computed once)."""
    keys = list(table)
    cumulative = []
    total = 0.0
    for key in keys:
        total += table[key]
        cumulative.append(total)
    while True:
        yield keys[bisect.bisect_right(cumulative, rng.random() * total)]


class _Generator:
    def __init__(self, *, seed: int, today: dt.date):
        self.rng = random.Random(seed)
        self.seed = seed
        self.village_centres: dict[int, tuple[float, float]] = {}
        self.today = today
        self.towns = _load_towns()
        self.town_by_name = {town.name: town for town in self.towns}
        self.industries = _industry_codes()
        parks = dict(IndustrialPark.objects.values_list("name", "id"))
        self.hazchem_park_id = parks.get(HAZCHEM_PARK)
        self.songshan_park_id = parks.get(SONGSHAN_LAKE_PARK)
        self.outline = CityOutline.from_geojson(city_outline())
        rng = self.rng
        self.town_stream = _weighted(rng, {i: TOWN_WEIGHTS.get(t.name, 1.0) for i, t in enumerate(self.towns)})
        self.domain_stream = _weighted(rng, DOMAIN_WEIGHTS)
        self.size_stream = _weighted(rng, SIZE_WEIGHTS)
        self.status_stream = _weighted(rng, STATUS_WEIGHTS)
        self.usccs: set[str] = set()
        self.names: set[str] = set()
        self.serials: dict[str, int] = {}

    # -- small parts -------------------------------------------------------------------------------------------

    def pick(self, items: Sequence):
        """random.choice without its rejection loop: about twice as fast, and the bias (< 2⁻⁴⁰) is moot here."""
        return items[int(self.rng.random() * len(items))]

    def person(self) -> str:
        rng = self.rng
        given = self.pick(GIVEN_CHARACTERS)
        if rng.random() < 0.75:
            given += self.pick(GIVEN_CHARACTERS)
        return self.pick(SURNAMES) + given

    def phone(self) -> str:
        return self.pick(PHONE_PREFIXES) + f"{self.rng.randrange(100_000_000):08d}"

    def uscc(self) -> str:
        rng = self.rng
        while True:
            number = rng.randrange(len(USCC_CHARSET) ** 7)
            characters = []
            for _ in range(7):
                number, digit = divmod(number, len(USCC_CHARSET))
                characters.append(USCC_CHARSET[digit])
            body = USCC_PREFIX + DEMO_MARKER + "".join(characters)
            code = body + uscc.check_character(body)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def name(self, town: _Town, domain: str, industry: str) -> str:
        rng = self.rng
        words = PRODUCT_WORDS_BY_DIVISION.get(industry[:2]) or PRODUCT_WORDS_BY_DOMAIN.get(domain) or ("实业",)
        for attempt in range(50):
            brand = "".join(rng.sample(BRAND_CHARACTERS, 2 if attempt < 10 else 3))
            prefix = "东莞市" if rng.random() < 0.5 else "东莞"
            candidate = f"{prefix}{town.short_name}{brand}{self.pick(words)}有限公司"
            if candidate not in self.names:
                self.names.add(candidate)
                return candidate
        raise DemoError("无法生成不重复的企业名称。")

    def _offset(self, rng: random.Random, latitude: float, longitude: float, radius_km: float) -> tuple[float, float]:
        """A point uniformly within `radius_km` of (latitude, longitude) and inside the city, or the centre."""
        cos_lat = math.cos(math.radians(latitude))
        for _attempt in range(40):
            distance = radius_km * math.sqrt(rng.random())
            bearing = rng.random() * 2 * math.pi
            lat = latitude + distance * math.cos(bearing) / KM_PER_DEGREE_LATITUDE
            lng = longitude + distance * math.sin(bearing) / (KM_PER_DEGREE_LATITUDE * cos_lat)
            if inside_city(lat, lng, self.outline):
                return lat, lng
        # A centre on the outline's edge: the centre itself is still inside Dongguan's extent.
        return latitude, longitude

    def village_centre(self, town: _Town, region_id: int) -> tuple[float, float]:
        """Where a village's enterprises cluster: a fixed point of the town, the same for a seed in any order."""
        if region_id not in self.village_centres:
            rng = random.Random(f"{self.seed}-village-{region_id}")
            # Village centre plus spread stays within OFFSET_RADIUS_KM of the town centre.
            radius = OFFSET_RADIUS_KM - VILLAGE_RADIUS_KM
            self.village_centres[region_id] = self._offset(rng, town.latitude, town.longitude, radius)
        return self.village_centres[region_id]

    def point(self, town: _Town, region_id: int) -> tuple[Decimal, Decimal]:
        """Enterprises gather around their village (no village outlines exist; see regions/data/SOURCES.md)."""
        latitude, longitude = self.village_centre(town, region_id)
        lat, lng = self._offset(self.rng, latitude, longitude, VILLAGE_RADIUS_KM)
        return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")

    def valid_to(self, *, longest_days: int) -> dt.date:
        """An expiry date: ~5% expired (up to 90 days ago) or expiring within 30 days, the rest later."""
        rng = self.rng
        if rng.random() < EXPIRING_SHARE:
            offset = rng.randint(-90, EXPIRY_WARNING_DAYS)
        else:
            offset = rng.randint(EXPIRY_WARNING_DAYS + 1, longest_days)
        return self.today + dt.timedelta(days=offset)

    def serial(self, kind: str) -> int:
        self.serials[kind] = self.serials.get(kind, 0) + 1
        return self.serials[kind]

    # -- one enterprise and its records ------------------------------------------------------------------------

    def enterprise(self) -> dict:
        rng = self.rng
        domain = next(self.domain_stream)
        if domain == D.HAZARDOUS_CHEMICALS and HAZCHEM_PARK_TOWN in self.town_by_name and rng.random() < (
            HAZCHEM_PARK_SHARE
        ):
            town = self.town_by_name[HAZCHEM_PARK_TOWN]
            park_id = self.hazchem_park_id
        else:
            town = self.towns[next(self.town_stream)]
            park_id = self.songshan_park_id if town.name == SONGSHAN_LAKE_TOWN else None
        region_id, village = self.pick(town.villages)
        industry = self.pick(self.industries[domain])
        size = next(self.size_stream)
        if domain == D.FIREWORKS or (domain == D.HAZARDOUS_CHEMICALS and industry.startswith("5")):
            # Fireworks shops and chemical traders are small businesses.
            size = EnterpriseSize.MICRO if rng.random() < 0.6 else EnterpriseSize.SMALL
        low, high = EMPLOYEES[size]
        hazchem = domain == D.HAZARDOUS_CHEMICALS
        manufacturer = hazchem and industry.startswith("26")
        latitude, longitude = self.point(town, region_id)
        grade, grade_expires = "", None
        if size != EnterpriseSize.MICRO and rng.random() < (0.6 if hazchem else 0.12):
            grade = self.pick(
                (StandardizationGrade.GRADE_2, StandardizationGrade.GRADE_3, StandardizationGrade.GRADE_3)
            )
        elif size == EnterpriseSize.MICRO and rng.random() < 0.05:
            grade = StandardizationGrade.SMALL_MICRO
        if grade:
            grade_expires = self.valid_to(longest_days=3 * 365)
        small_venue_candidate = domain in {D.COMMERCE, D.LIGHT_INDUSTRY} and size in {
            EnterpriseSize.MICRO, EnterpriseSize.SMALL,
        }
        return {
            "uscc": self.uscc(),
            "name": self.name(town, domain, industry),
            "legal_representative": self.person(),
            "safety_principal": self.person(),
            "safety_principal_phone": self.phone(),
            "address": f"广东省东莞市{town.name}{village}{self.pick(ROADS)}{rng.randint(1, 388)}号",
            "region_id": region_id,
            "park_id": park_id,
            "latitude": latitude,
            "longitude": longitude,
            "industry_id": industry,
            "domain": str(domain),
            "size": str(size),
            "employee_count": rng.randint(low, high),
            "operating_status": str(next(self.status_stream)),
            "key_process": manufacturer and rng.random() < 0.25,
            "key_chemical": hazchem and rng.random() < 0.35,
            "major_hazard": hazchem and rng.random() < 0.15,
            "dust_explosion": domain in DUST_DOMAINS and rng.random() < 0.056,
            "ammonia_refrigeration": industry.startswith(AMMONIA_INDUSTRIES) and rng.random() < 0.07,
            "confined_space": (domain in INDUSTRIAL or domain == D.CONSTRUCTION) and rng.random() < 0.135,
            "small_venue": small_venue_candidate and rng.random() < 0.58,
            "above_scale": rng.random() < ABOVE_SCALE_SHARE[size],
            "standardization_grade": str(grade),
            "standardization_expires": grade_expires,
        }

    def licences(self, row: dict) -> list[dict]:
        rng = self.rng
        kinds: list[tuple[str, str, str]] = []
        year = self.today.year
        city, province = "东莞市应急管理局", "广东省应急管理厅"
        if row["domain"] == D.FIREWORKS:
            n = self.serial("fireworks")
            kinds.append((LicenceType.FIREWORKS_OPERATION, f"（粤莞）YH经许零字〔{year}〕{n:05d}号", city))
        elif row["domain"] == D.HAZARDOUS_CHEMICALS:
            if row["industry_id"].startswith("26"):
                n = self.serial("production")
                kinds.append((LicenceType.SAFETY_PRODUCTION, f"（粤）WH安许证字〔{year}〕{n:05d}号", province))
                n = self.serial("registration")
                kinds.append((LicenceType.HAZCHEM_REGISTRATION, f"44{n:07d}", "应急管理部化学品登记中心"))
            else:
                n = self.serial("operation")
                kinds.append((LicenceType.HAZCHEM_OPERATION, f"粤莞应急经字〔{year}〕{n:06d}号", city))
            if rng.random() < 0.1:
                n = self.serial("precursor")
                kinds.append((LicenceType.PRECURSOR_CHEMICALS, f"（粤）3S{n:08d}", city))
        records = []
        for licence_type, number, issuer in kinds:
            valid_to = self.valid_to(longest_days=3 * 365)
            records.append({
                "licence_type": str(licence_type), "number": number, "issuer": issuer,
                "valid_from": valid_to - dt.timedelta(days=3 * 365), "valid_to": valid_to,
            })
        return records

    def insurance(self, row: dict) -> dict | None:
        rng = self.rng
        share = 0.85 if row["domain"] in INSURANCE_DOMAINS else (0.05 if row["domain"] in INDUSTRIAL else 0.0)
        if share == 0.0 or rng.random() >= share:
            return None
        code, insurer = self.pick(INSURERS)
        valid_to = self.valid_to(longest_days=365)
        return {
            "insurer": insurer,
            "policy_number": f"{code}AJ{self.today.year}4419{self.serial('policy'):08d}",
            "insured_persons": row["employee_count"],
            "coverage_per_person_yuan": Decimal(self.pick((300_000, 400_000, 500_000, 600_000, 800_000))),
            "valid_from": valid_to - dt.timedelta(days=365),
            "valid_to": valid_to,
        }

    def archive(self, row: dict) -> dict | None:
        rng = self.rng
        high_risk = row["domain"] in INSURANCE_DOMAINS or row["major_hazard"]
        if rng.random() >= (0.6 if high_risk else 0.04):
            return None
        if row["domain"] == D.HAZARDOUS_CHEMICALS and rng.random() < 0.5:
            doc_type, title = ArchiveDocumentType.SAFETY_ASSESSMENT, "安全现状评价报告"
        else:
            doc_type, title = ArchiveDocumentType.EMERGENCY_PLAN, "生产安全事故应急预案"
        return {
            "doc_type": str(doc_type), "title": f"{row['name']}{title}", "file": SAMPLE_PDF_NAME,
            "valid_to": self.valid_to(longest_days=3 * 365), "note": "",
        }


# ---------------------------------------------------------------------------------------------------------------
# Writing.


@contextmanager
def _bulk_load_cache() -> Iterator[None]:
    """On SQLite, a 256 MB page cache while loading: index pages of random keys (USCC, name) stay in memory."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        previous = cursor.fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")


def _analyze(*tables: type[models.Model]) -> None:
    """Refresh the planner's statistics after a bulk load, so the first lists use the right indexes."""
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _write_sample_pdf() -> None:
    path = Path(settings.MEDIA_ROOT) / SAMPLE_PDF_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(SAMPLE_PDF)


def generated_enterprises() -> models.QuerySet:
    """The enterprises this generator made (by their USCC marker). Internal: not for display."""
    return Enterprise.objects.filter(uscc__startswith=USCC_PREFIX + DEMO_MARKER)


# Apps above the registry whose demo records point at the generated enterprises (the hazards app's hazards PROTECT
# them, issue 8) register here how they delete those records in bulk: the registry may not import them (layers
# point down). Each deleter takes the generated enterprises' ids (a subquery) and answers a line for the terminal.
DEPENDENT_DELETERS: list[Callable[[models.QuerySet], str]] = []


def delete_dependents_with(deleter: Callable[[models.QuerySet], str]) -> None:
    """Register `deleter` to run before the generated enterprises are deleted (once, however often it is called)."""
    if deleter not in DEPENDENT_DELETERS:
        DEPENDENT_DELETERS.append(deleter)


def delete_generated(deleted_dependents: list[str] | None = None) -> int:
    """Delete generated enterprises and their records with set-based SQL (no per-row signals, no history).

    Demo accounts made by `anjian demo` (usernames starting "demo_") that point at a generated enterprise go too,
    and the records of the apps in DEPENDENT_DELETERS (their lines are added to `deleted_dependents`); any other
    account or record that points at one stops the deletion with a clear message.
    """
    from anjian.accounts.models import User

    ids = generated_enterprises().values("pk")
    users = User.objects.filter(enterprise__in=ids)
    others = list(users.exclude(username__startswith="demo_").values_list("username", flat=True)[:10])
    if others:
        raise DemoError(f"以下用户关联到演示企业，请先删除或改派：{'、'.join(others)}")
    for deleter in DEPENDENT_DELETERS:
        line = deleter(ids)
        if line and deleted_dependents is not None:
            deleted_dependents.append(line)
    for user in users:
        user.delete()
    User.assigned_enterprises.through.objects.filter(enterprise__in=ids).delete()
    known = {Licence, LiabilityInsurance, ArchiveDocument, User, User.assigned_enterprises.through}
    for relation in Enterprise._meta.related_objects:
        related = relation.related_model
        if related in known or related._meta.app_label == "enterprises" and related.__name__.startswith("Historical"):
            continue
        if related._base_manager.filter(**{f"{relation.field.name}__in": ids}).exists():
            raise DemoError(f"{related._meta.verbose_name}中有记录关联到演示企业，不能删除演示数据。")
    for model in (Licence, LiabilityInsurance, ArchiveDocument):
        model._base_manager.filter(enterprise__in=ids)._raw_delete(connection.alias)
    from anjian.enterprises.demo_photos import delete_demo_photos

    # Photos point at their enterprise by content type and id, not by a foreign key: remove them explicitly.
    delete_demo_photos()
    return generated_enterprises()._raw_delete(connection.alias)


ENTERPRISE_FIELDS = (
    "created", "updated", "uscc", "name", "legal_representative", "safety_principal", "safety_principal_phone",
    "address", "region_id", "park_id", "latitude", "longitude", "industry_id", "domain", "size", "employee_count",
    "operating_status", "key_process", "key_chemical", "major_hazard", "dust_explosion", "ammonia_refrigeration",
    "confined_space", "small_venue", "above_scale", "standardization_grade", "standardization_expires",
)
LICENCE_FIELDS = ("created", "updated", "enterprise_id", "licence_type", "number", "issuer", "valid_from",
                  "valid_to", "superseded")
INSURANCE_FIELDS = ("created", "updated", "enterprise_id", "insurer", "policy_number", "insured_persons",
                    "coverage_per_person_yuan", "valid_from", "valid_to", "superseded")
ARCHIVE_FIELDS = ("created", "updated", "enterprise_id", "doc_type", "title", "file", "valid_to", "superseded",
                  "note")


def generate(
    *, enterprises: int, seed: int, replace: bool = False, today: dt.date | None = None, progress: Progress = silent
) -> DemoResult:
    """Generate `enterprises` enterprises for `seed` (see the module docstring); refuses a non-empty registry.

    `today` is the base of every validity date (default: today's local date). `progress` hears the records made
    (anjian.core.progress; the command draws it on a terminal).
    """
    if enterprises < 1:
        raise DemoError("企业数量必须大于 0。")
    started = time.perf_counter()
    result = DemoResult()
    stamp = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(), _bulk_load_cache():
        if replace:
            result.deleted = delete_generated(result.deleted_dependents)
        if Enterprise.objects.exists():
            if replace:
                raise DemoError("登记库中还有非演示生成的企业，不能生成演示数据。")
            raise DemoError("登记库不为空：如需替换已生成的演示数据，请加 --replace。")
        generator = _Generator(seed=seed, today=today or timezone.localdate())
        adapt_date = connection.ops.adapt_datefield_value
        rows = []
        for number in range(1, enterprises + 1):
            rows.append(generator.enterprise())
            if number % EVERY_ROWS == 0 or number == enterprises:
                progress(number, enterprises, GENERATING)
        result.enterprises = insert_prepared(
            Enterprise,
            ENTERPRISE_FIELDS,
            (
                (stamp, stamp, *(adapt_date(row[f]) if f == "standardization_expires" else row[f]
                                 for f in ENTERPRISE_FIELDS[2:]))
                for row in rows
            ),
        )
        ids = dict(generated_enterprises().values_list("uscc", "pk"))
        licences, insurances, archives = [], [], []
        for number, row in enumerate(rows, start=1):
            if number % EVERY_ROWS == 0 or number == enterprises:
                progress(number, enterprises, GENERATING_RECORDS)
            enterprise_id = ids[row["uscc"]]
            for licence in generator.licences(row):
                licences.append((stamp, stamp, enterprise_id, licence["licence_type"], licence["number"],
                                 licence["issuer"], adapt_date(licence["valid_from"]),
                                 adapt_date(licence["valid_to"]), False))
            insurance = generator.insurance(row)
            if insurance:
                insurances.append((stamp, stamp, enterprise_id, insurance["insurer"], insurance["policy_number"],
                                   insurance["insured_persons"], insurance["coverage_per_person_yuan"],
                                   adapt_date(insurance["valid_from"]), adapt_date(insurance["valid_to"]), False))
            archive = generator.archive(row)
            if archive:
                archives.append((stamp, stamp, enterprise_id, archive["doc_type"], archive["title"],
                                 archive["file"], adapt_date(archive["valid_to"]), False, archive["note"]))
        result.licences = insert_prepared(Licence, LICENCE_FIELDS, licences)
        result.insurances = insert_prepared(LiabilityInsurance, INSURANCE_FIELDS, insurances)
        result.archives = insert_prepared(ArchiveDocument, ARCHIVE_FIELDS, archives)
        _analyze(Enterprise, Licence, LiabilityInsurance, ArchiveDocument)
    if result.archives:
        _write_sample_pdf()
    result.seconds = time.perf_counter() - started
    return result


def generate_for_demo(options: DemoOptions) -> str:
    """`anjian demo`'s step for the registry: generate the demo city when the registry is empty."""
    count = Enterprise._base_manager.count()
    if count:
        return f"登记库已有 {count} 家企业，不再生成演示数据。"
    try:
        result = generate(enterprises=options.enterprises, seed=options.seed)
    except DemoError as error:
        raise CommandError(str(error)) from error
    return (
        f"已生成企业 {result.enterprises} 家、许可证 {result.licences} 张、安责险 {result.insurances} 份、"
        f"档案 {result.archives} 份（种子 {options.seed}），用时 {result.seconds:.1f} 秒。"
    )
