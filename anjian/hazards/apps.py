from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Role
from anjian.core.registry import DemoGenerator, ModuleConfig, NavEntry, ReferenceLoader

# Who reads the rectification statistics (a town, a department, the city); an enterprise has its own hazards list.
STATS_ROLES = frozenset({Role.CITY_ADMIN, Role.CITY_SUPERVISOR, Role.TOWN_SUPERVISOR, Role.DEPARTMENT_SUPERVISOR})


class HazardsConfig(ModuleConfig):
    """隐患排查治理 (issue 8). Its parts declare their sidebar entries, API routes and loaders here."""

    name = "anjian.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")
    url_prefix = "hazards/"
    nav = (
        # The overdue ladder and the statistics (issue 8 items 5 and 7).
        NavEntry(_("隐患统计"), "hazards:hazard_stats", "bi-bar-chart", model="hazards.Hazard", roles=STATS_ROLES,
                 order=64),
        NavEntry(_("逾期升级规则"), "hazards:ladderstep_list", "bi-bell", model="hazards.LadderStep", order=65),
    )
    api = ()
    enterprise_panels = ()
    reference = (
        ReferenceLoader(_("隐患逾期升级规则"), "anjian.hazards.ladder.load_ladder"),
    )
    demo = (
        DemoGenerator(_("隐患排查治理"), "anjian.hazards.demo.generate_for_demo"),
    )

    def ready(self) -> None:
        super().ready()
        from anjian.core import audit

        # The overdue job's escalations are audit events of their own (issue 8 item 5), not a workflow action.
        audit.register_label("hazard.escalate", _("隐患逾期升级"))
