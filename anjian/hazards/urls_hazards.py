"""Routes of the hazards app's hazards pages (included by anjian.hazards.urls)."""

from django.urls import path

from anjian.hazards import views

urlpatterns: list = [
    path("", views.HazardListView.as_view(), name="hazard_list"),
    path("add/", views.HazardEditView.as_view(), name="hazard_add"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("<int:pk>/edit/", views.HazardEditView.as_view(), name="hazard_edit"),
    path("<int:pk>/<slug:action>/", views.HazardActionView.as_view(), name="hazard_action"),
    path("supervision/", views.SupervisionListView.as_view(), name="supervision_list"),
    # No login (issue 8 item 4): what a regulator publishes of the hazards under 挂牌督办.
    path("supervision/public/", views.supervision_public, name="supervision_public"),
]
