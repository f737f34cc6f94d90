from anjian.core.registry import ApiRoute, ModuleConfig, NavEntry, Panel


class KitAppConfig(ModuleConfig):
    """A module built only from the kit, for the kit's own tests (config/test_settings.py installs it)."""

    name = "anjian.core.tests.kitapp"
    label = "kitapp"
    verbose_name = "作业许可（测试）"
    url_prefix = "kit/"
    nav = (NavEntry("作业许可（测试）", "kitapp:workpermit_list", "bi-clipboard-check", model="kitapp.WorkPermit",
                    order=990),)
    api = (ApiRoute("kit-permits", "anjian.core.tests.kitapp.api.WorkPermitViewSet", "workpermit"),)
    enterprise_panels = (
        Panel("kitapp/enterprise_panel.html", "anjian.core.tests.kitapp.views.enterprise_panel"),
    )
