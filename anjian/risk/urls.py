from anjian.risk import urls_colours

app_name = "risk"

urlpatterns: list = [*urls_colours.urlpatterns]
