from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import REGULATOR_ROLES
from anjian.core.registry import ApiRoute, ModuleConfig, NavEntry, Panel, ReferenceLoader


class HazardsConfig(ModuleConfig):
    """隐患排查治理 (issue 8). Its parts declare their sidebar entries, API routes and loaders here."""

    name = "anjian.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")
    url_prefix = "hazards/"
    nav = (
        # Checklists and self-inspection (issue 8 items 1 and 2).
        NavEntry(_("排查清单"), "hazards:checklist_list", "bi-list-check", model="hazards.Checklist", order=70),
        NavEntry(_("企业自查"), "hazards:selfinspection_list", "bi-clipboard2-check", model="hazards.SelfInspection",
                 order=71),
        NavEntry(_("自查计划"), "hazards:schedule_list", "bi-calendar-check", model="hazards.InspectionSchedule",
                 order=72),
        NavEntry(_("漏查提醒"), "hazards:schedule_missed", "bi-calendar-x", model="hazards.InspectionSchedule",
                 roles=REGULATOR_ROLES, order=73),
    )
    api = (
        ApiRoute("checklists", "anjian.hazards.api.checklists.ChecklistViewSet", "checklist"),
        ApiRoute("inspection-schedules", "anjian.hazards.api.checklists.InspectionScheduleViewSet",
                 "inspectionschedule"),
        ApiRoute("self-inspections", "anjian.hazards.api.checklists.SelfInspectionViewSet", "selfinspection"),
    )
    enterprise_panels = (
        Panel("hazards/selfinspection_enterprise_panel.html", "anjian.hazards.views_checklists.enterprise_panel",
              order=60),
    )
    reference = (ReferenceLoader(_("排查清单"), "anjian.hazards.reference.load_checklists"),)
    demo = ()
