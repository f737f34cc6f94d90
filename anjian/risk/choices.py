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
