from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ApiRoute, ModuleConfig, NavEntry, ReferenceLoader


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
    )
    api = (
        ApiRoute("chemicals", "anjian.hazchem.api.views.ChemicalViewSet", "chemical"),
        ApiRoute("key-processes", "anjian.hazchem.api.views.KeyProcessViewSet", "keyprocess"),
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
