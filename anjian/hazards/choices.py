"""Choices of 隐患排查治理 (docs/glossary.md: Hazard, Checklist, SelfInspection, ListedSupervision, PublicReport)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HazardLevel(models.TextChoices):
    GENERAL = "general", _("一般隐患")
    MAJOR = "major", _("重大隐患")


class HazardSource(models.TextChoices):
    SELF_INSPECTION = "self_inspection", _("企业自查")
    INSPECTION = "inspection", _("监管检查")
    GRID = "grid", _("网格巡查")
    PUBLIC_REPORT = "public_report", _("群众举报")
    ALARM = "alarm", _("监测报警")
    OTHER = "other", _("其他")


class HazardStatus(models.TextChoices):
    REPORTED = "reported", _("待整改")
    RECTIFYING = "rectifying", _("整改中")
    RECTIFIED = "rectified", _("待验收")
    CLOSED = "closed", _("已销号")


# Open hazards: every status before 销号 (the overdue job and the dashboards count these).
OPEN_STATUSES = (HazardStatus.REPORTED, HazardStatus.RECTIFYING, HazardStatus.RECTIFIED)

HAZARD_STATUS_COLOURS = {
    HazardStatus.REPORTED: "danger",
    HazardStatus.RECTIFYING: "warning",
    HazardStatus.RECTIFIED: "info",
    HazardStatus.CLOSED: "success",
}


class HazardCategory(models.TextChoices):
    """隐患类别: 基础管理类 and 现场管理类, the two groups regulators' hazard ledgers use."""

    BASIC_LICENCES = "basic_licences", _("基础管理-资质证照")
    BASIC_ORGANISATION = "basic_organisation", _("基础管理-安全生产管理机构及人员")
    BASIC_RESPONSIBILITY = "basic_responsibility", _("基础管理-安全生产责任制")
    BASIC_RULES = "basic_rules", _("基础管理-安全生产管理制度")
    BASIC_PROCEDURES = "basic_procedures", _("基础管理-安全操作规程")
    BASIC_TRAINING = "basic_training", _("基础管理-教育培训")
    BASIC_RECORDS = "basic_records", _("基础管理-安全生产管理档案")
    BASIC_INVESTMENT = "basic_investment", _("基础管理-安全生产投入")
    BASIC_EMERGENCY = "basic_emergency", _("基础管理-应急管理")
    BASIC_CONTRACTORS = "basic_contractors", _("基础管理-相关方管理")
    BASIC_OTHER = "basic_other", _("基础管理-其他")
    SITE_EQUIPMENT = "site_equipment", _("现场管理-生产设备设施及工艺")
    SITE_SPECIAL_EQUIPMENT = "site_special_equipment", _("现场管理-特种设备")
    SITE_PREMISES = "site_premises", _("现场管理-场所环境")
    SITE_BEHAVIOUR = "site_behaviour", _("现场管理-从业人员操作行为")
    SITE_FIRE = "site_fire", _("现场管理-消防安全")
    SITE_ELECTRICITY = "site_electricity", _("现场管理-用电安全")
    SITE_OCCUPATIONAL_HEALTH = "site_occupational_health", _("现场管理-职业卫生")
    SITE_CONFINED_SPACE = "site_confined_space", _("现场管理-有限空间")
    SITE_DUST = "site_dust", _("现场管理-粉尘防爆")
    SITE_HAZCHEM = "site_hazchem", _("现场管理-危险化学品")
    SITE_OTHER = "site_other", _("现场管理-其他")


class SupervisionLevel(models.TextChoices):
    """挂牌督办 by the city or by the hazard's town."""

    CITY = "city", _("市级挂牌督办")
    TOWN = "town", _("镇街挂牌督办")


class ChecklistStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PUBLISHED = "published", _("在用")
    RETIRED = "retired", _("已停用")


class CheckResult(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")
    NOT_APPLICABLE = "not_applicable", _("不适用")


class Frequency(models.TextChoices):
    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")


class LadderStepKind(models.TextChoices):
    REMINDER = "reminder", _("到期前提醒")
    ESCALATION = "escalation", _("逾期升级")


class PublicReportStatus(models.TextChoices):
    PENDING = "pending", _("待处理")
    ACCEPTED = "accepted", _("已受理")
    REJECTED = "rejected", _("不予受理")
