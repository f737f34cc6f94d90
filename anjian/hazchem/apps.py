from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ApiRoute, DemoGenerator, ModuleConfig, NavEntry, Panel, ReferenceLoader


class HazchemConfig(ModuleConfig):
    """危险化学品 (issue 9). Item 1: the chemical catalogue and the 重点监管危险化工工艺."""

    name = "anjian.hazchem"
    label = "hazchem"
    verbose_name = _("危险化学品")
    url_prefix = "hazchem/"
    nav = (
        NavEntry(_("危险化学品目录"), "hazchem:chemical_list", "bi-radioactive", model="hazchem.Chemical", order=90),
        NavEntry(_("重点监管危险化工工艺"), "hazchem:keyprocess_list", "bi-gear-wide-connected",
                 model="hazchem.KeyProcess", order=91),
        NavEntry(_("危险化学品单元"), "hazchem:hazardunit_list", "bi-box-seam", model="hazchem.HazardUnit", order=92),
        NavEntry(_("重大危险源"), "hazchem:majorhazard_list", "bi-exclamation-octagon", model="hazchem.MajorHazard",
                 order=93),
    )
    api = (
        ApiRoute("chemicals", "anjian.hazchem.api.views.ChemicalViewSet", "chemical"),
        ApiRoute("key-processes", "anjian.hazchem.api.views.KeyProcessViewSet", "keyprocess"),
        ApiRoute("hazard-units", "anjian.hazchem.api.units.HazardUnitViewSet", "hazardunit"),
        ApiRoute("major-hazards", "anjian.hazchem.api.units.MajorHazardViewSet", "majorhazard"),
    )
    enterprise_panels = (
        Panel("hazchem/enterprise_panel_units.html", "anjian.hazchem.views_units.enterprise_panel", order=30),
    )
    demo = (DemoGenerator(_("危险化学品单元与重大危险源"), "anjian.hazchem.demo_units.generate_for_demo"),)
    reference = (
        ReferenceLoader(_("危险化学品目录"), "anjian.hazchem.reference.load_catalogue"),
        ReferenceLoader(_("重点监管危险化工工艺"), "anjian.hazchem.reference.load_key_processes"),
    )

    def ready(self) -> None:
        super().ready()
        from anjian.core import audit

        # Decisions anjian.hazchem.grading takes on a unit's working (issue 9 item 2).
        audit.register_label("hazardunit.grade", _("危险化学品单元辨识分级变化"))
        audit.register_label("majorhazard.register", _("登记重大危险源"))
        audit.register_label("majorhazard.relevel", _("重大危险源级别变化"))
        audit.register_label("majorhazard.deregister", _("核销重大危险源"))
        audit.register_label("enterprise.major_hazard_follow", _("企业重大危险源标识随单元更新"))
        audit.register_label("hazardunit.regrade_all", _("危险化学品单元批量辨识分级"))
        audit.register_label("hazardunit.chemicals", _("单元危险化学品变更"))
        audit.register_label("hazardunit.key_processes", _("单元重点监管危险化工工艺变更"))

        from anjian.enterprises.demo import delete_dependents_with
        from anjian.hazchem.demo_units import delete_generated_for

        # `generate-demo --replace` removes the demo enterprises' units first (layers point down).
        delete_dependents_with(delete_generated_for)
