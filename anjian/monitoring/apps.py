from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ApiRoute, ModuleConfig, NavEntry


class MonitoringConfig(ModuleConfig):
    """重大危险源监测预警 (issue 10): the register of sensors (item 1). Ingest, readings and alarms come later."""

    name = "anjian.monitoring"
    label = "monitoring"
    verbose_name = _("重大危险源监测预警")
    url_prefix = "monitoring/"
    nav = (
        NavEntry(_("监测传感器"), "monitoring:sensor_list", "bi-broadcast", model="monitoring.Sensor", order=100),
    )
    api = (
        ApiRoute("sensors", "anjian.monitoring.api.SensorViewSet", "sensor"),
    )
