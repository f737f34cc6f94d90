"""Routes of the hazards app's overdue-ladder and statistics pages (included by anjian.hazards.urls)."""

urlpatterns: list = []
