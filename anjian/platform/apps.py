from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    """The project-wide commands (serve, demo, load-reference): the top layer, it may reach every app."""

    name = "anjian.platform"
    label = "platform"
    verbose_name = _("平台")
