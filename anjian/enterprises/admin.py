from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from anjian.enterprises.models import ArchiveDocument, Enterprise, Industry, LiabilityInsurance, Licence


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level")
    search_fields = ("code", "name")


@admin.register(Enterprise)
class EnterpriseAdmin(SimpleHistoryAdmin):
    list_display = ("name", "uscc", "region", "domain", "operating_status")
    list_filter = ("domain", "operating_status", "major_hazard", "small_venue")
    search_fields = ("name", "uscc")
    autocomplete_fields = ("region", "industry", "park")


@admin.register(Licence)
class LicenceAdmin(SimpleHistoryAdmin):
    list_display = ("enterprise", "licence_type", "number", "valid_to", "superseded")
    autocomplete_fields = ("enterprise",)


@admin.register(LiabilityInsurance)
class LiabilityInsuranceAdmin(SimpleHistoryAdmin):
    list_display = ("enterprise", "insurer", "policy_number", "valid_to", "superseded")
    autocomplete_fields = ("enterprise",)


@admin.register(ArchiveDocument)
class ArchiveDocumentAdmin(SimpleHistoryAdmin):
    list_display = ("enterprise", "doc_type", "title", "valid_to", "superseded")
    autocomplete_fields = ("enterprise",)
