"""The hazards app's pages: each part of the app keeps its own routes (urls_<part>.py); all share the namespace."""

from anjian.hazards import urls_checklists, urls_hazards, urls_overdue, urls_public, urls_spotcheck

app_name = "hazards"

urlpatterns = [
    *urls_hazards.urlpatterns,
    *urls_checklists.urlpatterns,
    *urls_public.urlpatterns,
    *urls_overdue.urlpatterns,
    *urls_spotcheck.urlpatterns,
]
