from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ApiRoute, DemoGenerator, ModuleConfig, NavEntry, Panel


class RiskConfig(ModuleConfig):
    """安全风险分级管控 (issue 9 items 4 and 5): risk units and their assessments, control measures, and the
    four-colour grading of enterprises, villages and towns."""

    name = "anjian.risk"
    label = "risk"
    verbose_name = _("风险分级管控")
    url_prefix = "risk/"
    # Risk units, assessments, measures and their checks (issue 9 item 4).
    nav = (
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
    )
    enterprise_panels = (Panel("risk/enterprise_panel_risk.html", "anjian.risk.views.enterprise_panel", order=30),)
    demo = (DemoGenerator(_("风险点与风险评估"), "anjian.risk.demo.generate_for_demo"),)

    def ready(self) -> None:
        super().ready()
        from anjian.enterprises.demo import delete_dependents_with
        from anjian.risk.demo import delete_generated_for

        # generate-demo --replace: the demo city's risk units and what goes with them leave before its enterprises.
        delete_dependents_with(delete_generated_for)
