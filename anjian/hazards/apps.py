from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import REGULATOR_ROLES
from anjian.core.registry import ApiRoute, DemoGenerator, ModuleConfig, NavEntry, Panel, ReferenceLoader


class HazardsConfig(ModuleConfig):
    """隐患排查治理 (issue 8). Its parts declare their sidebar entries, API routes and loaders here."""

    name = "anjian.hazards"
    label = "hazards"
    verbose_name = _("隐患排查治理")
    url_prefix = "hazards/"
    nav = (
        NavEntry(_("隐患"), "hazards:hazard_list", "bi-exclamation-triangle", model="hazards.Hazard", order=62),
        NavEntry(_("挂牌督办"), "hazards:supervision_list", "bi-flag", model="hazards.Hazard", order=63),
        # 群众举报 (issue 8 item 6): the regulators' list; the public pages are linked from the login page.
        NavEntry(_("群众举报"), "hazards:publicreport_list", "bi-megaphone", model="hazards.PublicReport", order=64),
        # Checklists and self-inspection (issue 8 items 1 and 2).
        NavEntry(_("排查清单"), "hazards:checklist_list", "bi-list-check", model="hazards.Checklist", order=70),
        NavEntry(_("企业自查"), "hazards:selfinspection_list", "bi-clipboard2-check", model="hazards.SelfInspection",
                 order=71),
        NavEntry(_("自查计划"), "hazards:schedule_list", "bi-calendar-check", model="hazards.InspectionSchedule",
                 order=72),
        NavEntry(_("漏查提醒"), "hazards:schedule_missed", "bi-calendar-x", model="hazards.InspectionSchedule",
                 roles=REGULATOR_ROLES, order=73),
        # The overdue ladder and the statistics (issue 8 items 5 and 7); an enterprise has its own hazards list.
        NavEntry(_("隐患统计"), "hazards:hazard_stats", "bi-bar-chart", model="hazards.Hazard", roles=REGULATOR_ROLES,
                 order=65),
        NavEntry(_("逾期升级规则"), "hazards:ladderstep_list", "bi-bell", model="hazards.LadderStep", order=74),
        # Town spot checks of what enterprises closed themselves (issue 8 item 3).
        NavEntry(_("待抽查"), "hazards:spotcheck_list", "bi-shuffle", model="hazards.Hazard", roles=REGULATOR_ROLES,
                 order=66),
    )
    api = (
        ApiRoute("hazards", "anjian.hazards.api.views.HazardViewSet", "hazard"),
        # The public's collection (no login) and the regulators' triage of the same reports (issue 8 item 6).
        ApiRoute("public-reports", "anjian.hazards.api.public.PublicReportPublicViewSet", "public-report"),
        ApiRoute("public-report-triage", "anjian.hazards.api.public.PublicReportViewSet", "publicreport"),
        ApiRoute("checklists", "anjian.hazards.api.checklists.ChecklistViewSet", "checklist"),
        ApiRoute("inspection-schedules", "anjian.hazards.api.checklists.InspectionScheduleViewSet",
                 "inspectionschedule"),
        ApiRoute("self-inspections", "anjian.hazards.api.checklists.SelfInspectionViewSet", "selfinspection"),
    )
    enterprise_panels = (
        Panel("hazards/enterprise_panel_hazards.html", "anjian.hazards.views.enterprise_panel", order=20),
        Panel("hazards/selfinspection_enterprise_panel.html", "anjian.hazards.views_checklists.enterprise_panel",
              order=60),
    )
    reference = (
        ReferenceLoader(_("排查清单"), "anjian.hazards.reference.load_checklists"),
        ReferenceLoader(_("隐患逾期升级规则"), "anjian.hazards.ladder.load_ladder"),
    )
    demo = (DemoGenerator(_("隐患排查治理"), "anjian.hazards.demo.generate_for_demo"),)

    def ready(self) -> None:
        super().ready()
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save

        from anjian.core import audit
        from anjian.core.attachments import refuse_uploads
        from anjian.core.services import follow_moves
        from anjian.enterprises.demo import delete_dependents_with
        from anjian.hazards import tally
        from anjian.hazards.corrections import photo_refusal
        from anjian.hazards.demo import delete_generated_for
        from anjian.hazards.services import follow_enterprise_save, move_enterprise_hazards

        # A hazard copies its enterprise's place on the tree: a move by a service (one save or an import) or by any
        # other save takes the hazards along.
        follow_moves("enterprises.Enterprise", move_enterprise_hazards)
        post_save.connect(follow_enterprise_save, sender=apps.get_model("enterprises", "Enterprise"),
                          dispatch_uid="hazards.follow_enterprise_save")
        # A deleted hazard leaves the running counts, however it was deleted (the admin, a queryset, a service).
        post_delete.connect(lambda sender, instance, **kwargs: tally.forget(instance),
                            sender=apps.get_model("hazards", "Hazard"), weak=False, dispatch_uid="hazards.tally_forget")
        # Photos of what was found are corrected like the rest of it (issue 8 item 3): by its finder only until
        # rectification is assigned (evidence of the rectification comes with the rectify action).
        refuse_uploads("hazards.Hazard", photo_refusal)
        # generate-demo --replace: the demo city's hazards and what goes with them leave before its enterprises.
        delete_dependents_with(delete_generated_for)

        # A citizen's report is filed by nobody: its audit event is not one of the model's triage actions.
        audit.register_label("publicreport.submit", _("提交群众举报"))
        # The overdue job's escalations are audit events of their own (issue 8 item 5), not a workflow action.
        audit.register_label("hazard.escalate", _("隐患逾期升级"))
        # The random draw of hazards to spot-check (issue 8 item 3) is a decision on many hazards at once.
        audit.register_label("hazard.spot_check_draw", _("随机抽取待抽查隐患"))
