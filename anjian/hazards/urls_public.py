"""Routes of the hazards app's public pages (included by anjian.hazards.urls)."""

urlpatterns: list = []
