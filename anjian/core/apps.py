from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ApiRoute, ModuleConfig


class CoreConfig(ModuleConfig):
    name = "anjian.core"
    label = "core"
    verbose_name = _("核心")
    url_prefix = "core/"
    api = (
        ApiRoute("audit-events", "anjian.core.api.views.AuditEventViewSet", "auditevent"),
        ApiRoute("attachments", "anjian.core.api.attachments.AttachmentViewSet", "attachment"),
    )

    def ready(self) -> None:
        super().ready()
        from django.apps import apps

        from anjian.core.checks import check_declarations

        # Every model's actions, policy, editable fields and transition table, checked once at start-up.
        check_declarations(apps.get_models())
