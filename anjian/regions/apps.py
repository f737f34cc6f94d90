from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ApiRoute, ModuleConfig, NavEntry, ReferenceLoader


class RegionsConfig(ModuleConfig):
    name = "anjian.regions"
    label = "regions"
    verbose_name = _("行政区划")
    url_prefix = "regions/"
    nav = (
        NavEntry(_("行政区划"), "regions:region_list", "bi-diagram-3", model="regions.Region", order=70),
        NavEntry(_("工业园区"), "regions:park_list", "bi-buildings", model="regions.IndustrialPark", order=80),
    )
    api = (
        ApiRoute("regions", "anjian.regions.api.views.RegionViewSet", "region"),
        ApiRoute("parks", "anjian.regions.api.views.IndustrialParkViewSet", "park"),
    )
    reference = (
        ReferenceLoader(_("行政区划与园区"), "anjian.regions.services.load_divisions"),
        ReferenceLoader(_("镇街示意范围"), "anjian.regions.services.load_approximate_outlines"),
    )
