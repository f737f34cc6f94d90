from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ApiRoute, DemoGenerator, ModuleConfig, NavEntry, Panel, ReferenceLoader


class HazchemConfig(ModuleConfig):
    """危险化学品 (issue 9): the chemical catalogue and the 重点监管危险化工工艺 (item 1), hazard units and the
    重大危险源 register (item 2), the lifecycle ledgers and hazmat transport (item 3)."""

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
        # Lifecycle ledgers and road transport (issue 9 item 3).
        NavEntry(_("危化品库存台账"), "hazchem:stockbalance_list", "bi-journal-text", model="hazchem.StockBalance",
                 order=94),
        NavEntry(_("危化品出入库"), "hazchem:stockmovement_list", "bi-arrow-left-right",
                 model="hazchem.StockMovement", order=95),
        NavEntry(_("危货运输车辆"), "hazchem:hazmatvehicle_list", "bi-truck", model="hazchem.HazmatVehicle",
                 order=96),
        NavEntry(_("危货运输记录"), "hazchem:trip_list", "bi-signpost-2", model="hazchem.Trip", order=97),
    )
    api = (
        ApiRoute("chemicals", "anjian.hazchem.api.views.ChemicalViewSet", "chemical"),
        ApiRoute("key-processes", "anjian.hazchem.api.views.KeyProcessViewSet", "keyprocess"),
        ApiRoute("hazard-units", "anjian.hazchem.api.units.HazardUnitViewSet", "hazardunit"),
        ApiRoute("major-hazards", "anjian.hazchem.api.units.MajorHazardViewSet", "majorhazard"),
        ApiRoute("stock-movements", "anjian.hazchem.api.ledgers.StockMovementViewSet", "stockmovement"),
        ApiRoute("stock-balances", "anjian.hazchem.api.ledgers.StockBalanceViewSet", "stockbalance"),
        ApiRoute("hazmat-vehicles", "anjian.hazchem.api.ledgers.HazmatVehicleViewSet", "hazmatvehicle"),
        ApiRoute("trips", "anjian.hazchem.api.ledgers.TripViewSet", "trip"),
    )
    enterprise_panels = (
        Panel("hazchem/enterprise_panel_units.html", "anjian.hazchem.views_units.enterprise_panel", order=30),
        Panel("hazchem/ledger_enterprise_panel.html", "anjian.hazchem.views_ledgers.enterprise_panel", order=40),
    )
    demo = (
        DemoGenerator(_("危险化学品单元与重大危险源"), "anjian.hazchem.demo_units.generate_for_demo"),
        # After the units' generator (the demo units must exist): opening stock for the chemicals they list.
        DemoGenerator(_("危险化学品台账"), "anjian.hazchem.demo_ledgers.generate_for_demo"),
    )
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
        from anjian.hazchem import demo_ledgers, demo_units

        # `generate-demo --replace` removes the demo enterprises' ledgers, then their units, first (layers point down).
        delete_dependents_with(demo_ledgers.delete_generated_for)
        delete_dependents_with(demo_units.delete_generated_for)
        # The ledger's lines are appended, never changed (issue 9 item 3).
        audit.register_label("stockmovement.create", _("登记危险化学品出入库"))
