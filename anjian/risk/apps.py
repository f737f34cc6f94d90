from django.utils.translation import gettext_lazy as _

from anjian.core.registry import ModuleConfig


class RiskConfig(ModuleConfig):
    """安全风险分级管控 (issue 9 items 4 and 5): risk units and their assessments, control measures, and the
    four-colour grading of enterprises, villages and towns."""

    name = "anjian.risk"
    label = "risk"
    verbose_name = _("风险分级管控")
    url_prefix = "risk/"
