from django.urls import path

from anjian.dashboard import views

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/region/<str:code>/", views.region_dashboard, name="region_dashboard"),
    path("map/", views.enterprise_map, name="map"),
    path("map/points.json", views.map_points, name="map_points"),
    path("map/towns.geojson", views.map_towns, name="map_towns"),
]
