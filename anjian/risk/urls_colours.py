"""Routes of the four-colour grading (issue 9 item 5), joined into anjian.risk.urls."""

from django.urls import path

from anjian.risk import views_colours

urlpatterns = [
    path("map/", views_colours.colour_map, name="colour_map"),
    path("map/points.json", views_colours.colour_map_points, name="colour_map_points"),
    path("map/regions.geojson", views_colours.colour_map_regions, name="colour_map_regions"),
    path("colours/", views_colours.RegionColourListView.as_view(), name="colour_ranking"),
    path("colours/enterprises/", views_colours.EnterpriseColourListView.as_view(), name="enterprisecolour_list"),
    path("colours/<int:enterprise_id>/recompute/", views_colours.recompute_view, name="colour_recompute"),
]
