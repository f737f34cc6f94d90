"""Routes of the town's spot checks (issue 8 item 3; included by anjian.hazards.urls)."""

from django.urls import path

from anjian.hazards import views_spotcheck

urlpatterns: list = [
    path("spot-checks/", views_spotcheck.SpotCheckListView.as_view(), name="spotcheck_list"),
    path("spot-checks/draw/", views_spotcheck.spot_check_draw_view, name="spotcheck_draw"),
    path("spot-checks/draws/<int:pk>/", views_spotcheck.spot_check_draw_detail, name="spotcheck_draw_detail"),
]
