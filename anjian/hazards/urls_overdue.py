"""Routes of the hazards app's overdue-ladder and statistics pages (included by anjian.hazards.urls)."""

from django.urls import path

from anjian.hazards import views_overdue

urlpatterns: list = [
    path("ladder/", views_overdue.LadderStepListView.as_view(), name="ladderstep_list"),
    path("ladder/add/", views_overdue.LadderStepEditView.as_view(), name="ladderstep_add"),
    path("ladder/<int:pk>/edit/", views_overdue.LadderStepEditView.as_view(), name="ladderstep_edit"),
    path("stats/", views_overdue.hazard_stats, name="hazard_stats"),
]
