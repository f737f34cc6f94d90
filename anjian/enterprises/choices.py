"""Choices of the enterprise registry, with Chinese labels (docs/glossary.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SupervisionDomain(models.TextChoices):
    HAZARDOUS_CHEMICALS = "hazchem", _("危险化学品")
    FIREWORKS = "fireworks", _("烟花爆竹")
    METALLURGY = "metallurgy", _("工贸-冶金")
    NONFERROUS = "nonferrous", _("工贸-有色")
    BUILDING_MATERIALS = "building_materials", _("工贸-建材")
    MACHINERY = "machinery", _("工贸-机械")
    LIGHT_INDUSTRY = "light_industry", _("工贸-轻工")
    TEXTILES = "textiles", _("工贸-纺织")
    TOBACCO = "tobacco", _("工贸-烟草")
    COMMERCE = "commerce", _("工贸-商贸")
    CONSTRUCTION = "construction", _("建筑施工")
    ROAD_TRANSPORT = "road_transport", _("道路运输")
    WATERWAY = "waterway", _("水上交通")
    RAIL = "rail", _("轨道交通")
    SPECIAL_EQUIPMENT = "special_equipment", _("特种设备")
    CIVIL_EXPLOSIVES = "civil_explosives", _("民用爆炸物品")
    ELECTRIC_POWER = "electric_power", _("电力")
    AGRICULTURAL_MACHINERY = "agricultural_machinery", _("农业机械")
    FISHING_VESSELS = "fishing_vessels", _("渔业船舶")
    GAS_PIPELINES = "gas_pipelines", _("燃气/油气管道")
    OTHER = "other", _("其他")


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class OperatingStatus(models.TextChoices):
    OPERATING = "operating", _("在业")
    SUSPENDED = "suspended", _("停业")
    CLOSED = "closed", _("关闭")
    BANNED = "banned", _("取缔")


class StandardizationGrade(models.TextChoices):
    NONE = "", _("未达标")
    GRADE_1 = "1", _("一级")
    GRADE_2 = "2", _("二级")
    GRADE_3 = "3", _("三级")
    SMALL_MICRO = "small_micro", _("小微企业")


class LicenceType(models.TextChoices):
    SAFETY_PRODUCTION = "safety_production", _("安全生产许可证")
    HAZCHEM_OPERATION = "hazchem_operation", _("危险化学品经营许可证")
    HAZCHEM_USE = "hazchem_use", _("危险化学品安全使用许可证")
    HAZCHEM_REGISTRATION = "hazchem_registration", _("危险化学品登记证")
    FIREWORKS_OPERATION = "fireworks_operation", _("烟花爆竹经营（零售）许可证")
    PRECURSOR_CHEMICALS = "precursor_chemicals", _("非药品类易制毒化学品生产经营备案证明")
    OTHER = "other", _("其他")


class ArchiveDocumentType(models.TextChoices):
    SAFETY_ASSESSMENT = "safety_assessment", _("安全评价报告")
    EMERGENCY_PLAN = "emergency_plan", _("应急预案")
    MANAGEMENT_RULES = "management_rules", _("安全管理制度")
    OPERATING_PROCEDURES = "operating_procedures", _("安全操作规程")
    TRAINING_RECORD = "training_record", _("安全培训记录")
    INSPECTION_REPORT = "inspection_report", _("检测检验报告")
    CERTIFICATE = "certificate", _("人员资格证书")
    RESPONSIBILITY = "responsibility", _("安全生产责任制")
    OTHER = "other", _("其他")


class ExpiryState(models.TextChoices):
    VALID = "valid", _("有效")
    EXPIRING = "expiring", _("即将到期")
    EXPIRED = "expired", _("已过期")


EXPIRY_COLOURS = {ExpiryState.VALID: "success", ExpiryState.EXPIRING: "warning", ExpiryState.EXPIRED: "danger"}

# The flags of the registry (docs/glossary.md): field name → Chinese label.
FLAG_FIELDS = {
    "key_process": _("重点监管危险化工工艺"),
    "key_chemical": _("重点监管危险化学品"),
    "major_hazard": _("危险化学品重大危险源"),
    "dust_explosion": _("粉尘涉爆"),
    "ammonia_refrigeration": _("涉氨制冷"),
    "confined_space": _("有限空间作业"),
    "small_venue": _("三小场所"),
    "above_scale": _("规模以上"),
}
