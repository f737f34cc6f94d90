"""Choices of the monitoring app (issue 10 item 1), with Chinese labels and a colour per status."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SensorKind(models.TextChoices):
    """What a sensor measures (glossary: 液位、温度、压力、可燃气体 %LEL、有毒气体 ppm、流量)."""

    LEVEL = "level", _("液位")
    TEMPERATURE = "temperature", _("温度")
    PRESSURE = "pressure", _("压力")
    COMBUSTIBLE_GAS = "combustible_gas", _("可燃气体")
    TOXIC_GAS = "toxic_gas", _("有毒气体")
    FLOW = "flow", _("流量")
    OTHER = "other", _("其他")


class SensorStatus(models.TextChoices):
    """Whether the sensor is expected to report: only an active one can go offline or raise alarms (later items)."""

    ACTIVE = "active", _("运行")
    MAINTENANCE = "maintenance", _("维护")
    # A context of its own: "停用" elsewhere is the verb on an account (Deactivate), here the state.
    RETIRED = "retired", pgettext_lazy("sensor status", "停用")


SENSOR_STATUS_COLOURS = {
    SensorStatus.ACTIVE: "success",
    SensorStatus.MAINTENANCE: "warning",
    SensorStatus.RETIRED: "secondary",
}
