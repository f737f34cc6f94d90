from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ModuleConfig, NavEntry


class DashboardConfig(ModuleConfig):
    name = "anjian.dashboard"
    label = "dashboard"
    verbose_name = _("首页与地图")
    url_prefix = ""
    nav = (
        NavEntry(_("首页"), "home", "bi-speedometer2", order=10),
        NavEntry(_("企业地图"), "map", "bi-geo-alt", model="enterprises.Enterprise", order=20),
    )
