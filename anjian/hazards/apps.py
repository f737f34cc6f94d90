from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ApiRoute, ModuleConfig, NavEntry, Panel


class HazardsConfig(ModuleConfig):
    """隐患排查治理 (issue 8). Its parts declare their sidebar entries, API routes and loaders here."""

    name = "anjian.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")
    url_prefix = "hazards/"
    nav = (
        NavEntry(_("隐患"), "hazards:hazard_list", "bi-exclamation-triangle", model="hazards.Hazard", order=62),
        NavEntry(_("挂牌督办"), "hazards:supervision_list", "bi-flag", model="hazards.Hazard", order=63),
    )
    api = (
        ApiRoute("hazards", "anjian.hazards.api.views.HazardViewSet", "hazard"),
    )
    enterprise_panels = (
        Panel("hazards/enterprise_panel_hazards.html", "anjian.hazards.views.enterprise_panel", order=20),
    )
    reference = ()
    demo = ()
