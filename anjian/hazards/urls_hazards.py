"""Routes of the hazards app's hazards pages (included by anjian.hazards.urls)."""

urlpatterns: list = []
