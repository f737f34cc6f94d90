from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    CITY = "city", _("市")
    TOWN = "town", _("镇街（园区）")
    VILLAGE = "village", _("村（社区）")
