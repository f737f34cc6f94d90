from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ApiRoute, DemoGenerator, ModuleConfig, NavEntry, Panel, StartPanel


class RiskConfig(ModuleConfig):
    """安全风险分级管控 (issue 9 items 4 and 5): risk units and their assessments, control measures, and the
    four-colour grading of enterprises, villages and towns."""

    name = "anjian.risk"
    label = "risk"
    verbose_name = _("风险分级管控")
    url_prefix = "risk/"
    nav = (
        # Issue 9 item 5: the four-colour map and the ranking.
        NavEntry(_("四色风险图"), "risk:colour_map", "bi-map", model="risk.EnterpriseColour", order=82),
        NavEntry(_("风险等级排名"), "risk:colour_ranking", "bi-sort-down", model="risk.RegionColour", order=83),
        NavEntry(_("企业风险等级"), "risk:enterprisecolour_list", "bi-buildings", model="risk.EnterpriseColour",
                 order=84),
        # Issue 9 item 4: risk units, assessments, measures and their checks.
        NavEntry(_("风险点"), "risk:riskunit_list", "bi-bullseye", model="risk.RiskUnit", order=85),
        NavEntry(_("风险评估"), "risk:riskassessment_list", "bi-speedometer2", model="risk.RiskAssessment", order=86),
        NavEntry(_("管控措施"), "risk:controlmeasure_list", "bi-shield-check", model="risk.ControlMeasure", order=87),
        NavEntry(_("管控检查项"), "risk:check_items", "bi-ui-checks", model="risk.ControlMeasure", order=88),
    )
    api = (
        ApiRoute("risk-units", "anjian.risk.api.views.RiskUnitViewSet", "riskunit"),
        ApiRoute("risk-assessments", "anjian.risk.api.views.RiskAssessmentViewSet", "riskassessment"),
        ApiRoute("risk-measures", "anjian.risk.api.views.ControlMeasureViewSet", "controlmeasure"),
        ApiRoute("risk-measure-checks", "anjian.risk.api.views.MeasureCheckViewSet", "measurecheck"),
        ApiRoute("risk-colours", "anjian.risk.api.colours.EnterpriseColourViewSet", "enterprisecolour"),
        ApiRoute("region-colours", "anjian.risk.api.colours.RegionColourViewSet", "regioncolour"),
    )
    enterprise_panels = (
        Panel("risk/colour_panel.html", "anjian.risk.views_colours.enterprise_panel", order=29),
        Panel("risk/enterprise_panel_risk.html", "anjian.risk.views.enterprise_panel", order=31),
    )
    # Issue 9 item 4: the control measures' check items are due with the enterprise's self-inspections.
    self_inspection_panels = (StartPanel("risk/selfinspection_panel.html", "anjian.risk.views.self_inspection_panel"),)
    demo = (
        DemoGenerator(_("风险点与风险评估"), "anjian.risk.demo.generate_for_demo"),
        # After every other generator (hazards, risk units, major hazards): the colours read what they wrote.
        DemoGenerator(_("企业和区域风险等级"), "anjian.risk.services_colours.demo_colours", after_accounts=True),
    )

    def ready(self) -> None:
        super().ready()
        from anjian.core import audit
        from anjian.enterprises.demo import delete_dependents_with
        from anjian.hazchem.grading import major_hazard_changed, major_hazards_regraded
        from anjian.risk import services_colours
        from anjian.risk.demo import delete_generated_for

        # generate-demo --replace: the demo city's risk units and what goes with them, and its colours, leave before
        # its enterprises.
        delete_dependents_with(delete_generated_for)
        delete_dependents_with(services_colours.delete_generated_for)
        # An enterprise's colour follows its 重大危险源 level at once, in the same transaction (issue 9 item 5).
        major_hazard_changed.connect(services_colours.follow_major_hazard, dispatch_uid="risk.colour.major_hazard")
        major_hazards_regraded.connect(services_colours.follow_major_hazards, dispatch_uid="risk.colour.major_hazards")
        audit.register_label(services_colours.ENTERPRISE_CHANGE, _("企业风险等级变化"))
        audit.register_label(services_colours.REGION_CHANGE, _("区域风险等级变化"))
        audit.register_label(services_colours.ENTERPRISE_COMPUTE, _("首次评定企业风险等级"))
        audit.register_label(services_colours.REGION_COMPUTE, _("首次评定区域风险等级"))
