from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ModuleConfig


class HazardsConfig(ModuleConfig):
    """隐患排查治理 (issue 8). Its parts declare their sidebar entries, API routes and loaders here."""

    name = "anjian.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")
    url_prefix = "hazards/"
    nav = ()
    api = ()
    enterprise_panels = ()
    reference = ()
    demo = ()
