"""Routes of the hazards app's checklists pages (included by anjian.hazards.urls)."""

urlpatterns: list = []
