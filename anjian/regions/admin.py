from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from anjian.regions.models import IndustrialPark, Region


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(IndustrialPark)
class IndustrialParkAdmin(SimpleHistoryAdmin):
    list_display = ("name", "region", "is_chemical_park")
    autocomplete_fields = ("region",)
    search_fields = ("name",)
