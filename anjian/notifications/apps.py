from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ApiRoute, ModuleConfig, NavEntry, ReferenceLoader


class NotificationsConfig(ModuleConfig):
    name = "anjian.notifications"
    label = "notifications"
    verbose_name = _("通知")
    url_prefix = "notifications/"
    # The header's bell is the main entry; the sidebar link serves the phone's menu as well.
    nav = (
        NavEntry(_("通知"), "notifications:inbox", "bi-bell", model="notifications.Notification", order=890),
    )
    api = (ApiRoute("notifications", "anjian.notifications.api.NotificationViewSet", "notification"),)
    reference = (ReferenceLoader(_("通知模板"), "anjian.notifications.reference.load_templates"),)

    def ready(self) -> None:
        super().ready()
        from django.core.checks import register

        from anjian.core.notices import set_sender
        from anjian.notifications.checks import check_sms_gateway
        from anjian.notifications.services import deliver_notice_batch, deliver_notices

        # Services and transitions hand their notices to anjian.core.notices; this app delivers them.
        set_sender(deliver_notices, many=deliver_notice_batch)
        register(check_sms_gateway)
