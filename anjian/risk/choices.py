from django.db import models
from django.utils.translation import gettext_lazy as _

from anjian.standards.levels import RiskLevel


class RiskUnitKind(models.TextChoices):
    """风险点 (双重预防): a piece of installation, an area, or a job (作业活动)."""

    INSTALLATION = "installation", _("设备设施")
    AREA = "area", _("场所区域")
    JOB = "job", _("作业活动")


class RiskColour(models.TextChoices):
    """The four 双重预防 levels (安委办〔2016〕11号), stored by their colour; the labels name level and colour."""

    RED = RiskLevel.MAJOR.colour, _("重大风险（红）")
    ORANGE = RiskLevel.HIGH.colour, _("较大风险（橙）")
    YELLOW = RiskLevel.MODERATE.colour, _("一般风险（黄）")
    BLUE = RiskLevel.LOW.colour, _("低风险（蓝）")


class AssessmentMethod(models.TextChoices):
    LEC = "LEC", _("作业条件危险性分析法（LEC）")
    LS = "LS", _("风险矩阵法（LS）")


class MeasureKind(models.TextChoices):
    """管控措施的类别 (issue 9 item 4: engineering, management, training, PPE, emergency)."""

    ENGINEERING = "engineering", _("工程技术措施")
    MANAGEMENT = "management", _("管理措施")
    TRAINING = "training", _("培训教育措施")
    PPE = "ppe", _("个体防护措施")
    EMERGENCY = "emergency", _("应急处置措施")


class ControlLevel(models.TextChoices):
    """管控层级: the level answerable for a measure (公司/车间/班组/岗位, issue 9 item 4)."""

    COMPANY = "company", _("公司级")
    WORKSHOP = "workshop", _("车间级")
    TEAM = "team", _("班组级")
    POST = "post", _("岗位级")


class CheckCycle(models.TextChoices):
    """How often a control measure is checked; each period yields one check item (issue 9 item 4)."""

    DAILY = "daily", _("每日")
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    YEARLY = "yearly", _("每年")


class CheckResult(models.TextChoices):
    PASS = "pass", _("落实")
    FAIL = "fail", _("未落实")
